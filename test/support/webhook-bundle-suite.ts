// The built webhook bundle for a whole test file: every suite that feeds it requests needs the same start in `before`
// and the same stop in `after.always` (its Pub/Sub stand-in too, even when the start failed halfway), so it lives here.
import test from 'ava';
import type { RunningFunction, RunningWebhook } from './functions-cli.ts';
import { startWebhookBundle } from './functions-cli.ts';
import type { PubSubStandIn } from './grpc-pubsub.ts';
import { startedPart } from './started-part.ts';

export interface WebhookBundleSuite {
  readonly webhook: RunningFunction;
  readonly pubsub: PubSubStandIn;
}

/** Registers the file's `before` and `after.always` hooks; the suite's parts exist once `before` has run. */
export function webhookBundleSuite(projectId: string, env: Record<string, string>): WebhookBundleSuite {
  let running: RunningWebhook | undefined;
  test.before(async () => {
    running = await startWebhookBundle(projectId, env);
  });
  test.after.always(() => running?.stop());
  const started = (): RunningWebhook => startedPart(running, 'the webhook bundle');
  return {
    get webhook() {
      return started().webhook;
    },
    get pubsub() {
      return started().pubsub;
    },
  };
}
