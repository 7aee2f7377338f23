package matching

import (
	"fmt"
	"strconv"
	"strings"

	"placematch/geo"
)

// explained is one factor in words: a short detail for the factor and whole
// sentences for the match's reasons.
type explained struct {
	detail string
	reason []string
}

// distanceText describes home and school distance, and the council area in the
// same sentence, as an officer would say it.
func (q *query) distanceText(c *Candidate, km float64) explained {
	var e explained
	area := ""
	if q.areaConfigured {
		area = ", outside the council area"
		if c.props&pInDistrict != 0 {
			area = ", inside the council area"
		}
	}
	if q.home {
		e.detail = f1(km) + " km (" + f1(geo.Miles(km)) + " miles) from home"
		e.reason = append(e.reason, f1(geo.Miles(km))+" miles from home"+area+".")
	} else {
		e.detail = "home location not known"
		e.reason = append(e.reason, "The child's home location is not known, so distance from home could not be measured.")
		if area != "" {
			e.reason = append(e.reason, upperFirst(area[2:])+".")
		}
	}
	if skm, member := q.farthestSchool(c); member >= 0 {
		if len(q.schools) == 1 && q.g == 1 {
			e.detail += "; " + f1(skm) + " km (" + f1(geo.Miles(skm)) + " miles) from school; value is the mean of home and school"
			e.reason = append(e.reason, f1(geo.Miles(skm))+" miles from school.")
		} else {
			e.detail += fmt.Sprintf("; %.1f km (%.1f miles) from the farthest school (%s's); value is the mean of home and that school",
				skm, geo.Miles(skm), q.ref(member))
			for _, s := range q.schools {
				d := chordKM(chord2(s.x, s.y, s.z, c.x, c.y, c.z))
				e.reason = append(e.reason, fmt.Sprintf("%.1f miles from %s's school.", geo.Miles(d), q.ref(s.member)))
			}
		}
	}
	return e
}

// freshnessText says when availability was last confirmed, and whether to check it.
func (q *query) freshnessText(c *Candidate) (explained, bool) {
	_, stale := q.freshness(c)
	days := strconv.FormatFloat(float64(q.stale)/86400, 'g', -1, 64) + " days"
	var e explained
	if c.confirmed == noConfirm {
		e.detail = "availability never confirmed"
		e.reason = []string{"Availability has never been confirmed; check before booking."}
	} else {
		ago := "today"
		if d := (q.now - c.confirmed) / 86400; d >= 1 {
			ago = strconv.FormatInt(d, 10) + " " + plural(int(d), "day", "days") + " ago"
		}
		e.detail = "confirmed " + ago + " (fresh for " + days + ")"
		if stale {
			e.detail = "confirmed " + ago + ", stale after " + days + "; the value halves every further " + days
		}
		s := "Availability last confirmed " + ago + "."
		if stale {
			s = "Availability last confirmed " + ago + "; check before booking."
		}
		e.reason = []string{s}
	}
	if c.props&pUnconfirmed != 0 {
		e.detail += "; marked unconfirmed by the nightly check"
	}
	if from := c.P.Availability.AvailableFrom; !from.IsZero() && c.from > q.today {
		e.reason = append(e.reason, "Available from "+from.String()+".")
	}
	return e, stale
}

// languageText names a shared language, or why there is none.
func (q *query) languageText(c *Candidate) string {
	switch {
	case len(q.langs) == 0:
		return "no language needs recorded for the child"
	case c.kind == kindUnit:
		return "staff languages are not recorded for supported accommodation (neutral)"
	case c.kind == kindHub:
		return "staff languages are not recorded for hubs (neutral)"
	}
	if l := q.sharedLanguage(c); l != "" {
		if q.g > 1 {
			return "speaks " + l + ", a language of the group"
		}
		return "speaks " + l + ", the child's language"
	}
	if q.g > 1 {
		return "speaks none of the group's languages (" + strings.Join(q.langs, ", ") + ")"
	}
	return "does not speak the child's language (" + strings.Join(q.langs, ", ") + ")"
}

func (q *query) areaText(c *Candidate) string {
	switch {
	case !q.areaConfigured:
		return "no council boundary configured"
	case c.props&pInDistrict != 0:
		return "inside the council area (" + c.P.District + ")"
	}
	return "outside the council area"
}

// f1 is x with one decimal, as fmt's %.1f writes it.
func f1(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) }
