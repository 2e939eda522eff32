// What a `deploy.sh --dry-run` plan is checked against: the plan's commands as the stand-in would have recorded them,
// the changes a real deploy made, and an environment without gcloud, which a plan must not need.

import { backfillTriggerSubscription, projectNumber, triggerSubscription } from './demo-project.ts';
import type { Fresh } from './deploy-runs.ts';
import { isChange, splitShellWords } from './gcloud-calls.ts';
import { pathWithoutGcloud } from './stand-in.ts';

/**
 * The changing commands a --dry-run plan prints, as the argument lists the stand-in would have recorded (the
 * placeholders the plan uses for what only a real run learns replaced by the stand-in's answers).
 */
export function plannedChanges(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('gcloud '))
    .map((l) =>
      splitShellWords(l)
        .slice(1)
        .join(' ')
        .replaceAll('PROJECT_NUMBER', projectNumber)
        .replaceAll('WORKER_TRIGGER_SUBSCRIPTION', triggerSubscription)
        .replaceAll('BACKFILL_TRIGGER_SUBSCRIPTION', backfillTriggerSubscription),
    );
}

/** An environment with no gcloud at all, for the --dry-run plans, which must need none. */
export async function gcloudFreeEnv(): Promise<NodeJS.ProcessEnv> {
  return { PATH: await pathWithoutGcloud(), HOME: '/nonexistent', LANG: 'C.UTF-8' };
}

/** Every change a fresh deploy made, one line of arguments each (what plannedChanges gives for its plan). */
export const changesOf = (fresh: Fresh) => [...fresh.first.calls, ...fresh.second.calls].filter(isChange).map((c) => c.argv.join(' '));
