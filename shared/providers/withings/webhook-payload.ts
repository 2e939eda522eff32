import { isPlausibleTimeMs, isPlausibleTimeSec, TIME_RANGE_TEXT } from '../../activity/plausible.ts';
import { PayloadError } from '../../errors.ts';

/**
 * A Withings notification (https://developer.withings.com/api-reference/#tag/notify): an
 * `application/x-www-form-urlencoded` POST. Data notifications carry `userid`, `appli` and either
 * `startdate`/`enddate` (epoch seconds) or `date` (Y-m-d); user events carry `action` (`unlink`, `delete`,
 * `update`). Nothing is signed.
 */
export interface WithingsNotification {
  /** Withings user id (decimal digits), fitsync's link key. */
  userid: string;
  appli?: number;
  /** Epoch seconds; present together with `enddate`. */
  startdate?: number;
  enddate?: number;
  /** `YYYY-MM-DD`, the user's local day. */
  date?: string;
  action?: string;
}

/**
 * Parses the raw form bytes. (functions-framework has parsed them into `req.body` too, but adapters only read
 * `rawBody`, so this is the one parser.)
 */
export function parseWithingsNotification(rawBody: Buffer): WithingsNotification {
  const text = rawBody.toString('utf8').trim();
  if (!text) throw new PayloadError('body is empty: expected a form-encoded Withings notification');
  if (text.startsWith('{') || text.startsWith('[')) throw new PayloadError('body is JSON: Withings notifications are form-encoded');
  const form = new URLSearchParams(text);
  const problems: string[] = [];
  const userid = form.get('userid') ?? '';
  if (!/^\d{1,20}$/.test(userid)) problems.push('userid must be decimal digits');
  const appli = optionalInteger(form, 'appli', problems);
  const startdate = optionalInteger(form, 'startdate', problems);
  const enddate = optionalInteger(form, 'enddate', problems);
  if ((startdate === undefined) !== (enddate === undefined)) problems.push('startdate and enddate come together');
  if ((startdate !== undefined && !isPlausibleTimeSec(startdate)) || (enddate !== undefined && !isPlausibleTimeSec(enddate))) {
    problems.push(`startdate and enddate must be epoch seconds ${TIME_RANGE_TEXT}`);
  }
  if (startdate !== undefined && enddate !== undefined && enddate < startdate) problems.push('enddate is before startdate');
  const date = form.get('date') ?? undefined;
  if (date !== undefined && !isCalendarDay(date)) problems.push(`date must be a YYYY-MM-DD day ${TIME_RANGE_TEXT}`);
  const action = form.get('action')?.trim() || undefined;
  if (problems.length) throw new PayloadError(`not a Withings notification: ${problems.join('; ')}`);
  return {
    userid,
    ...(appli !== undefined ? { appli } : {}),
    ...(startdate !== undefined && enddate !== undefined ? { startdate, enddate } : {}),
    ...(date !== undefined ? { date } : {}),
    ...(action !== undefined ? { action } : {}),
  };
}

function optionalInteger(form: URLSearchParams, name: string, problems: string[]): number | undefined {
  const raw = form.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^\d{1,12}$/.test(raw)) {
    problems.push(`${name} must be a non-negative integer`);
    return undefined;
  }
  return Number(raw);
}

function isCalendarDay(v: string): boolean {
  const t = Date.parse(`${v}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(v) && isPlausibleTimeMs(t) && new Date(t).toISOString().startsWith(v);
}
