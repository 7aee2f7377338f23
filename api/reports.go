package api

import (
	"bytes"
	"fmt"
	"io"
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
	rep, err := s.Placing.Sufficiency(c.Request.Context(), o)
	if err != nil {
		return err
	}
	return sendReport(c, o.Format, rep.FileName(), rep.Write)
}

// sendReport writes a report whole before the status goes out, so that a writer
// error can still be answered with a problem, and offers it as a file: inline for
// JSON, an attachment otherwise.
func sendReport(c *gin.Context, format reports.Format, name string, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	disposition := "attachment"
	if format == reports.FormatJSON {
		disposition = "inline"
	}
	c.Header("Content-Disposition", fmt.Sprintf("%s; filename=%q", disposition, name))
	c.Data(http.StatusOK, format.ContentType(), buf.Bytes())
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

// recommendationsReport answers GET /api/v1/reports/recommendations in the format
// asked for, offered as a file named by its period.
func (s *Server) recommendationsReport(c *gin.Context) error {
	if err := knownQuery(c, "from", "to", "format", "suppress"); err != nil {
		return err
	}
	o, err := reports.ParseRecOptions(c.Request.URL.Query(), s.Placing.Report().Today())
	if err != nil {
		return err
	}
	rep, err := s.Placing.Recommendations(c.Request.Context(), o)
	if err != nil {
		return err
	}
	return sendReport(c, o.Format, rep.FileName(), rep.Write)
}
