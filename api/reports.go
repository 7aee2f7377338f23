package api

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"placematch/reports"
)

// sufficiencyReport answers GET /api/v1/reports/sufficiency in the format asked for,
// offered as a file dated by the report's as_of.
func (s *Server) sufficiencyReport(c *gin.Context) {
	svc := s.Placing.Report()
	if err := knownQuery(c, "as_of", "from", "to", "group_by", "format", "suppress"); err != nil {
		fail(c, err)
		return
	}
	o, err := reports.ParseOptions(c.Request.URL.Query(), svc.Today())
	if err != nil {
		fail(c, err)
		return
	}
	rep, err := svc.Sufficiency(c.Request.Context(), o)
	if err != nil {
		fail(c, err)
		return
	}
	// The report is written whole before the status goes out, so a writer error can
	// still be answered with a problem.
	var buf bytes.Buffer
	if err := rep.Write(&buf); err != nil {
		fail(c, err)
		return
	}
	disposition := "attachment"
	if o.Format == reports.FormatJSON {
		disposition = "inline"
	}
	c.Header("Content-Disposition", fmt.Sprintf("%s; filename=%q", disposition, rep.FileName()))
	c.Data(http.StatusOK, o.Format.ContentType(), buf.Bytes())
}

// providersGeoJSON answers GET /api/v1/reports/providers.geojson.
func (s *Server) providersGeoJSON(c *gin.Context) {
	svc := s.Placing.Report()
	if err := knownQuery(c, "kinds", "district"); err != nil {
		fail(c, err)
		return
	}
	f, err := reports.ParseMapFilter(c.Request.URL.Query(), svc.Districts)
	if err != nil {
		fail(c, err)
		return
	}
	fc, err := svc.ProvidersGeoJSON(c.Request.Context(), f)
	if err != nil {
		fail(c, err)
		return
	}
	body, err := fc.MarshalJSON()
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf("inline; filename=%q", "providers-"+svc.Today().String()+".geojson"))
	c.Data(http.StatusOK, "application/geo+json", body)
}
