// Raw HTTP/1.1 exchanges for edge tests: any request line, headers and body bytes, including bodies never finished,
// with errors from a server that answers and closes before taking the whole body counted as expected.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** false: send the body (if any) but never finish the request. */
  endBody?: boolean;
}

/** One request on a connection of its own; resolves with the answer. */
export function rawExchange(baseUrl: string, path: string, o: RawRequest = {}): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, path, method: o.method ?? 'POST', headers: o.headers ?? {}, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      res.on('error', reject);
    });
    // The server may answer and close before taking the whole body: that is the point of several tests.
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
    if (o.body) req.write(o.body);
    if (o.endBody !== false) req.end();
  });
}
