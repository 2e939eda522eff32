import { AppError } from '../errors.ts';

/**
 * Why a connect step ended without success, as a code the pages turn into words (pages/problems.ts). Retryable
 * problems are the ones where trying again later can work (an upstream outage); the rest need the person to act.
 */
export class ConnectProblem extends AppError {
  readonly retryable: boolean;
  constructor(
    readonly code: ProblemCode,
    message: string,
    opts: { retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, {}, { cause: opts.cause });
    this.retryable = opts.retryable ?? false;
  }
}

export const problemCodes = [
  'state_invalid',
  'state_expired',
  'state_replayed',
  'state_other_browser',
  'google_denied',
  'google_error',
  'google_code_refused',
  'google_unavailable',
  'id_token_invalid',
  'google_no_refresh_token',
  'tracker_denied',
  'tracker_error',
  'tracker_scope_missing',
  'tracker_code_refused',
  'tracker_unavailable',
  'tracker_taken',
  'tracker_unknown_user',
  'polar_consents_missing',
  'session_required',
  'csrf_invalid',
  'not_your_link',
  'delete_not_confirmed',
  'backfill_not_queued',
] as const;

export type ProblemCode = (typeof problemCodes)[number];

export const isProblemCode = (v: unknown): v is ProblemCode => (problemCodes as readonly unknown[]).includes(v);
