#!/usr/bin/env bash
#
# Stand-in for the Google Cloud CLI in the tests of infra/*.sh (the tests copy it to a temporary bin/gcloud).
#
# - Records every call in $FAKE_GCLOUD_STATE/calls.log: one line per call, arguments separated by \x1f.
# - Keeps a small state in that directory, so a describe finds what an earlier create made and otherwise
#   fails like gcloud: exit 1 and `ERROR: (gcloud.pubsub.topics.describe) NOT_FOUND: …` on stderr.
# - Knows only the commands and flags the scripts are meant to use, with the spelling of the gcloud
#   reference, and rejects anything else (exit 2) so a misspelt flag fails the test instead of a real deploy.
# - Checks what the real services would refuse: creating what exists, granting on what does not, a function
#   bound to a secret its identity may not read or that has no version, every call without --project.
# - $FAKE_GCLOUD_FAIL: a command prefix (e.g. "pubsub topics describe") that answers PERMISSION_DENIED.

set -euo pipefail

STATE=${FAKE_GCLOUD_STATE:?FAKE_GCLOUD_STATE must name the state directory}
mkdir -p "$STATE"
touch "$STATE/resources" "$STATE/bindings"

{
  for arg in "$@"; do printf '%s\037' "$arg"; done
  printf '\n'
} >>"$STATE/calls.log"

PROJECT_NUMBER=123456789012

# --- Parsing -------------------------------------------------------------------------------------------------

words=()
flag_names=()
flag_values=()
for arg in "$@"; do
  case $arg in
    --*=*)
      flag_names+=("${arg%%=*}")
      flag_values+=("${arg#*=}")
      ;;
    --*)
      flag_names+=("$arg")
      flag_values+=("")
      ;;
    *) words+=("$arg") ;;
  esac
done

usage_error() {
  printf 'ERROR: (gcloud) fake gcloud: %s\n' "$*" >&2
  exit 2
}

