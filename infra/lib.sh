# shellcheck shell=bash
#
# Helpers shared by deploy.sh, rollback.sh and teardown.sh: printing commands, running them (or, with
# --dry-run, only printing them) and asking gcloud whether something exists.
#
# Output: in --dry-run, standard output is the plan itself: every command that changes something on its own
# line, ready to copy, and every read-only check as a `# check:` comment. Otherwise each changing command is
# echoed as `+ …` before it runs. Read-only checks print to file descriptor 3, which the scripts point at
# the original standard output, so a check inside `$(…)` still shows in the plan.

# Checks write here, so that one inside `$(…)` still reaches the terminal (or the dry-run plan).
exec 3>&1

DRY_RUN=no
# What a check answers in --dry-run, where nothing is asked: deploy.sh plans for a blank project (nothing
# exists), teardown.sh for a complete deployment (everything exists).
DRY_RUN_ASSUME_EXISTS=no

# Exit status of query() when gcloud says the resource is not there.
readonly NOT_FOUND_STATUS=3

# Where query() keeps a check's standard error: one file for the whole run (checks run one after another),
# rather than a mktemp and rm around each of the run's many checks. Subshells do not run this trap.
QUERY_STDERR=$(mktemp)
trap 'rm -f "$QUERY_STDERR"' EXIT

die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

say() {
  printf '%s\n' "$*"
}

section() {
  printf '\n# --- %s\n' "$*"
}

# shell_quote ARG…: the arguments as one line a shell reads back as the same words.
shell_quote() {
  local arg safe='^[A-Za-z0-9_@%+=:,./-]+$' quoted="'\\''" out=""
  for arg in "$@"; do
    if [[ ! $arg =~ $safe ]]; then
      arg="'${arg//\'/$quoted}'"
    fi
    out+="${out:+ }$arg"
  done
  printf '%s\n' "$out"
}

is_dry_run() {
  [[ $DRY_RUN == yes ]]
}

show_check() {
  printf '# check: %s\n' "$(shell_quote "$@")" >&3
}

# run CMD…: a command that changes something. --dry-run prints it instead.
run() {
  if is_dry_run; then
    shell_quote "$@"
    return 0
  fi
  printf '+ %s\n' "$(shell_quote "$@")"
  "$@"
}

# run_retrying CMD…: like run, for IAM changes that name a service account created moments ago: IAM can take
# a little while before it accepts a new account as a member.
run_retrying() {
  local attempt=1
  until run "$@"; do
    if ((attempt >= 4)); then
      die "gave up after $attempt attempts: $(shell_quote "$@")"
    fi
    say "  retrying in $((attempt * 10)) s (a new service account takes a moment to reach IAM)"
    sleep $((attempt * 10))
    attempt=$((attempt + 1))
  done
}

# query CMD…: runs a read-only gcloud command and prints what it printed. Returns NOT_FOUND_STATUS when gcloud
# answers that the resource does not exist; any other failure (permission, disabled API, typo) stops the
# script, because treating it as "missing" would make the next step try to create what may already exist.
query() {
  local err=$QUERY_STDERR out rc=0
  out=$("$@" 2>"$err") || rc=$?
  if ((rc == 0)); then
    if [[ -n $out ]]; then printf '%s\n' "$out"; fi
    return 0
  fi
  if ! grep -q 'PERMISSION_DENIED' "$err" && grep -qiE 'NOT_FOUND|not found|does not exist|status=\[404\]' "$err"; then
    return "$NOT_FOUND_STATUS"
  fi
  cat "$err" >&2
  printf 'error: this check failed: %s\n' "$(shell_quote "$@")" >&2
  exit 1
}

# exists CMD…: whether a describe command finds its resource.
exists() {
  if is_dry_run; then
    show_check "$@"
    [[ $DRY_RUN_ASSUME_EXISTS == yes ]]
    return
  fi
  local rc=0
  query "$@" >/dev/null || rc=$?
  case $rc in
    0) return 0 ;;
    "$NOT_FOUND_STATUS") return 1 ;;
    *) exit "$rc" ;;
  esac
}

# value CMD…: what a read-only command prints; empty when the resource is not there, and in --dry-run.
# Call it as `x=$(value …) || exit` so that a failed check stops the script.
value() {
  if is_dry_run; then
    show_check "$@"
    return 0
  fi
  local rc=0
  query "$@" || rc=$?
  case $rc in
    0 | "$NOT_FOUND_STATUS") return 0 ;;
    *) exit "$rc" ;;
  esac
}

