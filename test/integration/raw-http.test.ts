// The raw exchange edge tests rely on settles in every case, so a test waits for an answer, a reset or its time.
import { createServer, type Server } from 'node:net';
import test from 'ava';
import { RESET, rawExchange } from '../support/raw-http.ts';

/** A TCP server on loopback that does `onSocket` with each connection; stops when the test ends. */
async function tcpServer(t: { teardown(fn: () => void): void }, onSocket: Parameters<typeof createServer>[1]): Promise<string> {
  const server: Server = createServer(onSocket);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  t.teardown(() => void server.close());
  server.unref();
  const { port } = server.address() as { port: number };
  return `http://127.0.0.1:${port}`;
}

test('a server that resets the connection before answering gives RESET, not a wait', async (t) => {
  const url = await tcpServer(t, (socket) => socket.once('data', () => socket.resetAndDestroy()));
  const answer = await rawExchange(url, '/x', { body: Buffer.alloc(4 * 1024 * 1024, 32), endBody: false });
  t.is(answer.status, RESET);
});

test('a server that answers before reading the body gives its answer', async (t) => {
  const url = await tcpServer(t, (socket) =>
    socket.once('data', () => socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 2\r\nconnection: close\r\n\r\nno')),
  );
  const answer = await rawExchange(url, '/x', { body: Buffer.alloc(1024, 32), endBody: false });
  t.like(answer, { status: 404, body: 'no' });
});

test('a server that never answers fails the exchange at its time limit', async (t) => {
  const url = await tcpServer(t, (socket) => socket.resume());
  await t.throwsAsync(rawExchange(url, '/x', { body: Buffer.alloc(16, 32), timeoutMs: 300 }), { message: 'no answer to /x within 300 ms' });
});
