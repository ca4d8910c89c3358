#!/usr/bin/env bash
# Starts `make run` on a scratch SQLite database, submits a task over HTTP, waits for it to
# complete, and stops the server. Exits non-zero if anything falls short.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${SMOKE_PORT:-8765}"
SCRATCH="$(mktemp -d)"
export DATABASE_URL="sqlite:///$SCRATCH/smoke.sqlite3"
export WORKSPACE_ROOT="$SCRATCH/workspaces" ARTIFACT_ROOT="$SCRATCH/artifacts"
LOG="$SCRATCH/server.log"

make run PORT="$PORT" >"$LOG" 2>&1 &
SERVER=$!
# SIGTERM: a background job of a non-interactive shell starts with SIGINT ignored, so the
# server would never see a Ctrl-C-style SIGINT from here (and this script would hang).
cleanup() {
  pkill -TERM -f "agency_serve --host 127.0.0.1 --port $PORT" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  rm -rf "$SCRATCH"
}
trap cleanup EXIT

for _ in $(seq 120); do
  curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
  sleep 1
done
curl -fs "http://127.0.0.1:$PORT/health" >/dev/null || { echo "server did not start"; cat "$LOG"; exit 1; }

KEY="$(grep -o 'aa_[A-Za-z0-9_-]*' "$LOG" | head -n 1)"
[ -n "$KEY" ] || { echo "no demo API key printed"; cat "$LOG"; exit 1; }

TASK_ID="$(curl -fs -X POST "http://127.0.0.1:$PORT/api/v1/tasks" -H "X-API-Key: $KEY" \
  -H 'Content-Type: application/json' \
  -d '{"description": "Write a Python function add(a, b) in calc.py that returns the sum; it should pass tests."}' \
  | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
echo "submitted $TASK_ID"

for _ in $(seq 180); do
  STATE="$(curl -fs "http://127.0.0.1:$PORT/api/v1/tasks/$TASK_ID" -H "X-API-Key: $KEY" \
    | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["state"])')"
  case "$STATE" in
    completed) echo "smoke test passed: task $TASK_ID completed"; exit 0 ;;
    failed|rejected|cancelled) echo "task ended $STATE"; cat "$LOG"; exit 1 ;;
  esac
  sleep 1
done
echo "task did not complete in time (state: $STATE)"; cat "$LOG"; exit 1
