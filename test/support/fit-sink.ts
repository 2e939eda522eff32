// The Google Fit sink a test wraps (to crash, gate or count its writes) before it hands it to the worker: built as
// the worker builds its own against the configured Fit root, with a 5 s call timeout and three inline attempts
// waiting at most 3 s, so a test that injects failures settles quickly.
import type { Clock } from '../../shared/clock.ts';
import type { WorkerConfig } from '../../shared/config.ts';
import { createGoogleFitSink } from '../../shared/sinks/google-fit/google-fit-sink.ts';
import type { SessionSink } from '../../shared/sinks/session-sink.ts';

export function testFitSink(config: WorkerConfig, clock: Clock): SessionSink {
  return createGoogleFitSink({
    rootUrl: config.fitApiRoot,
    timeoutMs: 5000,
    application: config.application,
    clock,
    retry: { attempts: 3, maxWaitMs: 3000 },
  });
}
