// In-memory fakes for pure unit tests only. Integration tests use the real clients against loopback servers.
import type { Clock } from '../../shared/clock.ts';
import type { SecretSource } from '../../shared/gcp/secret-source.ts';
import { createLogger, type Logger } from '../../shared/log.ts';

/** A clock tests move by hand; sleep() advances it instead of waiting. */
export interface ManualClock extends Clock {
  set(ms: number): void;
  advance(ms: number): void;
  slept: number[];
}

export function manualClock(startIso = '2026-11-20T10:00:00Z'): ManualClock {
  let now = Date.parse(startIso);
  const slept: number[] = [];
  return {
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
    set: (ms) => {
      now = ms;
    },
    advance: (ms) => {
      now += ms;
    },
    slept,
  };
}

/** Versioned secrets in memory: put() adds a version, get(name) resolves 'latest' like Secret Manager. */
export function memorySecrets(): SecretSource & { put(name: string, value: string): string } {
  const store = new Map<string, string[]>();
  return {
    put(name, value) {
      const versions = store.get(name) ?? [];
      versions.push(value);
      store.set(name, versions);
      return String(versions.length);
    },
    async get(name, version = 'latest') {
      const versions = store.get(name);
      const n = version === 'latest' ? versions?.length : Number(version);
      const value = n ? versions?.[n - 1] : undefined;
      if (value === undefined) throw new Error(`secret ${name}@${version} not found`);
      return { value: Buffer.from(value), version: String(n) };
    },
  };
}

/** A logger that keeps every line, parsed, for assertions (and the raw text, for leak checks). */
export function capturingLogger(): Logger & { lines: Array<Record<string, unknown>>; text: () => string } {
  const raw: string[] = [];
  const log = createLogger({ level: 'DEBUG', write: (line) => raw.push(line) });
  return Object.defineProperties(log, {
    lines: { get: () => raw.map((l) => JSON.parse(l) as Record<string, unknown>) },
    text: { value: () => raw.join('\n') },
  }) as Logger & { lines: Array<Record<string, unknown>>; text: () => string };
}
