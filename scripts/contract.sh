#!/usr/bin/env bash
# Checks openapi.yaml with the tools integrators use, each at a pinned version:
#   1. oapi-codegen (a Go tool dependency in go.mod) generates a Go client with its
#      default options (-generate types,client) into a scratch module, which must build;
#   2. openapi-typescript generates TypeScript types, which tsc --strict must accept;
#   3. the API's officer journey runs through Prism's validating proxy
#      (prism proxy openapi.yaml <server> --errors) with zero violations
#      (TestJourneyThroughPrism in ./api/).
# Any failure fails the run. The npm tools are installed into a scratch folder with
# npm at exact versions (Node.js and npm with apt when missing, as
# scripts/lint-openapi.sh does); PLACEMATCH_SKIP_CONTRACT_TOOLS=1 skips the npm
# steps on a machine without them, and says so.
set -euo pipefail
cd "$(dirname "$0")/.."

PRISM_VERSION=5.16.0
OPENAPI_TYPESCRIPT_VERSION=7.13.0
TYPESCRIPT_VERSION=5.9.3
OAPI_RUNTIME_VERSION=v1.9.0

log() { printf '== %s\n' "$*" >&2; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

log "oapi-codegen $(go tool oapi-codegen -version | tail -1): generate a client with default options and build it"
mkdir -p "$scratch/goclient/client"
go tool oapi-codegen -generate types,client -package client openapi.yaml >"$scratch/goclient/client/client.go"
printf 'module placematch.example/goclient\n\ngo 1.26\n' >"$scratch/goclient/go.mod"
(
	cd "$scratch/goclient"
	export GOFLAGS=-mod=mod
	go get "github.com/oapi-codegen/runtime@$OAPI_RUNTIME_VERSION" >/dev/null 2>&1
	go mod tidy >/dev/null
	go vet ./...
	CGO_ENABLED=0 go build ./...
)

if ! command -v npm >/dev/null 2>&1; then
	if [ "${PLACEMATCH_SKIP_CONTRACT_TOOLS:-}" = 1 ]; then
		log "SKIPPED: openapi-typescript and Prism (no npm on this machine and PLACEMATCH_SKIP_CONTRACT_TOOLS=1)"
		exit 0
	fi
	log "installing Node.js and npm for the contract tools"
	if [ "$(id -u)" = 0 ]; then sudo=(); else sudo=(sudo); fi
	if ! { "${sudo[@]}" apt-get update -qq &&
		"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null; } ||
		! command -v npm >/dev/null 2>&1; then
		log "FAILED: the contract tools need Node.js and npm, which could not be installed;"
		log "install them, or set PLACEMATCH_SKIP_CONTRACT_TOOLS=1 to skip them (the run then says so)"
		exit 1
	fi
fi

export NO_UPDATE_NOTIFIER=1 npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
tools="$scratch/npm"
mkdir -p "$tools"
log "installing @stoplight/prism-cli@$PRISM_VERSION openapi-typescript@$OPENAPI_TYPESCRIPT_VERSION typescript@$TYPESCRIPT_VERSION"
# Prism declares a newer Node.js engine than Debian ships; it runs on Node.js 20 all
# the same (the journey below is the proof), so the engine warning is not fatal.
npm install --prefix "$tools" --no-save --loglevel=error \
	"@stoplight/prism-cli@$PRISM_VERSION" \
	"openapi-typescript@$OPENAPI_TYPESCRIPT_VERSION" \
	"typescript@$TYPESCRIPT_VERSION" >/dev/null
bin="$tools/node_modules/.bin"

log "openapi-typescript $OPENAPI_TYPESCRIPT_VERSION, then tsc --strict"
mkdir -p "$scratch/ts"
"$bin/openapi-typescript" openapi.yaml --output "$scratch/ts/placematch.ts" >/dev/null
printf 'import type { components, paths } from "./placematch";\nexport type Child = components["schemas"]["Child"];\nexport type Paths = keyof paths;\n' >"$scratch/ts/use.ts"
"$bin/tsc" --strict --noEmit --skipLibCheck false --target es2022 --module es2022 --moduleResolution bundler \
	"$scratch/ts/placematch.ts" "$scratch/ts/use.ts"

log "the officer journey through prism proxy --errors ($PRISM_VERSION)"
if ! PLACEMATCH_PRISM="$bin/prism" go test -count=1 -run '^TestJourneyThroughPrism$' -v ./api/ >"$scratch/prism.log" 2>&1; then
	cat "$scratch/prism.log" >&2
	log "FAILED: the journey through Prism"
	exit 1
fi
if grep -q -- '--- SKIP' "$scratch/prism.log"; then
	cat "$scratch/prism.log" >&2
	log "FAILED: the journey through Prism was skipped"
	exit 1
fi
grep -E '^(--- |ok)' "$scratch/prism.log"
