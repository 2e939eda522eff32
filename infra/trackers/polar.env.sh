# shellcheck shell=bash
# shellcheck disable=SC2034  # read by fitsync_load_tracker (infra/functions.env.sh), which explains each variable
#
# Polar: what `infra/deploy.sh --trackers …,polar` adds. Code: shared/providers/polar/; setup:
# docs/trackers/polar.md. The worker needs no secret: AccessLink tokens have no refresh grant, so there is no
# OAuth client to read.

TRACKER_WEBHOOK_VALUES=''
# Polar issues the signing key only after it has pinged the live URL, yet a binding needs a value before the
# deploy. A random placeholder first is the same as no key for the webhook: a PING is accepted unsigned either
# way, and every other request is refused until the real key is added as a new version and deployed.
TRACKER_WEBHOOK_SECRETS='POLAR_WEBHOOK_SECRET=fitsync-polar-webhook-secret:latest'
TRACKER_WORKER_SECRET_ENV=''
# The connect page exchanges the authorization code with Polar's OAuth client (the worker never refreshes).
TRACKER_CONNECT_SECRET_ENV='POLAR_OAUTH_CLIENT_SECRET=fitsync-polar-oauth-client'
TRACKER_UNSET_ENV='POLAR_WEBHOOK_SECRET_PREVIOUS'

TRACKER_SECRET_HELP=$(
  cat <<'EOF'
# Polar signature key: first a random placeholder (the webhook then answers Polar's PING and refuses the rest);
# after creating the Polar webhook, put the signature_secret_key it returned, alone, in polar-key.txt, add it as
# the next version and deploy again.
openssl rand -hex 32 | tr -d '\n' | gcloud secrets versions add fitsync-polar-webhook-secret --project=@PROJECT@ --data-file=-
gcloud secrets versions add fitsync-polar-webhook-secret --project=@PROJECT@ --data-file=polar-key.txt
EOF
)

TRACKER_CONNECT_SECRET_HELP=$(
  cat <<'EOF'
# Polar AccessLink client (admin.polaraccesslink.com), for the connect page: {"client_id":"…","client_secret":"…"}.
gcloud secrets versions add fitsync-polar-oauth-client --project=@PROJECT@ --data-file=polar-client.json
EOF
)
