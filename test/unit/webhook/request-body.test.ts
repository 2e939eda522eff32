import { PassThrough } from 'node:stream';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import test from 'ava';
import { PayloadError, PayloadTooLargeError } from '../../../shared/errors.ts';
import { type BodyFraming, bodyBytesToReserve, readBody } from '../../../shared/webhook/request-body.ts';
import { RequestRefusedError } from '../../../shared/webhook/request-refused.ts';

const plain = (declaredLength?: number): BodyFraming => ({ declaredLength, contentEncoding: '' });
const encoded = (contentEncoding: string): BodyFraming => ({ declaredLength: undefined, contentEncoding });
const limits = { maxBytes: 1024, timeoutMs: 30_000 };

/** A request body stream the test writes into, recording how much of it was consumed. */
function sender() {
  const stream = new PassThrough();
  let consumed = 0;
  stream.on('data', (c: Buffer) => (consumed += c.length));
  stream.pause();
  return { stream, consumed: () => consumed };
}

test('a body within the limit is returned byte for byte, with and without a declared length', async (t) => {
  const body = Buffer.from('{"object_type":"activity","aspect_type":"create"}');
  for (const framing of [plain(body.length), plain(undefined)]) {
    const s = sender();
    const read = readBody(s.stream, framing, limits);
    s.stream.end(body);
    t.deepEqual(await read, body);
  }
});

test('an empty body is an empty buffer', async (t) => {
  const s = sender();
  const read = readBody(s.stream, plain(0), limits);
  s.stream.end();
  t.is((await read).length, 0);
});

test('a declared length over the limit is refused before a byte is read', async (t) => {
  const s = sender();
  s.stream.write(Buffer.alloc(100));
  await t.throwsAsync(readBody(s.stream, plain(1025), limits), { instanceOf: PayloadTooLargeError });
  t.is(s.consumed(), 0);
});

test('a chunked body is cut off as soon as it passes the limit; the rest is not read', async (t) => {
  const s = sender();
  const read = readBody(s.stream, plain(undefined), limits);
  s.stream.write(Buffer.alloc(1000));
  s.stream.write(Buffer.alloc(1000));
  await t.throwsAsync(read, { instanceOf: PayloadTooLargeError });
  s.stream.write(Buffer.alloc(5000));
  t.true(s.consumed() <= 2000);
});

test('gzip, deflate and br bodies are inflated; the limit applies to the inflated bytes', async (t) => {
  const body = Buffer.from(JSON.stringify({ note: 'x'.repeat(900) }));
  const cases: Array<[string, Buffer]> = [
    ['gzip', gzipSync(body)],
    ['x-gzip', gzipSync(body)],
    ['deflate', deflateSync(body)],
    ['br', brotliCompressSync(body)],
  ];
  for (const [encoding, bytes] of cases) {
    const s = sender();
    const read = readBody(s.stream, encoded(encoding), limits);
    s.stream.end(bytes);
    t.deepEqual(await read, body, encoding);
  }
  const s = sender();
  const read = readBody(s.stream, encoded('gzip'), { ...limits, maxBytes: 512 });
  s.stream.end(gzipSync(body));
  await t.throwsAsync(read, { instanceOf: PayloadTooLargeError });
});

test('a gzip bomb (64 MiB of zeros in under 100 KiB) is refused at the 1 KiB limit', async (t) => {
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
  t.true(bomb.length < 100 * 1024);
  const s = sender();
  const read = readBody(s.stream, encoded('gzip'), limits);
  s.stream.end(bomb);
  await t.throwsAsync(read, { instanceOf: PayloadTooLargeError });
});

test('bytes that do not inflate are a 400 payload_invalid naming the encoding only', async (t) => {
  const s = sender();
  const read = readBody(s.stream, encoded('gzip'), limits);
  s.stream.end(Buffer.from('{"webhook_token":"canary-in-a-fake-gzip"}'));
  const err = await t.throwsAsync(read, { instanceOf: PayloadError });
  t.is(err?.message, 'the body is not valid gzip data');
});

test('an unknown or stacked Content-Encoding is a 415 before anything is read', async (t) => {
  for (const encoding of ['compress', 'gzip, gzip', 'zstd']) {
    const s = sender();
    s.stream.write(Buffer.alloc(10));
    const err = await t.throwsAsync(readBody(s.stream, encoded(encoding), limits), { instanceOf: RequestRefusedError });
    t.like(err, { code: 'encoding_unsupported', status: 415 });
    t.is(s.consumed(), 0);
  }
});

test('a body that stops arriving is refused 408 once its time is up', async (t) => {
  const s = sender();
  const read = readBody(s.stream, plain(500), { maxBytes: 1024, timeoutMs: 50 });
  s.stream.write(Buffer.alloc(10));
  t.like(await t.throwsAsync(read, { instanceOf: RequestRefusedError }), { code: 'body_timeout', status: 408 });
});

test('a sender that goes away mid-body is a body_aborted refusal, not a crash', async (t) => {
  const s = sender();
  const read = readBody(s.stream, plain(500), limits);
  s.stream.write(Buffer.alloc(10));
  s.stream.destroy();
  t.like(await t.throwsAsync(read, { instanceOf: RequestRefusedError }), { code: 'body_aborted' });
  const gone = sender();
  gone.stream.destroy();
  t.like(await t.throwsAsync(readBody(gone.stream, plain(500), limits)), { code: 'body_aborted' });
});

test('the bytes to reserve: the declared length when it is the whole story, the limit when it is not', (t) => {
  t.is(bodyBytesToReserve(plain(300), 1024), 300);
  t.is(bodyBytesToReserve(plain(5000), 1024), 1024);
  t.is(bodyBytesToReserve(plain(undefined), 1024), 1024);
  t.is(bodyBytesToReserve({ declaredLength: 100, contentEncoding: 'gzip' }, 1024), 1024);
  t.is(bodyBytesToReserve({ declaredLength: 100, contentEncoding: 'identity' }, 1024), 100);
});
