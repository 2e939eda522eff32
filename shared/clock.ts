/** Time is injected everywhere so tests pin it (no Date.now() outside this file). */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Identifiers (lock owners, publish ids) come from here so tests can pin them. */
export interface IdSource {
  next(): string;
}

export function randomIds(randomUUID: () => string): IdSource {
  return { next: randomUUID };
}
