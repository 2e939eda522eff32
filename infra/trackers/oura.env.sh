# shellcheck shell=bash
# shellcheck disable=SC2034  # read by fitsync_load_tracker (infra/functions.env.sh), which explains each variable
#
# Oura: what `infra/deploy.sh --trackers …,oura` adds. Code: shared/providers/oura/; setup: docs/trackers/oura.md.

TRACKER_WEBHOOK_VALUES=''
# The verification token is kept as a secret like Strava's verify token: whoever knows it can answer Oura's
# subscription check. The webhook secret is the Oura app's client secret, which signs the notifications.
TRACKER_WEBHOOK_SECRETS='
OURA_VERIFICATION_TOKEN=fitsync-oura-verification-token:latest
OURA_WEBHOOK_SECRET=fitsync-oura-webhook-secret:latest
'
TRACKER_WORKER_SECRET_ENV='OURA_OAUTH_CLIENT_SECRET=fitsync-oura-oauth-client'
TRACKER_UNSET_ENV='OURA_WEBHOOK_SECRET_PREVIOUS'

TRACKER_SECRET_HELP=$(
  cat <<'EOF'
# Oura verification token: any random string; you give it to Oura again when creating the subscriptions.
openssl rand -hex 24 | tr -d '\n' | gcloud secrets versions add fitsync-oura-verification-token --project=@PROJECT@ --data-file=-

# Oura webhook secret: the Oura app's client secret, which signs the notifications.
jq -j .client_secret oura-client.json | gcloud secrets versions add fitsync-oura-webhook-secret --project=@PROJECT@ --data-file=-

# Oura API application: {"client_id":"…","client_secret":"…"}.
gcloud secrets versions add fitsync-oura-oauth-client --project=@PROJECT@ --data-file=oura-client.json
EOF
)
