// Raw HTTP/1.1 exchanges for edge tests: any request line, headers and body bytes, including bodies never finished.
// Every exchange settles: with the answer, with RESET when the server refused the body unread and closed (its close
// with unread bytes resets the connection, which can discard the answer before the client reads it), or with an error.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

export interface RawAnswer {
  /** The answer's status, or RESET when the connection ended before an answer could be read. */
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * The status of an exchange whose connection ended without an answer: a server that closes a connection it has not
 * read to the end makes the kernel reset it (https://www.rfc-editor.org/rfc/rfc9112#section-9.6), and the client
 * may lose the answer the server wrote just before.
 */
export const RESET = 0;

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** false: send the body (if any) but never finish the request. */
  endBody?: boolean;
  /** How long the whole exchange may take before it fails (default 30 s), so that no test waits for ever. */
  timeoutMs?: number;
}

/** One request on a connection of its own; resolves with the answer, or with status RESET. */
export function rawExchange(baseUrl: string, path: string, o: RawRequest = {}): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  const timeoutMs = o.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest({ host: hostname, port, path, method: o.method ?? 'POST', headers: o.headers ?? {}, agent: false }, (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? RESET, headers: res.headers, body: text }));
      res.on('error', reject);
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer to ${path} within ${timeoutMs} ms`)), timeoutMs);
    req.on('close', () => {
      clearTimeout(timer);
      if (!answered) resolve({ status: RESET, headers: {}, body: '' });
    });
    // The server may answer and close before taking the whole body: that is the point of several tests.
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
    if (o.body) req.write(o.body);
    if (o.endBody !== false) req.end();
  });
}