((${#words[@]} >= 2)) || usage_error "no command in: $*"

known_commands="projects describe
projects get-iam-policy
projects add-iam-policy-binding
projects remove-iam-policy-binding
services list
services enable
iam service-accounts describe
iam service-accounts create
iam service-accounts delete
iam service-accounts get-iam-policy
iam service-accounts add-iam-policy-binding
pubsub topics describe
pubsub topics create
pubsub topics delete
pubsub topics get-iam-policy
pubsub topics add-iam-policy-binding
pubsub subscriptions describe
pubsub subscriptions create
pubsub subscriptions update
pubsub subscriptions delete
pubsub subscriptions get-iam-policy
pubsub subscriptions add-iam-policy-binding
secrets describe
secrets create
secrets delete
secrets get-iam-policy
secrets add-iam-policy-binding
secrets remove-iam-policy-binding
secrets versions list
secrets versions add
firestore databases describe
firestore databases create
firestore databases delete
firestore fields ttls list
firestore fields ttls update
firestore indexes composite list
firestore indexes composite create
scheduler jobs describe
scheduler jobs create pubsub
scheduler jobs delete
functions describe
functions deploy
functions delete
eventarc triggers describe
run services describe
run services get-iam-policy
run services add-iam-policy-binding
run services update-traffic
run revisions list"

cmd=""
for n in 4 3 2; do
  ((${#words[@]} >= n)) || continue
  candidate="${words[*]:0:n}"
  if grep -qxF "$candidate" <<<"$known_commands"; then
    cmd=$candidate
    break
  fi
done
[[ -n $cmd ]] || usage_error "unknown command: ${words[*]}"
cmd_words=$(wc -w <<<"$cmd")
positionals=("${words[@]:cmd_words}")
NAME=${positionals[0]:-}

if [[ -n ${FAKE_GCLOUD_FAIL:-} && $cmd == "$FAKE_GCLOUD_FAIL"* ]]; then
  printf 'ERROR: (gcloud.%s) PERMISSION_DENIED: Permission denied (or it may not exist).\n' "${cmd// /.}" >&2
  exit 1
fi

global_flags="--project --quiet --format --flatten --verbosity"
list_flags="--filter --limit --sort-by"
case $cmd in
  "projects describe") allowed="" ;;
  "projects get-iam-policy" | *" get-iam-policy") allowed="--region" ;;
  "projects add-iam-policy-binding" | "projects remove-iam-policy-binding") allowed="--member --role --condition" ;;
  *" add-iam-policy-binding" | *" remove-iam-policy-binding") allowed="--member --role --region" ;;
  "services list") allowed="--enabled $list_flags" ;;
  "services enable") allowed="" ;;
  "iam service-accounts create") allowed="--display-name --description" ;;
  "pubsub subscriptions create") allowed="--topic --message-retention-duration --expiration-period --ack-deadline" ;;
  "pubsub subscriptions update") allowed="--dead-letter-topic --max-delivery-attempts --min-retry-delay --max-retry-delay" ;;
  "secrets create") allowed="--replication-policy --data-file --labels" ;;
  "secrets versions list") allowed="$list_flags" ;;
  "secrets versions add") allowed="--data-file" ;;
  "firestore databases describe" | "firestore databases delete") allowed="--database" ;;
  "firestore databases create") allowed="--database --location --type" ;;
  "firestore fields ttls list") allowed="--collection-group --database $list_flags" ;;
  "firestore fields ttls update") allowed="--collection-group --database --enable-ttl --disable-ttl --async" ;;
  "firestore indexes composite list") allowed="--database $list_flags" ;;
  "firestore indexes composite create") allowed="--collection-group --field-config --query-scope --api-scope --database --async" ;;
  "scheduler jobs describe" | "scheduler jobs delete") allowed="--location" ;;
  "scheduler jobs create pubsub") allowed="--location --schedule --time-zone --topic --message-body --description" ;;
  "functions describe" | "functions delete") allowed="--gen2 --region" ;;
  "functions deploy")
    allowed="--gen2 --region --runtime --source --entry-point --service-account --build-service-account --memory --cpu
      --concurrency --min-instances --max-instances --timeout --set-env-vars --set-secrets --trigger-http
      --trigger-topic --trigger-service-account --retry --allow-unauthenticated --no-allow-unauthenticated
      --serve-all-traffic-latest-revision --ingress-settings"
    ;;
  "eventarc triggers describe") allowed="--location" ;;
  "run services describe") allowed="--region" ;;
  "run services update-traffic") allowed="--region --to-revisions --to-latest" ;;
  "run revisions list") allowed="--service --region $list_flags" ;;
  *) allowed="" ;;
esac
for name in ${flag_names[@]+"${flag_names[@]}"}; do
  known=no
  for allowed_name in $allowed $global_flags; do
    if [[ $name == "$allowed_name" ]]; then known=yes; fi
  done
  [[ $known == yes ]] || usage_error "unrecognized arguments: $name (for gcloud $cmd)"
done

flag() {
  local i
  for i in "${!flag_names[@]}"; do
    if [[ ${flag_names[i]} == "$1" ]]; then
      printf '%s' "${flag_values[i]}"
      return 0
    fi
  done
  return 1
}

has_flag() {
  flag "$1" >/dev/null
}

require_flag() {
  has_flag "$1" || usage_error "gcloud $cmd needs $1"
}

if [[ $cmd == projects* ]]; then
  PROJECT=$NAME
  [[ -n $PROJECT ]] || usage_error "gcloud $cmd needs the project id"
  has_flag --project && usage_error "gcloud $cmd takes the project as its argument, not --project"
else
  PROJECT=$(flag --project) || usage_error "every call must name --project (never rely on the active configuration)"
fi

