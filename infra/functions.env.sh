# shellcheck shell=bash
# shellcheck disable=SC2034  # every variable here is read by the scripts that source this file
#
# The one definition of what fitsync deploys: the four functions (name, entry point, bundle, runtime, sizing,
# trigger, environment, secret bindings, identity) and the topics, secrets and jobs they are wired to.
# deploy.sh, rollback.sh and teardown.sh source this file, and cloudbuild.yaml deploys only by running
# deploy.sh, so a value changed here changes every path that ships the functions; there is no second copy.
# What each tracker adds lives in its own file, infra/trackers/<id>.env.sh (see "Trackers" below).
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
# The secrets every deployment has; each tracker adds its own (infra/trackers/*.env.sh, fitsync_select_trackers).
FITSYNC_SECRET_TOKEN_KEY=fitsync-token-key
FITSYNC_SECRET_GOOGLE_OAUTH_CLIENT=fitsync-google-oauth-client
FITSYNC_SECRETS="$FITSYNC_SECRET_TOKEN_KEY $FITSYNC_SECRET_GOOGLE_OAUTH_CLIENT"
# How to give each secret its value: blocks of `#` lines and commands, one block per secret, separated by blank
# lines; deploy.sh prints the blocks of the secrets that have no value yet, with @PROJECT@ filled in.
FITSYNC_SECRET_HELP=$(
  cat <<EOF
# Token key ring: each version is one AES-256 key (32 random bytes, base64); add a version to rotate.
head -c32 /dev/urandom | base64 | gcloud secrets versions add $FITSYNC_SECRET_TOKEN_KEY --project=@PROJECT@ --data-file=-

# Google OAuth client: the JSON the console downloads, or {"client_id":"…","client_secret":"…"}.
gcloud secrets versions add $FITSYNC_SECRET_GOOGLE_OAUTH_CLIENT --project=@PROJECT@ --data-file=google-client.json
EOF
)

# --- Firestore ---------------------------------------------------------------------------------------------
FITSYNC_FIRESTORE_DATABASE='(default)'
# TTL policies, COLLECTION_GROUP.FIELD: Firestore deletes a document once that timestamp has passed. `events`:
# dedupe records (shared/stores/sync-ledger.ts); `budgets`: rate-limit counters (shared/backfill/request-budget.ts);
# `backfillJobs`: finished jobs, kept 30 days (shared/backfill/job-store.ts); with the connect function,
# `sessionRevisions`, `linkGenerations`: the compare-and-set tokens of session heads and link token generations,
# kept 30 days, far longer than any writer holds what it read (shared/stores/cas.ts); with the connect function,
# `connectStates`: pending sign-ins and tracker authorizations, 15 minutes (shared/connect/flow-states.ts).
FITSYNC_TTL_POLICIES="events.expireAt budgets.expireAt backfillJobs.expireAt sessionRevisions.expireAt linkGenerations.expireAt"
# Composite indexes, one "COLLECTION_GROUP FIELD:ORDER,FIELD:ORDER,…" per line, collection query scope. Single-
# field indexes are automatic. activities: one tracker's workouts in a time window (reconciliation and backfill,
# shared/sync/sync-store.ts: provider ==, userId ==, startMs >= and <); every tracker's workouts in a window, where
# the same workout from two trackers is looked for (userId ==, startMs >= and <); the connect page's recent
# workouts (shared/stores/recent-activities.ts: userId ==, newest updatedAt first), added with the connect function.
FITSYNC_COMPOSITE_INDEXES="
activities provider:ascending,userId:ascending,startMs:ascending
activities userId:ascending,startMs:ascending
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

