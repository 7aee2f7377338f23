package matching

import "strings"

// labels are the need and risk codes in words where replacing underscores is not
// enough.
var labels = map[string]string{
	"esol":                "English for speakers of other languages",
	"bsl":                 "British Sign Language",
	"makaton":             "Makaton",
	"cultural_faith":      "cultural or faith needs",
	"parent_and_child":    "parent and child",
	"complex_health":      "complex health needs",
	"mental_health":       "mental health",
	"education_support":   "education support",
	"speech_and_language": "speech and language",
	"therapeutic":         "therapeutic care",
	"substances":          "substance misuse",
}

// Label returns a need or risk code in words: "fire_setting" is "fire setting". A
// code outside the taxonomies is shown as given, marked unknown.
func Label(code string) string {
	if l, ok := labels[code]; ok {
		return l
	}
	if _, ok := needBit[code]; !ok {
		return code + " (unknown code)"
	}
	return strings.ReplaceAll(code, "_", " ")
}

// itemText is an item in words: "autism", "high risk of fire setting".
func itemText(code, level string) string {
	if level == "" {
		return Label(code)
	}
	return level + " risk of " + Label(code)
}

// joinAnd joins words as a sentence does: "a", "a and b", "a, b and c".
func joinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}
