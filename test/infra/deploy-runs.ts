// Whole runs of infra/deploy.sh that several tests start from or repeat: a blank project deployed as infra/README.md
// says, and the Cloud Build path's redeploy of it.

import type { ExecutionContext } from 'ava';
import { project, projectArgs } from './demo-project.ts';
import { type Call, changedNames, deployOf } from './gcloud-calls.ts';
import { StandIn } from './stand-in.ts';

/** The secrets the connect function alone reads (with the default trackers). */
export const connectSecrets = ['fitsync-connect-session-key'];

/** The secrets a deploy with the default trackers (Strava only) and the connect function creates. */
export const defaultSecrets = [
  'fitsync-strava-verify-token',
  'fitsync-token-key',
  'fitsync-google-oauth-client',
  'fitsync-strava-oauth-client',
  ...connectSecrets,
];

/** Gives each secret a version, the way an operator would (from standard input). */
async function addSecretValues(s: StandIn, names: readonly string[]): Promise<void> {
  for (const name of names) {
    const r = await s.gcloud(['secrets', 'versions', 'add', name, `--project=${project}`, '--data-file=-'], 'value');
    if (r.status !== 0) throw new Error(r.stderr);
  }
}

export interface Run {
  status: number | null;
  stdout: string;
  calls: Call[];
}

/** infra/README.md's sequence on a blank project: deploy (stops: no secret has a value), add the values, deploy again. */
export interface Fresh {
  first: Run;
  second: Run;
  deployed: StandIn;
}

export async function deployFromBlank(args: string[], secrets: readonly string[]): Promise<Fresh> {
  const s = await StandIn.create();
  const r1 = await s.run('deploy.sh', args);
  const calls1 = await s.calls();
  await addSecretValues(s, secrets);
  await s.clearCalls();
  const r2 = await s.run('deploy.sh', args);
  if (r2.status !== 0) throw new Error(`second deploy failed:\n${r2.stdout}\n${r2.stderr}`);
  const calls2 = await s.calls();
  return { first: { ...r1, calls: calls1 }, second: { ...r2, calls: calls2 }, deployed: s };
}

/** The four functions, in the order every run deploys them. */
export const functions = ['worker', 'backfill', 'webhook', 'connect'];
/** The four deploys every run makes, in their order; a run that changes nothing else makes only these. */
export const functionDeploys = functions.map((fn) => `functions deploy ${fn}`);

/** A function's deploy as --functions-only repeats it: the full run's, minus the IAM change --allow-unauthenticated. */
const deployWithoutIam = (calls: Call[], fn: string) => deployOf(calls, fn).argv.filter((a) => a !== '--allow-unauthenticated');

/**
 * deploy.sh --functions-only (the Cloud Build path) on a copy of a deployed project: it succeeds and deploys only the
 * four functions, each with the flags the full deploy gave it minus the IAM change (`why`: what those flags carry).
 * Returns the copy, the run and its calls, for what a test checks beyond that.
 */
export async function assertFunctionsOnlyRedeploy(t: ExecutionContext, fresh: Fresh, why: string) {
  const s = await fresh.deployed.fork();
  const r = await s.run('deploy.sh', [...projectArgs, '--functions-only']);
  t.is(r.status, 0, r.stderr);
  const calls = await s.calls();
  t.deepEqual(changedNames(calls), functionDeploys);
  for (const fn of functions) {
    t.deepEqual(deployOf(calls, fn).argv, deployWithoutIam(fresh.second.calls, fn), `${fn}: ${why}`);
  }
  return { s, r, calls };
}
