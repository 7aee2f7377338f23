package matching

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestExportBenchWorld writes the 100,000-provider benchmark world to the directory
// named by PLACEMATCH_EXPORT_WORLD, for scripts/postgis-baseline.sh: the providers
// as the columns a spatial database would filter on (providers.csv), the child
// (child.csv), the providers Rank judges eligible (eligible.txt) and why it
// excludes the others (excluded.csv), so the script can say how many of the
// query's answers Rank would also allow, and why not the rest. Without the
// variable it does nothing; it is a tool, not a check.
func TestExportBenchWorld(t *testing.T) {
	dir := os.Getenv("PLACEMATCH_EXPORT_WORLD")
	if dir == "" {
		t.Skip("set PLACEMATCH_EXPORT_WORLD to a directory to export the benchmark world")
	}
	req, cands, opt := benchWorld(t, 100_000)
	writeCSV(t, filepath.Join(dir, "providers.csv"), providerRows(cands))

	c := req.Child
	writeCSV(t, filepath.Join(dir, "child.csv"), [][]string{{
		fmtFloat(c.Location.Lon), fmtFloat(c.Location.Lat),
		strconv.Itoa(c.AgeOn(req.Today)), string(c.PlacementType), req.Today.String(),
		string(c.AvoidAreas[0]),
	}})

	opt.IncludeExcluded = true
	res := Rank(req, cands, DefaultWeights(), opt)
	excluded := make(map[string]bool, len(res.Excluded))
	why := make([][]string, 0, len(res.Excluded))
	for _, e := range res.Excluded {
		excluded[e.Provider.ID] = true
		why = append(why, []string{e.Provider.ID, strings.Join(e.Reasons, " ")})
	}
	writeCSV(t, filepath.Join(dir, "excluded.csv"), why)
	var eligible strings.Builder
	for _, c := range cands {
		if !excluded[c.P.ID] {
			eligible.WriteString(c.P.ID + "\n")
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "eligible.txt"), []byte(eligible.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %d providers, %d eligible, to %s", len(cands), len(cands)-len(res.Excluded), dir)
}

// providerRows are the providers' record fields the hard rules read, one row each:
// id, lon, lat, kind, carer status, the ages its places take (a hub's bed ages),
// availability status and date, vacancies (a hub's planned beds), filled places,
// placement types offered (a PostgreSQL array literal), household pets and the
// latest Ofsted grade. No rule is judged here: the query must do that itself.
func providerRows(cands []Candidate) [][]string {
	rows := make([][]string, 0, len(cands))
	for _, c := range cands {
		p := c.P
		lo, hi, vac := p.AgeMin, p.AgeMax, p.Vacancies
		status, pets := "", false
		switch {
		case p.Carer != nil:
			status, pets = string(p.Carer.Status), p.Carer.Household.Pets
		case p.Hub != nil:
			lo, hi = p.Hub.BedAges()
			vac = max(0, min(vac, p.Hub.Beds-p.Filled))
		}
		_, rating, _ := p.OfstedOf()
		types := make([]string, 0, 4)
		for _, t := range p.OfferedTypes() {
			types = append(types, string(t))
		}
		from := ""
		if !p.Availability.AvailableFrom.IsZero() {
			from = p.Availability.AvailableFrom.String()
		}
		rows = append(rows, []string{p.ID, fmtFloat(p.Location.Lon), fmtFloat(p.Location.Lat),
			string(p.Kind), status, strconv.Itoa(lo), strconv.Itoa(hi),
			string(p.Availability.Status), from, strconv.Itoa(vac), strconv.Itoa(p.Filled),
			"{" + strings.Join(types, ",") + "}", strconv.FormatBool(pets), string(rating.Grade)})
	}
	return rows
}

func fmtFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func writeCSV(t *testing.T, name string, rows [][]string) {
	t.Helper()
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
