#!/usr/bin/env bash
#
# Removes what infra/deploy.sh created. The Firestore database (users' links and sealed tokens, sync history)
# and the secrets (token key ring, OAuth clients, the trackers' secrets) stay unless --delete-data is given:
# without the key ring the tokens in Firestore can never be read again, and the database cannot be recreated in
# another location.
# Enabled APIs stay enabled (other things in the project may use them), and so do the images Cloud Functions
# kept in Artifact Registry (repository gcf-artifacts).

set -euo pipefail

INFRA_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=infra/functions.env.sh
source "$INFRA_DIR/functions.env.sh"
# shellcheck source=infra/lib.sh
source "$INFRA_DIR/lib.sh"

usage() {
  cat <<'EOF'
Usage: infra/teardown.sh --project ID --region REGION [--trackers LIST] [--connect-only] [--yes] [--delete-data]
                          [--dry-run]

Deletes the four functions (with worker and backfill their Eventarc triggers and subscriptions), the
scheduler job, the Pub/Sub topics and dead-letter subscriptions, the IAM grants and the service accounts
deploy.sh made. Each is deleted where it exists, so a deployment made with --no-connect tears down too.

Options:
  --project ID      Google Cloud project id (required)
  --region REGION   region of the deployment (required)
  --trackers LIST   the trackers whose secrets' grants (and with --delete-data, secrets) go, comma-separated
                    (default: the trackers the deployed webhook serves, else FITSYNC_TRACKERS in functions.env.sh)
  --connect-only    only the connect function, its account and its grants (what deploy.sh --no-connect needs
                    gone); with --delete-data also the secrets only it reads (its session key, Polar's OAuth
                    client). Everything else keeps running.
  --delete-data     also delete the Firestore database and the secrets (the token key ring, the Google OAuth
                    client and the trackers' secrets): this cannot be undone
  --yes             do not ask for confirmation
  --dry-run         print the commands instead of running them; needs no gcloud, assumes everything exists
  -h, --help        this text
EOF
}

PROJECT=""
REGION=""
TRACKERS=""
ASSUME_YES=no
DELETE_DATA=no
CONNECT_ONLY=no

parse_args() {
  while (($#)); do
    local arg=$1 val=""
    case $arg in
      --*=*)
        val=${arg#*=}
        arg=${arg%%=*}
        ;;
      --project | --region | --trackers)
        (($# >= 2)) || die "$arg needs a value"
        val=$2
        shift
        ;;
    esac
    case $arg in
      --project) PROJECT=$val ;;
      --region) REGION=$val ;;
      --trackers) TRACKERS=$val ;;
      --yes) ASSUME_YES=yes ;;
      --delete-data) DELETE_DATA=yes ;;
      --connect-only) CONNECT_ONLY=yes ;;
      --dry-run) DRY_RUN=yes ;;
      -h | --help)
        usage
        exit 0
        ;;
      *) die "unknown option: $1 (see --help)" ;;
    esac
    shift
  done
  require_value --project "$PROJECT"
  require_value --region "$REGION"
}

confirm() {
  if is_dry_run || [[ $ASSUME_YES == yes ]]; then
    return 0
  fi
  local what="fitsync's functions, topics, scheduler job, IAM grants and service accounts"
  if [[ $CONNECT_ONLY == yes ]]; then
    what="fitsync's connect function, its IAM grants and its service account"
    if [[ $DELETE_DATA == yes ]]; then what+=", AND the secrets only it reads (its session key)"; fi
  elif [[ $DELETE_DATA == yes ]]; then
    what+=", AND its Firestore database and secrets (users' links and tokens: this cannot be undone)"
  fi
  if [[ ! -t 0 ]]; then
    die "refusing to delete without confirmation: nothing to ask on standard input; add --yes"
  fi
  local answer
  read -r -p "Delete $what from project $PROJECT? Type the project id to confirm: " answer
  [[ $answer == "$PROJECT" ]] || die "not confirmed; nothing was deleted"
}

delete_functions() {
  section "Functions"
  local id name ids=""
  # The reverse of the deploy order, so the webhook goes first: trackers get errors (and retry later) instead
  # of events being published to nobody.
  for id in $FITSYNC_FUNCTION_IDS; do ids="$id $ids"; done
  for id in $ids; do
    name=$(fitsync_fn "$id" NAME)
    if exists gcloud functions describe "$name" --gen2 --region="$REGION" --project="$PROJECT"; then
      run gcloud functions delete "$name" --gen2 --region="$REGION" --project="$PROJECT" --quiet
    fi
  done
}

