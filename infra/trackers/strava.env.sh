# shellcheck shell=bash
# shellcheck disable=SC2034  # read by fitsync_load_tracker (infra/functions.env.sh), which explains each variable
#
# Strava: what `infra/deploy.sh --trackers …,strava` adds. Code: shared/providers/strava/; setup: README.md
# "Strava setup" and infra/README.md.

# Strava hands out the push subscription id only after it has called the live URL, so the first deploy runs with
# `pending`: shared/config.ts requires a value, the handshake answers without it, and no real event carries it
# (each is refused with 403 until the real id is deployed).
TRACKER_WEBHOOK_VALUES='
STRAVA_SUBSCRIPTION_ID pending ^[0-9]+$ the number Strava returned for the push subscription
'
TRACKER_WEBHOOK_SECRETS='STRAVA_VERIFY_TOKEN=fitsync-strava-verify-token:latest'
TRACKER_WORKER_SECRET_ENV='STRAVA_OAUTH_CLIENT_SECRET=fitsync-strava-oauth-client'
# STRAVA_SIGNING_SECRET stays unset too: Strava documents no signature, so there is nothing to bind.
TRACKER_UNSET_ENV=''

TRACKER_SECRET_HELP=$(
  cat <<'EOF'
# Strava verify token: any random string; you give it to Strava again when creating the push subscription.
openssl rand -hex 24 | tr -d '\n' | gcloud secrets versions add fitsync-strava-verify-token --project=@PROJECT@ --data-file=-

# Strava API application (strava.com/settings/api): {"client_id":"…","client_secret":"…"}.
gcloud secrets versions add fitsync-strava-oauth-client --project=@PROJECT@ --data-file=strava-client.json
EOF
)

TRACKER_PENDING_HELP=$(
  cat <<'EOF'
Strava has no push subscription for this URL yet. Create it (Strava calls the URL once to check the verify
token), then deploy again with the id it returns. The client id and secret come from the
fitsync-strava-oauth-client secret and reach curl through files, not its command line:

  curl -sS -X POST https://www.strava.com/api/v3/push_subscriptions \
    -F "client_id=<"<(gcloud secrets versions access latest --secret=fitsync-strava-oauth-client --project=@PROJECT@ | jq -j .client_id) \
    -F "client_secret=<"<(gcloud secrets versions access latest --secret=fitsync-strava-oauth-client --project=@PROJECT@ | jq -j .client_secret) \
    -F "verify_token=<"<(gcloud secrets versions access latest --secret=fitsync-strava-verify-token --project=@PROJECT@) \
    -F callback_url=@URL@
  @DEPLOY@ --strava-subscription-id <id>
EOF
)
