package api

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"placematch"
	"placematch/auth"
	"placematch/placing"
	"placematch/store"
)

// providerInput is the request body of one provider kind.
type providerInput interface {
	validate(v *placematch.ValidationError, allowUnconfirmed bool, now time.Time)
	apply(p *placematch.Provider)
	place() (*pointIn, *string)
	availability() *availabilityIn
}

// providerResource binds one provider kind to its JSON shapes and list filters.
type providerResource struct {
	kind  placematch.ProviderKind
	path  string
	newIn func() providerInput
	toIn  func(*placematch.Provider) providerInput
	toOut func(*placematch.Provider) any
	// filters maps a query parameter to its allowed values (nil: any text) and to
	// where it goes in the store filter.
	filters map[string]filterSpec
	// listRoles may list this kind, readRoles read one record (ownsProvider
	// narrows a carer or provider to its own), selfRoles report its availability.
	listRoles, readRoles, selfRoles []auth.Role
}

type filterSpec struct {
	allowed []string
	set     func(f *store.ProviderFilter, v string)
}

var (
	filterDistrict     = filterSpec{set: func(f *store.ProviderFilter, v string) { f.District = v }}
	filterReference    = filterSpec{set: func(f *store.ProviderFilter, v string) { f.Reference = v }}
	filterAvailability = filterSpec{allowed: []string{"available", "unavailable", "unconfirmed"},
		set: func(f *store.ProviderFilter, v string) { f.AvailabilityStatus = v }}
	filterSector = filterSpec{allowed: strs(placematch.Sectors),
		set: func(f *store.ProviderFilter, v string) { f.Sector = placematch.Sector(v) }}
)

var carers = providerResource{
	kind: placematch.KindCarer, path: "carers",
	newIn: func() providerInput { return &carerIn{} },
	toIn:  func(p *placematch.Provider) providerInput { return carerToIn(p) },
	toOut: carerToOut,
	// carers have no list of their own, only their record
	listRoles: readProviders, readRoles: withRole(readProviders, auth.Carer), selfRoles: []auth.Role{auth.Carer},
	filters: map[string]filterSpec{"district": filterDistrict, "reference": filterReference,
		"availability_status": filterAvailability, "sector": filterSector,
		"status": {allowed: strs(placematch.CarerStatuses), set: func(f *store.ProviderFilter, v string) { f.Status = v }},
		"placement_type": {allowed: strs(placematch.PlacementTypes),
			set: func(f *store.ProviderFilter, v string) { f.PlacementType = v }}},
}

var units = providerResource{
	kind: placematch.KindUnit, path: "units",
	newIn: func() providerInput { return &unitIn{} },
	toIn:  func(p *placematch.Provider) providerInput { return unitToIn(p) },
	toOut: unitToOut,
	// a provider lists and reads its own units
	listRoles: withRole(readProviders, auth.Provider), readRoles: withRole(readProviders, auth.Provider),
	selfRoles: []auth.Role{auth.Provider},
	filters: map[string]filterSpec{"district": filterDistrict, "reference": filterReference,
		"availability_status": filterAvailability, "sector": filterSector,
		"registration_status": {allowed: strs(placematch.RegistrationStatuses),
			set: func(f *store.ProviderFilter, v string) { f.Status = v }}},
}

var hubs = providerResource{
	kind: placematch.KindHub, path: "hubs",
	newIn:     func() providerInput { return &hubIn{} },
	toIn:      func(p *placematch.Provider) providerInput { return hubToIn(p) },
	toOut:     hubToOut,
	listRoles: readProviders, readRoles: readProviders, selfRoles: adminOnly,
	filters: map[string]filterSpec{"district": filterDistrict, "reference": filterReference,
		"availability_status": filterAvailability, "sector": filterSector},
}

func withRole(roles []auth.Role, r auth.Role) []auth.Role { return append(slices.Clone(roles), r) }

func strs[T ~string](in []T) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = string(s)
	}
	return out
}

