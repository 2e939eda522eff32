import { ConfigError } from './errors.ts';

export type Env = Readonly<Record<string, string | undefined>>;

/** Collects problems while reading, so one error can name them all. */
export class ConfigReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  optional(name: string): string | undefined {
    const v = this.env[name]?.trim();
    return v ? v : undefined;
  }

  required(name: string, why = ''): string {
    const v = this.optional(name);
    if (v === undefined) this.problems.push(`${name} is required${why ? ` (${why})` : ''}`);
    return v ?? '';
  }

  string(name: string, fallback: string): string {
    return this.optional(name) ?? fallback;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return n;
  }

  url(name: string, fallback: string): string {
    const v = this.string(name, fallback);
    try {
      const u = new URL(v);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('scheme');
    } catch {
      this.problems.push(`${name} must be an http(s) URL, got "${v}"`);
    }
    return v.replace(/\/+$/, '');
  }

  hostPort(name: string): string | undefined {
    const v = this.optional(name);
    if (v !== undefined && !/^[\w.-]+:\d{1,5}$|^\[[0-9a-f:]+\]:\d{1,5}$/i.test(v)) {
      this.problems.push(`${name} must be host:port, got "${v}"`);
    }
    return v;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const v = this.optional(name)?.toUpperCase();
    if (v === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(v)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')}, got "${v}"`);
      return fallback;
    }
    return v as T;
  }

  list<T extends string>(name: string, allowed: readonly T[], fallback: readonly T[]): T[] {
    const raw = this.optional(name);
    if (raw === undefined) return [...fallback];
    const items = raw
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
    const bad = items.filter((i) => !(allowed as readonly string[]).includes(i));
    if (bad.length) this.problems.push(`${name} has unknown values ${bad.join(', ')} (known: ${allowed.join(', ')})`);
    return items.filter((i): i is T => (allowed as readonly string[]).includes(i));
  }

  /**
   * A secret that may be rotating: `NAME` (current) and `NAME_PREVIOUS` (still accepted during a rotation).
   * Returns the non-empty ones, current first.
   */
  secretList(name: string, why = '', format?: { pattern: RegExp; describe: string }): string[] {
    const current = this.optional(name);
    const previous = this.optional(`${name}_PREVIOUS`);
    if (current === undefined && why) this.problems.push(`${name} is required (${why})`);
    const list = [current, previous].filter((v): v is string => v !== undefined);
    if (format && list.some((v) => !format.pattern.test(v)))
      this.problems.push(`${name} and ${name}_PREVIOUS must each be ${format.describe}`);
    return list;
  }

  /**
   * A path secret (`/<tracker>/<secret>`) for trackers that sign nothing: it must be a URL-safe segment long enough
   * not to be guessed.
   */
  pathSecretList(name: string, why: string): string[] {
    return this.secretList(name, why, { pattern: /^[A-Za-z0-9._~-]{16,}$/, describe: 'at least 16 of A-Z a-z 0-9 . _ ~ -' });
  }

  done<T>(config: T): T {
    if (this.problems.length) throw new ConfigError(this.problems);
    return config;
  }
}
