package web

import (
	"encoding/json"
	"net/http"

	"placematch"
)

// The map beside a child's matches is drawn by the browser with Leaflet from two
// GeoJSON documents: the run's places (the child's home and school, the locations
// to avoid, the numbered homes) and, when the council's boundary file is
// configured, its districts as the base layer. No tile server is asked for. The
// page's table of the same places is the map's equivalent without JavaScript.

type feature struct {
	Type       string          `json:"type"`
	Geometry   json.RawMessage `json:"geometry"`
	Properties map[string]any  `json:"properties"`
}

func pointGeometry(p placematch.Point) json.RawMessage {
	b, _ := json.Marshal(map[string]any{"type": "Point", "coordinates": []float64{p.Lon, p.Lat}}) // numbers only
	return b
}

// runMap answers the places of a run as a GeoJSON FeatureCollection.
func (s *Server) runMap(w http.ResponseWriter, r *http.Request, p *Person) {
	run, err := s.loadRun(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	features := []feature{}
	c := run.Child
	if c.Location != nil {
		features = append(features, feature{"Feature", pointGeometry(*c.Location), map[string]any{"kind": "home", "label": c.Reference + "’s home"}})
	}
	if c.SchoolLocation != nil {
		features = append(features, feature{"Feature", pointGeometry(*c.SchoolLocation), map[string]any{"kind": "school", "label": c.Reference + "’s school"}})
	}
	for i, area := range c.AvoidAreas {
		features = append(features, feature{"Feature", area, map[string]any{"kind": "avoid", "label": "Location to avoid " + itoa(i+1)}})
	}
	for _, m := range run.Matches {
		pr, err := s.Store.GetProvider(r.Context(), m.Provider.Kind, m.Provider.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		features = append(features, feature{"Feature", pointGeometry(pr.Location),
			map[string]any{"kind": "match", "rank": m.Rank, "label": itoa(m.Rank) + ". " + m.Provider.Name}})
	}
	s.audit(r, p, "match.map", "match", run.MatchID, run.Record.Group, http.StatusOK)
	w.Header().Set("Content-Type", "application/geo+json")
	_ = json.NewEncoder(w).Encode(map[string]any{"type": "FeatureCollection", "features": features})
}

// boundaries answers the council's districts as configured.
func (s *Server) boundaries(w http.ResponseWriter, r *http.Request, _ *Person) {
	w.Header().Set("Content-Type", "application/geo+json")
	_, _ = w.Write(s.Boundaries)
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
