package api

import (
	"bufio"
	"bytes"
	"errors"
	"net"
	"net/http"

	"github.com/gin-gonic/gin"
)

// heldWriter keeps a handler's answer in memory until the audit row for it has been
// written: a child's record must not leave the service unless the trail records who
// saw it. release sends it, or a 503 when the row could not be written.
type heldWriter struct {
	gin.ResponseWriter // the real writer; its Header() is used as is
	status             int
	written            bool
	body               bytes.Buffer
}

func holdResponse(c *gin.Context) *heldWriter {
	w := &heldWriter{ResponseWriter: c.Writer, status: http.StatusOK}
	c.Writer = w
	return w
}

func (w *heldWriter) WriteHeader(code int) {
	if code > 0 && !w.written {
		w.status = code
	}
}

func (w *heldWriter) WriteHeaderNow() { w.written = true }

func (w *heldWriter) Write(b []byte) (int, error) {
	w.written = true
	return w.body.Write(b)
}

func (w *heldWriter) WriteString(s string) (int, error) {
	w.written = true
	return w.body.WriteString(s)
}

func (w *heldWriter) Status() int { return w.status }

func (w *heldWriter) Size() int {
	if !w.written {
		return -1
	}
	return w.body.Len()
}

func (w *heldWriter) Written() bool { return w.written }

// Flush sends nothing: the answer is held until it is audited.
func (w *heldWriter) Flush() {}

func (w *heldWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return nil, nil, errors.New("api: a held response cannot be hijacked")
}

// release restores the real writer and sends the held answer. When the audit row
// failed and the answer would have shown the record (status below 400), it sends 503
// problem+json with Retry-After instead; a refusal or a not-found reveals nothing
// and is sent as it is.
func (w *heldWriter) release(c *gin.Context, auditErr error) {
	c.Writer = w.ResponseWriter
	if auditErr != nil && w.status < http.StatusBadRequest {
		writeAuditUnavailable(c)
		return
	}
	c.Writer.WriteHeader(w.status)
	if w.body.Len() == 0 {
		c.Writer.WriteHeaderNow()
		return
	}
	_, _ = c.Writer.Write(w.body.Bytes())
}

// writeAuditUnavailable answers 503: what was asked shows a child's record, and
// the audit trail cannot record it now.
func writeAuditUnavailable(c *gin.Context) {
	h := c.Writer.Header()
	for _, k := range []string{"ETag", "Location", "Content-Type", "Content-Length", "Last-Modified"} {
		h.Del(k)
	}
	c.Header("Retry-After", auditRetryAfter)
	writeProblem(c, Problem{Type: typeUnavailable, Title: "Audit trail unavailable",
		Status: http.StatusServiceUnavailable,
		Detail: "Records of children are shown only when the access is recorded, and the audit trail cannot be written now. Try again later."})
}
