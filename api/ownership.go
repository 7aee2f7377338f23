package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"placematch"
	"placematch/auth"
)

// ownsProvider applies object-level rules: a carer may touch only its own carer
// record and a provider only its own units; anything else answers 404, so that
// another household's existence is not confirmed. The refusal is audited.
func (s *Server) ownsProvider(c *gin.Context, r providerResource, id string) error {
	p := principal(c)
	ok := true
	switch p.Role {
	case auth.Carer:
		ok = r.kind == placematch.KindCarer && id == p.CarerID
	case auth.Provider:
		ok = r.kind == placematch.KindUnit && p.OwnsUnit(id)
	}
	if ok {
		return nil
	}
	// The trail records the status the caller is about to receive.
	c.Status(http.StatusNotFound)
	_ = s.audit(c, policy{resource: string(r.kind)}, "denied")
	return &requestError{status: http.StatusNotFound, typ: typeNotFound, title: "Not found", detail: "No such record."}
}

// selfService reports whether the caller updates its own availability (a carer or a
// provider), and the source recorded with the update.
func selfService(c *gin.Context) (bool, string) {
	switch principal(c).Role {
	case auth.Carer:
		return true, placematch.SourceCarer
	case auth.Provider:
		return true, placematch.SourceProvider
	}
	return false, placematch.SourceOfficer
}