# sa_email ACCOUNT_ID: the email of one of fitsync's service accounts in PROJECT.
sa_email() {
  fitsync_sa_email "$1" "$PROJECT"
}

# sa_member ACCOUNT_ID: that account as an IAM member.
sa_member() {
  printf 'serviceAccount:%s\n' "$(sa_email "$1")"
}

# iam_target KIND NAME: sets IAM_TARGET to the gcloud words that address NAME's IAM policy, and IAM_SCOPE to
# the flags that go after the verb. KIND is project, topic, subscription, secret, service-account or
# run-service. Needs PROJECT (and REGION for run-service).
iam_target() {
  IAM_SCOPE=(--project="$PROJECT")
  case $1 in
    project)
      IAM_TARGET=(gcloud projects)
      IAM_SCOPE=()
      ;;
    topic) IAM_TARGET=(gcloud pubsub topics) ;;
    subscription) IAM_TARGET=(gcloud pubsub subscriptions) ;;
    secret) IAM_TARGET=(gcloud secrets) ;;
    service-account) IAM_TARGET=(gcloud iam service-accounts) ;;
    run-service) IAM_SCOPE=(--region="$REGION" --project="$PROJECT") && IAM_TARGET=(gcloud run services) ;;
    *) die "unknown IAM target kind: $1" ;;
  esac
}

# has_binding ROLE MEMBER KIND NAME: whether NAME's IAM policy already grants ROLE to MEMBER.
has_binding() {
  local role=$1 member=$2 policy tab=$'\t'
  iam_target "$3"
  policy=$(value "${IAM_TARGET[@]}" get-iam-policy "$4" ${IAM_SCOPE[@]+"${IAM_SCOPE[@]}"} \
    --flatten='bindings[].members' --format='value(bindings.role,bindings.members)') || exit
  # A whole line of the policy, matched in bash: a deploy checks some thirty grants.
  [[ $'\n'$policy$'\n' == *$'\n'"$role$tab$member"$'\n'* ]]
}

# ensure_binding ROLE MEMBER KIND NAME: grants ROLE to MEMBER on NAME unless it is already granted.
ensure_binding() {
  local role=$1 member=$2 kind=$3 name=$4 extra=()
  if has_binding "$role" "$member" "$kind" "$name"; then
    say "  kept    $role for $member on $kind $name"
    return 0
  fi
  iam_target "$kind"
  if [[ $kind == project ]]; then
    # Without it gcloud asks which condition to use when any conditional binding exists on the project.
    extra=(--condition=None)
  fi
  run_retrying "${IAM_TARGET[@]}" add-iam-policy-binding "$name" ${IAM_SCOPE[@]+"${IAM_SCOPE[@]}"} \
    --member="$member" --role="$role" ${extra[@]+"${extra[@]}"} --format=none
}

# remove_binding ROLE MEMBER KIND NAME: removes the grant if it is there.
remove_binding() {
  local role=$1 member=$2 kind=$3 name=$4 extra=()
  if ! is_dry_run && ! has_binding "$role" "$member" "$kind" "$name"; then
    return 0
  fi
  iam_target "$kind"
  if [[ $kind == project ]]; then
    extra=(--condition=None)
  fi
  run "${IAM_TARGET[@]}" remove-iam-policy-binding "$name" ${IAM_SCOPE[@]+"${IAM_SCOPE[@]}"} \
    --member="$member" --role="$role" ${extra[@]+"${extra[@]}"} --format=none
}

# webhook_env NAME: the value of the environment variable NAME on the deployed webhook; empty when the webhook
# is not deployed or has no such variable (and in --dry-run). Call it as `x=$(webhook_env …) || exit`.
webhook_env() {
  value gcloud functions describe "$(fitsync_fn webhook NAME)" --gen2 --region="$REGION" --project="$PROJECT" \
    --format="value(serviceConfig.environmentVariables.$1)"
}

# require_value NAME VALUE: stops when a required option is missing.
require_value() {
  if [[ -z $2 ]]; then
    die "$1 is required (see --help)"
  fi
}

# require_gcloud: real runs need the Google Cloud CLI; --dry-run never calls it.
require_gcloud() {
  if ! is_dry_run && ! command -v gcloud >/dev/null 2>&1; then
    die "gcloud was not found on PATH: install the Google Cloud CLI, or add --dry-run to only print the commands"
  fi
}
