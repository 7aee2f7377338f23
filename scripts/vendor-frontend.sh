#!/usr/bin/env bash
# Refreshes the vendored front-end files from npm at the exact versions below:
# GOV.UK Frontend, Leaflet and Swagger UI (served by the web pages; Swagger UI
# renders the API reference at /docs) into web/static/vendor, and
# axe-core (injected by the browser tests only) into web/testdata/vendor. The files
# are committed, so `serve --demo` needs no npm; run this only to change a version.
#   bash scripts/vendor-frontend.sh
set -euo pipefail

GOVUK_FRONTEND=6.6.0
LEAFLET=1.9.4
AXE_CORE=4.14.1
SWAGGER_UI=5.35.0

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

unpack() { # name version → $work/name/package
	(cd "$work" && npm pack --silent "$1@$2" >/dev/null)
	mkdir -p "$work/$1"
	tar xzf "$work/$1-$2.tgz" -C "$work/$1"
}

static=$root/web/static/vendor
rm -rf "$static" "$root/web/testdata/vendor"

unpack govuk-frontend "$GOVUK_FRONTEND"
g=$work/govuk-frontend/package/dist/govuk
dst=$static/govuk-frontend
mkdir -p "$dst"
cp "$g/govuk-frontend.min.css" "$g/govuk-frontend.min.js" "$dst/"
# Not copied: the GDS Transport fonts, the crest and the GOV.UK icons are licensed
# for GOV.UK services only; app.css sets Arial and the pages serve neither.
# The npm package carries its licence as a README section and package.json's field;
# the MIT text and copyright line are upstream's LICENSE.txt, which npm leaves out.
{
	echo "govuk-frontend $GOVUK_FRONTEND (npm), licence: $(node -p "require('$work/govuk-frontend/package/package.json').license")"
	echo
	sed -n '/^## Licence/,/^## /p' "$work/govuk-frontend/package/README.md" | sed '$d'
	echo
	echo "## LICENSE.txt (github.com/alphagov/govuk-frontend)"
	echo
	cat <<'MIT'
The MIT License (MIT)

Copyright (C) 2017 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies
of the Software, and to permit persons to whom the Software is furnished to do
so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
MIT
} >"$dst/LICENCE"

unpack leaflet "$LEAFLET"
l=$work/leaflet/package
dst=$static/leaflet
mkdir -p "$dst"
cp "$l/dist/leaflet.js" "$l/dist/leaflet.css" "$dst/"
cp -r "$l/dist/images" "$dst/"
cp "$l/LICENSE" "$dst/LICENCE"

# Swagger UI's prebuilt bundle: it renders openapi.yaml under the pages' strict
# Content-Security-Policy (no inline script or style element, no eval); Redoc's
# standalone bundle was tried and needs inline style elements.
unpack swagger-ui-dist "$SWAGGER_UI"
s=$work/swagger-ui-dist/package
dst=$static/swagger-ui
mkdir -p "$dst"
cp "$s/swagger-ui-bundle.js" "$s/swagger-ui.css" "$dst/"
sed -i '/^\/\/# sourceMappingURL=/d' "$dst/swagger-ui-bundle.js" # the map is not vendored
{
	echo "swagger-ui-dist $SWAGGER_UI (npm), licence: $(node -p "require('$s/package.json').license")"
	echo
	cat "$s/NOTICE"
	echo
	echo "## Licences of the libraries inside swagger-ui-bundle.js (swagger-ui-bundle.js.LICENSE.txt)"
	echo
	cat "$s/swagger-ui-bundle.js.LICENSE.txt"
	echo
	echo "## LICENSE"
	echo
	cat "$s/LICENSE"
} >"$dst/LICENCE"

unpack axe-core "$AXE_CORE"
a=$work/axe-core/package
dst=$root/web/testdata/vendor/axe-core
mkdir -p "$dst"
cp "$a/axe.min.js" "$dst/"
cp "$a/LICENSE" "$dst/LICENCE"

cat >"$static/VERSIONS" <<V
govuk-frontend $GOVUK_FRONTEND
leaflet $LEAFLET
swagger-ui-dist $SWAGGER_UI
axe-core $AXE_CORE (tests only: web/testdata/vendor)
V
echo "vendored govuk-frontend $GOVUK_FRONTEND, leaflet $LEAFLET, swagger-ui-dist $SWAGGER_UI, axe-core $AXE_CORE"
