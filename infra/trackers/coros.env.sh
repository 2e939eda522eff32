# shellcheck shell=bash
# shellcheck disable=SC2034  # read by fitsync_load_tracker (infra/functions.env.sh), which explains each variable
#
# COROS: what `infra/deploy.sh --trackers …,coros` adds. Code: shared/providers/coros/; setup:
# docs/trackers/coros.md.

TRACKER_WEBHOOK_VALUES='
COROS_CLIENT_ID - - the client id COROS sends in the client header
'
# COROS sends its client secret in a header, so it is a secret here even though COROS issued it.
TRACKER_WEBHOOK_SECRETS='
COROS_WEBHOOK_SECRET=fitsync-coros-webhook-secret:latest
COROS_PATH_SECRET=fitsync-coros-path-secret:latest
'
# Live events are whole summaries and need no API; backfill lists workouts with the user's token, and
# refreshing it needs the OAuth client.
TRACKER_WORKER_SECRET_ENV='COROS_OAUTH_CLIENT_SECRET=fitsync-coros-oauth-client'
TRACKER_UNSET_ENV='COROS_WEBHOOK_SECRET_PREVIOUS COROS_PATH_SECRET_PREVIOUS'

TRACKER_SECRET_HELP=$(
  cat <<'EOF'
# COROS webhook secret: the COROS client secret, which COROS sends in the secret header of every push.
jq -j .client_secret coros-client.json | gcloud secrets versions add fitsync-coros-webhook-secret --project=@PROJECT@ --data-file=-

# COROS path secret: the last segment of the webhook URL, any long random string (COROS signs nothing).
openssl rand -hex 24 | tr -d '\n' | gcloud secrets versions add fitsync-coros-path-secret --project=@PROJECT@ --data-file=-

# COROS OAuth client (from COROS): {"client_id":"…","client_secret":"…"}.
gcloud secrets versions add fitsync-coros-oauth-client --project=@PROJECT@ --data-file=coros-client.json
EOF
)
