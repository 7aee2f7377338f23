package placing

import (
	"context"
	"net/url"

	"placematch/reports"
)

// SufficiencyFor makes the sufficiency report that params ask for, read exactly as
// the API reads its query (reports.ParseOptions: as_of, from, to, group_by,
// suppress, format), so that the commissioners' pages and GET
// /api/v1/reports/sufficiency answer the same figures and the same field errors.
// A parameter at fault is a *placematch.ValidationError naming it; nothing is read.
func (s *Service) SufficiencyFor(ctx context.Context, params url.Values) (*reports.Report, error) {
	svc := s.Report()
	o, err := reports.ParseOptions(params, svc.Today())
	if err != nil {
		return nil, err
	}
	return s.Sufficiency(ctx, o)
}
