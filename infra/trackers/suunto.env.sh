# shellcheck shell=bash
# shellcheck disable=SC2034  # read by fitsync_load_tracker (infra/functions.env.sh), which explains each variable
#
# Suunto: what `infra/deploy.sh --trackers …,suunto` adds. Code: shared/providers/suunto/; setup:
# docs/trackers/suunto.md.

TRACKER_WEBHOOK_VALUES=''
TRACKER_WEBHOOK_SECRETS='SUUNTO_WEBHOOK_SECRET=fitsync-suunto-webhook-secret:latest'
# Every REST call sends the API-zone subscription key besides the user's token, so the worker reads both.
TRACKER_WORKER_SECRET_ENV='
SUUNTO_OAUTH_CLIENT_SECRET=fitsync-suunto-oauth-client
SUUNTO_SUBSCRIPTION_KEY_SECRET=fitsync-suunto-subscription-key
'
TRACKER_UNSET_ENV='SUUNTO_WEBHOOK_SECRET_PREVIOUS'

# Suunto's bodies may reach 10 MiB (shared/providers/suunto/webhook.ts), inline samples included; parsing one takes
# several times its size (docs/webhook-edge.md, "Memory").
TRACKER_WEBHOOK_MEMORY_MIB=512

TRACKER_SECRET_HELP=$(
  cat <<'EOF'
# Suunto notification secret: any long random string; set the same value in the API-zone profile.
openssl rand -hex 24 | tr -d '\n' | gcloud secrets versions add fitsync-suunto-webhook-secret --project=@PROJECT@ --data-file=-

# Suunto OAuth application (API zone): {"client_id":"…","client_secret":"…"}.
gcloud secrets versions add fitsync-suunto-oauth-client --project=@PROJECT@ --data-file=suunto-client.json

# Suunto API-zone subscription key (primary or secondary), plain text.
gcloud secrets versions add fitsync-suunto-subscription-key --project=@PROJECT@ --data-file=suunto-subscription-key.txt
EOF
)
