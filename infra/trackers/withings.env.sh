# shellcheck shell=bash
# shellcheck disable=SC2034  # read by fitsync_load_tracker (infra/functions.env.sh), which explains each variable
#
# Withings: what `infra/deploy.sh --trackers …,withings` adds. Code: shared/providers/withings/; setup:
# docs/trackers/withings.md.

TRACKER_WEBHOOK_VALUES=''
TRACKER_WEBHOOK_SECRETS='WITHINGS_PATH_SECRET=fitsync-withings-path-secret:latest'
TRACKER_WORKER_SECRET_ENV='WITHINGS_OAUTH_CLIENT_SECRET=fitsync-withings-oauth-client'
TRACKER_UNSET_ENV='WITHINGS_PATH_SECRET_PREVIOUS'

TRACKER_SECRET_HELP=$(
  cat <<'EOF'
# Withings path secret: the last segment of the callback URL, at least 16 of A-Z a-z 0-9 . _ ~ - (Withings signs
# nothing); 48 hex digits will do.
openssl rand -hex 24 | tr -d '\n' | gcloud secrets versions add fitsync-withings-path-secret --project=@PROJECT@ --data-file=-

# Withings application (developer.withings.com): {"client_id":"…","client_secret":"…"}.
gcloud secrets versions add fitsync-withings-oauth-client --project=@PROJECT@ --data-file=withings-client.json
EOF
)