# --- Trackers ----------------------------------------------------------------------------------------------
# The trackers the functions serve, comma-separated (FITSYNC_TRACKERS on every function); deploy.sh --trackers
# overrides this default. Each tracker has one file, infra/trackers/<id>.env.sh (id as in
# shared/provider-ids.ts), which says everything it needs at deploy time in these variables:
#
#   TRACKER_WEBHOOK_VALUES     Plain environment of the webhook that only the operator knows (a client id), one
#                              "NAME PLACEHOLDER PATTERN DESCRIPTION" per line, `-` for no placeholder or pattern.
#                              deploy.sh takes NAME from --set NAME=VALUE, --env-file or the environment, else
#                              keeps what the deployed webhook has, else deploys PLACEHOLDER; with none of these
#                              it stops. A given value must match PATTERN; DESCRIPTION says what it is.
#   TRACKER_WEBHOOK_SECRETS    The webhook's secret bindings (--set-secrets), ENV_NAME=SECRET:VERSION separated by
#                              blanks. The webhook's account may read exactly these secrets. A binding whose name
#                              ends in _PATH_SECRET is the last segment of the tracker's URL.
#   TRACKER_WORKER_SECRET_ENV  Environment of worker and backfill naming a secret they read through the Secret
#                              Manager API, ENV_NAME=SECRET separated by blanks; the worker's account may read
#                              exactly these.
#   TRACKER_CONNECT_SECRET_ENV The connect function's OAuth client secrets beyond the worker's (Polar's worker needs
#                              none; its connect flow does), ENV_NAME=SECRET separated by blanks. connect also reads
#                              the worker's *_OAUTH_CLIENT_SECRET entries, and its account may read exactly these.
#   TRACKER_CONNECT_SECRET_HELP How to give TRACKER_CONNECT_SECRET_ENV's secrets their values, as TRACKER_SECRET_HELP.
#   TRACKER_UNSET_ENV          Variables the tracker's modules read that stay unset on purpose, so the module's
#                              default applies: the <NAME>_PREVIOUS companions of its secrets, because a rotation
#                              adds a version and deploys again (infra/README.md, "Rotating a tracker secret").
#   TRACKER_SECRET_HELP        How to give each of the tracker's secrets its value, as FITSYNC_SECRET_HELP.
#   TRACKER_WEBHOOK_MEMORY_MIB Memory (MiB) the webhook needs for this tracker's largest allowed body; the webhook
#                              gets the most any selected tracker asks for, and never less than FN_WEBHOOK_MEMORY.
#   TRACKER_PENDING_HELP       Printed after a deploy while one of the values is still its PLACEHOLDER: the
#                              tracker's next step. @URL@ is the tracker's webhook URL, @PROJECT@ the project,
#                              @DEPLOY@ the deploy command that was run.
#
# deploy.sh creates every secret named in TRACKER_WEBHOOK_SECRETS and TRACKER_WORKER_SECRET_ENV (without a
# value); nothing else grants, binds or creates anything for a tracker.
FITSYNC_TRACKERS=strava
FITSYNC_TRACKERS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/trackers"
# What fitsync_select_trackers adds up over the selected trackers: one "TRACKER NAME PLACEHOLDER PATTERN
# DESCRIPTION" line per operator value (TRACKER_WEBHOOK_VALUES).
FITSYNC_TRACKER_VALUES=""

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
# the events topic). teardown.sh deletes in the reverse order. fitsync_enable_connect adds connect last: the page
# queues backfill pages, so the backfill function is live before it.
FITSYNC_FUNCTION_IDS="worker backfill webhook"

# Environment of every function (shared/config.ts), comma-separated KEY=VALUE. deploy.sh fills in @PROJECT@,
# @TRACKERS@ (the selected trackers, FITSYNC_TRACKERS above) and, in the trackers' additions, each @NAME@ of
# a value the operator gives (TRACKER_WEBHOOK_VALUES).
FITSYNC_COMMON_ENV="GOOGLE_CLOUD_PROJECT=@PROJECT@,FITSYNC_EVENTS_TOPIC=$FITSYNC_EVENTS_TOPIC,FITSYNC_TRACKERS=@TRACKERS@,LOG_LEVEL=INFO"

