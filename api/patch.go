package api

import (
	"context"
	"errors"

	"github.com/gin-gonic/gin"

	"placematch"
)

// A JSON merge patch (RFC 7396) of a provider, a child or a feed is merged over the
// stored record as a create body, then decoded and validated exactly like a create,
// so that a patch can never store what a create would refuse. That work (marshalling,
// merging, reflective decoding) needs the stored record but not its lock: it is done
// on the record read outside the transaction, and the transaction only writes the
// typed change it produced, guarded by the version it was decided on.

// mergeRequest is a merge-patch body with its If-Match version.
type mergeRequest struct {
	patch     map[string]any
	ifVersion int
}

// readPatch reads a merge-patch body and the If-Match version.
func readPatch(c *gin.Context) (mergeRequest, error) {
	ifVersion, err := ifMatch(c)
	if err != nil {
		return mergeRequest{}, err
	}
	raw, err := readBody(c.Request)
	if err != nil {
		return mergeRequest{}, err
	}
	doc, err := parseJSON(raw)
	if err != nil {
		return mergeRequest{}, err
	}
	patch, ok := doc.(map[string]any)
	if !ok {
		return mergeRequest{}, malformed("The body must be a JSON object (a JSON merge patch).")
	}
	return mergeRequest{patch: patch, ifVersion: ifVersion}, nil
}

// readPlacePatch reads a merge patch of a record with a place (a provider, a
// child), its postcode looked up now, before any transaction (see postcodePatch).
func (s *Server) readPlacePatch(c *gin.Context) (mergeRequest, postcodeMove, error) {
	req, err := readPatch(c)
	if err != nil {
		return req, postcodeMove{}, err
	}
	move, err := s.postcodePatch(c.Request.Context(), req.patch)
	return req, move, err
}

// maxPatchAttempts bounds how often a patch without If-Match is decided again
// because another writer changed the record between the read and the write.
const maxPatchAttempts = 5

// patching says how one kind of record is patched: read returns the record as an
// update starts from (outside any transaction) and record its bookkeeping; decide
// merges, decodes and validates the patch over it and returns the typed change it
// asks for; write applies that change to the locked record if it is still at version.
type patching[T any] struct {
	read   func() (T, error)
	record func(T) placematch.Record
	decide func(cur T) (apply func(locked T), err error)
	write  func(version int, apply func(locked T) error) (T, error)
}

// patchRecord decides a patch outside the store's transaction and writes it inside.
// The change was decided on the version read, so the write is guarded by that
// version; when another writer changed the record in between and the client named
// no version, the record is read and the patch decided again, so that a patch
// always applies to the record it is written over. With If-Match a changed record
// is refused (412), as it always was.
func patchRecord[T any](ifVersion int, p patching[T]) (T, error) {
	for attempt := 1; ; attempt++ {
		out, err := p.once(ifVersion)
		if ifVersion != 0 || attempt == maxPatchAttempts || !errors.Is(err, placematch.ErrVersionMismatch) {
			return out, err
		}
	}
}

func (p patching[T]) once(ifVersion int) (T, error) {
	var zero T
	cur, err := p.read()
	if err != nil {
		return zero, err
	}
	rec := p.record(cur)
	if err := rec.Writable(ifVersion); err != nil {
		return zero, err // refused before the patch is judged, as the store would
	}
	apply, err := p.decide(cur)
	if err != nil {
		return zero, err
	}
	return p.write(rec.Version, func(locked T) error {
		apply(locked)
		return nil
	})
}

// providerPatching reads and writes providers of one kind for patchRecord.
func (s *Server) providerPatching(ctx context.Context, kind placematch.ProviderKind, id string) patching[*placematch.Provider] {
	return patching[*placematch.Provider]{
		read:   func() (*placematch.Provider, error) { return s.Store.ProviderToUpdate(ctx, kind, id) },
		record: func(p *placematch.Provider) placematch.Record { return p.Record },
		write: func(version int, apply func(*placematch.Provider) error) (*placematch.Provider, error) {
			return s.Store.UpdateProvider(ctx, kind, id, version, apply)
		},
	}
}

// childPatching reads and writes children for patchRecord.
func (s *Server) childPatching(ctx context.Context, id string) patching[*placematch.Child] {
	return patching[*placematch.Child]{
		read:   func() (*placematch.Child, error) { return s.Store.ChildToUpdate(ctx, id) },
		record: func(c *placematch.Child) placematch.Record { return c.Record },
		write: func(version int, apply func(*placematch.Child) error) (*placematch.Child, error) {
			return s.Store.UpdateChild(ctx, id, version, apply)
		},
	}
}

// feedPatching reads and writes feeds for patchRecord.
func (s *Server) feedPatching(ctx context.Context, id string) patching[*placematch.Feed] {
	return patching[*placematch.Feed]{
		read:   func() (*placematch.Feed, error) { return s.Store.GetFeed(ctx, id) },
		record: func(f *placematch.Feed) placematch.Record { return f.Record },
		write: func(version int, apply func(*placematch.Feed) error) (*placematch.Feed, error) {
			return s.Store.UpdateFeed(ctx, id, version, apply)
		},
	}
}

// mergeInto merges patch over current (the record as a create body) and decodes the
// merged document strictly into dst, like a create body.
func mergeInto(current any, patch map[string]any, dst any) error {
	merged, err := mergePatch(current, patch)
	if err != nil {
		return err
	}
	return decodeStrict(merged, dst)
}
