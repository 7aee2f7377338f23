#!/usr/bin/env bash
# PostGIS baseline: how long PostgreSQL with PostGIS takes to answer "the 20 nearest
# homes this child may be placed in" over the same 100,000 providers the matching
# benchmarks rank, measured side by side with those benchmarks.
#
#   bash scripts/postgis-baseline.sh [--rounds 5] [--queries 200]
#
# It needs psql, createdb and a PostgreSQL server with the PostGIS extension
# available (Debian: apt-get install -y postgresql-15-postgis-3); PGHOST/PGUSER
# default to 127.0.0.1 and postgres with trust auth. It is optional: nothing else in
# the repository needs PostGIS.
#
# 1. `go test -run TestExportBenchWorld ./matching` writes the benchmark world
#    (matching/bench_test.go: 100,000 providers across Great Britain, a 14-year-old
#    in Norwich with an area to avoid) as CSV.
# 2. A throwaway database gets the providers with a GiST index on a geography point,
#    and is analysed.
# 3. Each round times --queries runs of the nearest-20 query with the hard filters a
#    provider row can answer (the ages its places take, supported accommodation
#    never under 16, carers approved, Ofsted not inadequate, not unavailable,
#    available by the day needed, a vacancy, the placement type, the fostering
#    limit, no pets, outside the avoid area), each the server's own "Execution Time"
#    from EXPLAIN (ANALYZE, TIMING OFF), and then runs the Go benchmarks Rank/100k,
#    RankIndex/100k and ChordTopK once. Rounds alternate so both see the same
#    machine.
# 4. It prints each median over the rounds and how many of the query's 20 answers
#    Rank judges eligible too, and the rules Rank excludes the rest by: the query
#    knows nothing of the children living in a home (the household rules) or of
#    connected persons and exemptions, so it answers an easier question than Rank.
#
# The database is dropped at the end, also on failure or Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=5 queries=200
while [[ $# -gt 0 ]]; do
	case "$1" in
	--rounds) rounds=$2; shift 2 ;;
	--queries) queries=$2; shift 2 ;;
	*) echo "postgis-baseline.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done

export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres}
dbname="placematch_postgis_$$"
work=$(mktemp -d)
cleanup() {
	dropdb --if-exists "$dbname" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

if [[ -z "$(psql -d postgres -XAtc "SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")" ]]; then
	echo "postgis-baseline.sh: the server at $PGHOST has no PostGIS extension (Debian: apt-get install -y postgresql-15-postgis-3)" >&2
	exit 2
fi

echo "exporting the benchmark world"
go test -c -o "$work/matching.test" ./matching
(cd matching && PLACEMATCH_EXPORT_WORLD=$work "$work/matching.test" -test.run '^TestExportBenchWorld$' -test.count 1 >/dev/null)

createdb "$dbname"
db() { psql -d "$dbname" -XqAt -v ON_ERROR_STOP=1 "$@"; }
db <<SQL
CREATE EXTENSION postgis;
CREATE TABLE providers (
	id text PRIMARY KEY, lon float8 NOT NULL, lat float8 NOT NULL, kind text NOT NULL,
	carer_status text, age_min int NOT NULL, age_max int NOT NULL,
	availability text NOT NULL, available_from date, vacancies int NOT NULL,
	filled int NOT NULL, types text[] NOT NULL, pets boolean NOT NULL, ofsted text);
\copy providers FROM '$work/providers.csv' WITH (FORMAT csv, NULL '')
ALTER TABLE providers ADD COLUMN geog geography(Point, 4326), ADD COLUMN geom geometry(Point, 4326);
UPDATE providers SET geom = ST_SetSRID(ST_MakePoint(lon, lat), 4326), geog = ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography;
CREATE INDEX providers_geog ON providers USING gist (geog);
CREATE TABLE child (lon float8, lat float8, age int, placement_type text, needed_on date, avoid text);
\copy child FROM '$work/child.csv' WITH (FORMAT csv)
VACUUM ANALYZE providers;
SQL

# The query, as a prepared statement: $1 the child's home, $2 age, $3 placement type,
# $4 the day needed, $5 the area to avoid (planar lon/lat, as matching tests it).
prepare="PREPARE knn(geography, int, text, date, geometry) AS
SELECT id FROM providers
WHERE \$2 BETWEEN age_min AND age_max
  AND NOT (kind = 'supported_accommodation' AND \$2 < 16)
  AND (kind <> 'foster_carer' OR carer_status = 'approved')
  AND coalesce(ofsted, '') <> 'inadequate'
  AND availability <> 'unavailable'
  AND (available_from IS NULL OR available_from <= \$4)
  AND vacancies >= 1
  AND \$3 = ANY (types)
  AND NOT (kind = 'foster_carer' AND filled + 1 > 3)
  AND NOT pets
  AND NOT ST_Intersects(geom, \$5)
ORDER BY geog <-> \$1
LIMIT 20;"
# Parameters are bound once per session from the child row, so the timed statement
# is the query alone.
read -r hlon hlat age ptype needed avoid < <(db -F ' ' -c "SELECT lon, lat, age, placement_type, needed_on, avoid FROM child")
execute="EXECUTE knn(ST_SetSRID(ST_MakePoint($hlon, $hlat), 4326)::geography, $age, '$ptype', '$needed',
	ST_SetSRID(ST_GeomFromGeoJSON('$avoid'), 4326))"