FN_WEBHOOK_NAME="${FITSYNC_WEBHOOK_FUNCTION:-webhook}"
FN_WEBHOOK_ENTRY_POINT=webhook
FN_WEBHOOK_BUNDLE=webhook # directory under dist/ written by `npm run build`
FN_WEBHOOK_TRIGGER=http
FN_WEBHOOK_PUBLIC=yes # trackers call it without Google credentials; every request is verified in code
FN_WEBHOOK_SERVICE_ACCOUNT=fitsync-webhook
# Enough for trackers whose bodies stay small (Strava's are a few hundred bytes, the default limit is 64 KiB): the
# bundle idles near 65 MiB, and hostile bodies add at most the body budget (WEBHOOK_BODY_MEMORY_BYTES, 16 MiB, of
# which inflation and reading take about twice). Trackers that allow megabytes ask for more (TRACKER_WEBHOOK_MEMORY_MIB).
FN_WEBHOOK_MEMORY=256Mi
# Concurrency above 1 needs a whole vCPU on Cloud Run. One warm instance then absorbs a burst (a Strava
# create followed by an update) instead of starting a second, cold one that could miss the 2 s deadline.
FN_WEBHOOK_CPU=1
FN_WEBHOOK_CONCURRENCY=40
# Strava allows 2 s per delivery and a cold start can take longer (infra/README.md, "What it costs at rest"): keep
# one instance warm.
FN_WEBHOOK_MIN_INSTANCES=1
FN_WEBHOOK_MAX_INSTANCES=10
FN_WEBHOOK_TIMEOUT=30s
# The webhook's environment, secret bindings and readable secrets all come from the selected trackers
# (fitsync_select_trackers below adds them).
FN_WEBHOOK_ENV=""
# Secret bindings resolved by the platform at instance start (--set-secrets), ENV_NAME=SECRET:VERSION.
FN_WEBHOOK_SECRETS=""
# Secrets this function's identity may read: exactly these, nothing else.
FN_WEBHOOK_READS_SECRETS=""

