import { AppError } from './errors.ts';
import { logContext } from './log-context.ts';

/**
 * Structured logs for Cloud Logging: one JSON object per line with `severity` and `message`
 * (https://cloud.google.com/logging/docs/structured-logging). Field values pass through `redact`,
 * and errors through `describeError`, so no token or secret reaches a log line. A line written while a request is
 * served carries that request's fields (log-context.ts: its trace and execution id), and a line about an unexpected
 * error carries its `stack_trace`, so Error Reporting groups it.
 */
export type Severity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const rank: Record<Severity, number> = { DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3 };

export function createLogger(opts: { level?: Severity; write?: (line: string) => void; base?: LogFields } = {}): Logger {
  const min = rank[opts.level ?? 'INFO'];
  const write = opts.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const base = opts.base ?? {};
  const emit = (severity: Severity, message: string, fields?: LogFields) => {
    if (rank[severity] < min) return;
    write(logLine(severity, message, { ...base, ...fields }));
  };
  return {
    debug: (m, f) => emit('DEBUG', m, f),
    info: (m, f) => emit('INFO', m, f),
    warn: (m, f) => emit('WARNING', m, f),
    error: (m, f) => emit('ERROR', m, f),
    child: (fields) => createLogger({ ...opts, base: { ...base, ...fields } }),
  };
}

/**
 * One log line as text, for the logger and for the few lines written outside it (a thrown error's stack that
 * functions-framework prints): redacted, with the current request's fields, and with a `stack_trace` when `err` is an
 * unexpected error and the caller gave none.
 */
export function logLine(severity: Severity, message: string, fields: LogFields = {}): string {
  const stack = fields.stack_trace === undefined ? unexpectedStackTrace(fields.err) : undefined;
  return JSON.stringify({
    severity,
    message: scrubText(message),
    ...(redact({ ...fields, ...logContext(), ...(stack ? { stack_trace: stack } : {}) }) as LogFields),
  });
}

const secretKey = /token|secret|password|authorization|cookie|credential|api[-_]?key|signature|^code$/i;

/** Copies a value for logging, replacing anything under a secret-looking key and scrubbing strings. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[deep]';
  if (typeof value === 'string') return scrubText(value);
  if (value instanceof Error) return describeError(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = secretKey.test(k) && !/^(tokenExpiresAt|tokenGeneration)$/.test(k) ? '[redacted]' : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}

/** Token shapes that must never appear in text: bearer values, Google access/refresh tokens, form fields. */
const secretPatterns: RegExp[] = [
  /(bearer\s+)[^\s"',]+/gi,
  /\bya29\.[\w.-]+/g,
  /\b1\/\/[\w.-]+/g,
  /((?:refresh_token|access_token|client_secret|code|token)=)[^&\s"]+/gi,
  /("(?:refresh_token|access_token|client_secret)"\s*:\s*")[^"]*/gi,
];

export function scrubText(text: string): string {
  let out = text;
  for (const p of secretPatterns) out = out.replace(p, (_m, keep?: string) => `${typeof keep === 'string' ? keep : ''}[redacted]`);
  return out;
}

/**
 * `scrubText`, and also every one of `sent` (the credentials a request carried), raw or URL-encoded, wherever it
 * appears: an upstream's error answer may quote them back in prose, where no token shape gives them away.
 */
export function scrubSent(text: string, sent: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const secret of sent) {
    if (!secret) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('[redacted]');
  }
  return scrubText(out);
}

/**
 * The loggable parts of an error. Deliberately never the raw object: a gaxios error from a failed token
 * refresh carries the refresh token in `err.config.data`, which gaxios' default error redactor leaves in place
 * (its `errorRedactor`, https://github.com/googleapis/gaxios/blob/main/README.md).
 */
export function describeError(err: unknown): LogFields {
  if (err instanceof AppError) {
    const cause = err.cause === undefined ? undefined : describeError(err.cause);
    return { name: err.name, code: err.code, retryable: err.retryable, message: scrubText(err.message), ...(cause ? { cause } : {}) };
  }
  if (err instanceof Error) {
    const e = err as Error & { code?: unknown; status?: unknown; response?: { status?: unknown; data?: unknown } };
    const status = e.response?.status ?? e.status;
    return {
      name: err.name,
      message: scrubText(err.message),
      ...(e.code !== undefined ? { code: e.code } : {}),
      ...(status !== undefined ? { status } : {}),
      ...(e.response?.data !== undefined ? { response: redact(e.response.data) } : {}),
    };
  }
  return { message: scrubText(String(err)) };
}

/**
 * An unexpected error (not an AppError, which is a planned outcome with a reason code) as Error Reporting reads it from
 * a line's `stack_trace`: a Node.js stack, "Name: message" and then its frames
 * (https://cloud.google.com/error-reporting/docs/formatting-error-messages). The message is scrubbed like every other
 * text, or withheld where it may quote what a stranger sent (V8's JSON.parse errors quote the text they failed on).
 * Undefined for AppErrors and for thrown values that are not Errors.
 */
export function unexpectedStackTrace(err: unknown, message: 'scrubbed' | 'withheld' = 'scrubbed'): string | undefined {
  if (!(err instanceof Error) || err instanceof AppError) return undefined;
  const stack = err.stack ?? '';
  // Frames come after the message, which may span lines: take the message out before picking the "at" lines.
  const afterMessage = err.message && stack.includes(err.message) ? stack.slice(stack.indexOf(err.message) + err.message.length) : stack;
  const frames = afterMessage
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .map((line) => `    ${line.trim()}`);
  const head = message === 'withheld' || !err.message ? err.name : `${err.name}: ${err.message}`;
  return scrubText([head, ...frames].join('\n'));
}
