#!/usr/bin/env bash
# Score the extractor through HTTP: start a server, run the seed checks and the ACLED dev slice.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED="${SHARED_DIR:-../shared}"
PORT="${EVAL_PORT:-8765}"
.venv/bin/conflict-events serve --port "$PORT" >data/eval-server.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 1
done
python3 "$SHARED/eval/score.py" seed --base-url "http://127.0.0.1:$PORT" --seeds-dir "$SHARED/seeds" || status=$?
python3 "$SHARED/eval/score.py" acled --base-url "http://127.0.0.1:$PORT" \
  --csv "$SHARED/eval/acled_dev.csv" --out data/acled-report.json
exit "${status:-0}"
