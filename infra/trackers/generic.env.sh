# shellcheck shell=bash
# shellcheck disable=SC2034  # read by fitsync_load_tracker (infra/functions.env.sh), which explains each variable
#
# The generic endpoint (fitsync's own signed JSON): what `infra/deploy.sh --trackers …,generic` adds. Code:
# shared/providers/generic/; setup: README.md "Generic endpoint". Senders push whole workouts, so the worker
# needs nothing.

TRACKER_WEBHOOK_VALUES=''
TRACKER_WEBHOOK_SECRETS='GENERIC_WEBHOOK_SECRET=fitsync-generic-webhook-secret:latest'
TRACKER_WORKER_SECRET_ENV=''
TRACKER_UNSET_ENV='GENERIC_WEBHOOK_SECRET_PREVIOUS'

TRACKER_SECRET_HELP=$(
  cat <<'EOF'
# Generic endpoint secret: whsec_ and base64 (Standard Webhooks), shared with every sender.
printf 'whsec_%s' "$(head -c32 /dev/urandom | base64)" | gcloud secrets versions add fitsync-generic-webhook-secret --project=@PROJECT@ --data-file=-
EOF
)
