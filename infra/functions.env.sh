# shellcheck shell=bash
# shellcheck disable=SC2034  # every variable here is read by the scripts that source this file
#
# The one definition of what fitsync deploys: the three functions (name, entry point, bundle, runtime, sizing,
# trigger, environment, secret bindings, identity) and the topics, secrets and jobs they are wired to.
# deploy.sh, rollback.sh and teardown.sh source this file, and cloudbuild.yaml deploys only by running
# deploy.sh, so a value changed here changes every path that ships the functions; there is no second copy.
#
# Plain variables only (no associative arrays): macOS still ships bash 3.2 as /bin/bash.

# --- Pub/Sub -----------------------------------------------------------------------------------------------
# Tracker events, published by the webhook; the worker's trigger.
FITSYNC_EVENTS_TOPIC=fitsync-events
# Backfill sweeps (Cloud Scheduler, hourly) and job pages (the backfill function and the operator command);
# the backfill function's trigger.
FITSYNC_BACKFILL_TOPIC=fitsync-backfill
# One dead-letter topic per trigger, each with a pull subscription: a topic alone keeps nothing, the
# subscription holds dead letters for inspection and replay to the topic they came from.
FITSYNC_DEAD_LETTER_TOPIC=fitsync-events-dead-letter
FITSYNC_DEAD_LETTER_SUBSCRIPTION=fitsync-events-dead-letter-sub
FITSYNC_BACKFILL_DEAD_LETTER_TOPIC=fitsync-backfill-dead-letter
FITSYNC_BACKFILL_DEAD_LETTER_SUBSCRIPTION=fitsync-backfill-dead-letter-sub
FITSYNC_TOPICS="$FITSYNC_EVENTS_TOPIC $FITSYNC_BACKFILL_TOPIC $FITSYNC_DEAD_LETTER_TOPIC $FITSYNC_BACKFILL_DEAD_LETTER_TOPIC"
FITSYNC_DEAD_LETTER_RETENTION=7d
# Delivery policy of every trigger subscription: Pub/Sub's backoff between redeliveries, and after this many
# attempts the message moves to its dead-letter topic instead of being retried for seven days.
FITSYNC_MAX_DELIVERY_ATTEMPTS=10
FITSYNC_MIN_RETRY_DELAY=10s
FITSYNC_MAX_RETRY_DELAY=600s

# --- Secret Manager (created without values; infra/README.md says how to add them) -----------------------
FITSYNC_SECRET_STRAVA_VERIFY_TOKEN=fitsync-strava-verify-token
FITSYNC_SECRET_TOKEN_KEY=fitsync-token-key
FITSYNC_SECRET_GOOGLE_OAUTH_CLIENT=fitsync-google-oauth-client
FITSYNC_SECRET_STRAVA_OAUTH_CLIENT=fitsync-strava-oauth-client
FITSYNC_SECRETS="$FITSYNC_SECRET_STRAVA_VERIFY_TOKEN $FITSYNC_SECRET_TOKEN_KEY $FITSYNC_SECRET_GOOGLE_OAUTH_CLIENT $FITSYNC_SECRET_STRAVA_OAUTH_CLIENT"

# --- Firestore ---------------------------------------------------------------------------------------------
FITSYNC_FIRESTORE_DATABASE='(default)'
# TTL policies, COLLECTION_GROUP.FIELD: Firestore deletes a document once that timestamp has passed. `events`:
# dedupe records (shared/stores/sync-ledger.ts); `budgets`: rate-limit counters (shared/backfill/request-budget.ts);
# `backfillJobs`: finished jobs, kept 30 days (shared/backfill/job-store.ts).
FITSYNC_TTL_POLICIES="events.expireAt budgets.expireAt backfillJobs.expireAt"
# Composite indexes, one "COLLECTION_GROUP FIELD:ORDER,FIELD:ORDER,…" per line, collection query scope. Single-
# field indexes are automatic. activities: the worker's window reconciliation (SyncLedger.syncedInWindow in
# shared/stores/sync-ledger.ts: provider ==, userId ==, startMs >= and <).
FITSYNC_COMPOSITE_INDEXES="
activities provider:ascending,userId:ascending,startMs:ascending
"

