# shellcheck shell=bash
# shellcheck disable=SC2034  # read by fitsync_load_tracker (infra/functions.env.sh), which explains each variable
#
# Wahoo: what `infra/deploy.sh --trackers …,wahoo` adds. Code: shared/providers/wahoo/; setup:
# docs/trackers/wahoo.md.

TRACKER_WEBHOOK_VALUES=''
TRACKER_WEBHOOK_SECRETS='
WAHOO_WEBHOOK_SECRET=fitsync-wahoo-webhook-secret:latest
WAHOO_PATH_SECRET=fitsync-wahoo-path-secret:latest
'
# Live events are whole summaries and need no API; backfill lists workouts with the user's token, and
# refreshing it needs the OAuth client.
TRACKER_WORKER_SECRET_ENV='WAHOO_OAUTH_CLIENT_SECRET=fitsync-wahoo-oauth-client'
TRACKER_UNSET_ENV='WAHOO_WEBHOOK_SECRET_PREVIOUS WAHOO_PATH_SECRET_PREVIOUS'

TRACKER_SECRET_HELP=$(
  cat <<'EOF'
# Wahoo webhook token: any long random string; set the same value as the Wahoo app's webhook token.
openssl rand -hex 24 | tr -d '\n' | gcloud secrets versions add fitsync-wahoo-webhook-secret --project=@PROJECT@ --data-file=-

# Wahoo path secret: the last segment of the webhook URL, any long random string (Wahoo signs nothing).
openssl rand -hex 24 | tr -d '\n' | gcloud secrets versions add fitsync-wahoo-path-secret --project=@PROJECT@ --data-file=-

# Wahoo app (developers.wahooligan.com): {"client_id":"…","client_secret":"…"}.
gcloud secrets versions add fitsync-wahoo-oauth-client --project=@PROJECT@ --data-file=wahoo-client.json
EOF
)
