package reports

import (
	"context"
	"net/url"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"placematch"
	"placematch/geo"
)

// MapFilter selects the providers of the map layer.
type MapFilter struct {
	// Kinds keeps providers of these kinds; empty keeps every kind.
	Kinds []placematch.ProviderKind
	// District keeps providers in this district (OutsideArea for those outside every
	// district); empty keeps all.
	District string
	// Exact keeps carers' homes at their recorded point (placement officers);
	// otherwise each is moved to the centre of its ~1 km square (geo.BlurKM), so the
	// layer shows where households are without pointing at a house.
	Exact bool
}

// ParseMapFilter reads the query parameters kinds (a comma list of provider kinds)
// and district. When districts is not empty, district must be one of them or
// OutsideArea. Parameters at fault are named in a *placematch.ValidationError.
func ParseMapFilter(q url.Values, districts []string) (MapFilter, error) {
	var f MapFilter
	v := &placematch.ValidationError{}
	if s := q.Get("kinds"); s != "" {
		for _, k := range strings.Split(s, ",") {
			kind := placematch.ProviderKind(strings.TrimSpace(k))
			if !placematch.OneOf(kind, placematch.ProviderKinds) {
				v.Add("kinds", "%q is not one of foster_carer, supported_accommodation, hub", k)
				break
			}
			if !slices.Contains(f.Kinds, kind) {
				f.Kinds = append(f.Kinds, kind)
			}
		}
	}
	if q.Has("district") {
		// Case is ignored, as in the lists' district filter; the filter keeps the
		// district's own spelling, which the features carry.
		f.District = strings.TrimSpace(q.Get("district"))
		canonical := func(d string) bool {
			if strings.EqualFold(d, f.District) {
				f.District = d
				return true
			}
			return false
		}
		switch {
		case f.District == "":
			v.Add("district", "must not be empty")
		case canonical(OutsideArea):
		case len(districts) > 0 && !slices.ContainsFunc(districts, canonical):
			v.Add("district", "must be one of the council's districts (%s) or %q", strings.Join(districts, ", "), OutsideArea)
		}
	}
	return f, v.Err()
}

// ProvidersGeoJSON returns the live providers as an RFC 7946 FeatureCollection of
// points with their kind, name, district, places, vacancies and availability, for GIS
// tools. It carries nothing about the children placed, and none of what an officer
// needs to act (contacts, social workers, costs): those are in match responses
// only. Carers' homes are blurred unless f.Exact.
func (s *Service) ProvidersGeoJSON(ctx context.Context, f MapFilter) (*geojson.FeatureCollection, error) {
	now := s.now()
	providers, err := s.Store.ReportProviders(ctx, placematch.DateOf(now), now)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(providers, func(a, b *placematch.Provider) int { return strings.Compare(a.ID, b.ID) })
	fc := geojson.NewFeatureCollection()
	for _, p := range providers {
		if p.ArchivedAt != nil {
			continue // kept by the store for its placements; not a place to offer
		}
		if p.Carer != nil && p.Carer.Status == placematch.CarerInAssessment {
			continue // not yet approved: no places to offer, as in the sufficiency report
		}
		if len(f.Kinds) > 0 && !slices.Contains(f.Kinds, p.Kind) {
			continue
		}
		d := label(p.District)
		if f.District != "" && d != f.District {
			continue
		}
		at, precision := p.Location, "exact"
		if p.Kind == placematch.KindCarer && !f.Exact {
			at, precision = geo.Blur(at), "1km"
		}
		ft := geojson.NewFeature(orb.Point{at.Lon, at.Lat})
		ft.ID = p.ID
		ft.Properties = geojson.Properties{
			"id": p.ID, "kind": string(p.Kind), "name": p.Name, "district": d, "in_area": p.District != "",
			"places": p.Places, "vacancies": p.Vacancies, "availability_status": string(p.Availability.Status),
			"location_precision": precision,
		}
		fc.Append(ft)
	}
	return fc, nil
}
