#!/usr/bin/env bash
#
# Rolls one function back by sending all traffic of its Cloud Run service to an earlier revision. A 2nd gen
# function is a Cloud Run service and every deploy is a new revision that keeps its own code, environment and
# secret bindings, so nothing is rebuilt: the switch takes seconds. The next infra/deploy.sh run moves the
# traffic back to the revision it deploys.

set -euo pipefail

INFRA_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=infra/functions.env.sh
source "$INFRA_DIR/functions.env.sh"
# shellcheck source=infra/lib.sh
source "$INFRA_DIR/lib.sh"

usage() {
  cat <<'EOF'
Usage: infra/rollback.sh --project ID --region REGION --function webhook|worker|backfill|connect
                          [--revision NAME] [--dry-run]

Without --revision it lists the function's revisions, newest first, and rolls back to the one deployed just
before the revision now serving. With --revision it sends all traffic to that revision.

Options:
  --project ID        Google Cloud project id (required)
  --region REGION     region of the function (required)
  --function NAME     webhook, worker, backfill or connect (or its deployed name) (required)
  --revision NAME     revision to serve, e.g. webhook-00007-xiz
  --dry-run           print the commands instead of running them; needs no gcloud
  -h, --help          this text

Undo: `gcloud run services update-traffic NAME --to-latest --region=REGION --project=ID`, or deploy again.
EOF
}

PROJECT=""
REGION=""
FUNCTION=""
REVISION=""

parse_args() {
  while (($#)); do
    local arg=$1 val=""
    case $arg in
      --*=*)
        val=${arg#*=}
        arg=${arg%%=*}
        ;;
      --project | --region | --function | --revision)
        (($# >= 2)) || die "$arg needs a value"
        val=$2
        shift
        ;;
    esac
    case $arg in
      --project) PROJECT=$val ;;
      --region) REGION=$val ;;
      --function) FUNCTION=$val ;;
      --revision) REVISION=$val ;;
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
  require_value --function "$FUNCTION"
  local id
  # Any function deploy.sh may deploy can be rolled back; rollback.sh needs no more of connect than its name.
  fitsync_enable_connect
  id=$(fitsync_function_id "$FUNCTION") || die "--function must be one of: $FITSYNC_FUNCTION_IDS (got '$FUNCTION')"
  SERVICE=$(fitsync_fn "$id" NAME)
}

# previous_revision: the newest revision older than the one serving now.
previous_revision() {
  local revisions serving
  revisions=$(value gcloud run revisions list --service="$SERVICE" --region="$REGION" --project="$PROJECT" \
    --sort-by='~metadata.creationTimestamp' --format='value(metadata.name)') || exit
  serving=$(value gcloud run services describe "$SERVICE" --region="$REGION" --project="$PROJECT" \
    --format='value(status.traffic[0].revisionName)') || exit
  if is_dry_run; then
    printf '%s\n' PREVIOUS_REVISION
    return 0
  fi
  [[ -n $revisions ]] || die "$SERVICE has no revisions in $REGION (is it deployed there?)"
  local line
  {
    say "Revisions of $SERVICE, newest first (serving: ${serving:-unknown}):"
    while IFS= read -r line; do say "  $line"; done <<<"$revisions"
  } >&2
  # Everything listed after the serving revision is older; the first of those is the one to go back to.
  local previous
  previous=$(awk -v serving="$serving" 'found { print; exit } $0 == serving { found = 1 }' <<<"$revisions")
  [[ -n $previous ]] || die "no revision older than ${serving:-the serving one}: nothing to roll back to"
  printf '%s\n' "$previous"
}

main() {
  parse_args "$@"
  require_gcloud
  if [[ -z $REVISION ]]; then
    REVISION=$(previous_revision) || exit
  fi
  run gcloud run services update-traffic "$SERVICE" --region="$REGION" --project="$PROJECT" \
    --to-revisions="$REVISION=100"
  if ! is_dry_run; then
    say "$SERVICE now serves $REVISION. The next infra/deploy.sh run serves its new revision again."
  fi
}

main "$@"