delete_scheduler_job() {
  section "Cloud Scheduler"
  if exists gcloud scheduler jobs describe "$FITSYNC_BACKFILL_JOB" --location="$REGION" --project="$PROJECT"; then
    run gcloud scheduler jobs delete "$FITSYNC_BACKFILL_JOB" --location="$REGION" --project="$PROJECT" --quiet
  fi
}

delete_pubsub() {
  section "Pub/Sub"
  local topic id subscription
  for id in $(fitsync_topic_function_ids); do
    subscription=$(fitsync_fn "$id" DEAD_LETTER_SUBSCRIPTION)
    if exists gcloud pubsub subscriptions describe "$subscription" --project="$PROJECT"; then
      run gcloud pubsub subscriptions delete "$subscription" --project="$PROJECT" --quiet
    fi
  done
  for topic in $FITSYNC_TOPICS; do
    if exists gcloud pubsub topics describe "$topic" --project="$PROJECT"; then
      run gcloud pubsub topics delete "$topic" --project="$PROJECT" --quiet
    fi
  done
}

# Grants on deleted topics and functions go with them; these are the ones on what stays (the project, and
# the secrets unless --delete-data), which would otherwise linger as "deleted:serviceAccount:…" members.
revoke_roles() {
  section "IAM"
  local webhook_sa worker_sa secret account role
  webhook_sa=$(sa_member "$(fitsync_fn webhook SERVICE_ACCOUNT)")
  worker_sa=$(sa_member "$(fitsync_fn worker SERVICE_ACCOUNT)")
  # Read on descriptor 4: gcloud inside the loop must not swallow the list from standard input.
  while read -r account role <&4; do
    if [[ -n $account ]]; then remove_binding "$role" "$(sa_member "$account")" project "$PROJECT"; fi
  done 4<<<"$FITSYNC_PROJECT_GRANTS"
  if [[ $DELETE_DATA == no ]]; then
    for secret in $(fitsync_fn webhook READS_SECRETS); do
      if is_dry_run || exists gcloud secrets describe "$secret" --project="$PROJECT"; then
        remove_binding roles/secretmanager.secretAccessor "$webhook_sa" secret "$secret"
      fi
    done
    for secret in $(fitsync_fn worker READS_SECRETS); do
      if is_dry_run || exists gcloud secrets describe "$secret" --project="$PROJECT"; then
        remove_binding roles/secretmanager.secretAccessor "$worker_sa" secret "$secret"
      fi
    done
    for secret in $(if [[ $FITSYNC_CONNECT == yes ]]; then fitsync_fn connect READS_SECRETS; fi); do
      if is_dry_run || exists gcloud secrets describe "$secret" --project="$PROJECT"; then
        remove_binding roles/secretmanager.secretAccessor "$(sa_member "$(fitsync_fn connect SERVICE_ACCOUNT)")" secret "$secret"
      fi
    done
  fi
}

delete_service_accounts() {
  section "Service accounts"
  local sa
  for sa in "$(fitsync_fn webhook SERVICE_ACCOUNT)" "$(fitsync_fn worker SERVICE_ACCOUNT)" \
    $(if [[ $FITSYNC_CONNECT == yes ]]; then fitsync_fn connect SERVICE_ACCOUNT; fi) "$FITSYNC_TRIGGER_SERVICE_ACCOUNT" "$FITSYNC_BUILD_SERVICE_ACCOUNT" "$FITSYNC_DEPLOYER_SERVICE_ACCOUNT"; do
    if exists gcloud iam service-accounts describe "$(sa_email "$sa")" --project="$PROJECT"; then
      run gcloud iam service-accounts delete "$(sa_email "$sa")" --project="$PROJECT" --quiet
    fi
  done
}