# --- Cloud Scheduler ---------------------------------------------------------------------------------------
FITSYNC_BACKFILL_JOB=fitsync-backfill-sweep
FITSYNC_BACKFILL_SCHEDULE='0 * * * *'
FITSYNC_BACKFILL_TIME_ZONE=Etc/UTC
FITSYNC_BACKFILL_MESSAGE='{"type":"backfill-sweep","v":1,"windowHours":48}'

# --- Identities besides the two runtime accounts (FN_*_SERVICE_ACCOUNT below) -----------------------------
FITSYNC_TRIGGER_SERVICE_ACCOUNT=fitsync-trigger   # Eventarc pushes messages to worker and backfill as this
FITSYNC_BUILD_SERVICE_ACCOUNT=fitsync-build       # Cloud Build builds the function images as this account
FITSYNC_DEPLOYER_SERVICE_ACCOUNT=fitsync-deployer # cloudbuild.yaml runs as this account

# --- Functions ---------------------------------------------------------------------------------------------
# Each function has an id (webhook, worker, backfill) that names the FN_<ID>_* fields below. Its deployed name
# defaults to the id and can be changed through the environment (cloudbuild.yaml's _WEBHOOK_FUNCTION,
# _WORKER_FUNCTION and _BACKFILL_FUNCTION).

FITSYNC_RUNTIME=nodejs22

# How long one backfill page may run: the backfill function's timeout, the most an event-driven 2nd gen function
# may have (a page lists and writes up to 200 workouts). The page's lease (BACKFILL_LEASE_SECONDS, default 300)
# must outlast it, or an hourly sweep would take over a page that is still running.
FITSYNC_BACKFILL_PAGE_SECONDS=540

# Deploy order matters: a topic trigger creates the only subscription on its topic, and Pub/Sub drops messages
# published to a topic without subscriptions, so the worker goes live before the webhook (which publishes to
# the events topic). teardown.sh deletes in the reverse order.
FITSYNC_FUNCTION_IDS="worker backfill webhook"

FITSYNC_TRACKERS=strava
# Environment of every function (shared/config.ts), comma-separated KEY=VALUE. deploy.sh fills in
# @PROJECT@ and @STRAVA_SUBSCRIPTION_ID@.
FITSYNC_COMMON_ENV="GOOGLE_CLOUD_PROJECT=@PROJECT@,FITSYNC_EVENTS_TOPIC=$FITSYNC_EVENTS_TOPIC,FITSYNC_TRACKERS=$FITSYNC_TRACKERS,LOG_LEVEL=INFO"

# Until Strava has returned a push-subscription id the webhook runs with this value: shared/config.ts requires
# a non-empty STRAVA_SUBSCRIPTION_ID, the handshake answers without it, and no real event can match it.
FITSYNC_STRAVA_SUBSCRIPTION_PENDING=pending

FN_WEBHOOK_NAME="${FITSYNC_WEBHOOK_FUNCTION:-webhook}"
FN_WEBHOOK_ENTRY_POINT=webhook
FN_WEBHOOK_BUNDLE=webhook # directory under dist/ written by `npm run build`
FN_WEBHOOK_TRIGGER=http
FN_WEBHOOK_PUBLIC=yes # trackers call it without Google credentials; every request is verified in code
FN_WEBHOOK_SERVICE_ACCOUNT=fitsync-webhook
FN_WEBHOOK_MEMORY=256Mi
# Concurrency above 1 needs a whole vCPU on Cloud Run. One warm instance then absorbs a burst (a Strava
# create followed by an update) instead of starting a second, cold one that could miss the 2 s deadline.
FN_WEBHOOK_CPU=1
FN_WEBHOOK_CONCURRENCY=40
# Strava allows 2 s per delivery and a cold start can take longer (providers.md §0): keep one instance warm.
FN_WEBHOOK_MIN_INSTANCES=1
FN_WEBHOOK_MAX_INSTANCES=10
FN_WEBHOOK_TIMEOUT=30s
FN_WEBHOOK_ENV="STRAVA_SUBSCRIPTION_ID=@STRAVA_SUBSCRIPTION_ID@"
# Secret bindings resolved by the platform at instance start (--set-secrets), ENV_NAME=SECRET:VERSION.
FN_WEBHOOK_SECRETS="STRAVA_VERIFY_TOKEN=$FITSYNC_SECRET_STRAVA_VERIFY_TOKEN:latest"
# Secrets this function's identity may read: exactly these, nothing else.
FN_WEBHOOK_READS_SECRETS="$FITSYNC_SECRET_STRAVA_VERIFY_TOKEN"

