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
#
# A deploy makes 60 to 90 calls and the tests run dozens of deploys, so a call runs in this one bash process:
# builtins only, no grep, sed, awk or $(…) (each would be a process of its own; with them the infra tests
# took minutes on a busy machine). Only the first call's mkdir and reading a secret value start one. Helpers
# therefore answer in REPLY or FLAG instead of printing. Like infra/*.sh it sticks to what bash 3.2 (macOS)
# has: no associative arrays, mapfile or ${x^^}.

set -euo pipefail
# No word here is a file pattern, and lines() splits text with the shell's own word splitting.
set -f

STATE=${FAKE_GCLOUD_STATE:?FAKE_GCLOUD_STATE must name the state directory}
[[ -d $STATE ]] || mkdir -p "$STATE"
[[ -e $STATE/resources ]] || : >"$STATE/resources"
[[ -e $STATE/bindings ]] || : >"$STATE/bindings"

record=""
for arg in "$@"; do record+="$arg"$'\037'; done
printf '%s\n' "$record" >>"$STATE/calls.log"

PROJECT_NUMBER=123456789012

# --- Files ---------------------------------------------------------------------------------------------------

# read_file FILE: the whole file in REPLY (empty when it does not exist).
read_file() {
  REPLY=""
  if [[ -f $1 ]]; then IFS= read -r -d '' REPLY <"$1" || true; fi
}

# read_number FILE: the number a file holds, in REPLY (0 when it does not exist).
read_number() {
  read_file "$1"
  REPLY=${REPLY%$'\n'}
  REPLY=${REPLY:-0}
}

# The state, one item a line: "KIND NAME" resources, and "RESOURCE<tab>ROLE<tab>MEMBER" IAM bindings.
read_file "$STATE/resources"
RESOURCES=$REPLY
read_file "$STATE/bindings"
BINDINGS=$REPLY

# has_line TEXT LINE: whether LINE is one of TEXT's lines.
has_line() {
  [[ $'\n'$1 == *$'\n'"$2"$'\n'* ]]
}

# lines TEXT: TEXT's lines in the array LINES. Word splitting at newlines: peeling lines off a string one by
# one costs time quadratic in its length, and a here-string is read a byte per system call.
lines() {
  local IFS=$'\n'
  # shellcheck disable=SC2206 # splitting is the point; globbing is off (set -f)
  LINES=($1)
}