delete_data() {
  section "Data"
  if [[ $DELETE_DATA == no ]]; then
    say "# kept: Firestore database $FITSYNC_FIRESTORE_DATABASE and secrets $FITSYNC_SECRETS (add --delete-data to delete them)"
    return 0
  fi
  local secret
  for secret in $FITSYNC_SECRETS; do
    if exists gcloud secrets describe "$secret" --project="$PROJECT"; then
      run gcloud secrets delete "$secret" --project="$PROJECT" --quiet
    fi
  done
  if exists gcloud firestore databases describe --database="$FITSYNC_FIRESTORE_DATABASE" --project="$PROJECT"; then
    run gcloud firestore databases delete --database="$FITSYNC_FIRESTORE_DATABASE" --project="$PROJECT" --quiet
  fi
}

# connect_only_secrets: the secrets the connect function reads and no other function does.
connect_only_secrets() {
  local secret others
  others=" $(fitsync_fn webhook READS_SECRETS) $(fitsync_fn worker READS_SECRETS) "
  for secret in $(fitsync_fn connect READS_SECRETS); do
    if [[ $others != *" $secret "* ]]; then printf '%s\n' "$secret"; fi
  done
}

# delete_connect: --connect-only. The topics, secrets and project stay, so the grants on them are removed one by
# one; the deployer's grant on the account goes with the account.
delete_connect() {
  section "Connect function"
  local name connect_sa account role secret
  name=$(fitsync_fn connect NAME)
  connect_sa=$(sa_member "$(fitsync_fn connect SERVICE_ACCOUNT)")
  if exists gcloud functions describe "$name" --gen2 --region="$REGION" --project="$PROJECT"; then
    run gcloud functions delete "$name" --gen2 --region="$REGION" --project="$PROJECT" --quiet
  fi
  # Read on descriptor 4: gcloud inside the loop must not swallow the list from standard input.
  while read -r account role <&4; do
    if [[ $account == "$(fitsync_fn connect SERVICE_ACCOUNT)" ]]; then remove_binding "$role" "$connect_sa" project "$PROJECT"; fi
  done 4<<<"$FITSYNC_PROJECT_GRANTS"
  if is_dry_run || exists gcloud pubsub topics describe "$FITSYNC_BACKFILL_TOPIC" --project="$PROJECT"; then
    remove_binding roles/pubsub.publisher "$connect_sa" topic "$FITSYNC_BACKFILL_TOPIC"
  fi
  for secret in $(fitsync_fn connect READS_SECRETS); do
    if is_dry_run || exists gcloud secrets describe "$secret" --project="$PROJECT"; then
      remove_binding roles/secretmanager.secretAccessor "$connect_sa" secret "$secret"
    fi
  done
  if exists gcloud iam service-accounts describe "$(sa_email "$(fitsync_fn connect SERVICE_ACCOUNT)")" --project="$PROJECT"; then
    run gcloud iam service-accounts delete "$(sa_email "$(fitsync_fn connect SERVICE_ACCOUNT)")" --project="$PROJECT" --quiet
  fi
  if [[ $DELETE_DATA == no ]]; then
    say "# kept: secrets $(connect_only_secrets | paste -sd ' ' -) (add --delete-data to delete them)"
    return 0
  fi
  for secret in $(connect_only_secrets); do
    if exists gcloud secrets describe "$secret" --project="$PROJECT"; then
      run gcloud secrets delete "$secret" --project="$PROJECT" --quiet
    fi
  done
}

main() {
  parse_args "$@"
  require_gcloud
  DRY_RUN_ASSUME_EXISTS=yes
  if is_dry_run; then
    say "# fitsync teardown plan for project $PROJECT, region $REGION (dry run: nothing is asked or changed,"
    say "# and everything deploy.sh creates is assumed to exist)"
  fi
  # Read before the webhook goes: which trackers it served says which secrets the accounts were granted.
  if [[ -z $TRACKERS ]]; then TRACKERS=$(webhook_env FITSYNC_TRACKERS) || exit; fi
  # Every step below deletes only what exists, so connect is included whether or not it was deployed.
  fitsync_enable_connect
  fitsync_select_trackers "${TRACKERS:-$FITSYNC_TRACKERS}" || exit 1
  confirm
  if [[ $CONNECT_ONLY == yes ]]; then
    delete_connect
    return 0
  fi
  delete_functions
  delete_scheduler_job
  delete_pubsub
  revoke_roles
  delete_service_accounts
  delete_data
  if ! is_dry_run; then
    say ""
    say "Done. APIs stay enabled, and images stay in Artifact Registry (gcf-artifacts) until you delete them."
  fi
}

main "$@"
