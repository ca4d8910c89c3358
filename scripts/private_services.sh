#!/usr/bin/env bash
# Private PostgreSQL + Redis on free loopback ports, for benchmarks and fault drills, so the
# machine's shared instances are never loaded, stopped or restarted.
#
#   eval "$(scripts/private_services.sh start [--max-connections N])"   # exports the URLs
#   .venv/bin/python manage.py migrate && .venv/bin/python manage.py benchmark throughput
#   scripts/private_services.sh stop                                     # stops, deletes all
#
# State (pids, data directory) lives in var/private-services/.
set -euo pipefail
cd "$(dirname "$0")/.."
STATE=var/private-services
PY=${PY:-.venv/bin/python}
MAX_CONNECTIONS=200

case "${1:-}" in
  start)
    shift
    while [ $# -gt 0 ]; do
      case "$1" in
        --max-connections) MAX_CONNECTIONS="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
      esac
    done
    if [ -f "$STATE/env" ]; then echo "already running; $0 stop first" >&2; exit 1; fi
    mkdir -p "$STATE"
    # Started from Python so the same code serves the tests; it prints the two URLs.
    DJANGO_SETTINGS_MODULE=agency.settings "$PY" - "$STATE" "$MAX_CONNECTIONS" <<'PYEOF'
import sys, subprocess, shlex
from pathlib import Path
state, max_conn = Path(sys.argv[1]), int(sys.argv[2])
from tasks.benchmarks.private import PrivatePostgres, PrivateRedis, free_port
pg = PrivatePostgres(max_connections=max_conn).start()
pg.sql('CREATE DATABASE agency')
port = free_port()
redis = subprocess.Popen(
    ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
     "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
)
(state / "pg_dir").write_text(str(pg.dir))
(state / "redis_pid").write_text(str(redis.pid))
env = f"export DATABASE_URL={shlex.quote(pg.url('agency'))}\nexport REDIS_URL=redis://127.0.0.1:{port}/0\n"
(state / "env").write_text(env)
print(env, end="")
PYEOF
    ;;
  stop)
    if [ -f "$STATE/redis_pid" ]; then kill "$(cat "$STATE/redis_pid")" 2>/dev/null || true; fi
    if [ -f "$STATE/pg_dir" ]; then
      PG_DIR=$(cat "$STATE/pg_dir")
      PG_CTL=$(ls /usr/lib/postgresql/*/bin/pg_ctl | sort -r | head -1)
      AS_PG=(); [ "$(id -u)" = 0 ] && AS_PG=(runuser -u postgres --)
      "${AS_PG[@]}" "$PG_CTL" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
      rm -rf "$PG_DIR"
    fi
    rm -rf "$STATE"
    ;;
  *)
    echo "usage: $0 start [--max-connections N] | stop" >&2; exit 2 ;;
esac
