/**
 * A small seeded PRNG (mulberry32) so a randomised run (the fuzzer's mutants, the fault-injection scenario)
 * reproduces exactly from its printed seed, e.g. `FAULT_SEED=1234 npx ava test/e2e/fault-injection.test.ts`.
 */
export interface SeededRandom {
  readonly seed: number;
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  /** Integer in [0, n): an index, or one of n cases. */
  below(n: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function seededRandom(seed: number): SeededRandom {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    seed,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    below: (n) => Math.floor(next() * n),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
  };
}

const MAX_SEED = 0xffffffff;

/**
 * The seed named by `envName` (to replay a run), else a fresh one, which the caller prints. A value that is not a
 * seed is refused rather than replaced, so a mistyped replay never passes as a replay.
 */
export function seedFrom(envName: string, env: NodeJS.ProcessEnv = process.env): number {
  const given = env[envName];
  if (given !== undefined && given !== '') {
    const seed = Number(given);
    if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) throw new Error(`${envName} must be an integer from 0 to ${MAX_SEED}`);
    return seed;
  }
  return Math.floor(Math.random() * MAX_SEED);
}
