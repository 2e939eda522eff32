#!/usr/bin/env bash
#
# Stands fitsync up in a Google Cloud project, or brings an existing deployment up to date. Every step looks
# first and changes only what is missing, so a second run changes nothing but the function code it ships
# (a deploy always uploads the current bundles as a new revision).
# What it creates, every role it grants and why: infra/README.md. The definitions it deploys:
# infra/functions.env.sh.

set -euo pipefail

INFRA_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT_DIR=$(dirname "$INFRA_DIR")
# shellcheck source=infra/functions.env.sh
source "$INFRA_DIR/functions.env.sh"
# shellcheck source=infra/lib.sh
source "$INFRA_DIR/lib.sh"

# Exit status when the infrastructure is in place but a secret the webhook needs at start-up has no value yet.
readonly NEEDS_SECRETS_STATUS=2
# functions.env.sh's choice, before --trackers replaces it: the printed commands repeat --trackers only when
# the deploy serves something else.
readonly DEFAULT_TRACKERS=$FITSYNC_TRACKERS

FITSYNC_APIS="cloudresourcemanager.googleapis.com iam.googleapis.com serviceusage.googleapis.com
cloudfunctions.googleapis.com run.googleapis.com cloudbuild.googleapis.com artifactregistry.googleapis.com
eventarc.googleapis.com pubsub.googleapis.com firestore.googleapis.com secretmanager.googleapis.com
cloudscheduler.googleapis.com logging.googleapis.com"

usage() {
  cat <<'EOF'
Usage: infra/deploy.sh --project ID --region REGION [options]

Creates what fitsync needs in the project (APIs, service accounts, least-privilege IAM, Pub/Sub topics with
their dead-letter topics, Firestore with its TTL policies and composite indexes, Secret Manager secrets without
values, the Cloud Scheduler backfill job), deploys the four functions (worker, backfill, webhook and connect, the
page where people sign in with Google and connect their trackers) from the esbuild bundles, and prints the
webhook URL of each tracker and the redirect URIs to register for the connect page. Run it again at any time: it
creates only what is missing, corrects the trigger subscriptions' delivery policy if it differs, and deploys the
current bundles.

Options:
  --project ID                  Google Cloud project id (required)
  --region REGION               region of the functions, scheduler job and trigger (required), e.g. europe-west1
  --trackers LIST               the trackers to serve, comma-separated, each with a file infra/trackers/ID.env.sh
                                (default: FITSYNC_TRACKERS in infra/functions.env.sh, strava; with
                                --functions-only: the trackers the deployed webhook serves)
  --set NAME=VALUE              a plain value a selected tracker needs, e.g. GARMIN_CLIENT_ID=…; each also has
                                its own flag, e.g. --garmin-client-id VALUE, --strava-subscription-id ID.
                                Without it the value the webhook runs with is kept (or the tracker's placeholder
                                on the first deploy, such as Strava's "pending"). Never a secret: secrets go to
                                Secret Manager.
  --env-file FILE               NAME=VALUE lines (and # comments) read like --set; --set wins over the file
  --no-connect                  leave the connect function out (people are then linked with the operator
                                command only); refused where it is deployed: remove it first with
                                infra/teardown.sh --connect-only
  --connect-url URL             the origin people open the connect page at (e.g. a custom domain mapped to the
                                connect function); default: what the deployed function has, else Cloud Run's
                                deterministic URL https://connect-PROJECT_NUMBER.REGION.run.app
  --firestore-location LOC      Firestore location when the database is created (default: the region;
                                multi-regions such as eur3 or nam5 also work). It cannot change later.
  --functions-only              only deploy the functions (what cloudbuild.yaml runs): no APIs, accounts,
                                IAM, topics, database, secrets or job. worker, backfill and webhook must exist
                                already; connect is deployed where it exists (a full run adds it).
  --skip-build                  deploy the bundles already in dist/ instead of running `npm run build`
  --dist DIR                    where the bundles are (default: dist)
  --dry-run                     print every command instead of running it; needs no gcloud, assumes a blank
                                project
  -h, --help                    this text

Exit status: 0 deployed; 2 everything is in place but a secret the webhook binds has no value yet (the script
says how to add each; run it again afterwards); 1 any error.
EOF
}

PROJECT=""
REGION=""
TRACKERS=""
# The NAME=VALUE pairs of --set and the per-value flags, and the --env-file files, in the order given.
SET_PAIRS=()
ENV_FILES=()
FIRESTORE_LOCATION=""
CONNECT_URL=""
WITH_CONNECT=yes
FUNCTIONS_ONLY=no
SKIP_BUILD=no
DIST_DIR=dist

parse_args() {
  while (($#)); do
    local arg=$1 val=""
    case $arg in
      --*=*)
        val=${arg#*=}
        arg=${arg%%=*}
        ;;
      --project | --region | --trackers | --set | --env-file | --firestore-location | --dist | --connect-url)
        (($# >= 2)) || die "$arg needs a value"
        val=$2
        shift
        ;;
    esac
    case $arg in
      --project) PROJECT=$val ;;
      --region) REGION=$val ;;
      --trackers) TRACKERS=$val ;;
      --set) SET_PAIRS+=("$val") ;;
      --env-file) ENV_FILES+=("$val") ;;
      --firestore-location) FIRESTORE_LOCATION=$val ;;
      --connect-url) CONNECT_URL=${val%/} ;;
      --dist) DIST_DIR=$(absolute_path "$val") ;;
      --functions-only) FUNCTIONS_ONLY=yes ;;
      --no-connect) WITH_CONNECT=no ;;
      --skip-build) SKIP_BUILD=yes ;;
      --dry-run) DRY_RUN=yes ;;
      -h | --help)
        usage
        exit 0
        ;;
      --?*)
        # A tracker value's own flag: --garmin-client-id X is --set GARMIN_CLIENT_ID=X.
        local name
        name=$(printf '%s' "${arg#--}" | tr 'a-z-' 'A-Z_')
        [[ $(fitsync_find_setting "$name") == "value "* ]] || die "unknown option: $1 (see --help)"
        if [[ $1 != *=* ]]; then
          (($# >= 2)) || die "$arg needs a value"
          val=$2
          shift
        fi
        SET_PAIRS+=("$name=$val")
        ;;
      *) die "unknown option: $1 (see --help)" ;;
    esac
    shift
  done
  require_value --project "$PROJECT"
  require_value --region "$REGION"
  FIRESTORE_LOCATION=${FIRESTORE_LOCATION:-$REGION}
}

