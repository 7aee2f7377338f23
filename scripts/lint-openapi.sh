#!/usr/bin/env bash
# Lints openapi.yaml with Redocly (recommended rules, a missing 4xx response is an
# error) and Spectral (spectral:oas; errors fail, warnings are printed). Both run at
# exact npm versions through npx, so every machine lints with the same rules. Node.js
# and npm are installed with apt when missing; if they still cannot be had, the run
# fails unless PLACEMATCH_SKIP_OPENAPI_LINT=1 says to skip, and then it says so.
set -euo pipefail
cd "$(dirname "$0")/.."

REDOCLY_VERSION=2.77.0
SPECTRAL_VERSION=6.16.3

log() { printf '== %s\n' "$*" >&2; }

if ! command -v npx >/dev/null 2>&1; then
	if [ "${PLACEMATCH_SKIP_OPENAPI_LINT:-}" = 1 ]; then
		log "SKIPPED: OpenAPI lint (no npx on this machine and PLACEMATCH_SKIP_OPENAPI_LINT=1)"
		exit 0
	fi
	log "installing Node.js and npm for the OpenAPI linters"
	if [ "$(id -u)" = 0 ]; then sudo=(); else sudo=(sudo); fi
	if ! { "${sudo[@]}" apt-get update -qq &&
		"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null; } ||
		! command -v npx >/dev/null 2>&1; then
		log "FAILED: the OpenAPI linters need Node.js and npm, which could not be installed;"
		log "install them, or set PLACEMATCH_SKIP_OPENAPI_LINT=1 to skip the OpenAPI lint (it then says so)"
		exit 1
	fi
fi

export NO_UPDATE_NOTIFIER=1 REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
log "Redocly lint @redocly/cli@$REDOCLY_VERSION"
npx --yes "@redocly/cli@$REDOCLY_VERSION" lint --config redocly.yaml --format=stylish openapi.yaml
log "Spectral lint @stoplight/spectral-cli@$SPECTRAL_VERSION (spectral:oas)"
npx --yes "@stoplight/spectral-cli@$SPECTRAL_VERSION" lint --ruleset .spectral.yaml --fail-severity=error openapi.yaml
