package api

import (
	"html/template"
	"net/http"

	"github.com/gin-gonic/gin"
)

// Problem type pages. A problem's type is a URI reference relative to the service
// (RFC 9457 §3.1.1), so a client resolves it against the request URL and can open it:
// each type the service emits is a short page, served without a token, saying what
// the problem means and what to do. A test walks every type written in the code and
// fetches its page, so a new type cannot ship without one.

// problemDoc is the page of one problem type.
type problemDoc struct {
	Status int
	Title  string
	Text   string
}

// problemDocs maps each problem type URI the service emits to its page.
var problemDocs = map[string]problemDoc{
	typeValidation: {422, "Validation error",
		"One or more fields break a rule. The errors member names each field by its JSON path and says what is wrong; correct them and send the request again."},
	typeMalformed: {400, "Malformed request",
		"The request could not be read: the body is not a JSON object, or a header such as If-Match is not in the form the API expects."},
	typeTooLarge: {413, "Body too large",
		"The request body is over 1 MiB (1 048 576 bytes). Send a smaller body."},
	typeNotFound: {404, "Not found",
		"No record has this id, the caller may not see it, or no route has this path."},
	typeConflict: {409, "Conflict with the stored record",
		"The request clashes with what is stored: a duplicate reference, an archived record, a child not awaiting, a placement already ended or still active. The detail says which."},
	typeNoCapacity: {409, "Not enough vacant places",
		"The provider has fewer vacant places than the booking needs. Choose another provider or book fewer children."},
	typeHardRule: {409, "The placement breaks a hard rule",
		"The matching engine's hard rules forbid this placement; reasons lists the exclusion codes. The law is never overridden by a score."},
	typePrecondition: {412, "The record has changed",
		"The entity tag in If-Match is not the record's current one. Read the record again, reapply the change and send it with the new ETag."},
	typePreconditionRequired: {428, "If-Match required",
		"Carers and providers must send If-Match with the ETag of the record they read, so that an update cannot silently undo another."},
	typeUnauthenticated: {401, "Authentication required",
		"Send a valid bearer token in the Authorization header."},
	typeForbidden: {403, "Forbidden",
		"The caller's role may not use this route."},
	typeMethodNotAllowed: {405, "Method not allowed",
		"The path exists but does not accept this method."},
	typeInternal: {500, "Internal error",
		"The request could not be completed. It has been logged with its request id; quote the request_id when you report it."},
	typeUnavailable: {503, "Service unavailable",
		"The database cannot be reached, the service is not ready, or the audit trail cannot be written for a request that must be audited (a child's record is never shown unaudited). Nothing was changed; try again after the seconds in Retry-After."},
	typeBusy: {503, "Too many searches at once",
		"More searches are waiting for their turn than the service queues (PLACEMATCH_SEARCH_QUEUE). Nothing was done; try again after the seconds in Retry-After."},
	typeUnreadable: {500, "Stored record cannot be read",
		"A stored value of this record (named in the detail, with its field) is not valid, for example a date written before the service checked dates. Lists leave the record out; an administrator can repair it with PATCH or PUT giving a valid value."},
	typeUnsupportedMedia: {415, "Unsupported media type",
		"The body must be sent as application/json (or application/merge-patch+json on PATCH), with that Content-Type."},
	typeRateLimited: {429, "Too many requests",
		"This client (its token's subject, or its address when unauthenticated) sent more requests than its limit allows. Wait the seconds in Retry-After before trying again."},
}

var problemPage = template.Must(template.New("problem").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}} — Placematch</title></head>
<body><h1>{{.Title}}</h1>
<p>Problem type <code>{{.Type}}</code>, HTTP status {{.Status}}.</p>
<p>{{.Text}}</p>
<p>Problems are RFC 9457 problem details (application/problem+json); see /openapi.yaml.</p>
</body></html>
`))

// problemType serves the page of one problem type; an unknown type is 404.
func (s *Server) problemType(c *gin.Context) error {
	uri := "/problems/" + c.Param("type")
	doc, ok := problemDocs[uri]
	if !ok {
		writeProblem(c, Problem{Type: typeNotFound, Title: "Not found", Status: http.StatusNotFound,
			Detail: "No such problem type."})
		return nil
	}
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Header("Cache-Control", "public, max-age=86400")
	c.Status(http.StatusOK)
	_ = problemPage.Execute(c.Writer, struct {
		problemDoc
		Type string
	}{doc, uri})
	return nil
}