FN_WORKER_NAME="${FITSYNC_WORKER_FUNCTION:-worker}"
FN_WORKER_ENTRY_POINT=worker
FN_WORKER_BUNDLE=worker
FN_WORKER_TRIGGER=topic # with retry on failure, and this dead-letter topic once the attempts are used up
FN_WORKER_TRIGGER_TOPIC=$FITSYNC_EVENTS_TOPIC
FN_WORKER_DEAD_LETTER_TOPIC=$FITSYNC_DEAD_LETTER_TOPIC
FN_WORKER_DEAD_LETTER_SUBSCRIPTION=$FITSYNC_DEAD_LETTER_SUBSCRIPTION
FN_WORKER_PUBLIC=no
FN_WORKER_SERVICE_ACCOUNT=fitsync-worker
# An event mostly waits on HTTP (measured: about 12 ms of CPU for 4 round trips one after another), so one
# instance works on 16 events at once and is billed once for their waits (docs/speed.md). Concurrency above 1
# needs a whole vCPU. 512Mi: the worker's resident memory stays under 200 MiB with 16 events in flight, and one
# upstream answer may take up to 16 MiB while it is read.
FN_WORKER_MEMORY=512Mi
FN_WORKER_CPU=1
FN_WORKER_CONCURRENCY=16
FN_WORKER_MIN_INSTANCES=0
# 48 events in flight at most (three instances of 16): a redelivered backlog drains about ten times faster than
# with five single-event instances, while parallel Google Fit writes and Firestore commits stay bounded. A slow
# tracker holds only the slots of its own events, each bounded by HTTP_TIMEOUT_MS per call and
# INLINE_RETRY_MAX_WAIT_MS per wait (docs/speed.md, "One slow tracker").
FN_WORKER_MAX_INSTANCES=3
FN_WORKER_TIMEOUT_SECONDS=120
FN_WORKER_TIMEOUT=${FN_WORKER_TIMEOUT_SECONDS}s
# The worker reads its secrets itself through the Secret Manager API (the token key ring needs every
# version, which an environment binding cannot give); the names here are the ones IAM grants below. The
# selected trackers add the names of their own secrets (their OAuth clients, API keys). An event's claim
# (EVENT_CLAIM_SECONDS) outlives the invocation that holds it, so a redelivery never works on it alongside a
# worker that is still running, and a crashed worker's claim lapses a minute after its timeout.
FN_WORKER_ENV="TOKEN_KEY_SECRET=$FITSYNC_SECRET_TOKEN_KEY,GOOGLE_OAUTH_CLIENT_SECRET=$FITSYNC_SECRET_GOOGLE_OAUTH_CLIENT,FITSYNC_BACKFILL_TOPIC=$FITSYNC_BACKFILL_TOPIC,BACKFILL_LEASE_SECONDS=$((FITSYNC_BACKFILL_PAGE_SECONDS + 60)),EVENT_CLAIM_SECONDS=$((FN_WORKER_TIMEOUT_SECONDS + 60))"
FN_WORKER_SECRETS=""
FN_WORKER_READS_SECRETS="$FITSYNC_SECRET_TOKEN_KEY $FITSYNC_SECRET_GOOGLE_OAUTH_CLIENT"

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
# Empty: the tier's default share for 512Mi (a third of a vCPU). A page is one invocation that waits on its
# BACKFILL_CONCURRENCY writes (about 3 ms of CPU per workout, measured), so a third of a vCPU keeps up with it.
FN_BACKFILL_CPU=
FN_BACKFILL_CONCURRENCY=1 # one page per instance; the page itself writes BACKFILL_CONCURRENCY workouts at once
FN_BACKFILL_MIN_INSTANCES=0
# Pages of different jobs run in parallel up to this; the tracker's rate limit, shared through Firestore
# (budgets/*), is the real bound, and live events keep the worker's instances to themselves.
FN_BACKFILL_MAX_INSTANCES=3
FN_BACKFILL_TIMEOUT=${FITSYNC_BACKFILL_PAGE_SECONDS}s
FN_BACKFILL_ENV=$FN_WORKER_ENV
FN_BACKFILL_SECRETS=$FN_WORKER_SECRETS
FN_BACKFILL_READS_SECRETS=$FN_WORKER_READS_SECRETS

# The pages where people sign in with Google and connect their trackers (docs/connect.md), deployed by every
# `deploy.sh` run unless `--no-connect` leaves it out (the scripts call fitsync_enable_connect). Public: people open
# it in a browser; every form is CSRF-checked and every authorization state single-use. Its own account reads the
# token key ring, the Google and tracker OAuth clients and the session key, writes Firestore, and publishes
# backfill jobs. PUBLIC_BASE_URL is the origin people open: --connect-url, else what the deployed function has,
# else Cloud Run's deterministic URL of the service (https://NAME-PROJECT_NUMBER.REGION.run.app).
# Signs the connect page's session cookies (shared/connect/session.ts).
FITSYNC_SECRET_CONNECT_SESSION_KEY=fitsync-connect-session-key
FITSYNC_CONNECT_SECRET_HELP=$(
  cat <<EOF
# Connect page session key: 32 random bytes, base64; add a version to rotate (the previous one still verifies).
head -c32 /dev/urandom | base64 | gcloud secrets versions add $FITSYNC_SECRET_CONNECT_SESSION_KEY --project=@PROJECT@ --data-file=-
EOF
)
FN_CONNECT_NAME="${FITSYNC_CONNECT_FUNCTION:-connect}"
FN_CONNECT_ENTRY_POINT=connect
FN_CONNECT_BUNDLE=connect
FN_CONNECT_TRIGGER=http
FN_CONNECT_PUBLIC=yes
FN_CONNECT_SERVICE_ACCOUNT=fitsync-connect
FN_CONNECT_MEMORY=512Mi
FN_CONNECT_CPU=1
FN_CONNECT_CONCURRENCY=20
FN_CONNECT_MIN_INSTANCES=0
FN_CONNECT_MAX_INSTANCES=3
FN_CONNECT_TIMEOUT=60s
FN_CONNECT_ENV="TOKEN_KEY_SECRET=$FITSYNC_SECRET_TOKEN_KEY,GOOGLE_OAUTH_CLIENT_SECRET=$FITSYNC_SECRET_GOOGLE_OAUTH_CLIENT,CONNECT_SESSION_KEY_SECRET=$FITSYNC_SECRET_CONNECT_SESSION_KEY,FITSYNC_BACKFILL_TOPIC=$FITSYNC_BACKFILL_TOPIC,PUBLIC_BASE_URL=@CONNECT_URL@"
FN_CONNECT_SECRETS=""
# The selected trackers add their OAuth clients (TRACKER_WORKER_SECRET_ENV's *_OAUTH_CLIENT_SECRET entries and
# TRACKER_CONNECT_SECRET_ENV); nothing else of theirs.
FN_CONNECT_READS_SECRETS="$FITSYNC_SECRET_TOKEN_KEY $FITSYNC_SECRET_GOOGLE_OAUTH_CLIENT $FITSYNC_SECRET_CONNECT_SESSION_KEY"
FITSYNC_CONNECT=no

