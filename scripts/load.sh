#!/usr/bin/env bash
# Load run: the real placematch binary on PostgreSQL at national scale, driven by
# concurrent placement officers (scripts/loadrun).
#
#   bash scripts/load.sh [--providers 100000] [--awaiting 1000] [--clients 20]
#                        [--duration 60s] [--children] [--port 8090]
#                        [--trace FILE] [--server-log FILE] [--bin FILE]
#
# It creates a fresh PostgreSQL database (PGHOST/PGUSER, default 127.0.0.1 and
# postgres, trust auth), migrates it, stores --providers providers and --awaiting
# awaiting children across Great Britain (storetest.NationalWorld, one
# store.BulkImport; the outcode centroids are read from ../shared/data), starts
# `placematch serve` on it with rate limits and nightly jobs off, waits for /readyz,
# mints a placement officer's token, and runs `loadrun run`: GET
# /api/v1/children/{id}/matches?include_excluded=false for children drawn at random
# from those awaiting (and GET /api/v1/children/{id} with --children). It prints
# throughput, p50/p90/p99, errors and the server's RSS (start, max, end), then stops
# the server and drops the database, also on failure or Ctrl-C. Before the timed
# run it makes one search and checkpoints the database. --trace writes every
# request to FILE as CSV (loadrun run -trace); --server-log keeps the server's output
# (with GODEBUG=gctrace=1 in the environment, its collections) in FILE. --bin serves
# with a placematch binary built before (to compare two builds) instead of this tree.
set -euo pipefail
from=$PWD
cd "$(dirname "$0")/.."
# abs makes a path given relative to where the script was run from absolute.
abs() { case $1 in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$from" "$1" ;; esac; }

providers=100000 awaiting=1000 clients=20 duration=60s children="" port=8090 trace=() serverlog="" bin=""
while [[ $# -gt 0 ]]; do
	case "$1" in
	--providers) providers=$2; shift 2 ;;
	--awaiting) awaiting=$2; shift 2 ;;
	--clients) clients=$2; shift 2 ;;
	--duration) duration=$2; shift 2 ;;
	--children) children=-children; shift ;;
	--port) port=$2; shift 2 ;;
	--trace) trace=(-trace "$(abs "$2")"); shift 2 ;;
	--server-log) serverlog=$(abs "$2"); shift 2 ;;
	--bin) bin=$(abs "$2"); shift 2 ;;
	*) echo "load.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done

export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres}
dbname="placematch_load_$$"
work=$(mktemp -d)
server=""
cleanup() {
	if [[ -n "$server" ]] && kill -0 "$server" 2>/dev/null; then
		kill -TERM "$server"
		wait "$server" 2>/dev/null || true
	fi
	if [[ -n "$serverlog" && -f "$work/serve.log" ]]; then
		cp "$work/serve.log" "$serverlog" || echo "load.sh: could not keep the server's log in $serverlog" >&2
	fi
	dropdb --if-exists "$dbname" || true
	rm -rf "$work"
}
trap cleanup EXIT

echo "building"
if [[ -n "$bin" ]]; then
	cp "$bin" "$work/placematch"
else
	go build -o "$work/placematch" ./cmd/placematch
fi
go build -o "$work/loadrun" ./scripts/loadrun

createdb "$dbname"
export DATABASE_URL="postgres://$PGUSER@$PGHOST:5432/$dbname?sslmode=disable"
export PLACEMATCH_JWT_SECRET
PLACEMATCH_JWT_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
export PLACEMATCH_ADDR="127.0.0.1:$port" PLACEMATCH_RATE_LIMIT=off PLACEMATCH_RATE_LIMIT_ANON=off \
	PLACEMATCH_LOG_LEVEL=warn
for job in RECONCILE_VACANCIES IMPORT_PROVIDER_FEEDS FLAG_STALE_AVAILABILITY SNAPSHOT_SUFFICIENCY \
	PRUNE_MATCH_RUNS PURGE_EXPIRED_SESSIONS; do
	export "PLACEMATCH_JOB_${job}_SCHEDULE=off"
done

"$work/placematch" migrate
"$work/loadrun" seed -providers "$providers" -awaiting "$awaiting" -ids "$work/ids.txt" \
	-outcodes ../shared/data/postcodes/gb_outcode_centroids.csv

"$work/placematch" serve >"$work/serve.log" 2>&1 &
server=$!
started=$(date +%s%N)
for _ in $(seq 1 600); do
	if curl -fsS "http://$PLACEMATCH_ADDR/readyz" >/dev/null 2>&1; then
		break
	fi
	if ! kill -0 "$server" 2>/dev/null; then
		echo "load.sh: the server stopped:" >&2
		cat "$work/serve.log" >&2
		exit 1
	fi
	sleep 0.1
done
curl -fsS "http://$PLACEMATCH_ADDR/readyz" >/dev/null
echo "server ready after $((($(date +%s%N) - started) / 1000000)) ms (pid $server)"

token=$("$work/placematch" token --role placement_officer --sub officer-load --ttl 2h)
# One search first (it waits for the index's manifest to be stored), then the
# seeding's and the manifest's writes are flushed now rather than by a checkpoint
# during the timed run, which would slow whichever build it fell in (CHECKPOINT
# needs a superuser or pg_checkpoint; without one the run goes on).
if ! curl -fsS --max-time 60 -o /dev/null -H "Authorization: Bearer $token" \
	"http://$PLACEMATCH_ADDR/api/v1/children/$(head -1 "$work/ids.txt")/matches?include_excluded=false"; then
	echo "load.sh: the first search failed:" >&2
	cat "$work/serve.log" >&2
	exit 1
fi
if ! out=$(psql -q -d "$dbname" -c CHECKPOINT 2>&1); then
	echo "load.sh: no CHECKPOINT before the run: $out" >&2
fi
echo "$providers providers, $awaiting awaiting, $clients clients, $duration"
PLACEMATCH_TOKEN=$token "$work/loadrun" run -url "http://$PLACEMATCH_ADDR" -ids "$work/ids.txt" \
	-clients "$clients" -duration "$duration" -pid "$server" $children ${trace[@]+"${trace[@]}"}
