// What the test proxies in front of stand-ins share: a server on 127.0.0.1 that passes requests on unchanged and
// relays answers, and a stop that ends every connection it still holds (the proxies hold some on purpose).
import { createServer, type IncomingMessage, type RequestListener, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackProxy {
  url: string;
  stop(): Promise<void>;
}

/** Sends `req` on to `upstream` unchanged (its host header aside) and hands the answer to `onAnswer`. */
export function forward(upstream: URL, req: IncomingMessage, res: ServerResponse, onAnswer: (answer: IncomingMessage) => void): void {
  const out = request(
    { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
    onAnswer,
  );
  out.on('error', () => res.destroy());
  req.pipe(out);
}

/** Passes the upstream answer back to the caller as it came. */
export function relay(answer: IncomingMessage, res: ServerResponse): void {
  res.writeHead(answer.statusCode ?? 502, answer.headers);
  answer.pipe(res);
}

/**
 * Serves `handle` on a free loopback port; the server does not keep the process alive. `stop` runs `beforeStop`
 * (e.g. to destroy answers held back) and closes every connection.
 */
export async function serveProxy(handle: RequestListener, beforeStop: () => void = () => {}): Promise<LoopbackProxy> {
  const server = createServer(handle);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  server.unref();
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((ok) => {
        beforeStop();
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}