func (s *Server) listProviders(r providerResource) handler {
	params := sortedKeys(r.filters)
	return func(c *gin.Context) error {
		f := store.ProviderFilter{Kind: r.kind}
		if p := principal(c); p.Role == auth.Provider {
			f.IDs = append([]string{}, p.UnitIDs...) // a provider lists its own units only
		}
		return listPage(c, listing[*placematch.Provider]{
			params: params, changes: &f.Changes,
			filters: func(v *placematch.ValidationError) {
				for name, spec := range r.filters {
					if val := c.Query(name); val != "" {
						if spec.allowed != nil {
							enum(v, name, val, spec.allowed)
						}
						spec.set(&f, val)
					}
				}
			},
			fetch: func(ctx context.Context, limit int, cursor string) (store.Page[*placematch.Provider], error) {
				f.Limit, f.Cursor = limit, cursor
				return s.Store.ListProviders(ctx, f)
			},
			show: func(p *placematch.Provider) any { return view(c, r, p) },
		})
	}
}

func (s *Server) getProvider(r providerResource) handler {
	return func(c *gin.Context) error {
		if err := s.ownsProvider(c, r, c.Param("id")); err != nil {
			return err
		}
		p, err := s.Store.GetProvider(c.Request.Context(), r.kind, c.Param("id"))
		if err != nil {
			return err
		}
		respond(c, http.StatusOK, p.Version, view(c, r, p))
		return nil
	}
}

func (s *Server) createProvider(r providerResource) handler {
	return func(c *gin.Context) error {
		in := r.newIn()
		if err := decodeBody(c.Request, in); err != nil {
			return err
		}
		v := &placematch.ValidationError{}
		in.validate(v, false, s.now())
		if err := v.Err(); err != nil {
			return err
		}
		p := &placematch.Provider{Kind: r.kind}
		in.apply(p)
		loc, pc := in.place()
		if err := s.resolvePlace(c.Request.Context(), loc, pc, &p.Location, &p.Postcode); err != nil {
			return err
		}
		p.Availability = in.availability().apply(s.now(), placematch.SourceOfficer)
		if err := s.Store.CreateProvider(c.Request.Context(), p); err != nil {
			return err
		}
		c.Header("Location", "/api/v1/"+r.path+"/"+p.ID)
		respond(c, http.StatusCreated, p.Version, r.toOut(p))
		return nil
	}
}

// patchProvider applies a JSON merge patch (see patch.go).
func (s *Server) patchProvider(r providerResource) handler {
	return func(c *gin.Context) error {
		req, move, err := s.readPlacePatch(c)
		if err != nil {
			return err
		}
		pt := s.providerPatching(c.Request.Context(), r.kind, c.Param("id"))
		pt.decide = func(p *placematch.Provider) (func(*placematch.Provider), error) {
			return s.providerChange(r, p, req.patch, move)
		}
		p, err := patchRecord(req.ifVersion, pt)
		if err != nil {
			return err
		}
		respond(c, http.StatusOK, p.Version, r.toOut(p))
		return nil
	}
}

// providerChange merges patch (its postcode already resolved into move) over the
// provider p as a create body, decodes and validates the result like a create, and
// returns the change to write.
func (s *Server) providerChange(r providerResource, p *placematch.Provider, patch map[string]any, move postcodeMove) (func(*placematch.Provider), error) {
	move.apply(&p.Postcode, &p.Location)
	in := r.newIn()
	if err := mergeInto(r.toIn(p), patch, in); err != nil {
		return nil, err
	}
	v := &placematch.ValidationError{}
	in.validate(v, !touchesStatus(patch), s.now())
	if err := v.Err(); err != nil {
		return nil, err
	}
	avail := patchedAvailability(in, patch, s.now())
	return func(p *placematch.Provider) {
		move.apply(&p.Postcode, &p.Location)
		in.apply(p)
		if loc, _ := in.place(); loc != nil {
			p.Location = loc.point()
		}
		if avail != nil {
			p.Availability = *avail
		}
	}, nil
}

