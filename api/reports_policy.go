package api

import "placematch/auth"

// The reports' access rules, kept beside their handlers. The sufficiency report is
// the commissioners' (aggregate counts only); the map layer shows where carers'
// households are, so it is for commissioners and placement officers, not for carers
// or providers. Both are audited: they are exports.
func init() {
	policies["GET /api/v1/reports/sufficiency"] = policy{roles: []auth.Role{auth.Commissioner},
		action: "report.sufficiency", resource: "report"}
	policies["GET /api/v1/reports/providers.geojson"] = policy{roles: []auth.Role{auth.Commissioner, auth.PlacementOfficer},
		action: "report.providers_map", resource: "report"}
}
