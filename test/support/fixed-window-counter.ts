// Oura, Polar, Wahoo and WHOOP all limit requests per fixed clock window (not a sliding one): the stand-ins count
// the same way, so a client's backoff is tested against the window arithmetic it meets in production.

export interface WindowCount {
  /** Requests in the current window, this one included. */
  used: number;
  /** Whole seconds until the window resets: what a 429's Retry-After says. */
  resetSec: number;
}

export class FixedWindowCounter {
  private index = -1;
  private used = 0;

  constructor(
    private readonly now: () => number,
    private readonly windowMs: number,
  ) {}

  /** Counts one request in the window `now()` falls in. */
  count(): WindowCount {
    const now = this.now();
    const index = Math.floor(now / this.windowMs);
    if (index !== this.index) {
      this.index = index;
      this.used = 0;
    }
    this.used += 1;
    return { used: this.used, resetSec: Math.ceil(((index + 1) * this.windowMs - now) / 1000) };
  }
}