FN_WORKER_NAME="${FITSYNC_WORKER_FUNCTION:-worker}"
FN_WORKER_ENTRY_POINT=worker
FN_WORKER_BUNDLE=worker
FN_WORKER_TRIGGER=topic # with retry on failure, and this dead-letter topic once the attempts are used up
FN_WORKER_TRIGGER_TOPIC=$FITSYNC_EVENTS_TOPIC
FN_WORKER_DEAD_LETTER_TOPIC=$FITSYNC_DEAD_LETTER_TOPIC
FN_WORKER_DEAD_LETTER_SUBSCRIPTION=$FITSYNC_DEAD_LETTER_SUBSCRIPTION
FN_WORKER_PUBLIC=no
FN_WORKER_SERVICE_ACCOUNT=fitsync-worker
FN_WORKER_MEMORY=512Mi
# Empty: the tier's default share for 512Mi (a third of a vCPU). Below one vCPU Cloud Run requires
# concurrency 1; the worker mostly waits on HTTP, and one event per instance keeps a slow tracker or Google
# call from holding up other users' events.
FN_WORKER_CPU=
FN_WORKER_CONCURRENCY=1
FN_WORKER_MIN_INSTANCES=0
# Bounds parallel Google Fit writes and Firestore contention when a backlog is redelivered at once.
FN_WORKER_MAX_INSTANCES=5
FN_WORKER_TIMEOUT=120s
# The worker reads its secrets itself through the Secret Manager API (the token key ring needs every
# version, which an environment binding cannot give); the names here are the ones IAM grants below.
FN_WORKER_ENV="TOKEN_KEY_SECRET=$FITSYNC_SECRET_TOKEN_KEY,GOOGLE_OAUTH_CLIENT_SECRET=$FITSYNC_SECRET_GOOGLE_OAUTH_CLIENT,STRAVA_OAUTH_CLIENT_SECRET=$FITSYNC_SECRET_STRAVA_OAUTH_CLIENT,FITSYNC_BACKFILL_TOPIC=$FITSYNC_BACKFILL_TOPIC,BACKFILL_LEASE_SECONDS=$((FITSYNC_BACKFILL_PAGE_SECONDS + 60))"
FN_WORKER_SECRETS=""
FN_WORKER_READS_SECRETS="$FITSYNC_SECRET_TOKEN_KEY $FITSYNC_SECRET_GOOGLE_OAUTH_CLIENT $FITSYNC_SECRET_STRAVA_OAUTH_CLIENT"