if [[ $cmd != "services enable" ]] && ((${#positionals[@]} > 1)); then
  usage_error "unexpected arguments: ${positionals[*]:1} (value flags are written --flag=value)"
fi

# dict_items VALUE: the KEY=VALUE items of a dictionary flag, one a line. Like gcloud (`gcloud topic escaping`),
# items are split at commas unless VALUE starts with ^DELIM^, and an item that is not KEY=VALUE is an error.
dict_items() {
  local value=$1 delimiter=, item
  if [[ $value =~ ^\^([^^]+)\^(.*)$ ]]; then
    delimiter=${BASH_REMATCH[1]}
    value=${BASH_REMATCH[2]}
  fi
  value=${value//"$delimiter"/$'\n'}
  while IFS= read -r item; do
    [[ $item =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || usage_error "argument of gcloud $cmd: Bad syntax for dict arg: [$item]"
    printf '%s\n' "$item"
  done <<<"$value"
}

# --- State ---------------------------------------------------------------------------------------------------

has() { grep -qxF "$1" "$STATE/resources"; }
add() { has "$1" || printf '%s\n' "$1" >>"$STATE/resources"; }
# Deleting a resource deletes its IAM policy with it.
del() {
  grep -vxF "$1" "$STATE/resources" >"$STATE/resources.tmp" || true
  mv "$STATE/resources.tmp" "$STATE/resources"
  awk -F '\t' -v key="$1" '$1 != key' "$STATE/bindings" >"$STATE/bindings.tmp"
  mv "$STATE/bindings.tmp" "$STATE/bindings"
}

not_found() {
  printf 'ERROR: (gcloud.%s) NOT_FOUND: Resource not found (resource=%s).\n' "${cmd// /.}" "$1" >&2
  exit 1
}

already_exists() {
  printf 'ERROR: (gcloud.%s) ALREADY_EXISTS: Resource already exists in the project (resource=%s).\n' "${cmd// /.}" "$1" >&2
  exit 1
}

create() {
  has "$1" && already_exists "$1"
  add "$1"
}

must_exist() {
  has "$1" || not_found "$1"
}

short() {
  printf '%s' "${1##*/}"
}

sa_key() {
  [[ $1 == *"@$PROJECT.iam.gserviceaccount.com" ]] || usage_error "not a service account of $PROJECT: $1"
  printf 'sa %s' "${1%%@*}"
}

# The value() projections the scripts use, and nothing else: an unexpected format fails loudly.
require_format() {
  local want=$1 got
  got=$(flag --format) || got=""
  [[ $got == "$want" ]] || usage_error "gcloud $cmd: unsupported --format '$got' (the stand-in answers '$want')"
}

# --- IAM -----------------------------------------------------------------------------------------------------

iam_get() {
  must_exist "$1"
  [[ $(flag --flatten) == 'bindings[].members' ]] || usage_error "get-iam-policy without --flatten=bindings[].members"
  require_format 'value(bindings.role,bindings.members)'
  local key=$1
  awk -F '\t' -v key="$key" '$1 == key { print $2 "\t" $3 }' "$STATE/bindings"
}

iam_add() {
  must_exist "$1"
  require_flag --member
  require_flag --role
  local line
  line="$1"$'\t'"$(flag --role)"$'\t'"$(flag --member)"
  grep -qxF "$line" "$STATE/bindings" || printf '%s\n' "$line" >>"$STATE/bindings"
}

iam_remove() {
  must_exist "$1"
  local line
  line="$1"$'\t'"$(flag --role)"$'\t'"$(flag --member)"
  grep -vxF "$line" "$STATE/bindings" >"$STATE/bindings.tmp" || true
  mv "$STATE/bindings.tmp" "$STATE/bindings"
}

iam_verb() {
  case $cmd in
    *get-iam-policy) iam_get "$1" ;;
    *add-iam-policy-binding) iam_add "$1" ;;
    *remove-iam-policy-binding) iam_remove "$1" ;;
  esac
}

# --- Commands ------------------------------------------------------------------------------------------------

case $cmd in
  "projects describe")
    require_format 'value(projectNumber)'
    printf '%s\n' "$PROJECT_NUMBER"
    ;;
  projects*)
    add "project $PROJECT"
    iam_verb "project $PROJECT"
    ;;

  "services list")
    require_flag --enabled
    require_format 'value(config.name)'
    sed -n 's/^api //p' "$STATE/resources"
    ;;
  "services enable")
    for api in "${positionals[@]}"; do add "api $api"; done
    ;;

  "iam service-accounts describe") must_exist "$(sa_key "$NAME")" ;;
  "iam service-accounts create")
    [[ $NAME =~ ^[a-z][a-z0-9-]{4,28}[a-z0-9]$ ]] || usage_error "invalid service account id: $NAME"
    create "sa $NAME"
    ;;
  "iam service-accounts delete")
    must_exist "$(sa_key "$NAME")"
    del "$(sa_key "$NAME")"
    ;;
  "iam service-accounts"*) iam_verb "$(sa_key "$NAME")" ;;

  "pubsub topics describe") must_exist "topic $NAME" ;;
  "pubsub topics create") create "topic $NAME" ;;
  "pubsub topics delete")
    must_exist "topic $NAME"
    del "topic $NAME"
    ;;
  "pubsub topics"*) iam_verb "topic $NAME" ;;

  "pubsub subscriptions describe")
    key="subscription $(short "$NAME")"
    must_exist "$key"
    if has_flag --format; then
      require_format 'value(deadLetterPolicy.deadLetterTopic,deadLetterPolicy.maxDeliveryAttempts,retryPolicy.minimumBackoff,retryPolicy.maximumBackoff)'
      cat "$STATE/policy-$(short "$NAME")" 2>/dev/null || printf '\n'
    fi
    ;;
  "pubsub subscriptions create")
    must_exist "topic $(flag --topic)"
    create "subscription $NAME"
    ;;
  "pubsub subscriptions update")
    must_exist "subscription $(short "$NAME")"
    topic=$(flag --dead-letter-topic) || usage_error "expected --dead-letter-topic"
    [[ $topic == "projects/$PROJECT/topics/"* ]] || usage_error "dead-letter topic should be a full name: $topic"
    must_exist "topic $(short "$topic")"
    attempts=$(flag --max-delivery-attempts) || usage_error "expected --max-delivery-attempts"
    ((attempts >= 5 && attempts <= 100)) || usage_error "--max-delivery-attempts must be 5..100"
    printf '%s\t%s\t%s\t%s\n' "$topic" "$attempts" "$(flag --min-retry-delay)" "$(flag --max-retry-delay)" \
      >"$STATE/policy-$(short "$NAME")"
    ;;
  "pubsub subscriptions delete")
    must_exist "subscription $NAME"
    del "subscription $NAME"
    ;;
  "pubsub subscriptions"*) iam_verb "subscription $(short "$NAME")" ;;

  "secrets describe") must_exist "secret $NAME" ;;
  "secrets create")
    require_flag --replication-policy
    create "secret $NAME"
    if has_flag --data-file; then add "secret-version $NAME"; fi
    ;;
  "secrets delete")
    must_exist "secret $NAME"
    del "secret $NAME"
    del "secret-version $NAME"
    ;;
  "secrets versions list")
    must_exist "secret $NAME"
    require_format 'value(name)'
    if has "secret-version $NAME"; then printf '1\n'; fi
    ;;
  "secrets versions add")
    must_exist "secret $NAME"
    cat >/dev/null
    add "secret-version $NAME"
    ;;
  "secrets"*) iam_verb "secret $NAME" ;;

  "firestore databases describe")
    must_exist "firestore $(flag --database)"
    if has_flag --format; then
      require_format 'value(type)'
      printf 'FIRESTORE_NATIVE\n'
    fi
    ;;
  "firestore databases create")
    require_flag --location
    [[ $(flag --type) == firestore-native ]] || usage_error "expected --type=firestore-native"
    create "firestore $(flag --database)"
    ;;
  "firestore databases delete")
    must_exist "firestore $(flag --database)"
    del "firestore $(flag --database)"
    ;;
  "firestore fields ttls list")
    require_format 'value(name)'
    group=$(flag --collection-group)
    sed -n "s|^ttl $group/|projects/$PROJECT/databases/$(flag --database)/collectionGroups/$group/fields/|p" "$STATE/resources"
    ;;
  "firestore fields ttls update")
    must_exist "firestore $(flag --database)"
    require_flag --enable-ttl
    add "ttl $(flag --collection-group)/$NAME"
    ;;

  # An index is kept as "index GROUP SCOPE FIELD:ORDER,…" in the API's spelling (COLLECTION, ASCENDING).
  "firestore indexes composite list")
    must_exist "firestore $(flag --database)"
    [[ $(flag --flatten) == 'fields[]' ]] || usage_error "composite list without --flatten=fields[]"
    require_format 'value(name,queryScope,fields.fieldPath,fields.order)'
    sed -n 's/^index //p' "$STATE/resources" | while read -r group scope fields; do
      id=$(printf '%s' "$group $scope $fields" | cksum | cut -d' ' -f1)
      # Like the API, every index ends with the implicit __name__ field.
      for field in ${fields//,/ } __name__:ASCENDING; do
        printf 'projects/%s/databases/%s/collectionGroups/%s/indexes/CICAg%s\t%s\t%s\t%s\n' \
          "$PROJECT" "$(flag --database)" "$group" "$id" "$scope" "${field%%:*}" "${field#*:}"
      done
    done
    ;;
  "firestore indexes composite create")
    must_exist "firestore $(flag --database)"
    group=$(flag --collection-group) || usage_error "expected --collection-group"
    scope=$(flag --query-scope || printf collection)
    [[ $scope =~ ^(collection|collection-group|collection-recursive)$ ]] || usage_error "invalid --query-scope: $scope"
    fields=""
    for i in "${!flag_names[@]}"; do
      [[ ${flag_names[i]} == --field-config ]] || continue
      config=${flag_values[i]}
      [[ $config =~ ^field-path=([A-Za-z_][A-Za-z0-9_.]*),order=(ascending|descending)$ ]] ||
        usage_error "invalid --field-config: $config (expected field-path=FIELD,order=ascending|descending)"
      order=$(tr '[:lower:]' '[:upper:]' <<<"${BASH_REMATCH[2]}")
      fields+="${fields:+,}${BASH_REMATCH[1]}:$order"
    done
    [[ $fields == *,* ]] || usage_error "a composite index needs at least two --field-config"
    create "index $group $(tr '[:lower:]-' '[:upper:]_' <<<"$scope") $fields"
    ;;

  "scheduler jobs describe") must_exist "job $NAME" ;;
  "scheduler jobs create pubsub")
    for f in --location --schedule --topic --message-body; do require_flag "$f"; done
    must_exist "topic $(flag --topic)"
    create "job $NAME"
    ;;
  "scheduler jobs delete")
    must_exist "job $NAME"
    del "job $NAME"
    ;;

  "functions describe")
    must_exist "function $NAME"
    case $(flag --format || true) in
      "") printf 'name: projects/%s/locations/%s/functions/%s\n' "$PROJECT" "$(flag --region)" "$NAME" ;;
      'value(serviceConfig.uri)') printf 'https://%s-fake123-%s.a.run.app\n' "$NAME" "$(flag --region)" ;;
      'value(eventTrigger.trigger)')
        if has "trigger $NAME-424242"; then
          printf 'projects/%s/locations/%s/triggers/%s-424242\n' "$PROJECT" "$(flag --region)" "$NAME"
        fi
        ;;
      'value(serviceConfig.environmentVariables.'*')')
        variable=$(flag --format)
        variable=${variable#value(serviceConfig.environmentVariables.}
        variable=${variable%)}
        [[ $variable =~ ^[A-Z][A-Z0-9_]*$ ]] || usage_error "gcloud functions describe: not a variable name: $variable"
        sed -n "s/^$variable=//p" "$STATE/function-$NAME.env"
        ;;
      *) usage_error "gcloud functions describe: unsupported --format '$(flag --format)'" ;;
    esac
    ;;
  "functions deploy")
    for f in --gen2 --region --runtime --source --entry-point --service-account; do require_flag "$f"; done
    source_dir=$(flag --source)
    [[ -f $source_dir/index.js && -f $source_dir/package.json ]] ||
      usage_error "--source=$source_dir has no index.js and package.json"
    must_exist "$(sa_key "$(flag --service-account)")"
    if has_flag --build-service-account; then
      build_sa=$(flag --build-service-account)
      [[ $build_sa == "projects/$PROJECT/serviceAccounts/"* ]] || usage_error "--build-service-account must be projects/P/serviceAccounts/EMAIL"
      must_exist "$(sa_key "${build_sa##*/}")"
    fi
    # Cloud Run resolves secret bindings at deploy time, as the function's own identity.
    if has_flag --set-secrets; then
      bindings=$(dict_items "$(flag --set-secrets)") || exit
      for binding in $bindings; do
        secret=${binding#*=}
        secret=${secret%%:*}
        must_exist "secret $secret"
        has "secret-version $secret" || {
          printf 'ERROR: (gcloud.functions.deploy) secret %s has no enabled version\n' "$secret" >&2
          exit 1
        }
        grep -qxF "secret $secret"$'\t'"roles/secretmanager.secretAccessor"$'\t'"serviceAccount:$(flag --service-account)" "$STATE/bindings" || {
          printf 'ERROR: (gcloud.functions.deploy) Permission denied on secret %s for %s\n' "$secret" "$(flag --service-account)" >&2
          exit 1
        }
      done
    fi
    if has_flag --trigger-topic; then
      must_exist "topic $(flag --trigger-topic)"
      require_flag --trigger-service-account
      must_exist "$(sa_key "$(flag --trigger-service-account)")"
      if ! has "trigger $NAME-424242"; then
        add "trigger $NAME-424242"
        add "subscription eventarc-$(flag --region)-$NAME-424242-sub-001"
      fi
    else
      require_flag --trigger-http
    fi
    add "function $NAME"
    add "run-service $NAME"
    public_grant="run-service $NAME"$'\t'"roles/run.invoker"$'\t'"allUsers"
    if has_flag --allow-unauthenticated && ! grep -qxF "$public_grant" "$STATE/bindings"; then
      printf '%s\n' "$public_grant" >>"$STATE/bindings"
    fi
    : >"$STATE/function-$NAME.env"
    if has_flag --set-env-vars; then
      dict_items "$(flag --set-env-vars)" >"$STATE/function-$NAME.env"
    fi
    count=$(($(cat "$STATE/function-$NAME.revisions" 2>/dev/null || echo 0) + 1))
    printf '%s\n' "$count" >"$STATE/function-$NAME.revisions"
    printf '%s-%05d-fak\n' "$NAME" "$count" >"$STATE/function-$NAME.serving"
    ;;
  "functions delete")
    must_exist "function $NAME"
    del "function $NAME"
    del "run-service $NAME"
    if has "trigger $NAME-424242"; then
      del "trigger $NAME-424242"
      del "subscription eventarc-$(flag --region)-$NAME-424242-sub-001"
    fi
    ;;

  "eventarc triggers describe")
    must_exist "trigger $NAME"
    require_format 'value(transport.pubsub.subscription)'
    printf 'projects/%s/subscriptions/eventarc-%s-%s-sub-001\n' "$PROJECT" "$(flag --location)" "$NAME"
    ;;

  "run services describe")
    must_exist "run-service $NAME"
    require_format 'value(status.traffic[0].revisionName)'
    cat "$STATE/function-$NAME.serving"
    ;;
  "run services update-traffic")
    must_exist "run-service $NAME"
    target=$(flag --to-revisions) || usage_error "expected --to-revisions=REVISION=100"
    [[ $target == *=100 ]] || usage_error "expected --to-revisions=REVISION=100"
    printf '%s\n' "${target%=100}" >"$STATE/function-$NAME.serving"
    ;;
  "run services"*) iam_verb "run-service $NAME" ;;
  "run revisions list")
    service=$(flag --service) || usage_error "expected --service"
    must_exist "run-service $service"
    require_format 'value(metadata.name)'
    [[ $(flag --sort-by) == '~metadata.creationTimestamp' ]] || usage_error "expected --sort-by=~metadata.creationTimestamp"
    for ((i = $(cat "$STATE/function-$service.revisions"); i >= 1; i--)); do printf '%s-%05d-fak\n' "$service" "$i"; done
    ;;

  *) usage_error "no behaviour for: $cmd" ;;
esac