# fitsync_enable_connect: adds the connect function and what only it needs (its session key, its Firestore
# access, the TTL policy of its pending authorizations, the index of its workout list). Call it before
# fitsync_select_trackers, which then gives connect the trackers' OAuth clients.
fitsync_enable_connect() {
  if [[ $FITSYNC_CONNECT == yes ]]; then return 0; fi
  FITSYNC_CONNECT=yes
  FITSYNC_FUNCTION_IDS+=" connect"
  FITSYNC_SECRETS+=" $FITSYNC_SECRET_CONNECT_SESSION_KEY"
  fitsync_append FITSYNC_SECRET_HELP $'\n\n' "$FITSYNC_CONNECT_SECRET_HELP"
  FITSYNC_PROJECT_GRANTS+="$FN_CONNECT_SERVICE_ACCOUNT roles/datastore.user
"
  FITSYNC_TTL_POLICIES+=" connectStates.expireAt"
  FITSYNC_COMPOSITE_INDEXES+="activities userId:ascending,updatedAt:descending
"
}

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

# --- Trackers: loading ------------------------------------------------------------------------------------

# fitsync_known_trackers: the id of every tracker with a file in infra/trackers, one a line.
fitsync_known_trackers() {
  local file
  for file in "$FITSYNC_TRACKERS_DIR"/*.env.sh; do
    if [[ -f $file ]]; then basename "$file" .env.sh; fi
  done
}

# fitsync_load_tracker ID: sets the TRACKER_* variables from infra/trackers/ID.env.sh (and nothing else left
# over from the tracker loaded before).
fitsync_load_tracker() {
  TRACKER_WEBHOOK_VALUES=""
  TRACKER_WEBHOOK_SECRETS=""
  TRACKER_WORKER_SECRET_ENV=""
  TRACKER_CONNECT_SECRET_ENV=""
  TRACKER_CONNECT_SECRET_HELP=""
  TRACKER_UNSET_ENV=""
  TRACKER_SECRET_HELP=""
  TRACKER_WEBHOOK_MEMORY_MIB=""
  TRACKER_PENDING_HELP=""
  # shellcheck source=/dev/null
  source "$FITSYNC_TRACKERS_DIR/$1.env.sh"
}

# fitsync_tracker_reads webhook|worker|connect: the secrets the loaded tracker lets that side's account read.
fitsync_tracker_reads() {
  local entry
  if [[ $1 == webhook ]]; then
    for entry in $TRACKER_WEBHOOK_SECRETS; do
      entry=${entry#*=}
      printf '%s\n' "${entry%:*}"
    done
  elif [[ $1 == connect ]]; then
    for entry in $(fitsync_tracker_connect_env); do printf '%s\n' "${entry#*=}"; done
  else
    for entry in $TRACKER_WORKER_SECRET_ENV; do printf '%s\n' "${entry#*=}"; done
  fi
}

# fitsync_tracker_connect_env: the connect function's ENV=SECRET entries for the loaded tracker: its OAuth client.
fitsync_tracker_connect_env() {
  local entry
  for entry in $TRACKER_WORKER_SECRET_ENV; do
    if [[ ${entry%%=*} == *_OAUTH_CLIENT_SECRET ]]; then printf '%s\n' "$entry"; fi
  done
  for entry in $TRACKER_CONNECT_SECRET_ENV; do printf '%s\n' "$entry"; done
}

# fitsync_tracker_path_secret: the secret that holds the loaded tracker's URL segment, if it has one.
fitsync_tracker_path_secret() {
  local entry secret
  for entry in $TRACKER_WEBHOOK_SECRETS; do
    secret=${entry#*=}
    if [[ ${entry%%=*} == *_PATH_SECRET ]]; then printf '%s\n' "${secret%:*}"; fi
  done
}

# fitsync_find_setting NAME: which tracker declares the environment variable NAME, and how: "value TRACKER"
# (an operator value) or "secret TRACKER SECRET" (bound from, or naming, a Secret Manager secret); nothing
# when no tracker does. Runs in a subshell, so the tracker loaded by the caller stays loaded.
fitsync_find_setting() (
  local tracker name entry secret
  for tracker in $(fitsync_known_trackers); do
    fitsync_load_tracker "$tracker"
    while read -r name _ <&4; do
      if [[ -n $name && $name == "$1" ]]; then
        printf 'value %s\n' "$tracker"
        return 0
      fi
    done 4<<<"$TRACKER_WEBHOOK_VALUES"
    for entry in $TRACKER_WEBHOOK_SECRETS $TRACKER_WORKER_SECRET_ENV $TRACKER_CONNECT_SECRET_ENV; do
      secret=${entry#*=}
      if [[ ${entry%%=*} == "$1" ]]; then
        printf 'secret %s %s\n' "$tracker" "${secret%:*}"
        return 0
      fi
    done
  done
)

# fitsync_append VAR SEPARATOR VALUE…: appends each VALUE to the variable named VAR, SEPARATOR between items.
fitsync_append() {
  local var=$1 separator=$2 current item
  shift 2
  current=${!var}
  for item in "$@"; do
    current+="${current:+$separator}$item"
  done
  printf -v "$var" '%s' "$current"
}

# fitsync_select_trackers LIST: makes the comma-separated trackers of LIST the ones deployed. FITSYNC_TRACKERS
# becomes LIST (lower-cased, without repeats), and each tracker's file adds its secrets to FITSYNC_SECRETS and
# FITSYNC_SECRET_HELP, its operator values to FITSYNC_TRACKER_VALUES, and its environment, bindings and
# readable secrets to every function whose bundle is that side (dist/webhook, dist/worker or dist/connect). Call it once.
fitsync_select_trackers() {
  local names tracker selected="" id side upper fn_env=() name placeholder pattern description entry secret memory
  IFS=', ' read -r -a names <<<"$(printf '%s' "$1" | tr '[:upper:]' '[:lower:]')"
  for tracker in ${names[@]+"${names[@]}"}; do
    if [[ -z $tracker ]]; then continue; fi
    if [[ ! $tracker =~ ^[a-z0-9]+$ || ! -f $FITSYNC_TRACKERS_DIR/$tracker.env.sh ]]; then
      printf 'error: unknown tracker "%s"; known: %s\n' "$tracker" "$(fitsync_known_trackers | paste -sd ' ' -)" >&2
      return 1
    fi
    if [[ ,$selected, == *,$tracker,* ]]; then continue; fi
    selected+="${selected:+,}$tracker"
    fitsync_load_tracker "$tracker"

    for secret in $(fitsync_tracker_reads webhook) $(fitsync_tracker_reads worker) $(if [[ $FITSYNC_CONNECT == yes ]]; then fitsync_tracker_reads connect; fi); do
      if [[ " $FITSYNC_SECRETS " != *" $secret "* ]]; then fitsync_append FITSYNC_SECRETS ' ' "$secret"; fi
    done
    fitsync_append FITSYNC_SECRET_HELP $'\n\n' "$TRACKER_SECRET_HELP"
    if [[ $FITSYNC_CONNECT == yes && -n $TRACKER_CONNECT_SECRET_HELP ]]; then fitsync_append FITSYNC_SECRET_HELP $'\n\n' "$TRACKER_CONNECT_SECRET_HELP"; fi
    fn_env=()
    # Read on descriptor 4, as every table here: nothing in the loop may take the list from standard input.
    while read -r name placeholder pattern description <&4; do
      if [[ -z $name ]]; then continue; fi
      fitsync_append FITSYNC_TRACKER_VALUES $'\n' "$tracker $name $placeholder $pattern $description"
      fn_env+=("$name=@$name@")
    done 4<<<"$TRACKER_WEBHOOK_VALUES"

    for id in $FITSYNC_FUNCTION_IDS; do
      fitsync_upper "$id"
      upper=$FITSYNC_UPPER
      side=$(fitsync_fn "$id" BUNDLE)
      if [[ $side == webhook ]]; then
        fitsync_append "FN_${upper}_ENV" , ${fn_env[@]+"${fn_env[@]}"}
        for entry in $TRACKER_WEBHOOK_SECRETS; do fitsync_append "FN_${upper}_SECRETS" , "$entry"; done
        memory=$(fitsync_fn "$id" MEMORY)
        if [[ -n $TRACKER_WEBHOOK_MEMORY_MIB && $TRACKER_WEBHOOK_MEMORY_MIB -gt ${memory%Mi} ]]; then
          printf -v "FN_${upper}_MEMORY" '%sMi' "$TRACKER_WEBHOOK_MEMORY_MIB"
        fi
      elif [[ $side == connect ]]; then
        for entry in $(fitsync_tracker_connect_env); do fitsync_append "FN_${upper}_ENV" , "$entry"; done
      else
        for entry in $TRACKER_WORKER_SECRET_ENV; do fitsync_append "FN_${upper}_ENV" , "$entry"; done
      fi
      for secret in $(fitsync_tracker_reads "$side"); do fitsync_append "FN_${upper}_READS_SECRETS" ' ' "$secret"; done
    done
  done
  if [[ -z $selected ]]; then
    printf 'error: no tracker selected; known: %s\n' "$(fitsync_known_trackers | paste -sd ' ' -)" >&2
    return 1
  fi
  FITSYNC_TRACKERS=$selected
}

# --- Accessors ---------------------------------------------------------------------------------------------

# fitsync_upper TEXT: TEXT with a-z in upper case, in FITSYNC_UPPER. A loop in bash rather than `tr`: every
# field lookup goes through it, hundreds per run, and a process each made a deploy several times slower (bash
# 3.2 on macOS has no ${TEXT^^}).
fitsync_upper() {
  local text=$1 char before lower=abcdefghijklmnopqrstuvwxyz upper=ABCDEFGHIJKLMNOPQRSTUVWXYZ
  FITSYNC_UPPER=""
  while [[ -n $text ]]; do
    char=${text:0:1}
    text=${text:1}
    before=${lower%%"$char"*}
    if ((${#before} < ${#lower})); then char=${upper:${#before}:1}; fi
    FITSYNC_UPPER+=$char
  done
}

# fitsync_fn ID FIELD: one field of a function definition, e.g. `fitsync_fn webhook MEMORY`.
fitsync_fn() {
  local var
  fitsync_upper "$1"
  var="FN_${FITSYNC_UPPER}_$2"
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

# fitsync_function_id NAME_OR_ID: the id (webhook|worker|backfill|connect) of a function given by id or deployed name.
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
