package placematch

import "time"

// Feed formats.
const (
	FeedCSV  = "csv"
	FeedJSON = "json"
)

// FeedFormats lists every feed format.
var FeedFormats = []string{FeedCSV, FeedJSON}

// Feed is a supported-accommodation provider's vacancy feed: where to fetch it, how
// to read it, and which units it may update. The secret for AuthHeader is named, never
// stored: its value comes from the environment (PLACEMATCH_FEED_SECRET_<SecretName>).
type Feed struct {
	Record
	Name       string
	URL        string
	Format     string
	AuthHeader string
	SecretName string
	UnitIDs    []string
}

// FeedReport is one valid row of a feed: a unit named by its reference or Ofsted URN,
// the beds it says are free, and when it said so.
type FeedReport struct {
	Row           int
	UnitReference string
	OfstedURN     string
	Vacancies     int
	AsOf          time.Time
}
