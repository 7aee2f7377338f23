package api

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"placematch/auth"
	"placematch/reports"
)

// sufficiencyReport answers GET /api/v1/reports/sufficiency in the format asked for,
// offered as a file dated by the report's as_of.
func (s *Server) sufficiencyReport(c *gin.Context) error {
	svc := s.Placing.Report()
	if err := knownQuery(c, "as_of", "from", "to", "group_by", "format", "suppress"); err != nil {
		return err
	}
	o, err := reports.ParseOptions(c.Request.URL.Query(), svc.Today())
	if err != nil {
		return err
	}
	rep, err := svc.Sufficiency(c.Request.Context(), o)
	if err != nil {
		return err
	}
	// The report is written whole before the status goes out, so a writer error can
	// still be answered with a problem.
	var buf bytes.Buffer
	if err := rep.Write(&buf); err != nil {
		return err
	}
	disposition := "attachment"
	if o.Format == reports.FormatJSON {
		disposition = "inline"
	}
	c.Header("Content-Disposition", fmt.Sprintf("%s; filename=%q", disposition, rep.FileName()))
	c.Data(http.StatusOK, o.Format.ContentType(), buf.Bytes())
	return nil
}

// providersGeoJSON answers GET /api/v1/reports/providers.geojson.
func (s *Server) providersGeoJSON(c *gin.Context) error {
	svc := s.Placing.Report()
	if err := knownQuery(c, "kinds", "district"); err != nil {
		return err
	}
	f, err := reports.ParseMapFilter(c.Request.URL.Query(), svc.Districts)
	if err != nil {
		return err
	}
	// Commissioners see carers' homes blurred to about 1 km; officers (and admins)
	// need the exact points to plan a placement.
	f.Exact = principal(c).Role != auth.Commissioner
	fc, err := svc.ProvidersGeoJSON(c.Request.Context(), f)
	if err != nil {
		return err
	}
	body, err := fc.MarshalJSON()
	if err != nil {
		return err
	}
	c.Header("Content-Disposition", fmt.Sprintf("inline; filename=%q", "providers-"+svc.Today().String()+".geojson"))
	c.Data(http.StatusOK, "application/geo+json", body)
	return nil
}
