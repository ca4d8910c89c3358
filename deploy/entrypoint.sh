#!/bin/sh
# Container entrypoint: optional migrations, then one role or any command.
#   web     uvicorn or daphne (HTTP + WebSocket; ASGI_SERVER, ASGI_WORKERS), external workers
#   worker  Celery threads pool (LLM calls are I/O-bound)
#   beat    Celery beat with the database scheduler (run exactly one)
#   healthcheck   used by the image's HEALTHCHECK
#   anything else is executed as given, e.g. `python manage.py audit_verify`
# RUN_MIGRATIONS=1 runs `manage.py migrate` first; give it to one process only (beat, or a
# one-off job), never to every replica.
set -eu

ROLE_FILE="${AGENCY_ROLE_FILE:-/tmp/agency-role}"  # written by the role, read by healthcheck
role="${1:-web}"
[ "$#" -gt 0 ] && shift

if [ "$role" = "healthcheck" ]; then
    # Only web serves HTTP; worker and beat are healthy while their process runs.
    [ "$(cat "$ROLE_FILE" 2>/dev/null || echo other)" = "web" ] || exit 0
    exec python - <<'PY'
import os, sys, urllib.request
request = urllib.request.Request(
    f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/health/database",
    headers={"Host": "localhost"},
)
try:
    with urllib.request.urlopen(request, timeout=4) as response:
        sys.exit(0 if response.status == 200 else 1)
except Exception as error:
    print(f"unhealthy: {error}", file=sys.stderr)
    sys.exit(1)
PY
fi

if [ "${RUN_MIGRATIONS:-0}" = "1" ]; then
    python manage.py migrate --no-input
fi

case "$role" in
    web)
        echo web >"$ROLE_FILE" 2>/dev/null || true
        # Probes and in-cluster scrapers address the pod by IP and the image's own health
        # check by localhost: let Django accept those Host headers too.
        hosts="${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}"
        export DJANGO_ALLOWED_HOSTS="$hosts,localhost${POD_IP:+,$POD_IP}"
        exec python manage.py agency_serve --host "${HOST:-0.0.0.0}" --port "${PORT:-8000}" \
            --no-worker "$@"
        ;;
    worker)
        echo worker >"$ROLE_FILE" 2>/dev/null || true
        exec celery -A agency worker -P threads -c "${CELERY_WORKER_CONCURRENCY:-32}" \
            -Q "${CELERY_QUEUE:-agency}" --loglevel "${LOG_LEVEL:-INFO}" "$@"
        ;;
    beat)
        echo beat >"$ROLE_FILE" 2>/dev/null || true
        exec celery -A agency beat -S django_celery_beat.schedulers:DatabaseScheduler \
            --loglevel "${LOG_LEVEL:-INFO}" "$@"
        ;;
    *)
        exec "$role" "$@"
        ;;
esac
