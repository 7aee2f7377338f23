# Shell functions shared by the scripts (sourced, not run).

# mask_url prints a database connection string with its passwords replaced by ***:
# the URL form (scheme://user:password@host/...) and password=... settings, whether
# in a URL's query or in libpq key=value form.
mask_url() {
	printf '%s\n' "$1" | sed -E \
		-e 's#^([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@]*):[^/?#]*@#\1:***@#' \
		-e "s#([A-Za-z_]*pass[A-Za-z_]*[[:space:]]*=[[:space:]]*)('[^']*'|[^[:space:]&']*)#\\1***#g"
}