# select_trackers: the trackers to serve: --trackers, else functions.env.sh's default. --functions-only cannot
# create a tracker's secrets or grant them, so it serves exactly what the webhook serves now (the operator's last
# full run chose it), and refuses a --trackers that says otherwise. Stopping to serve a tracker takes a
# --trackers that leaves it out: a forgotten flag must not take a tracker offline.
select_trackers() {
  local deployed want tracker
  deployed=$(webhook_env FITSYNC_TRACKERS) || exit
  want=$TRACKERS
  if [[ -z $want && -n $deployed && $(same_set "$deployed" "$FITSYNC_TRACKERS") == no ]]; then
    [[ $FUNCTIONS_ONLY == yes ]] ||
      die "the webhook serves $deployed, not the default $FITSYNC_TRACKERS: give --trackers $deployed to keep them (or a --trackers without the ones to drop)"
    want=$deployed
  fi
  fitsync_select_trackers "${want:-$FITSYNC_TRACKERS}" || exit 1
  section "Trackers"
  say "  serving $FITSYNC_TRACKERS"
  DROPPED_TRACKERS=""
  for tracker in ${deployed//,/ }; do
    if [[ ,$FITSYNC_TRACKERS, != *,$tracker,* ]]; then DROPPED_TRACKERS+="${DROPPED_TRACKERS:+ }$tracker"; fi
  done
  if [[ $FUNCTIONS_ONLY == yes && -n $deployed && $(same_set "$deployed" "$FITSYNC_TRACKERS") == no ]]; then
    die "the webhook serves $deployed; changing the trackers creates and grants secrets, which --functions-only may not do: run infra/deploy.sh --trackers $FITSYNC_TRACKERS without --functions-only as a project owner"
  fi
  if [[ -n $DROPPED_TRACKERS ]]; then
    say "  dropping $DROPPED_TRACKERS (served until now): their secrets stay, their accounts' access to them goes"
  fi
}

# same_set LIST LIST: "yes" when the two comma-separated lists name the same items.
same_set() {
  local a b
  a=$(tr ',' '\n' <<<"$1" | sort -u)
  b=$(tr ',' '\n' <<<"$2" | sort -u)
  if [[ $a == "$b" ]]; then echo yes; else echo no; fi
}

# given_values: the --env-file lines, then --set and the per-value flags (so a flag wins over a file), as
# GIVEN_<NAME> variables. Only values of the selected trackers are taken: a secret is refused (it would become a
# plain environment variable, readable by anyone who may view the function), and so is a name nobody reads.
given_values() {
  local file line number pair name val setting secret
  local pairs=()
  for file in ${ENV_FILES[@]+"${ENV_FILES[@]}"}; do
    [[ -r $file ]] || die "--env-file $file cannot be read"
    number=0
    while IFS= read -r line || [[ -n $line ]]; do
      number=$((number + 1))
      line=${line#"${line%%[![:space:]]*}"}
      if [[ -z $line || $line == \#* ]]; then continue; fi
      line=${line#export }
      [[ $line =~ ^[A-Z][A-Z0-9_]*= ]] || die "$file:$number: expected NAME=VALUE, got: $line"
      val=${line#*=}
      # One pair of surrounding quotes is the file's, not the value's.
      if [[ $val =~ ^\"(.*)\"$ || $val =~ ^\'(.*)\'$ ]]; then val=${BASH_REMATCH[1]}; fi
      pairs+=("${line%%=*}=$val")
    done <"$file"
  done
  for pair in ${pairs[@]+"${pairs[@]}"} ${SET_PAIRS[@]+"${SET_PAIRS[@]}"}; do
    [[ $pair =~ ^[A-Z][A-Z0-9_]*= ]] || die "--set takes NAME=VALUE, got: $pair"
    name=${pair%%=*}
    val=${pair#*=}
    setting=$(fitsync_find_setting "$name")
    case $setting in
      "value "*)
        [[ ,$FITSYNC_TRACKERS, == *,${setting#value },* ]] ||
          die "$name is a value of ${setting#value }, which this deploy does not serve ($FITSYNC_TRACKERS): add it to --trackers, or leave $name out"
        ;;
      "secret "*)
        secret=${setting##* }
        die "$name is a secret, bound from Secret Manager secret $secret: add its value there (gcloud secrets versions add $secret --project=$PROJECT --data-file=…), never as a plain value"
        ;;
      *) die "$name is not a value any tracker takes (the selected trackers take: $(value_names))" ;;
    esac
    printf -v "GIVEN_$name" '%s' "$val"
  done
}

# value_names: the names of the selected trackers' operator values, or "none".
value_names() {
  local names
  names=$(awk '{ print $2 }' <<<"$FITSYNC_TRACKER_VALUES" | paste -sd ' ' -)
  printf '%s\n' "${names:-none}"
}

# resolve_tracker_values: FITSYNC_VALUE_<NAME> for each operator value of the selected trackers: the one given
# (flags, env file, or the environment variable NAME), else what the deployed webhook runs with (a redeploy
# never resets a value set by an earlier one), else the tracker's placeholder. Stops, before anything is
# changed, when a value is missing or malformed.
resolve_tracker_values() {
  local tracker name placeholder pattern description var val missing=()
  while read -r tracker name placeholder pattern description <&4; do
    if [[ -z $tracker ]]; then continue; fi
    var=GIVEN_$name
    val=${!var:-${!name:-}}
    if [[ -z $val ]]; then val=$(webhook_env "$name") || exit; fi
    if [[ -z $val && $placeholder != - ]]; then val=$placeholder; fi
    if [[ -z $val ]]; then
      missing+=("$name has no value ($tracker: $description)")
      continue
    fi
    if [[ $pattern != - && $val != "$placeholder" && ! $val =~ $pattern ]]; then
      die "$name must be $description, got '$val'"
    fi
    [[ $val != *$'\n'* ]] || die "$name must be one line"
    printf -v "FITSYNC_VALUE_$name" '%s' "$val"
  done 4<<<"$FITSYNC_TRACKER_VALUES"
  if ((${#missing[@]})); then
    local joined
    joined=$(printf '%s; ' "${missing[@]}")
    die "${joined%; }. Give each with --set NAME=VALUE, its own flag (e.g. --$(printf '%s' "${missing[0]%% *}" | tr 'A-Z_' 'a-z-') VALUE) or a NAME=VALUE line in an --env-file; later deploys keep the value deployed"
  fi
}

# tracker_pending TRACKER: whether one of the tracker's values is still its placeholder.
tracker_pending() {
  local tracker name placeholder var
  while read -r tracker name placeholder _ <&4; do
    var=FITSYNC_VALUE_$name
    if [[ $tracker == "$1" && $placeholder != - && ${!var:-} == "$placeholder" ]]; then return 0; fi
  done 4<<<"$FITSYNC_TRACKER_VALUES"
  return 1
}

# deploy_command: how to run this deploy again, for printed next steps.
deploy_command() {
  local cmd="bash infra/deploy.sh --project $PROJECT --region $REGION"
  if [[ $FITSYNC_TRACKERS != "$DEFAULT_TRACKERS" ]]; then cmd+=" --trackers $FITSYNC_TRACKERS"; fi
  printf '%s\n' "$cmd"
}

# absolute_path PATH: PATH resolved against the directory the script was started from.
absolute_path() {
  case $1 in
    /*) printf '%s\n' "${1%/}" ;;
    *) printf '%s/%s\n' "$PWD" "${1%/}" ;;
  esac
}

function_name() {
  fitsync_fn "$1" NAME
}

build_bundles() {
  section "Bundles"
  if [[ $SKIP_BUILD == no ]]; then
    run npm run build
  fi
  if is_dry_run; then
    return 0
  fi
  local id bundle
  for id in $FITSYNC_FUNCTION_IDS; do
    bundle="$DIST_DIR/$(fitsync_fn "$id" BUNDLE)"
    [[ -f $bundle/index.js && -f $bundle/package.json ]] ||
      die "$bundle/index.js or package.json is missing: run \`npm run build\` (or drop --skip-build)"
  done
  say "  bundles in $DIST_DIR: $FITSYNC_FUNCTION_IDS"
}

lookup_project_number() {
  if is_dry_run; then
    show_check gcloud projects describe "$PROJECT" --format='value(projectNumber)'
    PROJECT_NUMBER=PROJECT_NUMBER
    return 0
  fi
  PROJECT_NUMBER=$(value gcloud projects describe "$PROJECT" --format='value(projectNumber)') || exit
  [[ -n $PROJECT_NUMBER ]] || die "project $PROJECT was not found, or you may not read it"
}

enable_apis() {
  section "APIs"
  local enabled api missing=()
  enabled=$(value gcloud services list --enabled --project="$PROJECT" --format='value(config.name)') || exit
  for api in $FITSYNC_APIS; do
    grep -qxF "$api" <<<"$enabled" || missing+=("$api")
  done
  if ((${#missing[@]})); then
    run gcloud services enable "${missing[@]}" --project="$PROJECT"
  else
    say "  kept    every API already enabled"
  fi
}

# ensure_service_account ID DESCRIPTION
ensure_service_account() {
  if exists gcloud iam service-accounts describe "$(sa_email "$1")" --project="$PROJECT"; then
    say "  kept    service account $1"
    return 0
  fi
  run gcloud iam service-accounts create "$1" --project="$PROJECT" --display-name="$1" --description="$2"
}

create_service_accounts() {
  section "Service accounts (one per job, none with a broad role)"
  ensure_service_account "$(fitsync_fn webhook SERVICE_ACCOUNT)" "fitsync webhook: publishes tracker events"
  ensure_service_account "$(fitsync_fn worker SERVICE_ACCOUNT)" "fitsync worker: syncs events to Google Fit"
  if [[ $FITSYNC_CONNECT == yes ]]; then
    ensure_service_account "$(fitsync_fn connect SERVICE_ACCOUNT)" "fitsync connect: people link Google and their trackers"
  fi
  ensure_service_account "$FITSYNC_TRIGGER_SERVICE_ACCOUNT" "fitsync: Eventarc delivers messages to the functions"
  ensure_service_account "$FITSYNC_BUILD_SERVICE_ACCOUNT" "fitsync: builds the function images"
  ensure_service_account "$FITSYNC_DEPLOYER_SERVICE_ACCOUNT" "fitsync: runs cloudbuild.yaml"
}

# ensure_pubsub topic|subscription NAME [CREATE_FLAG…]: creates it unless it exists.
ensure_pubsub() {
  local kind=$1 name=$2
  shift 2
  if exists gcloud pubsub "${kind}s" describe "$name" --project="$PROJECT"; then
    say "  kept    $kind $name"
    return 0
  fi
  run gcloud pubsub "${kind}s" create "$name" --project="$PROJECT" "$@"
}

create_topics() {
  section "Pub/Sub"
  local topic id
  for topic in $FITSYNC_TOPICS; do
    ensure_pubsub topic "$topic"
  done
  # The pull subscription that keeps each dead-letter topic's messages. Never expires: a subscription nobody
  # pulls would otherwise be deleted after 31 idle days.
  for id in $(fitsync_topic_function_ids); do
    ensure_pubsub subscription "$(fitsync_fn "$id" DEAD_LETTER_SUBSCRIPTION)" \
      --topic="$(fitsync_fn "$id" DEAD_LETTER_TOPIC)" --message-retention-duration="$FITSYNC_DEAD_LETTER_RETENTION" \
      --expiration-period=never
  done
}

create_secrets() {
  section "Secret Manager (the secrets get no value here; see the end of this run)"
  local secret
  for secret in $FITSYNC_SECRETS; do
    if exists gcloud secrets describe "$secret" --project="$PROJECT"; then
      say "  kept    secret $secret"
    else
      run gcloud secrets create "$secret" --project="$PROJECT" --replication-policy=automatic
    fi
  done
}

# The grants that need only accounts, topics and secrets; those on function-created resources follow each
# deploy (grant_invoker, configure_delivery). infra/README.md explains each one.
grant_roles() {
  section "IAM"
  local webhook_sa worker_sa secret sa
  webhook_sa=$(sa_member "$(fitsync_fn webhook SERVICE_ACCOUNT)")
  worker_sa=$(sa_member "$(fitsync_fn worker SERVICE_ACCOUNT)")

  ensure_binding roles/pubsub.publisher "$webhook_sa" topic "$FITSYNC_EVENTS_TOPIC"
  for secret in $(fitsync_fn webhook READS_SECRETS); do
    ensure_binding roles/secretmanager.secretAccessor "$webhook_sa" secret "$secret"
  done

  for secret in $(fitsync_fn worker READS_SECRETS); do
    ensure_binding roles/secretmanager.secretAccessor "$worker_sa" secret "$secret"
  done
  # The backfill function runs as the worker's account (FN_BACKFILL_SERVICE_ACCOUNT) and queues each next page.
  ensure_binding roles/pubsub.publisher "$worker_sa" topic "$FITSYNC_BACKFILL_TOPIC"

  # connect: the OAuth clients, token key ring and session key it reads, and the first backfill of a new link.
  local connect_sa
  if [[ $FITSYNC_CONNECT == yes ]]; then
    connect_sa=$(sa_member "$(fitsync_fn connect SERVICE_ACCOUNT)")
    for secret in $(fitsync_fn connect READS_SECRETS); do
      ensure_binding roles/secretmanager.secretAccessor "$connect_sa" secret "$secret"
    done
    ensure_binding roles/pubsub.publisher "$connect_sa" topic "$FITSYNC_BACKFILL_TOPIC"
  fi

  # Project-wide: Firestore grants data access per project (the worker's datastore.user), and the build and
  # deploy accounts work on resources that Cloud Functions and Cloud Build create on their own.
  local account role deployer_sa
  # Read on descriptor 4: gcloud inside the loop must not swallow the list from standard input.
  while read -r account role <&4; do
    if [[ -n $account ]]; then ensure_binding "$role" "$(sa_member "$account")" project "$PROJECT"; fi
  done 4<<<"$FITSYNC_PROJECT_GRANTS"

  # The deployer may deploy functions that run as these accounts, and no other.
  deployer_sa=$(sa_member "$FITSYNC_DEPLOYER_SERVICE_ACCOUNT")
  for sa in "$(fitsync_fn webhook SERVICE_ACCOUNT)" "$(fitsync_fn worker SERVICE_ACCOUNT)" \
    $(if [[ $FITSYNC_CONNECT == yes ]]; then fitsync_fn connect SERVICE_ACCOUNT; fi) \
    "$FITSYNC_TRIGGER_SERVICE_ACCOUNT" "$FITSYNC_BUILD_SERVICE_ACCOUNT"; do
    ensure_binding roles/iam.serviceAccountUser "$deployer_sa" service-account "$(sa_email "$sa")"
  done
}

create_firestore() {
  section "Firestore"
  local type
  type=$(value gcloud firestore databases describe --database="$FITSYNC_FIRESTORE_DATABASE" --project="$PROJECT" \
    --format='value(type)') || exit
  case $type in
    "")
      run gcloud firestore databases create --database="$FITSYNC_FIRESTORE_DATABASE" --project="$PROJECT" \
        --location="$FIRESTORE_LOCATION" --type=firestore-native
      ;;
    FIRESTORE_NATIVE) say "  kept    database $FITSYNC_FIRESTORE_DATABASE (Native mode)" ;;
    *) die "the $FITSYNC_FIRESTORE_DATABASE database is in $type; fitsync needs Firestore in Native mode" ;;
  esac
  local policy
  for policy in $FITSYNC_TTL_POLICIES; do
    ensure_ttl_policy "${policy%%.*}" "${policy#*.}"
  done
  local group fields
  # Read on descriptor 4: gcloud inside the loop must not swallow the list from standard input.
  while read -r group fields <&4; do
    if [[ -n $group ]]; then ensure_composite_index "$group" "$fields"; fi
  done 4<<<"$FITSYNC_COMPOSITE_INDEXES"
}

# ensure_ttl_policy COLLECTION_GROUP FIELD
ensure_ttl_policy() {
  local ttl_fields
  ttl_fields=$(value gcloud firestore fields ttls list --collection-group="$1" \
    --database="$FITSYNC_FIRESTORE_DATABASE" --project="$PROJECT" --format='value(name)') || exit
  if grep -q "/collectionGroups/$1/fields/$2\$" <<<"$ttl_fields"; then
    say "  kept    TTL policy on $1.$2"
    return 0
  fi
  # --async: building the policy takes minutes and nothing here waits for it.
  run gcloud firestore fields ttls update "$2" --collection-group="$1" \
    --database="$FITSYNC_FIRESTORE_DATABASE" --project="$PROJECT" --enable-ttl --async
}

# composite_indexes: every composite index of the database, one "COLLECTION_GROUP SCOPE FIELD:ORDER,…" line
# each, as the Firestore API spells them (ASCENDING, COLLECTION). The API lists the implicit last field
# __name__ too; it is left out, as in FITSYNC_COMPOSITE_INDEXES.
composite_indexes() {
  local rows
  rows=$(value gcloud firestore indexes composite list --database="$FITSYNC_FIRESTORE_DATABASE" --project="$PROJECT" \
    --flatten='fields[]' --format='value(name,queryScope,fields.fieldPath,fields.order)') || exit
  # A name is projects/P/databases/D/collectionGroups/GROUP/indexes/ID; one row per field of each index.
  awk -F '\t' 'NF >= 4 && $3 != "__name__" {
      if (!($1 in fields)) { names[++n] = $1; scope[$1] = $2 }
      fields[$1] = fields[$1] (fields[$1] == "" ? "" : ",") $3 ":" $4
    }
    END { for (i = 1; i <= n; i++) { split(names[i], part, "/"); print part[6], scope[names[i]], fields[names[i]] } }' <<<"$rows"
}

# ensure_composite_index COLLECTION_GROUP FIELD:ORDER,…: creates the index (collection scope) unless it exists.
ensure_composite_index() {
  local group=$1 fields=$2 field want="" existing configs=()
  for field in ${fields//,/ }; do
    want+="${want:+,}${field%%:*}:$(tr '[:lower:]' '[:upper:]' <<<"${field#*:}")"
    configs+=(--field-config="field-path=${field%%:*},order=${field#*:}")
  done
  existing=$(composite_indexes) || exit
  if grep -qxF "$group COLLECTION $want" <<<"$existing"; then
    say "  kept    composite index on $group ($fields)"
    return 0
  fi
  # --async: the index builds for minutes; a query that needs it fails (FAILED_PRECONDITION) until it is ready.
  run gcloud firestore indexes composite create --collection-group="$group" --query-scope=collection \
    "${configs[@]}" --database="$FITSYNC_FIRESTORE_DATABASE" --project="$PROJECT" --async
}

create_scheduler_job() {
  section "Cloud Scheduler"
  if exists gcloud scheduler jobs describe "$FITSYNC_BACKFILL_JOB" --location="$REGION" --project="$PROJECT"; then
    say "  kept    job $FITSYNC_BACKFILL_JOB"
    return 0
  fi
  # Cloud Scheduler publishes with its own service agent, which Google grants Pub/Sub publishing when the
  # API is enabled; the job needs no account of ours.
  run gcloud scheduler jobs create pubsub "$FITSYNC_BACKFILL_JOB" --location="$REGION" --project="$PROJECT" \
    --schedule="$FITSYNC_BACKFILL_SCHEDULE" --time-zone="$FITSYNC_BACKFILL_TIME_ZONE" \
    --topic="$FITSYNC_BACKFILL_TOPIC" --message-body="$FITSYNC_BACKFILL_MESSAGE" \
    --description="fitsync: hourly backfill sweep"
}

secret_has_value() {
  local version
  version=$(value gcloud secrets versions list "$1" --project="$PROJECT" --filter='state:ENABLED' --limit=1 \
    --format='value(name)') || exit
  [[ -n $version ]]
}

# secret_instructions SECRET…: how to give each of these secrets its value (FITSYNC_SECRET_HELP and the
# trackers' TRACKER_SECRET_HELP: one block per secret, found by the secret its command adds a version to).
secret_instructions() {
  say ""
  say "Add the secret values (read from standard input or a file, so no secret goes on a command line):"
  say ""
  awk -v wanted=" $* " 'BEGIN { RS = "" }
    match($0, /versions add [^ ]+ /) && index(wanted, " " substr($0, RSTART + 13, RLENGTH - 14) " ") { print }' \
    <<<"$FITSYNC_SECRET_HELP" | sed -e "s/@PROJECT@/$PROJECT/g" -e 's/^/  /'
}

# bound_secrets: the secrets some function binds with --set-secrets, one a line.
bound_secrets() {
  local id entry
  for id in $FITSYNC_FUNCTION_IDS; do
    for entry in $(fitsync_fn "$id" SECRETS | tr ',' ' '); do
      entry=${entry#*=}
      printf '%s\n' "${entry%:*}"
    done
  done
}

# A function cannot start without the secrets bound to it (the platform resolves them at instance start, and
# refuses the deploy of a binding without a version), so a deploy without their values would only fail later
# and less clearly. The worker reads its secrets per event and retries, so their absence is reported but does
# not stop the deploy.
require_secret_values() {
  section "Secret values"
  local secret bound missing_bound=() missing_worker=()
  if is_dry_run; then
    for secret in $FITSYNC_SECRETS; do
      show_check gcloud secrets versions list "$secret" --project="$PROJECT" --filter='state:ENABLED' --limit=1 \
        --format='value(name)'
    done
    say "# (dry run: continuing as if every secret had a value)"
    return 0
  fi
  bound=" $(bound_secrets | paste -sd ' ' -) "
  for secret in $FITSYNC_SECRETS; do
    if secret_has_value "$secret"; then continue; fi
    if [[ $bound == *" $secret "* ]]; then missing_bound+=("$secret"); else missing_worker+=("$secret"); fi
  done
  if ((${#missing_bound[@]})); then
    say "  missing ${missing_bound[*]}${missing_worker[*]+ ${missing_worker[*]}}"
    secret_instructions "${missing_bound[@]}" ${missing_worker[@]+"${missing_worker[@]}"}
    say ""
    say "Everything but the functions is in place. Add the values above, then run this script again."
    exit "$NEEDS_SECRETS_STATUS"
  fi
  if ((${#missing_worker[@]})); then
    say "  warning: ${missing_worker[*]} has no value yet: until it has, the worker retries (then dead-letters) the events that need it, and the connect page cannot sign anyone in without its session key"
    secret_instructions "${missing_worker[@]}"
  else
    say "  kept    every secret has a value"
  fi
}

# function_env ID: the function's --set-env-vars: functions.env.sh's KEY=VALUE list with @PROJECT@, @TRACKERS@
# and each tracker value's @NAME@ filled in. gcloud splits the list at commas, so when a value holds one
# (FITSYNC_TRACKERS=strava,garmin) the list is written with gcloud's other delimiter syntax, ^;^KEY=a,b;KEY=c.
function_env() {
  local template extra entries entry value var list="" delimiter=,
  template=$FITSYNC_COMMON_ENV
  extra=$(fitsync_fn "$1" ENV)
  template+=${extra:+,$extra}
  IFS=, read -r -a entries <<<"$template"
  for entry in "${entries[@]}"; do
    value=${entry#*=}
    case $value in
      @PROJECT@) value=$PROJECT ;;
      @TRACKERS@) value=$FITSYNC_TRACKERS ;;
      @CONNECT_URL@) value=$CONNECT_URL ;;
      @*@)
        var=FITSYNC_VALUE_${value//@/}
        value=${!var}
        ;;
    esac
    if [[ $value == *,* ]]; then delimiter=';'; fi
    list+="${list:+$'\n'}${entry%%=*}=$value"
  done
  if [[ $delimiter == ';' ]]; then
    [[ $list != *';'* ]] || die "an environment variable of $1 holds both a comma and a semicolon: $list"
    list="^;^${list//$'\n'/;}"
  else
    list=${list//$'\n'/,}
  fi
  printf '%s\n' "$list"
}

# deploy_function ID: one `gcloud functions deploy`, every flag taken from functions.env.sh.
deploy_function() {
  local id=$1 cpu secrets
  local args=(gcloud functions deploy "$(function_name "$id")" --gen2 --project="$PROJECT" --region="$REGION"
    --runtime="$FITSYNC_RUNTIME" --source="$DIST_DIR/$(fitsync_fn "$id" BUNDLE)"
    --entry-point="$(fitsync_fn "$id" ENTRY_POINT)"
    --service-account="$(sa_email "$(fitsync_fn "$id" SERVICE_ACCOUNT)")"
    --build-service-account="projects/$PROJECT/serviceAccounts/$(sa_email "$FITSYNC_BUILD_SERVICE_ACCOUNT")"
    --memory="$(fitsync_fn "$id" MEMORY)")
  cpu=$(fitsync_fn "$id" CPU)
  if [[ -n $cpu ]]; then args+=(--cpu="$cpu"); fi
  args+=(--concurrency="$(fitsync_fn "$id" CONCURRENCY)"
    --min-instances="$(fitsync_fn "$id" MIN_INSTANCES)" --max-instances="$(fitsync_fn "$id" MAX_INSTANCES)"
    --timeout="$(fitsync_fn "$id" TIMEOUT)" --set-env-vars="$(function_env "$id")")
  secrets=$(fitsync_fn "$id" SECRETS)
  if [[ -n $secrets ]]; then args+=(--set-secrets="$secrets"); fi
  case $(fitsync_fn "$id" TRIGGER) in
    http) args+=(--trigger-http) ;;
    topic)
      # --retry: a thrown error means redelivery, bounded by the dead-letter policy set after the deploy.
      args+=(--trigger-topic="$(fitsync_fn "$id" TRIGGER_TOPIC)" --retry
        --trigger-service-account="$(sa_email "$FITSYNC_TRIGGER_SERVICE_ACCOUNT")")
      ;;
    *) die "functions.env.sh: unknown trigger for $id" ;;
  esac
  if [[ $(fitsync_fn "$id" PUBLIC) == yes ]]; then
    # Making a function public is an IAM change on its Cloud Run service, which the CI deployer may not make;
    # --functions-only leaves the existing grant alone (gcloud keeps it when neither flag is given).
    if [[ $FUNCTIONS_ONLY == no ]]; then args+=(--allow-unauthenticated); fi
  else
    args+=(--no-allow-unauthenticated)
  fi
  # After a rollback traffic is pinned to an old revision; a deploy means "serve this", so take it back.
  args+=(--serve-all-traffic-latest-revision --quiet)
  run "${args[@]}"
}

# grant_invoker ID: Eventarc pushes to a topic-triggered function's Cloud Run service as the trigger account;
# it may invoke those services only.
grant_invoker() {
  ensure_binding roles/run.invoker "$(sa_member "$FITSYNC_TRIGGER_SERVICE_ACCOUNT")" run-service "$(function_name "$1")"
}

# trigger_subscription ID: the push subscription Eventarc created for the function's topic trigger.
trigger_subscription() {
  local name trigger subscription
  name=$(function_name "$1")
  if is_dry_run; then
    show_check gcloud functions describe "$name" --gen2 --region="$REGION" --project="$PROJECT" \
      --format='value(eventTrigger.trigger)'
    show_check gcloud eventarc triggers describe TRIGGER --location="$REGION" --project="$PROJECT" \
      --format='value(transport.pubsub.subscription)'
    printf '%s_TRIGGER_SUBSCRIPTION\n' "$(tr '[:lower:]' '[:upper:]' <<<"$1")"
    return 0
  fi
  trigger=$(value gcloud functions describe "$name" --gen2 --region="$REGION" --project="$PROJECT" \
    --format='value(eventTrigger.trigger)') || exit
  [[ -n $trigger ]] || die "$name has no event trigger"
  subscription=$(value gcloud eventarc triggers describe "${trigger##*/}" --location="$REGION" --project="$PROJECT" \
    --format='value(transport.pubsub.subscription)') || exit
  [[ -n $subscription ]] || die "the trigger ${trigger##*/} has no Pub/Sub subscription"
  printf '%s\n' "${subscription##*/}"
}

# delivery_policy_matches ID SUBSCRIPTION
delivery_policy_matches() {
  local have want tab=$'\t'
  want="projects/$PROJECT/topics/$(fitsync_fn "$1" DEAD_LETTER_TOPIC)$tab$FITSYNC_MAX_DELIVERY_ATTEMPTS$tab$FITSYNC_MIN_RETRY_DELAY$tab$FITSYNC_MAX_RETRY_DELAY"
  have=$(value gcloud pubsub subscriptions describe "$2" --project="$PROJECT" \
    --format='value(deadLetterPolicy.deadLetterTopic,deadLetterPolicy.maxDeliveryAttempts,retryPolicy.minimumBackoff,retryPolicy.maximumBackoff)') ||
    exit
  [[ $have == "$want" ]]
}

# configure_delivery ID: Eventarc owns the subscription it created for a topic trigger, so its dead-letter and
# retry policy is set here, after the deploy, and checked again on every run (a changed trigger comes with a
# new subscription).
configure_delivery() {
  local subscription agent dead_letter_topic
  subscription=$(trigger_subscription "$1") || exit
  dead_letter_topic=$(fitsync_fn "$1" DEAD_LETTER_TOPIC)
  if delivery_policy_matches "$1" "$subscription"; then
    say "  kept    dead-letter and retry policy on $subscription"
  else
    run gcloud pubsub subscriptions update "$subscription" --project="$PROJECT" \
      --dead-letter-topic="projects/$PROJECT/topics/$dead_letter_topic" \
      --max-delivery-attempts="$FITSYNC_MAX_DELIVERY_ATTEMPTS" \
      --min-retry-delay="$FITSYNC_MIN_RETRY_DELAY" --max-retry-delay="$FITSYNC_MAX_RETRY_DELAY"
  fi
  # Pub/Sub moves a message to the dead-letter topic as its own service agent: it must be allowed to publish
  # there and to acknowledge the message on the source subscription.
  agent="serviceAccount:service-$PROJECT_NUMBER@gcp-sa-pubsub.iam.gserviceaccount.com"
  ensure_binding roles/pubsub.publisher "$agent" topic "$dead_letter_topic"
  ensure_binding roles/pubsub.subscriber "$agent" subscription "$subscription"
}

# verify_delivery ID: with --functions-only the policy is only checked: changing it needs rights the CI
# deployer does not have.
verify_delivery() {
  local subscription
  subscription=$(trigger_subscription "$1") || exit
  if ! is_dry_run && ! delivery_policy_matches "$1" "$subscription"; then
    die "the $(function_name "$1") trigger subscription $subscription lacks its dead-letter/retry policy (its trigger was probably recreated); run infra/deploy.sh without --functions-only as a project owner to set it again"
  fi
  say "  checked dead-letter and retry policy on $subscription"
}

require_deployed_functions() {
  local id
  if is_dry_run; then
    return 0
  fi
  for id in $FITSYNC_FUNCTION_IDS; do
    exists gcloud functions describe "$(function_name "$id")" --gen2 --region="$REGION" --project="$PROJECT" ||
      die "$(function_name "$id") is not deployed yet. The first deploy sets who may call each function, which --functions-only (the CI deployer) may not do: run infra/deploy.sh without --functions-only first."
  done
}

deploy_functions() {
  section "Functions"
  local id
  for id in $FITSYNC_FUNCTION_IDS; do
    deploy_function "$id"
    if [[ $(fitsync_fn "$id" TRIGGER) == topic ]]; then
      if [[ $FUNCTIONS_ONLY == no ]]; then
        grant_invoker "$id"
        configure_delivery "$id"
      else
        verify_delivery "$id"
      fi
    fi
  done
}

# revoke_dropped_trackers: the trackers the webhook served until this deploy and serves no more keep their
# secrets (they may hold what a tracker issued once), but no account keeps reading them. Runs after the deploy:
# until then the running revisions still bind and read them.
revoke_dropped_trackers() {
  if [[ -z $DROPPED_TRACKERS ]]; then return 0; fi
  section "Trackers no longer served"
  local tracker secret webhook_sa worker_sa
  webhook_sa=$(sa_member "$(fitsync_fn webhook SERVICE_ACCOUNT)")
  worker_sa=$(sa_member "$(fitsync_fn worker SERVICE_ACCOUNT)")
  for tracker in $DROPPED_TRACKERS; do
    if [[ ! -f $FITSYNC_TRACKERS_DIR/$tracker.env.sh ]]; then
      say "  skipped $tracker: infra/trackers/$tracker.env.sh does not exist"
      continue
    fi
    fitsync_load_tracker "$tracker"
    for secret in $(fitsync_tracker_reads webhook); do
      remove_binding roles/secretmanager.secretAccessor "$webhook_sa" secret "$secret"
    done
    for secret in $(fitsync_tracker_reads worker); do
      remove_binding roles/secretmanager.secretAccessor "$worker_sa" secret "$secret"
    done
    for secret in $(if [[ $FITSYNC_CONNECT == yes ]]; then fitsync_tracker_reads connect; fi); do
      remove_binding roles/secretmanager.secretAccessor "$(sa_member "$(fitsync_fn connect SERVICE_ACCOUNT)")" secret "$secret"
    done
    say "  kept    $tracker's secrets: $({ fitsync_tracker_reads webhook && fitsync_tracker_reads worker; } | paste -sd ' ' -)"
  done
}

# print_webhook_urls: the URL to register with each tracker. A path secret is shown as a placeholder naming the
# secret that holds it: its value never reaches this script.
print_webhook_urls() {
  local url tracker path_secret help
  url=$(value gcloud functions describe "$(function_name webhook)" --gen2 --region="$REGION" --project="$PROJECT" \
    --format='value(serviceConfig.uri)') || exit
  if is_dry_run; then url=WEBHOOK_URL; fi
  [[ -n $url ]] || die "$(function_name webhook) has no URL"
  section "Webhook URLs"
  for tracker in ${FITSYNC_TRACKERS//,/ }; do
    fitsync_load_tracker "$tracker"
    path_secret=$(fitsync_tracker_path_secret)
    if [[ -n $path_secret ]]; then
      say "  $tracker: $url/$tracker/<path secret>   (<path secret>: the value of secret $path_secret)"
    else
      say "  $tracker: $url/$tracker"
    fi
  done
  for tracker in ${FITSYNC_TRACKERS//,/ }; do
    if ! tracker_pending "$tracker"; then continue; fi
    fitsync_load_tracker "$tracker"
    help=${TRACKER_PENDING_HELP//@URL@/$url/$tracker}
    help=${help//@PROJECT@/$PROJECT}
    help=${help//@DEPLOY@/$(deploy_command)}
    say ""
    say "$help"
  done
}

# resolve_connect_url: the connect page's origin (PUBLIC_BASE_URL): --connect-url, else what the deployed
# function runs with (a redeploy keeps it), else Cloud Run's deterministic URL of the service
# (https://cloud.google.com/run/docs/triggering/https-request#deterministic), which needs the project number.
resolve_connect_url() {
  if [[ $FITSYNC_CONNECT == no ]]; then return 0; fi
  if [[ -n $CONNECT_URL ]]; then
    [[ $CONNECT_URL =~ ^https://[A-Za-z0-9.-]+(:[0-9]+)?$ ]] || die "--connect-url must be an https origin without a path, got '$CONNECT_URL'"
    return 0
  fi
  if ! is_dry_run; then
    CONNECT_URL=$(value gcloud functions describe "$(function_name connect)" --gen2 --region="$REGION" --project="$PROJECT" \
      --format='value(serviceConfig.environmentVariables.PUBLIC_BASE_URL)') || exit
  fi
  if [[ -z $CONNECT_URL ]]; then
    if [[ -z ${PROJECT_NUMBER:-} ]]; then lookup_project_number; fi
    CONNECT_URL="https://$(function_name connect)-$PROJECT_NUMBER.$REGION.run.app"
  fi
}

# print_redirect_uris: what to register at Google and at each tracker for the connect page. Each provider gets
# its own callback path, so an answer can never be taken for another provider's (RFC 9700 §4.4, mix-up).
print_redirect_uris() {
  local tracker
  if [[ $FITSYNC_CONNECT == no ]]; then return 0; fi
  section "Connect page"
  say "  open:   $CONNECT_URL/"
  say "  Google OAuth client (Cloud console, Credentials, Web application), Authorized redirect URI:"
  say "          $CONNECT_URL/oauth/google/callback"
  say "  Redirect URIs to register at each tracker:"
  for tracker in ${FITSYNC_TRACKERS//,/ }; do
    case $tracker in
      generic) continue ;;
      strava) say "  strava: Authorization Callback Domain ${CONNECT_URL#https://} (Strava registers a domain; fitsync uses $CONNECT_URL/oauth/strava/callback)" ;;
      withings) say "  withings: $CONNECT_URL/oauth/withings/callback (Withings accepts https on port 443 only, no IP or localhost)" ;;
      *) say "  $tracker: $CONNECT_URL/oauth/$tracker/callback" ;;
    esac
  done
}

# connect_deployed: whether the connect function exists. A --dry-run plan assumes it does under --functions-only
# (which deploys only what exists) and that it does not otherwise (a blank project).
connect_deployed() {
  if is_dry_run; then
    show_check gcloud functions describe "$(function_name connect)" --gen2 --region="$REGION" --project="$PROJECT"
    [[ $FUNCTIONS_ONLY == yes ]]
    return
  fi
  exists gcloud functions describe "$(function_name connect)" --gen2 --region="$REGION" --project="$PROJECT"
}

# decide_connect: every deploy has the connect function unless --no-connect leaves it out. --no-connect never takes
# a deployed one offline (a forgotten page would keep running with grants and trackers no deploy keeps up to date):
# removing it is teardown.sh --connect-only. --functions-only may create nothing, so it deploys connect only where a
# full run created it.
decide_connect() {
  if [[ $WITH_CONNECT == no ]]; then
    [[ -z $CONNECT_URL ]] || die "--connect-url is for the connect function, which --no-connect leaves out"
    if connect_deployed; then
      die "the connect function is deployed in $PROJECT; --no-connect does not remove it: run bash infra/teardown.sh --project $PROJECT --region $REGION --connect-only first"
    fi
    return 0
  fi
  if [[ $FUNCTIONS_ONLY == yes ]] && ! connect_deployed; then
    [[ -z $CONNECT_URL ]] || die "--connect-url: the connect function is not deployed, and --functions-only cannot create it; run infra/deploy.sh without --functions-only first"
    say "# connect is not deployed in $PROJECT: a full run of infra/deploy.sh (without --functions-only) adds it"
    return 0
  fi
  fitsync_enable_connect
}

main() {
  parse_args "$@"
  require_gcloud
  # Commands then name paths relative to the repository, whichever directory the script was started from.
  cd "$ROOT_DIR"
  if is_dry_run; then
    say "# fitsync deploy plan for project $PROJECT, region $REGION (dry run: nothing is asked or changed, and"
    say "# the project is assumed blank; lines starting with gcloud or npm are the commands a real run would run)"
  fi

  # Only reads: a missing or wrong tracker value stops the run before anything is created.
  decide_connect
  select_trackers
  given_values
  resolve_tracker_values
  build_bundles
  if [[ $FUNCTIONS_ONLY == yes ]]; then
    require_deployed_functions
    resolve_connect_url
    deploy_functions
    print_webhook_urls
    print_redirect_uris
    return 0
  fi

  lookup_project_number
  enable_apis
  create_service_accounts
  create_topics
  create_secrets
  grant_roles
  create_firestore
  create_scheduler_job
  require_secret_values
  resolve_connect_url
  deploy_functions
  revoke_dropped_trackers
  print_webhook_urls
  print_redirect_uris
}

main "$@"
