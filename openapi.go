package placematch

import _ "embed"

// OpenAPI is the API contract (openapi.yaml), embedded so that the binary serves the
// same document the tests validate responses against.
//
//go:embed openapi.yaml
var OpenAPI []byte
