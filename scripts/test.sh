#!/usr/bin/env bash
# The whole test suite on a fresh machine: makes sure PostgreSQL is installed and
# running (installing it with apt and starting it when it is not), gives the tests a
# database of their own, installs chromium for the web pages' browser tests when
# it is missing, then runs go vet, staticcheck, the OpenAPI linters, the contract
# checks with oapi-codegen, openapi-typescript and Prism (scripts/contract.sh) and
# go test -race. The store, API and web suites run on SQLite and on PostgreSQL; a
# PostgreSQL they cannot reach fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '== %s\n' "$*" >&2; }

# shellcheck source=scripts/lib.sh
. scripts/lib.sh

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

pg_up() { pg_isready -q -h 127.0.0.1 -p "${PGPORT:-5432}" >/dev/null 2>&1; }

ensure_postgres() {
	if ! command -v pg_ctlcluster >/dev/null 2>&1; then
		log "installing PostgreSQL"
		as_root apt-get update -qq
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
	fi
	if ! pg_up; then
		log "starting PostgreSQL"
		version=$(ls /etc/postgresql | sort -n | tail -1)
		as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
	fi
	for _ in $(seq 1 60); do pg_up && break; sleep 0.5; done
	pg_up || { log "PostgreSQL did not start"; exit 1; }
	# A role and database of the tests' own, with a password, so that the suite
	# works whatever authentication the server's host rules ask for.
	as_root runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 -d postgres <<'SQL'
SELECT 'CREATE ROLE placematch_test LOGIN PASSWORD ''placematch_test'''
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'placematch_test') \gexec
SELECT 'CREATE DATABASE placematch_test OWNER placematch_test'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'placematch_test') \gexec
SQL
	export PLACEMATCH_TEST_DATABASE_URL="postgres://placematch_test:placematch_test@127.0.0.1:${PGPORT:-5432}/placematch_test?sslmode=disable"
}

# The web pages' tests drive a real browser: Debian's chromium, installed when
# missing. A browser test that cannot start one fails; it never skips.
ensure_chromium() {
	if ! command -v chromium >/dev/null 2>&1; then
		log "installing chromium"
		as_root apt-get update -qq
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
	fi
	command -v chromium >/dev/null 2>&1 || { log "chromium did not install"; exit 1; }
}

if [ -z "${PLACEMATCH_TEST_DATABASE_URL:-}" ]; then
	ensure_postgres
fi
ensure_chromium
log "PostgreSQL for tests: $(mask_url "$PLACEMATCH_TEST_DATABASE_URL")"

log "go mod verify"
go mod verify

log "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then printf 'not gofmt-formatted:\n%s\n' "$unformatted" >&2; exit 1; fi

log "go vet"
go vet ./...

log "staticcheck (a Go tool dependency pinned in go.mod)"
go tool staticcheck ./...

log "OpenAPI lint"
bash scripts/lint-openapi.sh

log "OpenAPI contract with integrators' tools (oapi-codegen, openapi-typescript + tsc, Prism)"
bash scripts/contract.sh

log "CGO_ENABLED=0 go build"
CGO_ENABLED=0 go build -o /dev/null ./...

log "go test -race"
go test -race -count=1 -timeout 40m "$@" ./...
