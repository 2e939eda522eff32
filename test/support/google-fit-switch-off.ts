// What the LOCAL STAND-IN for Google Fit answers on every Fit route once Fit REST is switched off. Google has not
// said how the turn-down will look, so these are the shapes Google has used for retired or disabled APIs: a plain
// 404 (JSON, or Google's "That's an error." page), 410 Gone, 501, a 403 SERVICE_DISABLED / accessNotConfigured /
// "has been turned down", a web page where the API answered, or a redirect to one.
import { googleError } from './google-errors.ts';
import type { Reply } from './http-server.ts';

export const fitSwitchOffShapes = [
  'not-found',
  'not-found-page',
  'gone',
  'not-implemented',
  'service-disabled',
  'access-not-configured',
  'turned-down',
  'web-page',
  'redirect',
] as const;
export type FitSwitchOff = (typeof fitSwitchOffShapes)[number];

const PROJECT = '123456789012';
const html = (title: string, text: string) =>
  `<!DOCTYPE html>\n<html lang=en><meta charset=utf-8><title>${title}</title><p><b>${title}</b> <ins>${text}</ins></p></html>\n`;
const page = (status: number, title: string, text: string, headers: Record<string, string> = {}): Reply => ({
  status,
  text: html(title, text),
  headers: { 'content-type': 'text/html; charset=UTF-8', ...headers },
});

export function switchedOffReply(shape: FitSwitchOff, path: string): Reply {
  switch (shape) {
    case 'not-found':
      return googleError(404, `The requested URL ${path} was not found on this server.`, 'NOT_FOUND');
    case 'not-found-page':
      return page(404, '404.', 'That’s an error. The requested URL was not found on this server.');
    case 'gone':
      return googleError(410, 'The Google Fit REST API has been shut down.', 'UNKNOWN');
    case 'not-implemented':
      return googleError(501, 'Operation is not implemented, or supported, or enabled.', 'UNIMPLEMENTED');
    case 'service-disabled':
      return googleError(
        403,
        `Fitness API has not been used in project ${PROJECT} before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/fitness.googleapis.com/overview?project=${PROJECT} then retry.`,
        'PERMISSION_DENIED',
        {
          info: {
            reason: 'SERVICE_DISABLED',
            domain: 'googleapis.com',
            metadata: { service: 'fitness.googleapis.com', consumer: `projects/${PROJECT}` },
          },
        },
      );
    case 'access-not-configured':
      return googleError(
        403,
        `Access Not Configured. Fitness API has not been used in project ${PROJECT} before or it is disabled.`,
        'PERMISSION_DENIED',
        {
          legacyReason: 'accessNotConfigured',
        },
      );
    case 'turned-down':
      return googleError(403, 'The Fitness API has been turned down.', 'PERMISSION_DENIED', { legacyReason: 'forbidden' });
    case 'web-page':
      return page(200, 'Google Fit', 'The Google Fit APIs are no longer available. Learn about the Google Health API.');
    case 'redirect':
      return page(301, 'Moved', 'The document has moved.', { location: 'https://developers.google.com/health' });
  }
}