# The worker's bundle and entry point (it tells the three message types apart by `type`), on the backfill
# topic: the hourly sweep and one message per job page. Same identity, secrets and environment as the worker
# (same Firestore data; it publishes each next page to FITSYNC_BACKFILL_TOPIC); a page's timeout.
FN_BACKFILL_NAME="${FITSYNC_BACKFILL_FUNCTION:-backfill}"
FN_BACKFILL_ENTRY_POINT=$FN_WORKER_ENTRY_POINT
FN_BACKFILL_BUNDLE=$FN_WORKER_BUNDLE
FN_BACKFILL_TRIGGER=topic
FN_BACKFILL_TRIGGER_TOPIC=$FITSYNC_BACKFILL_TOPIC
FN_BACKFILL_DEAD_LETTER_TOPIC=$FITSYNC_BACKFILL_DEAD_LETTER_TOPIC
FN_BACKFILL_DEAD_LETTER_SUBSCRIPTION=$FITSYNC_BACKFILL_DEAD_LETTER_SUBSCRIPTION
FN_BACKFILL_PUBLIC=no
FN_BACKFILL_SERVICE_ACCOUNT=$FN_WORKER_SERVICE_ACCOUNT
FN_BACKFILL_MEMORY=$FN_WORKER_MEMORY
FN_BACKFILL_CPU=$FN_WORKER_CPU
FN_BACKFILL_CONCURRENCY=1 # one page per instance; the page itself writes BACKFILL_CONCURRENCY workouts at once
FN_BACKFILL_MIN_INSTANCES=0
# Pages of different jobs run in parallel up to this; the tracker's rate limit, shared through Firestore
# (budgets/*), is the real bound, and live events keep the worker's instances to themselves.
FN_BACKFILL_MAX_INSTANCES=3
FN_BACKFILL_TIMEOUT=${FITSYNC_BACKFILL_PAGE_SECONDS}s
FN_BACKFILL_ENV=$FN_WORKER_ENV
FN_BACKFILL_SECRETS=$FN_WORKER_SECRETS
FN_BACKFILL_READS_SECRETS=$FN_WORKER_READS_SECRETS

# --- Project-wide IAM ------------------------------------------------------------------------------------
# The only project-wide grants, one "ACCOUNT ROLE" per line; deploy.sh makes them and teardown.sh removes
# them. Everything else is granted on a single topic, secret, account or service. Why each is needed:
# infra/README.md.
FITSYNC_PROJECT_GRANTS="
$FN_WORKER_SERVICE_ACCOUNT roles/datastore.user
$FITSYNC_BUILD_SERVICE_ACCOUNT roles/logging.logWriter
$FITSYNC_BUILD_SERVICE_ACCOUNT roles/artifactregistry.writer
$FITSYNC_BUILD_SERVICE_ACCOUNT roles/storage.objectViewer
$FITSYNC_DEPLOYER_SERVICE_ACCOUNT roles/cloudfunctions.developer
$FITSYNC_DEPLOYER_SERVICE_ACCOUNT roles/logging.logWriter
$FITSYNC_DEPLOYER_SERVICE_ACCOUNT roles/pubsub.viewer
$FITSYNC_DEPLOYER_SERVICE_ACCOUNT roles/eventarc.viewer
$FITSYNC_DEPLOYER_SERVICE_ACCOUNT roles/storage.objectViewer
"

# --- Accessors ---------------------------------------------------------------------------------------------

# fitsync_fn ID FIELD: one field of a function definition, e.g. `fitsync_fn webhook MEMORY`.
fitsync_fn() {
  local var
  var="FN_$(printf '%s' "$1" | tr '[:lower:]' '[:upper:]')_$2"
  if [[ -z ${!var+set} ]]; then
    echo "functions.env.sh: no field $2 for function '$1'" >&2
    return 1
  fi
  printf '%s\n' "${!var}"
}

# fitsync_sa_email ACCOUNT_ID PROJECT
fitsync_sa_email() {
  printf '%s@%s.iam.gserviceaccount.com\n' "$1" "$2"
}

# fitsync_function_id NAME_OR_ID: the id (webhook|worker|backfill) of a function given by id or deployed name.
fitsync_function_id() {
  local id
  for id in $FITSYNC_FUNCTION_IDS; do
    if [[ $1 == "$id" || $1 == "$(fitsync_fn "$id" NAME)" ]]; then
      printf '%s\n' "$id"
      return 0
    fi
  done
  return 1
}

# fitsync_topic_function_ids: the ids of the functions with a Pub/Sub trigger, in deploy order.
fitsync_topic_function_ids() {
  local id
  for id in $FITSYNC_FUNCTION_IDS; do
    if [[ $(fitsync_fn "$id" TRIGGER) == topic ]]; then printf '%s\n' "$id"; fi
  done
}
