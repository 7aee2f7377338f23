package api

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"placematch"
)

// queryText refuses a query string that cannot be read (malformed escapes, which
// net/url would drop silently: 400) or whose names or values hold what no filter may:
// invalid UTF-8 or control characters, NUL above all, which PostgreSQL refuses with an
// error and SQLite would compare (422 naming the parameter). Both engines then see
// the same filters.
func queryText(c *gin.Context) error {
	q, err := url.ParseQuery(c.Request.URL.RawQuery)
	if err != nil {
		return malformed("The query string is not well formed.")
	}
	for _, name := range sortedKeys(q) {
		if !utf8.ValidString(name) || badText(name, false) != "" {
			return placematch.Invalid(name, "the parameter name holds a control character or invalid UTF-8")
		}
		for _, val := range q[name] {
			if !utf8.ValidString(val) {
				return placematch.Invalid(name, "must be valid UTF-8")
			}
			if msg := badText(val, false); msg != "" {
				return placematch.Invalid(name, "%s", msg)
			}
		}
	}
	return nil
}

// queryEnum reads an optional query parameter that must be one of allowed.
func queryEnum[T ~string](c *gin.Context, v *placematch.ValidationError, name string, allowed []T) string {
	val := c.Query(name)
	if val != "" {
		enum(v, name, T(val), allowed)
	}
	return val
}

// pageQuery is what every paged list takes besides its filters.
var pageQuery = []string{"limit", "cursor"}

// knownQuery checks the text of the query (queryText) and refuses with 400 a query parameter a list does not take, or one given
// twice: either would otherwise be ignored (a misspelt filter answering the whole
// list) or half-read (only the first value used). names are every parameter the list
// takes.
func knownQuery(c *gin.Context, names ...string) error {
	if err := queryText(c); err != nil {
		return err
	}
	q := c.Request.URL.Query()
	for _, name := range sortedKeys(q) {
		switch {
		case !slices.Contains(names, name):
			known := "none"
			if len(names) > 0 {
				known = strings.Join(slices.Sorted(slices.Values(names)), ", ")
			}
			return queryError(name, "is not a parameter of this list; it takes "+known)
		case len(q[name]) > 1:
			return queryError(name, "is given more than once")
		}
	}
	return nil
}

func queryError(name, msg string) error {
	return &requestError{status: http.StatusBadRequest, typ: typeMalformed, title: "Malformed request",
		detail: fmt.Sprintf("Query parameter %q %s.", name, msg),
		fields: []placematch.FieldError{{Field: name, Message: msg}}}
}
