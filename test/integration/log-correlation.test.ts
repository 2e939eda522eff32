// Every line a function logs while it serves a request carries that request's trace and execution id, so Cloud
// Logging groups them; an unexpected error carries its stack for Error Reporting. All three functions run under
// functions-framework's own server (real HTTP, real middleware): the webhook publishes to the Pub/Sub server, which
// pushes to the worker as Eventarc does; the connect function reads Firestore and Secret Manager.

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { http } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import test from 'ava';
import { createConnectDeps } from '../../functions/compose-connect.ts';
import { createWebhookDeps } from '../../functions/compose-webhook.ts';
import { createWorkerDeps, type WorkerDeps } from '../../functions/compose-worker.ts';
import { toConnectHttpFunction } from '../../functions/connect-http.ts';
import { redeliveryFor } from '../../functions/redelivery.ts';
import { toCloudEventFunction } from '../../functions/worker-cloud-event.ts';
import { systemClock } from '../../shared/clock.ts';
import { parseConnectConfig } from '../../shared/connect/connect-config.ts';
import type { ConnectDeps } from '../../shared/connect/connect-deps.ts';
import { createConnectHandler } from '../../shared/connect/handle-connect.ts';
import { trackerConnectModules } from '../../shared/connect/trackers/registry.ts';
import { withLogContext } from '../../shared/log-context.ts';
import { workerModules } from '../../shared/providers/worker-registry.ts';
import { pubsubCloudEvent } from '../support/cloud-event.ts';
import { type ConnectStandIns, startConnectStandIns } from '../support/connect-stand-ins.ts';
import { capturingLogger } from '../support/fakes.ts';
import { type InProcessFunction, serveWebhookInProcess, serveWorkerInProcess } from '../support/in-process-worker.ts';
import { PROJECT_ID, type Stack, startStack } from '../support/stack.ts';
import { stravaActivity, stravaWebhookEvent } from '../support/strava-fixtures.ts';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const TRACE_FIELD = 'logging.googleapis.com/trace';
const LABELS = 'logging.googleapis.com/labels';
const athleteId = 424242;

let stack: Stack;
let standIns: ConnectStandIns;
let webhook: InProcessFunction;
let worker: InProcessFunction;
let workerDeps: WorkerDeps;
let connectDeps: ConnectDeps;
let connectServer: Server;
let connectUrl: string;
const webhookLog = capturingLogger();
const workerLog = capturingLogger();
const connectLog = capturingLogger();
/** Set to make the connect function's randomness throw: a bug nobody planned for. */
let randomBreaks = false;

test.before(async () => {
  stack = await startStack();
  await stack.linkStravaUser({ userId: 'trace-user', athleteId, clock: systemClock });
  webhook = await serveWebhookInProcess(createWebhookDeps(stack.webhookConfig(), { log: webhookLog, clock: systemClock }));
  workerDeps = createWorkerDeps(stack.workerConfig(), { log: workerLog });
  worker = await serveWorkerInProcess(workerDeps, stack.pubsub, ['fitsync-events']);

  standIns = await startConnectStandIns(stack, { publicBaseUrl: 'http://127.0.0.1:9' });
  const config = parseConnectConfig(standIns.env, trackerConnectModules, workerModules);
  connectDeps = createConnectDeps(config, {
    log: connectLog,
    random: (n) => {
      if (randomBreaks) throw new TypeError(`grant.refresh_token=${'r'.repeat(20)} is not a function`);
      return Buffer.alloc(n, 7);
    },
  });
  http('connect', toConnectHttpFunction(createConnectHandler(connectDeps), config.projectId));
  connectServer = getTestServer('connect');
  await new Promise<void>((ok) => connectServer.listen(0, '127.0.0.1', ok));
  connectUrl = `http://127.0.0.1:${(connectServer.address() as AddressInfo).port}`;
});

test.after.always(async () => {
  connectServer?.closeAllConnections();
  await new Promise((ok) => (connectServer ? connectServer.close(ok) : ok(undefined)));
  await webhook?.stop();
  await worker?.stop();
  await workerDeps?.data.db.terminate();
  await connectDeps?.db.terminate();
  await standIns?.stop();
  await stack?.stop();
});