# without_line TEXT LINE: TEXT without any line equal to LINE, in REPLY.
without_line() {
  local text=$'\n'$1
  while [[ $text == *$'\n'"$2"$'\n'* ]]; do text=${text/$'\n'"$2"$'\n'/$'\n'}; done
  REPLY=${text#$'\n'}
}

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

# Every command the stand-in knows, a line each, with the flags it takes besides the global ones: a real gcloud
# refuses any other flag as "unrecognized arguments", and so does this one, so a misspelt flag in infra/ fails here.
global_flags="--project --quiet --format --flatten --verbosity"
list_flags="--filter --limit --sort-by"
iam_binding_flags="--member --role --region"
deploy_flags="--gen2 --region --runtime --source --entry-point --service-account --build-service-account --memory"
deploy_flags+=" --cpu --concurrency --min-instances --max-instances --timeout --set-env-vars --set-secrets --trigger-http"
deploy_flags+=" --trigger-topic --trigger-service-account --retry --allow-unauthenticated --no-allow-unauthenticated"
deploy_flags+=" --serve-all-traffic-latest-revision --ingress-settings"
known_commands="projects describe:
projects get-iam-policy: --region
projects add-iam-policy-binding: --member --role --condition
projects remove-iam-policy-binding: --member --role --condition
services list: --enabled $list_flags
services enable:
iam service-accounts describe:
iam service-accounts create: --display-name --description
iam service-accounts delete:
iam service-accounts get-iam-policy: --region
iam service-accounts add-iam-policy-binding: $iam_binding_flags
pubsub topics describe:
pubsub topics create:
pubsub topics delete:
pubsub topics get-iam-policy: --region
pubsub topics add-iam-policy-binding: $iam_binding_flags
pubsub topics remove-iam-policy-binding: $iam_binding_flags
pubsub subscriptions describe:
pubsub subscriptions create: --topic --message-retention-duration --expiration-period --ack-deadline
pubsub subscriptions update: --dead-letter-topic --max-delivery-attempts --min-retry-delay --max-retry-delay
pubsub subscriptions delete:
pubsub subscriptions get-iam-policy: --region
pubsub subscriptions add-iam-policy-binding: $iam_binding_flags
secrets describe:
secrets create: --replication-policy --data-file --labels
secrets delete:
secrets get-iam-policy: --region
secrets add-iam-policy-binding: $iam_binding_flags
secrets remove-iam-policy-binding: $iam_binding_flags
secrets versions list: $list_flags
secrets versions add: --data-file
firestore databases describe: --database
firestore databases create: --database --location --type
firestore databases delete: --database
firestore fields ttls list: --collection-group --database $list_flags
firestore fields ttls update: --collection-group --database --enable-ttl --disable-ttl --async
firestore indexes composite list: --database $list_flags
firestore indexes composite create: --collection-group --field-config --query-scope --api-scope --database --async
scheduler jobs describe: --location
scheduler jobs create pubsub: --location --schedule --time-zone --topic --message-body --description
scheduler jobs delete: --location
functions describe: --gen2 --region
functions deploy: $deploy_flags
functions delete: --gen2 --region
eventarc triggers describe: --location
run services describe: --region
run services get-iam-policy: --region
run services add-iam-policy-binding: $iam_binding_flags
run services update-traffic: --region --to-revisions --to-latest
run revisions list: --service --region $list_flags
"

# flags_of COMMAND: the flags COMMAND takes besides the global ones, in REPLY; fails when it is no known command.
flags_of() {
  local entry
  lines "$known_commands"
  for entry in "${LINES[@]}"; do
    if [[ ${entry%%:*} == "$1" ]]; then
      REPLY=${entry#*:}
      return 0
    fi
  done
  return 1
}

cmd=""
cmd_words=0
for n in 4 3 2; do
  ((${#words[@]} >= n)) || continue
  candidate="${words[*]:0:n}"
  if flags_of "$candidate"; then
    cmd=$candidate
    allowed=$REPLY
    cmd_words=$n
    break
  fi
done
[[ -n $cmd ]] || usage_error "unknown command: ${words[*]}"
positionals=("${words[@]:cmd_words}")
NAME=${positionals[0]:-}

if [[ -n ${FAKE_GCLOUD_FAIL:-} && $cmd == "$FAKE_GCLOUD_FAIL"* ]]; then
  printf 'ERROR: (gcloud.%s) PERMISSION_DENIED: Permission denied (or it may not exist).\n' "${cmd// /.}" >&2
  exit 1
fi

for name in ${flag_names[@]+"${flag_names[@]}"}; do
  known=no
  for allowed_name in $allowed $global_flags; do
    if [[ $name == "$allowed_name" ]]; then known=yes; fi
  done
  [[ $known == yes ]] || usage_error "unrecognized arguments: $name (for gcloud $cmd)"
done

# flag NAME: the value of the first --NAME in FLAG; fails (FLAG empty) when the flag was not given.
flag() {
  local i
  FLAG=""
  for ((i = 0; i < ${#flag_names[@]}; i++)); do
    if [[ ${flag_names[i]} == "$1" ]]; then
      FLAG=${flag_values[i]}
      return 0
    fi
  done
  return 1
}

# flag_or_empty NAME: like flag, but an absent flag is only an empty FLAG.
flag_or_empty() {
  flag "$1" || true
}

has_flag() {
  flag "$1"
}

require_flag() {
  has_flag "$1" || usage_error "gcloud $cmd needs $1"
}

if [[ $cmd == projects* ]]; then
  PROJECT=$NAME
  [[ -n $PROJECT ]] || usage_error "gcloud $cmd needs the project id"
  has_flag --project && usage_error "gcloud $cmd takes the project as its argument, not --project"
else
  flag --project || usage_error "every call must name --project (never rely on the active configuration)"
  PROJECT=$FLAG
fi

if [[ $cmd != "services enable" ]] && ((${#positionals[@]} > 1)); then
  usage_error "unexpected arguments: ${positionals[*]:1} (value flags are written --flag=value)"
fi

# dict_items VALUE: the KEY=VALUE items of a dictionary flag, one a line, in REPLY. Like gcloud (`gcloud topic
# escaping`), items are split at commas unless VALUE starts with ^DELIM^, and an item that is not KEY=VALUE is
# an error.
dict_items() {
  local value=$1 delimiter=, item items=""
  if [[ $value =~ ^\^([^^]+)\^(.*)$ ]]; then
    delimiter=${BASH_REMATCH[1]}
    value=${BASH_REMATCH[2]}
  fi
  value=${value//"$delimiter"/$'\n'}$'\n'
  while [[ -n $value ]]; do
    item=${value%%$'\n'*}
    value=${value#*$'\n'}
    [[ $item =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || usage_error "argument of gcloud $cmd: Bad syntax for dict arg: [$item]"
    items+="$item"$'\n'
  done
  REPLY=$items
}

# --- State ---------------------------------------------------------------------------------------------------

has() { has_line "$RESOURCES" "$1"; }
add() {
  has "$1" && return 0
  RESOURCES+="$1"$'\n'
  printf '%s\n' "$1" >>"$STATE/resources"
}
# Deleting a resource deletes its IAM policy with it.
del() {
  without_line "$RESOURCES" "$1"
  RESOURCES=$REPLY
  printf '%s' "$RESOURCES" >"$STATE/resources"
  local line kept=""
  lines "$BINDINGS"
  for line in ${LINES[@]+"${LINES[@]}"}; do
    [[ ${line%%$'\t'*} == "$1" ]] || kept+="$line"$'\n'
  done
  BINDINGS=$kept
  printf '%s' "$BINDINGS" >"$STATE/bindings"
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

# sa_key EMAIL: the resource of one of the project's service accounts, in REPLY.
sa_key() {
  [[ $1 == *"@$PROJECT.iam.gserviceaccount.com" ]] || usage_error "not a service account of $PROJECT: $1"
  REPLY="sa ${1%%@*}"
}

# The value() projections the scripts use, and nothing else: an unexpected format fails loudly.
require_format() {
  flag_or_empty --format
  [[ $FLAG == "$1" ]] || usage_error "gcloud $cmd: unsupported --format '$FLAG' (the stand-in answers '$1')"
}

# --- IAM -----------------------------------------------------------------------------------------------------

iam_get() {
  must_exist "$1"
  flag_or_empty --flatten
  [[ $FLAG == 'bindings[].members' ]] || usage_error "get-iam-policy without --flatten=bindings[].members"
  require_format 'value(bindings.role,bindings.members)'
  local line
  lines "$BINDINGS"
  for line in ${LINES[@]+"${LINES[@]}"}; do
    if [[ ${line%%$'\t'*} == "$1" ]]; then printf '%s\n' "${line#*$'\t'}"; fi
  done
}

# binding_line RESOURCE: the binding --role and --member name on RESOURCE, in REPLY.
binding_line() {
  local role
  flag_or_empty --role
  role=$FLAG
  flag_or_empty --member
  REPLY="$1"$'\t'"$role"$'\t'"$FLAG"
}

iam_add() {
  must_exist "$1"
  require_flag --member
  require_flag --role
  binding_line "$1"
  has_line "$BINDINGS" "$REPLY" && return 0
  BINDINGS+="$REPLY"$'\n'
  printf '%s\n' "$REPLY" >>"$STATE/bindings"
}

iam_remove() {
  must_exist "$1"
  binding_line "$1"
  without_line "$BINDINGS" "$REPLY"
  BINDINGS=$REPLY
  printf '%s' "$BINDINGS" >"$STATE/bindings"
}

iam_verb() {
  case $cmd in
    *get-iam-policy) iam_get "$1" ;;
    *add-iam-policy-binding) iam_add "$1" ;;
    *remove-iam-policy-binding) iam_remove "$1" ;;
  esac
}

# print_resources PREFIX REPLACEMENT: every resource that starts with PREFIX, printed with REPLACEMENT instead.
print_resources() {
  local line
  lines "$RESOURCES"
  for line in ${LINES[@]+"${LINES[@]}"}; do
    if [[ $line == "$1"* ]]; then printf '%s%s\n' "$2" "${line#"$1"}"; fi
  done
}

# index_id TEXT: a stable id for an index (what the API calls it is opaque), in REPLY: a djb2 hash.
index_id() {
  local i code hash=5381
  for ((i = 0; i < ${#1}; i++)); do
    printf -v code '%d' "'${1:i:1}"
    hash=$(((hash * 33 + code) % 4294967296))
  done
  REPLY=$hash
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
    print_resources 'api ' ''
    ;;
  "services enable")
    for api in "${positionals[@]}"; do add "api $api"; done
    ;;

  "iam service-accounts describe")
    sa_key "$NAME"
    must_exist "$REPLY"
    ;;
  "iam service-accounts create")
    [[ $NAME =~ ^[a-z][a-z0-9-]{4,28}[a-z0-9]$ ]] || usage_error "invalid service account id: $NAME"
    create "sa $NAME"
    ;;
  "iam service-accounts delete")
    sa_key "$NAME"
    key=$REPLY
    must_exist "$key"
    del "$key"
    ;;
  "iam service-accounts"*)
    sa_key "$NAME"
    iam_verb "$REPLY"
    ;;

  "pubsub topics describe") must_exist "topic $NAME" ;;
  "pubsub topics create") create "topic $NAME" ;;
  "pubsub topics delete")
    must_exist "topic $NAME"
    del "topic $NAME"
    ;;
  "pubsub topics"*) iam_verb "topic $NAME" ;;

  "pubsub subscriptions describe")
    must_exist "subscription ${NAME##*/}"
    if has_flag --format; then
      require_format 'value(deadLetterPolicy.deadLetterTopic,deadLetterPolicy.maxDeliveryAttempts,retryPolicy.minimumBackoff,retryPolicy.maximumBackoff)'
      if [[ -f $STATE/policy-${NAME##*/} ]]; then
        read_file "$STATE/policy-${NAME##*/}"
        printf '%s' "$REPLY"
      else
        printf '\n'
      fi
    fi
    ;;
  "pubsub subscriptions create")
    flag_or_empty --topic
    must_exist "topic $FLAG"
    create "subscription $NAME"
    ;;
  "pubsub subscriptions update")
    must_exist "subscription ${NAME##*/}"
    flag --dead-letter-topic || usage_error "expected --dead-letter-topic"
    topic=$FLAG
    [[ $topic == "projects/$PROJECT/topics/"* ]] || usage_error "dead-letter topic should be a full name: $topic"
    must_exist "topic ${topic##*/}"
    flag --max-delivery-attempts || usage_error "expected --max-delivery-attempts"
    attempts=$FLAG
    ((attempts >= 5 && attempts <= 100)) || usage_error "--max-delivery-attempts must be 5..100"
    flag_or_empty --min-retry-delay
    min_delay=$FLAG
    flag_or_empty --max-retry-delay
    printf '%s\t%s\t%s\t%s\n' "$topic" "$attempts" "$min_delay" "$FLAG" >"$STATE/policy-${NAME##*/}"
    ;;
  "pubsub subscriptions delete")
    must_exist "subscription $NAME"
    del "subscription $NAME"
    ;;
  "pubsub subscriptions"*) iam_verb "subscription ${NAME##*/}" ;;

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
    # Read the value as gcloud would, so the command that pipes it in never writes to a closed pipe.
    cat >/dev/null
    add "secret-version $NAME"
    ;;
  "secrets"*) iam_verb "secret $NAME" ;;

  "firestore databases describe")
    flag_or_empty --database
    must_exist "firestore $FLAG"
    if has_flag --format; then
      require_format 'value(type)'
      printf 'FIRESTORE_NATIVE\n'
    fi
    ;;
  "firestore databases create")
    require_flag --location
    flag_or_empty --type
    [[ $FLAG == firestore-native ]] || usage_error "expected --type=firestore-native"
    flag_or_empty --database
    create "firestore $FLAG"
    ;;
  "firestore databases delete")
    flag_or_empty --database
    must_exist "firestore $FLAG"
    del "firestore $FLAG"
    ;;
  "firestore fields ttls list")
    require_format 'value(name)'
    flag --collection-group || usage_error "expected --collection-group"
    group=$FLAG
    flag_or_empty --database
    print_resources "ttl $group/" "projects/$PROJECT/databases/$FLAG/collectionGroups/$group/fields/"
    ;;
  "firestore fields ttls update")
    flag_or_empty --database
    must_exist "firestore $FLAG"
    require_flag --enable-ttl
    flag_or_empty --collection-group
    add "ttl $FLAG/$NAME"
    ;;

  # An index is kept as "index GROUP SCOPE FIELD:ORDER,…" in the API's spelling (COLLECTION, ASCENDING).
  "firestore indexes composite list")
    flag_or_empty --database
    database=$FLAG
    must_exist "firestore $database"
    flag_or_empty --flatten
    [[ $FLAG == 'fields[]' ]] || usage_error "composite list without --flatten=fields[]"
    require_format 'value(name,queryScope,fields.fieldPath,fields.order)'
    lines "$RESOURCES"
    for line in ${LINES[@]+"${LINES[@]}"}; do
      [[ $line == "index "* ]] || continue
      read -r group scope fields <<<"${line#index }"
      index_id "$group $scope $fields"
      # Like the API, every index ends with the implicit __name__ field.
      for field in ${fields//,/ } __name__:ASCENDING; do
        printf 'projects/%s/databases/%s/collectionGroups/%s/indexes/CICAg%s\t%s\t%s\t%s\n' \
          "$PROJECT" "$database" "$group" "$REPLY" "$scope" "${field%%:*}" "${field#*:}"
      done
    done
    ;;
  "firestore indexes composite create")
    flag_or_empty --database
    must_exist "firestore $FLAG"
    flag --collection-group || usage_error "expected --collection-group"
    group=$FLAG
    flag --query-scope || FLAG=collection
    case $FLAG in
      collection) scope=COLLECTION ;;
      collection-group) scope=COLLECTION_GROUP ;;
      collection-recursive) scope=COLLECTION_RECURSIVE ;;
      *) usage_error "invalid --query-scope: $FLAG" ;;
    esac
    fields=""
    for ((i = 0; i < ${#flag_names[@]}; i++)); do
      [[ ${flag_names[i]} == --field-config ]] || continue
      config=${flag_values[i]}
      [[ $config =~ ^field-path=([A-Za-z_][A-Za-z0-9_.]*),order=(ascending|descending)$ ]] ||
        usage_error "invalid --field-config: $config (expected field-path=FIELD,order=ascending|descending)"
      if [[ ${BASH_REMATCH[2]} == ascending ]]; then order=ASCENDING; else order=DESCENDING; fi
      fields+="${fields:+,}${BASH_REMATCH[1]}:$order"
    done
    [[ $fields == *,* ]] || usage_error "a composite index needs at least two --field-config"
    create "index $group $scope $fields"
    ;;

  "scheduler jobs describe") must_exist "job $NAME" ;;
  "scheduler jobs create pubsub")
    for f in --location --schedule --topic --message-body; do require_flag "$f"; done
    flag_or_empty --topic
    must_exist "topic $FLAG"
    create "job $NAME"
    ;;
  "scheduler jobs delete")
    must_exist "job $NAME"
    del "job $NAME"
    ;;

  "functions describe")
    must_exist "function $NAME"
    flag_or_empty --region
    region=$FLAG
    flag_or_empty --format
    case $FLAG in
      "") printf 'name: projects/%s/locations/%s/functions/%s\n' "$PROJECT" "$region" "$NAME" ;;
      'value(serviceConfig.uri)') printf 'https://%s-fake123-%s.a.run.app\n' "$NAME" "$region" ;;
      'value(eventTrigger.trigger)')
        if has "trigger $NAME-424242"; then
          printf 'projects/%s/locations/%s/triggers/%s-424242\n' "$PROJECT" "$region" "$NAME"
        fi
        ;;
      'value(serviceConfig.environmentVariables.'*')')
        variable=${FLAG#value(serviceConfig.environmentVariables.}
        variable=${variable%)}
        [[ $variable =~ ^[A-Z][A-Z0-9_]*$ ]] || usage_error "gcloud functions describe: not a variable name: $variable"
        read_file "$STATE/function-$NAME.env"
        lines "$REPLY"
        for line in ${LINES[@]+"${LINES[@]}"}; do
          if [[ $line == "$variable="* ]]; then printf '%s\n' "${line#"$variable="}"; fi
        done
        ;;
      *) usage_error "gcloud functions describe: unsupported --format '$FLAG'" ;;
    esac
    ;;
  "functions deploy")
    for f in --gen2 --region --runtime --source --entry-point --service-account; do require_flag "$f"; done
    flag --region
    region=$FLAG
    flag --source
    [[ -f $FLAG/index.js && -f $FLAG/package.json ]] || usage_error "--source=$FLAG has no index.js and package.json"
    flag --service-account
    service_account=$FLAG
    sa_key "$service_account"
    must_exist "$REPLY"
    if flag --build-service-account; then
      [[ $FLAG == "projects/$PROJECT/serviceAccounts/"* ]] || usage_error "--build-service-account must be projects/P/serviceAccounts/EMAIL"
      sa_key "${FLAG##*/}"
      must_exist "$REPLY"
    fi
    # Cloud Run resolves secret bindings at deploy time, as the function's own identity.
    if flag --set-secrets; then
      dict_items "$FLAG"
      for binding in $REPLY; do
        secret=${binding#*=}
        secret=${secret%%:*}
        must_exist "secret $secret"
        has "secret-version $secret" || {
          printf 'ERROR: (gcloud.functions.deploy) secret %s has no enabled version\n' "$secret" >&2
          exit 1
        }
        has_line "$BINDINGS" "secret $secret"$'\t'"roles/secretmanager.secretAccessor"$'\t'"serviceAccount:$service_account" || {
          printf 'ERROR: (gcloud.functions.deploy) Permission denied on secret %s for %s\n' "$secret" "$service_account" >&2
          exit 1
        }
      done
    fi
    if flag --trigger-topic; then
      must_exist "topic $FLAG"
      require_flag --trigger-service-account
      flag --trigger-service-account
      sa_key "$FLAG"
      must_exist "$REPLY"
      if ! has "trigger $NAME-424242"; then
        add "trigger $NAME-424242"
        add "subscription eventarc-$region-$NAME-424242-sub-001"
      fi
    else
      require_flag --trigger-http
    fi
    add "function $NAME"
    add "run-service $NAME"
    public_grant="run-service $NAME"$'\t'"roles/run.invoker"$'\t'"allUsers"
    if has_flag --allow-unauthenticated && ! has_line "$BINDINGS" "$public_grant"; then
      BINDINGS+="$public_grant"$'\n'
      printf '%s\n' "$public_grant" >>"$STATE/bindings"
    fi
    REPLY=""
    if flag --set-env-vars; then dict_items "$FLAG"; fi
    printf '%s' "$REPLY" >"$STATE/function-$NAME.env"
    read_number "$STATE/function-$NAME.revisions"
    count=$((REPLY + 1))
    printf '%s\n' "$count" >"$STATE/function-$NAME.revisions"
    printf '%s-%05d-fak\n' "$NAME" "$count" >"$STATE/function-$NAME.serving"
    ;;
  "functions delete")
    must_exist "function $NAME"
    del "function $NAME"
    del "run-service $NAME"
    if has "trigger $NAME-424242"; then
      del "trigger $NAME-424242"
      flag_or_empty --region
      del "subscription eventarc-$FLAG-$NAME-424242-sub-001"
    fi
    ;;

  "eventarc triggers describe")
    must_exist "trigger $NAME"
    require_format 'value(transport.pubsub.subscription)'
    flag_or_empty --location
    printf 'projects/%s/subscriptions/eventarc-%s-%s-sub-001\n' "$PROJECT" "$FLAG" "$NAME"
    ;;

  "run services describe")
    must_exist "run-service $NAME"
    require_format 'value(status.traffic[0].revisionName)'
    read_file "$STATE/function-$NAME.serving"
    printf '%s' "$REPLY"
    ;;
  "run services update-traffic")
    must_exist "run-service $NAME"
    flag --to-revisions || usage_error "expected --to-revisions=REVISION=100"
    [[ $FLAG == *=100 ]] || usage_error "expected --to-revisions=REVISION=100"
    printf '%s\n' "${FLAG%=100}" >"$STATE/function-$NAME.serving"
    ;;
  "run services"*) iam_verb "run-service $NAME" ;;
  "run revisions list")
    flag --service || usage_error "expected --service"
    service=$FLAG
    must_exist "run-service $service"
    require_format 'value(metadata.name)'
    flag_or_empty --sort-by
    [[ $FLAG == '~metadata.creationTimestamp' ]] || usage_error "expected --sort-by=~metadata.creationTimestamp"
    read_number "$STATE/function-$service.revisions"
    for ((i = REPLY; i >= 1; i--)); do printf '%s-%05d-fak\n' "$service" "$i"; done
    ;;

  *) usage_error "no behaviour for: $cmd" ;;
esac