// patchedAvailability is the availability a patch sets, or nil when it does not
// touch it. A change of availability is a new confirmation, now and by this caller,
// unless the patch itself says when and through whom.
func patchedAvailability(in providerInput, patch map[string]any, now time.Time) *placematch.Availability {
	given, _ := patch["availability"].(map[string]any)
	if patch["availability"] == nil {
		return nil
	}
	a := in.availability()
	if _, ok := given["confirmed_at"]; !ok {
		a.ConfirmedAt = nil
	}
	if _, ok := given["source"]; !ok {
		a.Source = nil
	}
	out := a.apply(now, placematch.SourceOfficer)
	return &out
}

// touchesStatus reports whether a patch sets availability.status.
func touchesStatus(patch map[string]any) bool {
	a, ok := patch["availability"].(map[string]any)
	if !ok {
		return false
	}
	_, ok = a["status"]
	return ok
}

func (s *Server) archiveProvider(r providerResource) handler {
	return func(c *gin.Context) error {
		ifVersion, err := ifMatch(c)
		if err != nil {
			return err
		}
		if err := s.Store.ArchiveProvider(c.Request.Context(), r.kind, c.Param("id"), ifVersion); err != nil {
			return err
		}
		c.Status(http.StatusNoContent)
		return nil
	}
}

// availabilityPut is the body of PUT .../availability: what a carer or provider says
// about taking children now.
type availabilityPut struct {
	Status        *string          `json:"status"`
	AvailableFrom *placematch.Date `json:"available_from"`
	Note          *string          `json:"note" input:"text"`
}

func (s *Server) putAvailability(r providerResource) handler {
	return func(c *gin.Context) error {
		if err := s.ownsProvider(c, r, c.Param("id")); err != nil {
			return err
		}
		ifVersion, err := ifMatch(c)
		if err != nil {
			return err
		}
		source, err := availabilitySource(c, ifVersion)
		if err != nil {
			return err
		}
		in, err := s.availabilityBody(c)
		if err != nil {
			return err
		}
		p, err := s.Placing.SetAvailability(c.Request.Context(), r.kind, c.Param("id"), ifVersion, in.update(source))
		if err != nil {
			return err
		}
		respond(c, http.StatusOK, p.Version, r.toOut(p))
		return nil
	}
}

// availabilitySource says who is updating availability. Carers and providers update
// from their own devices: without the version they read (If-Match), an update could
// silently undo an officer's, so they must send it.
func availabilitySource(c *gin.Context, ifVersion int) (string, error) {
	self, source := selfService(c)
	if self && ifVersion == 0 {
		return source, errIfMatchRequired
	}
	return source, nil
}

var errIfMatchRequired = &requestError{status: http.StatusPreconditionRequired, typ: typePreconditionRequired,
	title: "If-Match required", detail: "Send If-Match with the ETag of the record you read."}

// availabilityBody decodes and validates the body of PUT .../availability.
func (s *Server) availabilityBody(c *gin.Context) (*availabilityIn, error) {
	var body availabilityPut
	if err := decodeBody(c.Request, &body); err != nil {
		return nil, err
	}
	in := &availabilityIn{Status: body.Status, AvailableFrom: body.AvailableFrom, Note: body.Note}
	v := &placematch.ValidationError{}
	in.validate("", v, false, s.now())
	if err := v.Err(); err != nil {
		trimLeadingDot(v)
		return nil, err
	}
	return in, nil
}

// update is the availability said, as the use case takes it.
func (a *availabilityIn) update(source string) placing.AvailabilityUpdate {
	u := placing.AvailabilityUpdate{Status: placematch.AvailabilityStatus(*a.Status), Source: source}
	if a.AvailableFrom != nil {
		u.AvailableFrom = *a.AvailableFrom
	}
	if a.Note != nil {
		u.Note = *a.Note
	}
	return u
}

func trimLeadingDot(v *placematch.ValidationError) {
	for i := range v.Errors {
		if len(v.Errors[i].Field) > 0 && v.Errors[i].Field[0] == '.' {
			v.Errors[i].Field = v.Errors[i].Field[1:]
		}
	}
}
