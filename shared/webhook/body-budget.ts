import { RequestRefusedError } from './request-refused.ts';

/**
 * How many body bytes one instance holds at once, across its concurrent requests. A tracker's size limit bounds
 * one request; this bounds their sum, so memory stays within the deployment's whatever arrives together (forty
 * concurrent 10 MiB Suunto-sized bodies would need 400 MiB before the first signature check). A request that does
 * not fit waits unread (TCP pushes back on the sender) until others finish, and is refused 429 if that takes too long.
 */
export interface BodyBudget {
  /**
   * Resolves with the function that gives the bytes back once they fit: when the reservations held plus these stay
   * within the capacity, or when nothing is held (so a body larger than the whole budget is still admitted, alone).
   * A request that fits is admitted at once; waiting ones are admitted in arrival order as bytes come back, skipping
   * those that do not fit yet. Rejects with a 429 refusal after `waitMs`.
   */
  reserve(bytes: number, waitMs: number): Promise<() => void>;
  /** Bytes reserved right now. */
  readonly reserved: number;
}

interface Waiter {
  bytes: number;
  grant: () => void;
}

export function createBodyBudget(capacity: number): BodyBudget {
  let reserved = 0;
  const waiting: Waiter[] = [];
  const fits = (bytes: number) => reserved === 0 || reserved + bytes <= capacity;

  const take = (bytes: number): (() => void) => {
    reserved += bytes;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      reserved -= bytes;
      admitWaiting();
    };
  };

  const admitWaiting = () => {
    for (let i = 0; i < waiting.length; ) {
      const w = waiting[i]!;
      if (!fits(w.bytes)) {
        i++;
        continue;
      }
      waiting.splice(i, 1);
      w.grant();
    }
  };

  return {
    get reserved() {
      return reserved;
    },
    reserve(bytes, waitMs) {
      if (fits(bytes)) return Promise.resolve(take(bytes));
      return new Promise((resolve, reject) => {
        const waiter: Waiter = {
          bytes,
          grant: () => {
            clearTimeout(timer);
            resolve(take(bytes));
          },
        };
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(waiter), 1);
          reject(new RequestRefusedError('busy', 429, 'too many large bodies are being received at once; retry shortly'));
        }, waitMs);
        waiting.push(waiter);
      });
    },
  };
}
