// The project every infra test deploys to, and the names the stand-in gcloud gives what it creates there.

export const project = 'demo-proj';
export const region = 'europe-west1';
/** The project and region every infra script run is given. */
export const projectArgs = ['--project', project, '--region', region];
/** What the stand-in answers for `gcloud projects describe --format=value(projectNumber)`. */
export const projectNumber = '123456789012';
/** The push subscription the stand-in's Eventarc creates for a function's topic trigger. */
const triggerSubscriptionOf = (fn: string) => `eventarc-${region}-${fn}-424242-sub-001`;
export const triggerSubscription = triggerSubscriptionOf('worker');
export const backfillTriggerSubscription = triggerSubscriptionOf('backfill');

export const sa = (id: string) => `${id}@${project}.iam.gserviceaccount.com`;
export const member = (id: string) => `serviceAccount:${sa(id)}`;
export const pubsubAgent = `serviceAccount:service-${projectNumber}@gcp-sa-pubsub.iam.gserviceaccount.com`;
