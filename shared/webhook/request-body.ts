import type { Readable, Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { PayloadError, PayloadTooLargeError } from '../errors.ts';
import { RequestRefusedError } from './request-refused.ts';

/** What the request's headers say about its body, known before a byte of it is read. */
export interface BodyFraming {
  /** Content-Length, when the sender declared one (not with chunked transfer encoding). */
  declaredLength: number | undefined;
  /** Content-Encoding as sent, lower-cased; '' when absent. */
  contentEncoding: string;
}

export interface BodyLimits {
  /** The most bytes accepted on the wire, and again after the Content-Encoding is undone. */
  maxBytes: number;
  /** The whole body must have arrived within this time. */
  timeoutMs: number;
}

/** The bytes a body may occupy once read: what Content-Length promises, or the limit when inflation or chunking leave it open. */
export function bodyBytesToReserve(framing: BodyFraming, maxBytes: number): number {
  const known = framing.declaredLength !== undefined && !decodes(framing.contentEncoding);
  return known ? Math.min(framing.declaredLength!, maxBytes) : maxBytes;
}

const aborted = () => new RequestRefusedError('body_aborted', 400, 'the sender closed the connection before the body was complete');

const decodes = (contentEncoding: string) => contentEncoding !== '' && contentEncoding !== 'identity';

/**
 * Reads a request body within `limits`, or rejects without reading the rest: a declared Content-Length over the
 * limit is refused before the first byte; bytes on the wire and bytes after inflation are each counted as they
 * arrive, so a gzip bomb stops at the limit instead of filling memory. On rejection the stream is left paused; the
 * caller answers and closes the connection, so the rest is never read.
 */
export function readBody(stream: Readable, framing: BodyFraming, limits: BodyLimits): Promise<Buffer> {
  const { maxBytes, timeoutMs } = limits;
  const tooLarge = () => new PayloadTooLargeError(`the body exceeds the ${maxBytes}-byte limit`);
  if (framing.declaredLength !== undefined && framing.declaredLength > maxBytes) return Promise.reject(tooLarge());
  let decoder: Transform | undefined;
  try {
    decoder = decoderFor(framing.contentEncoding);
  } catch (err) {
    return Promise.reject(err);
  }
  if (stream.destroyed) return Promise.reject(aborted());
  const collected = new ChunkCollector(maxBytes, decoder ? undefined : framing.declaredLength);
  return new Promise((resolve, reject) => {
    let onWire = 0;
    let settled = false;
    const settle = (err: Error | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stream.off('data', onData).off('end', onEnd).off('error', onAbort).off('close', onClose);
      if (decoder) {
        decoder.removeAllListeners();
        decoder.on('error', () => {}); // a late inflate error after we stopped listening must not crash the process
        decoder.destroy();
      }
      if (err) {
        stream.pause();
        reject(err);
      } else {
        resolve(collected.result());
      }
    };
    const timer = setTimeout(
      () => settle(new RequestRefusedError('body_timeout', 408, `the body did not arrive within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const keep = (chunk: Buffer) => {
      if (!collected.add(chunk)) settle(tooLarge());
    };
    const onData = (chunk: Buffer) => {
      onWire += chunk.length;
      if (onWire > maxBytes) return settle(tooLarge());
      if (!decoder) return keep(chunk);
      if (!decoder.write(chunk)) {
        stream.pause();
        decoder.once('drain', () => settled || stream.resume());
      }
    };
    const onEnd = () => (decoder ? decoder.end() : settle(undefined));
    const onAbort = () => settle(aborted());
    const onClose = () => stream.readableEnded || onAbort();
    if (decoder) {
      decoder.on('data', keep);
      decoder.on('end', () => settle(undefined));
      decoder.on('error', () => settle(new PayloadError(`the body is not valid ${framing.contentEncoding} data`)));
    }
    stream.on('data', onData).on('end', onEnd).on('error', onAbort).on('close', onClose);
    stream.resume(); // a 'data' listener alone does not restart a stream someone paused
  });
}

/** The encodings body-parser undid before (so senders relying on them keep working); anything else is refused. */
function decoderFor(contentEncoding: string): Transform | undefined {
  switch (contentEncoding) {
    case '':
    case 'identity':
      return undefined;
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      throw new RequestRefusedError('encoding_unsupported', 415, 'Content-Encoding must be gzip, deflate, br or identity');
  }
}

/**
 * Collects chunks up to a cap. With the size known in advance it fills one buffer as bytes arrive, so a large
 * body is held once rather than twice (chunks, then their concatenation).
 */
class ChunkCollector {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private readonly whole: Buffer | undefined;

  constructor(
    private readonly cap: number,
    expected: number | undefined,
  ) {
    // allocUnsafe: every byte is overwritten before the buffer is handed out (result() returns only what arrived).
    this.whole = expected === undefined ? undefined : Buffer.allocUnsafe(expected);
  }

  add(chunk: Buffer): boolean {
    const limit = this.whole ? this.whole.length : this.cap;
    if (this.size + chunk.length > limit) return false;
    if (this.whole) chunk.copy(this.whole, this.size);
    else this.chunks.push(chunk);
    this.size += chunk.length;
    return true;
  }

  result(): Buffer {
    return this.whole ? this.whole.subarray(0, this.size) : Buffer.concat(this.chunks, this.size);
  }
}
