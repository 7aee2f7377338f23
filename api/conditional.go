package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"placematch"
	"placematch/store"
)

// Conditional requests (RFC 9110 §13). Every record's entity tag is its version in
// quotes ("3"). If-Match compares an entity tag with the stored version inside the
// store's transaction; If-None-Match on a GET lets a client that holds the current
// copy skip the body (304).

// entityTags splits an If-Match or If-None-Match field value into its entity tags,
// each without W/ and the quotes, and reports whether it was "*". ok is false when
// a member is not an entity tag at all (no quotes): a client bug worth a 400.
func entityTags(h string) (tags []string, star, ok bool) {
	h = strings.TrimSpace(h)
	if h == "*" {
		return nil, true, true
	}
	if n, err := strconv.Atoi(h); err == nil && n > 0 {
		return []string{h}, false, true // a bare version, as earlier clients sent it
	}
	for _, part := range strings.Split(h, ",") {
		t := strings.TrimPrefix(strings.TrimSpace(part), "W/")
		if len(t) < 2 || t[0] != '"' || t[len(t)-1] != '"' {
			return nil, false, false
		}
		tags = append(tags, t[1:len(t)-1])
	}
	return tags, false, true
}

// ifMatch reads If-Match as the version the change requires: 0 when there is no
// header or it is *, the version named by a tag this service issued ("3", W/"3"),
// and store.UnknownVersion for any other entity tag ("stale-0"), which can never be
// current and so fails with 412. A value that is not an entity tag is 400. In a list
// the first tag that names a version counts.
func ifMatch(c *gin.Context) (int, error) {
	h := c.GetHeader("If-Match")
	if strings.TrimSpace(h) == "" {
		return 0, nil
	}
	tags, star, ok := entityTags(h)
	if !ok {
		return 0, &requestError{status: http.StatusBadRequest, typ: typeMalformed, title: "Malformed request",
			detail: "If-Match must be an entity tag in quotes, such as \"3\", or *.",
			fields: []placematch.FieldError{{Field: "If-Match", Message: "is not an entity tag"}}}
	}
	if star {
		return 0, nil
	}
	for _, t := range tags {
		if n, err := strconv.Atoi(t); err == nil && n > 0 {
			return n, nil
		}
	}
	return store.UnknownVersion, nil
}

// notModified reports whether a GET or HEAD carries an If-None-Match that the
// record's current entity tag matches (weak comparison, RFC 9110 §13.1.2).
func notModified(c *gin.Context, version int) bool {
	if m := c.Request.Method; m != http.MethodGet && m != http.MethodHead {
		return false
	}
	h := c.GetHeader("If-None-Match")
	if h == "" {
		return false
	}
	tags, star, ok := entityTags(h)
	if !ok {
		return false // not a condition we can evaluate: send the record
	}
	if star {
		return true
	}
	current := strconv.Itoa(version)
	for _, t := range tags {
		if t == current {
			return true
		}
	}
	return false
}

// respond writes a record with its ETag, or 304 with the ETag alone when the client
// already holds this version.
func respond(c *gin.Context, status, version int, body any) {
	c.Header("ETag", strconv.Quote(strconv.Itoa(version)))
	if status == http.StatusOK && notModified(c, version) {
		c.Status(http.StatusNotModified)
		return
	}
	c.JSON(status, body)
}
