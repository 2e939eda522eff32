# shellcheck shell=bash
# shellcheck disable=SC2034  # read by fitsync_load_tracker (infra/functions.env.sh), which explains each variable
#
# WHOOP: what `infra/deploy.sh --trackers …,whoop` adds. Code: shared/providers/whoop/; setup:
# docs/trackers/whoop.md.

TRACKER_WEBHOOK_VALUES=''
# The WHOOP app's client secret signs the webhooks; the worker reads the same client as JSON for token refresh.
TRACKER_WEBHOOK_SECRETS='WHOOP_WEBHOOK_SECRET=fitsync-whoop-webhook-secret:latest'
TRACKER_WORKER_SECRET_ENV='WHOOP_OAUTH_CLIENT_SECRET=fitsync-whoop-oauth-client'
TRACKER_UNSET_ENV='WHOOP_WEBHOOK_SECRET_PREVIOUS'

TRACKER_SECRET_HELP=$(
  cat <<'EOF'
# WHOOP webhook secret: the WHOOP app's client secret, which signs the webhooks.
jq -j .client_secret whoop-client.json | gcloud secrets versions add fitsync-whoop-webhook-secret --project=@PROJECT@ --data-file=-

# WHOOP app (developer dashboard): {"client_id":"…","client_secret":"…"}.
gcloud secrets versions add fitsync-whoop-oauth-client --project=@PROJECT@ --data-file=whoop-client.json
EOF
)