test.serial(
  "webhook and worker: every line of a delivery carries its trace and execution id, the worker's being the message id",
  async (t) => {
    const activityId = 17000000099;
    stack.strava.putActivity(athleteId, stravaActivity({ id: activityId, athlete: { id: athleteId, resource_state: 1 } }));
    const res = await fetch(`${webhook.url}/strava`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${TRACE}-${SPAN}-01`, 'function-execution-id': 'wh-exec-1' },
      body: JSON.stringify(stravaWebhookEvent({ object_id: activityId, owner_id: athleteId, event_time: Math.floor(Date.now() / 1000) })),
    });
    t.is(res.status, 200);
    await stack.pubsub.idle();

    t.true(webhookLog.lines.length > 0);
    for (const line of webhookLog.lines) {
      t.like(line, {
        [TRACE_FIELD]: `projects/${PROJECT_ID}/traces/${TRACE}`,
        'logging.googleapis.com/spanId': SPAN,
        'logging.googleapis.com/trace_sampled': true,
        [LABELS]: { execution_id: 'wh-exec-1' },
      });
    }
    const delivery = stack.pubsub.deliveries.at(-1)!;
    t.is(delivery.status, 204);
    t.true(
      workerLog.lines.some((l) => l.message === 'event synced'),
      'the worker logged the event',
    );
    for (const line of workerLog.lines) t.deepEqual(line[LABELS], { execution_id: delivery.messageId }, String(line.message));
  },
);

test.serial('webhook: X-Cloud-Trace-Context serves when there is no traceparent; a malformed header is left out, not logged', async (t) => {
  const before = webhookLog.lines.length;
  const send = (headers: Record<string, string>) =>
    fetch(`${webhook.url}/strava`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: '{"not":"a strava event"}',
    });
  t.is((await send({ 'x-cloud-trace-context': `${TRACE}/123;o=1` })).status, 400);
  t.is(
    (await send({ traceparent: 'ya29.a-token-shaped-trace', 'x-cloud-trace-context': 'not/a;trace', 'function-execution-id': 'two words' }))
      .status,
    400,
  );
  const [legacy, malformed] = webhookLog.lines.slice(before);
  t.like(legacy, {
    message: 'webhook refused',
    [TRACE_FIELD]: `projects/${PROJECT_ID}/traces/${TRACE}`,
    'logging.googleapis.com/spanId': '000000000000007b',
  });
  // functions-framework makes up an execution id when the header is absent or unusable; that id is the one logged.
  t.regex(String((legacy![LABELS] as { execution_id?: string }).execution_id), /^[a-z0-9]{1,16}$/);
  t.like(malformed, { message: 'webhook refused' });
  t.false(TRACE_FIELD in malformed!);
  t.false(JSON.stringify(malformed).includes('ya29'));
  t.false(JSON.stringify(malformed).includes('two words'));
});

test.serial("worker: a CloudEvent's traceparent and id reach every line, and the redelivery line functions-framework prints", async (t) => {
  const before = workerLog.lines.length;
  const ce = { ...pubsubCloudEvent({ type: 'no-such-message' }, { messageId: 'msg-trace-1' }), traceparent: `00-${TRACE}-${SPAN}-00` };
  await toCloudEventFunction(workerDeps)(ce as never);
  const lines = workerLog.lines.slice(before);
  t.like(lines, [{ message: 'unreadable Pub/Sub message acknowledged' }]);
  t.like(lines[0], {
    [TRACE_FIELD]: `projects/${PROJECT_ID}/traces/${TRACE}`,
    'logging.googleapis.com/trace_sampled': false,
    [LABELS]: { execution_id: 'msg-trace-1' },
  });

  const printed = withLogContext({ [LABELS]: { execution_id: 'msg-trace-2' } }, () => redeliveryFor(new Error('unavailable')).stack!);
  t.like(JSON.parse(printed), {
    severity: 'INFO',
    message: 'redelivery requested from Pub/Sub',
    [LABELS]: { execution_id: 'msg-trace-2' },
  });
});

test.serial('connect: a refused step carries the trace; an unexpected error carries a scrubbed stack_trace', async (t) => {
  const headers = { 'x-cloud-trace-context': `${TRACE}/7;o=1`, 'function-execution-id': 'cx-exec-1' };
  const refused = await fetch(`${connectUrl}/oauth/strava/callback?state=forged&code=abc`, { headers, redirect: 'manual' });
  t.is(refused.status, 303);
  t.like(connectLog.lines.at(-1), {
    message: 'connect step refused',
    [TRACE_FIELD]: `projects/${PROJECT_ID}/traces/${TRACE}`,
    [LABELS]: { execution_id: 'cx-exec-1' },
  });

  randomBreaks = true;
  try {
    const failed = await fetch(`${connectUrl}/auth/google/start`, {
      headers: { ...headers, 'function-execution-id': 'cx-exec-2' },
      redirect: 'manual',
    });
    t.is(failed.status, 500);
  } finally {
    randomBreaks = false;
  }
  const line = connectLog.lines.at(-1)!;
  t.like(line, { severity: 'ERROR', message: 'connect request failed', [LABELS]: { execution_id: 'cx-exec-2' } });
  const [head, ...frames] = String(line.stack_trace).split('\n');
  t.is(head, 'TypeError: grant.refresh_token=[redacted] is not a function');
  t.true(frames.length > 0 && frames.every((f) => f.startsWith('    at ')));
  t.false(connectLog.text().includes('r'.repeat(20)));
});