echo "the plan:"
db -c "$prepare" -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) $execute" | sed 's/^/  /'
answers=$(db -c "$prepare" -c "$execute")
agree=$(grep -cxFf "$work/eligible.txt" <<<"$answers" || true)

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

: > "$work/pg" ; : > "$work/rank" ; : > "$work/rankindex" ; : > "$work/chord"
for round in $(seq "$rounds"); do
	{
		echo "$prepare"
		for _ in $(seq 10); do echo "$execute;"; done # warm the cache and the plan
		for _ in $(seq "$queries"); do echo "EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) $execute;"; done
	} > "$work/round.sql"
	db -f "$work/round.sql" | grep -o '"Execution Time": [0-9.]*' | awk '{print $3}' | median >> "$work/pg"
	(cd matching && "$work/matching.test" -test.run '^$' -test.bench '^Benchmark(Rank|RankIndex|ChordTopK)$/^100k$' \
		-test.count 1 && "$work/matching.test" -test.run '^$' -test.bench '^BenchmarkChordTopK$' -test.count 1) > "$work/bench"
	awk '$1 ~ /^BenchmarkRank\/100k/ {print $3/1e6}' "$work/bench" >> "$work/rank"
	awk '$1 ~ /^BenchmarkRankIndex\/100k/ {print $3/1e6}' "$work/bench" >> "$work/rankindex"
	awk '$1 ~ /^BenchmarkChordTopK/ {print $3/1e6}' "$work/bench" >> "$work/chord"
	echo "round $round: PostGIS $(tail -1 "$work/pg") ms, Rank $(tail -1 "$work/rank") ms," \
		"RankIndex $(tail -1 "$work/rankindex") ms, chord top-k $(tail -1 "$work/chord") ms"
done

pg=$(median < "$work/pg") rank=$(median < "$work/rank") ri=$(median < "$work/rankindex") chord=$(median < "$work/chord")
echo
echo "medians over $rounds rounds (PostGIS: median of $queries executions per round):"
printf '  PostGIS nearest 20 with filters  %8.3f ms\n' "$pg"
printf '  matching.Rank (full pass)        %8.3f ms  (%.2f x PostGIS)\n' "$rank" "$(awk -v a="$rank" -v b="$pg" 'BEGIN{print a/b}')"
printf '  matching.RankIndex               %8.3f ms  (%.2f x PostGIS, %.2f x chord top-k)\n' "$ri" \
	"$(awk -v a="$ri" -v b="$pg" 'BEGIN{print a/b}')" "$(awk -v a="$ri" -v b="$chord" 'BEGIN{print a/b}')"
printf '  chord-distance top-10 loop       %8.3f ms\n' "$chord"
echo "  $agree of the query's $(wc -l <<<"$answers") answers are eligible by Rank; Rank excludes the others for:"
grep -vxFf "$work/eligible.txt" <<<"$answers" | while read -r id; do
	grep -m1 "^$id," "$work/excluded.csv" | cut -d, -f2- | tr ' ' '\n'
done | sort | uniq -c | sed 's/^ */    /'
