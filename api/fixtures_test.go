package api_test

// Request bodies as a client would send them; tests copy and change them.

func carerBody(ref string) map[string]any {
	return map[string]any{
		"reference": ref, "name": "Household " + ref, "status": "approved",
		"approval": map[string]any{"placement_types": []string{"short_term", "emergency"}, "age_min": 0, "age_max": 17,
			"max_children": 2},
		"skills": []string{"trauma"}, "languages": []string{"english"},
		"household": map[string]any{"pets": true, "smoking": false, "other_children_ages": []int{12},
			"wheelchair_accessible": false},
		"location":     map[string]any{"lat": 52.63, "lon": 1.30},
		"availability": map[string]any{"status": "available"},
	}
}

func unitBody(ref string) map[string]any {
	return map[string]any{
		"reference": ref, "provider_name": "Wensum Support Ltd", "name": "Unit " + ref, "ofsted_urn": "2712345",
		"registration_status": "registered", "accommodation_type": "shared_house", "age_min": 16, "age_max": 21,
		"beds": 3, "support_level": "medium", "features": []string{"staffed_24_7"}, "skills": []string{},
		"weekly_cost_pence": 120000, "location": map[string]any{"lat": 52.64, "lon": 1.28},
	}
}

func hubBody(ref string) map[string]any {
	return map[string]any{
		"reference": ref, "name": "Hub " + ref, "services": []string{"speech_and_language_therapy", "clinical_psychology"},
		"outreach_radius_km": 25, "beds": 4, "emergency_beds": 2, "age_min": 12, "age_max": 25,
		"location": map[string]any{"lat": 52.68, "lon": 0.94},
	}
}

func childBody(ref string) map[string]any {
	return map[string]any{
		"reference": ref, "date_of_birth": "2016-05-01", "sex": "female",
		"location": map[string]any{"lat": 52.62, "lon": 1.29}, "needs": []string{"trauma"},
		"risks":     []map[string]any{{"type": "going_missing", "level": "low"}},
		"languages": []string{"english"}, "wheelchair_user": false, "placement_type": "short_term",
		"urgency": "planned", "required_from": "2026-11-23", "siblings": []string{}, "avoid_areas": []any{},
	}
}

func with(m map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}
