// Deterministic interleavings: a step of one worker instance waits at a gate the test opens when it chooses, so
// "create's retry after the delete" is a fact of the test, not a hope about timing.
import type { Clock } from '../../shared/clock.ts';
import type { SessionSink } from '../../shared/sinks/session-sink.ts';

export interface Gate {
  /**
   * Resolves once something is waiting at the gate; rejects, naming the gate, if nothing arrives within
   * GATE_ENTRY_MS, so a test whose held step is never reached fails instead of waiting for ever.
   */
  readonly entered: Promise<void>;
  open(): void;
}

export interface InternalGate extends Gate {
  /** Called by the held step: marks it entered and waits until the test opens the gate. */
  pass(): Promise<void>;
}

/** How long a test waits for its held step to reach a gate: ample on a busy machine, where a step takes a second. */
const GATE_ENTRY_MS = 30_000;

/** A gate for any step a test wraps itself; `name` says which step it holds when nothing reaches it. */
export const gate = (name = 'the held step'): InternalGate => makeGate(name);

function makeGate(name: string): InternalGate {
  let arrive!: () => void;
  let release!: () => void;
  const arrived = new Promise<void>((ok) => (arrive = ok));
  const opened = new Promise<void>((ok) => (release = ok));
  return {
    // A getter: the time runs from when the test starts waiting, and a gate nobody waits at leaves no timer behind.
    get entered() {
      return new Promise<void>((ok, fail) => {
        const timer = setTimeout(() => fail(new Error(`nothing reached ${name} within ${GATE_ENTRY_MS} ms`)), GATE_ENTRY_MS);
        void arrived.then(() => {
          clearTimeout(timer);
          ok();
        });
      });
    },
    open: () => release(),
    pass: () => {
      arrive();
      return opened;
    },
  };
}

/**
 * A clock whose next sleep (an inline retry's wait) waits at a gate instead of for its milliseconds, and which can be
 * moved ahead (`advance`) to let an instance see leases and claims of a crashed one expire.
 */
export function gatedClock(base: Clock): Clock & { holdNextSleep(): Gate; advance(ms: number): void; slept: number[] } {
  const held: InternalGate[] = [];
  const slept: number[] = [];
  let offset = 0;
  return {
    now: () => base.now() + offset,
    advance: (ms) => {
      offset += ms;
    },
    async sleep(ms) {
      slept.push(ms);
      const gate = held.shift();
      if (gate) return gate.pass();
      return base.sleep(ms);
    },
    holdNextSleep() {
      const g = makeGate('the next sleep of this clock');
      held.push(g);
      return g;
    },
    slept,
  };
}

type SinkOp = 'upsert' | 'remove';

/**
 * A real sink with gates: `hold('upsert', 'before', id)` makes the next upsert of that session wait before it is sent;
 * 'after' lets it reach the sink and waits before its answer returns to the worker.
 */
export function gatedSink(real: SessionSink): SessionSink & { hold(op: SinkOp, when: 'before' | 'after', sessionId: string): Gate } {
  const held: Array<{ op: SinkOp; when: 'before' | 'after'; sessionId: string; gate: InternalGate }> = [];
  const take = (op: SinkOp, when: 'before' | 'after', sessionId: string) => {
    const i = held.findIndex((h) => h.op === op && h.when === when && h.sessionId === sessionId);
    return i < 0 ? undefined : held.splice(i, 1)[0]!.gate;
  };
  const around = async <T>(op: SinkOp, sessionId: string, call: () => Promise<T>): Promise<T> => {
    await take(op, 'before', sessionId)?.pass();
    const result = await call();
    await take(op, 'after', sessionId)?.pass();
    return result;
  };
  return {
    id: real.id,
    upsert: (token, session, known) => around('upsert', session.id, () => real.upsert(token, session, known)),
    remove: (token, target) => around('remove', target.sessionId, () => real.remove(token, target)),
    hold(op, when, sessionId) {
      const gate = makeGate(`the ${op} of ${sessionId} (${when} it reaches the sink)`);
      held.push({ op, when, sessionId, gate });
      return gate;
    },
  };
}
