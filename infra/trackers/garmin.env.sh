# shellcheck shell=bash
# shellcheck disable=SC2034  # read by fitsync_load_tracker (infra/functions.env.sh), which explains each variable
#
# Garmin: what `infra/deploy.sh --trackers …,garmin` adds. Code: shared/providers/garmin/; setup:
# docs/trackers/garmin.md.

TRACKER_WEBHOOK_VALUES='
GARMIN_CLIENT_ID - - the consumer key (client id) Garmin sends in the garmin-client-id header
'
TRACKER_WEBHOOK_SECRETS='GARMIN_PATH_SECRET=fitsync-garmin-path-secret:latest'
# Live events are whole summaries and need no API; backfill asks Garmin to push history again, with the user's
# token, and refreshing that token needs the OAuth client.
TRACKER_WORKER_SECRET_ENV='GARMIN_OAUTH_CLIENT_SECRET=fitsync-garmin-oauth-client'
TRACKER_UNSET_ENV='GARMIN_PATH_SECRET_PREVIOUS'

# Garmin pushes up to 16 MiB (shared/providers/garmin/webhook.ts). Parsing and publishing such a push of 15,000
# summaries peaked near 250 MiB (docs/webhook-edge.md, "Memory"); the body budget admits one at a time.
TRACKER_WEBHOOK_MEMORY_MIB=512

TRACKER_SECRET_HELP=$(
  cat <<'EOF'
# Garmin path secret: the last segment of the push URL, any long random string (Garmin signs nothing).
openssl rand -hex 24 | tr -d '\n' | gcloud secrets versions add fitsync-garmin-path-secret --project=@PROJECT@ --data-file=-

# Garmin OAuth client (Connect Developer Program): {"client_id":"…","client_secret":"…"}.
gcloud secrets versions add fitsync-garmin-oauth-client --project=@PROJECT@ --data-file=garmin-client.json
EOF
)
