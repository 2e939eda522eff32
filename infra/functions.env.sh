# shellcheck shell=bash
# shellcheck disable=SC2034  # every variable here is read by the scripts that source this file
#
# The one definition of what fitsync deploys: both functions (name, entry point, bundle, runtime, sizing,
# trigger, environment, secret bindings, identity) and the topics, secrets and jobs they are wired to.
# deploy.sh, rollback.sh and teardown.sh source this file, and cloudbuild.yaml deploys only by running
# deploy.sh, so a value changed here changes every path that ships the functions; there is no second copy.
#
# Plain variables only (no associative arrays): macOS still ships bash 3.2 as /bin/bash.

# --- Pub/Sub -----------------------------------------------------------------------------------------------
FITSYNC_EVENTS_TOPIC=fitsync-events
# Cloud Scheduler publishes the hourly backfill sweep here. Nothing subscribes yet: the worker's second
# trigger arrives with the backfill feature, and until then Pub/Sub discards these messages.
FITSYNC_BACKFILL_TOPIC=fitsync-backfill
FITSYNC_DEAD_LETTER_TOPIC=fitsync-events-dead-letter
# A topic alone keeps nothing: this pull subscription holds dead letters for inspection and replay.
FITSYNC_DEAD_LETTER_SUBSCRIPTION=fitsync-events-dead-letter-sub
FITSYNC_DEAD_LETTER_RETENTION=7d
# Delivery policy of the worker's trigger subscription: Pub/Sub's backoff between redeliveries, and after
# this many attempts the event moves to the dead-letter topic instead of being retried for seven days.
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
# Dedupe records (shared/stores/sync-ledger.ts) carry expireAt; the TTL policy deletes them once it passes.
FITSYNC_TTL_COLLECTION_GROUP=events
FITSYNC_TTL_FIELD=expireAt

# --- Cloud Scheduler ---------------------------------------------------------------------------------------
FITSYNC_BACKFILL_JOB=fitsync-backfill-sweep
FITSYNC_BACKFILL_SCHEDULE='0 * * * *'
FITSYNC_BACKFILL_TIME_ZONE=Etc/UTC
FITSYNC_BACKFILL_MESSAGE='{"type":"backfill-sweep","v":1,"windowHours":48}'

# --- Identities besides the two runtime accounts (FN_*_SERVICE_ACCOUNT below) -----------------------------
FITSYNC_TRIGGER_SERVICE_ACCOUNT=fitsync-trigger   # Eventarc pushes events to the worker as this account
FITSYNC_BUILD_SERVICE_ACCOUNT=fitsync-build       # Cloud Build builds the function images as this account
FITSYNC_DEPLOYER_SERVICE_ACCOUNT=fitsync-deployer # cloudbuild.yaml runs as this account

# --- Functions ---------------------------------------------------------------------------------------------
# Each function has an id (webhook, worker) that names the FN_<ID>_* fields below. Its deployed name defaults
# to the id and can be changed through the environment (cloudbuild.yaml's _WEBHOOK_FUNCTION/_WORKER_FUNCTION).

FITSYNC_RUNTIME=nodejs22

# Deploy order matters: the worker's trigger creates the only subscription on the events topic, and Pub/Sub
# drops messages published to a topic without subscriptions, so the worker goes live before the webhook.
FITSYNC_FUNCTION_IDS="worker webhook"

FITSYNC_TRACKERS=strava
# Environment of both functions (shared/config.ts), comma-separated KEY=VALUE. deploy.sh fills in
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
FN_WORKER_TRIGGER=topic # FITSYNC_EVENTS_TOPIC, with retry on failure
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
FN_WORKER_ENV="TOKEN_KEY_SECRET=$FITSYNC_SECRET_TOKEN_KEY,GOOGLE_OAUTH_CLIENT_SECRET=$FITSYNC_SECRET_GOOGLE_OAUTH_CLIENT,STRAVA_OAUTH_CLIENT_SECRET=$FITSYNC_SECRET_STRAVA_OAUTH_CLIENT"
FN_WORKER_SECRETS=""
FN_WORKER_READS_SECRETS="$FITSYNC_SECRET_TOKEN_KEY $FITSYNC_SECRET_GOOGLE_OAUTH_CLIENT $FITSYNC_SECRET_STRAVA_OAUTH_CLIENT"

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

# fitsync_function_id NAME_OR_ID: the id (webhook|worker) of a function given by id or deployed name.
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
