package api

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"

	"github.com/gin-gonic/gin"

	"placematch"
	"placematch/jobs"
	"placematch/store"
)

// feedIn is the body of POST /api/v1/feeds and, after merging, of a PATCH.
type feedIn struct {
	Name       *string  `json:"name"`
	URL        *string  `json:"url"`
	Format     *string  `json:"format"`
	AuthHeader *string  `json:"auth_header"`
	SecretName *string  `json:"secret_name"`
	UnitIDs    []string `json:"unit_ids"`
}

// feedOut is a feed as the API shows it. The secret's value is never shown (nor
// known): only the name of the environment variable that holds it.
type feedOut struct {
	placematch.Record
	Name       string   `json:"name"`
	URL        string   `json:"url"`
	Format     string   `json:"format"`
	AuthHeader *string  `json:"auth_header"`
	SecretName *string  `json:"secret_name"`
	SecretEnv  *string  `json:"secret_env"`
	UnitIDs    []string `json:"unit_ids"`
}

// Feed names are slugs; secret names complete an environment variable name; the auth
// header must be an HTTP token.
var (
	feedName   = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)
	secretName = regexp.MustCompile(`^[A-Z0-9_]{1,64}$`)
	headerName = regexp.MustCompile("^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$")
)

// validate checks the body; policy refuses URLs of internal hosts (the importer
// refuses them again when it connects).
func (in *feedIn) validate(v *placematch.ValidationError, policy jobs.NetPolicy) {
	if required(v, "name", in.Name) && !feedName.MatchString(*in.Name) {
		v.Add("name", "must be 1–64 of a-z, 0-9, - and _, starting with a letter or digit")
	}
	if required(v, "url", in.URL) {
		u, err := url.Parse(*in.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(*in.URL) > 2000 {
			v.Add("url", "must be an absolute http or https URL of at most 2000 characters")
		} else if err := policy.CheckURL(*in.URL); err != nil {
			v.Add("url", "%s", err.Error())
		}
	}
	if required(v, "format", in.Format) {
		enum(v, "format", *in.Format, placematch.FeedFormats)
	}
	header, secret := deref(in.AuthHeader), deref(in.SecretName)
	if header != "" && !headerName.MatchString(header) {
		v.Add("auth_header", "must be an HTTP header name")
	}
	if secret != "" && !secretName.MatchString(secret) {
		v.Add("secret_name", "must be 1–64 of A-Z, 0-9 and _ (it names %s<secret_name>)", jobs.SecretEnvPrefix)
	}
	if (header == "") != (secret == "") {
		v.Add("secret_name", "auth_header and secret_name are given together or not at all")
	}
	if len(in.UnitIDs) > 1000 {
		v.Add("unit_ids", "must list at most 1000 units")
	}
	for i, id := range in.UnitIDs {
		if slices.Index(in.UnitIDs, id) < i {
			v.Add(fieldIndex("unit_ids", i), "is listed twice")
		}
	}
}

func (in *feedIn) apply(f *placematch.Feed) {
	f.Name, f.URL, f.Format = *in.Name, *in.URL, *in.Format
	f.AuthHeader, f.SecretName = deref(in.AuthHeader), deref(in.SecretName)
	f.UnitIDs = nonNil(in.UnitIDs)
}

func feedToIn(f *placematch.Feed) *feedIn {
	return &feedIn{Name: &f.Name, URL: &f.URL, Format: &f.Format, AuthHeader: optString(f.AuthHeader),
		SecretName: optString(f.SecretName), UnitIDs: f.UnitIDs}
}

func feedToOut(f *placematch.Feed) feedOut {
	out := feedOut{Record: f.Record, Name: f.Name, URL: f.URL, Format: f.Format, AuthHeader: optString(f.AuthHeader),
		SecretName: optString(f.SecretName), UnitIDs: nonNil(f.UnitIDs)}
	if f.SecretName != "" {
		out.SecretEnv = optString(jobs.SecretEnvPrefix + f.SecretName)
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (s *Server) listFeeds(c *gin.Context) error {
	var f store.FeedFilter
	return listPage(c, listing[*placematch.Feed]{changes: &f.Changes,
		fetch: func(ctx context.Context, limit int, cursor string) (store.Page[*placematch.Feed], error) {
			f.Limit, f.Cursor = limit, cursor
			return s.Store.ListFeeds(ctx, f)
		},
		show: func(f *placematch.Feed) any { return feedToOut(f) }})
}

func (s *Server) getFeed(c *gin.Context) error {
	f, err := s.Store.GetFeed(c.Request.Context(), c.Param("id"))
	if err != nil {
		return err
	}
	respond(c, http.StatusOK, f.Version, feedToOut(f))
	return nil
}

func (s *Server) createFeed(c *gin.Context) error {
	var in feedIn
	if err := decodeBody(c.Request, &in); err != nil {
		return err
	}
	v := &placematch.ValidationError{}
	if in.validate(v, s.FeedNetwork); v.Err() != nil {
		return v
	}
	f := &placematch.Feed{}
	in.apply(f)
	if err := s.Store.CreateFeed(c.Request.Context(), f); err != nil {
		return err
	}
	c.Header("Location", "/api/v1/feeds/"+f.ID)
	respond(c, http.StatusCreated, f.Version, feedToOut(f))
	return nil
}

// patchFeed applies a JSON merge patch over the feed as a create body, validated
// like a create (see patch.go).
func (s *Server) patchFeed(c *gin.Context) error {
	req, err := readPatch(c)
	if err != nil {
		return err
	}
	pt := s.feedPatching(c.Request.Context(), c.Param("id"))
	pt.decide = func(f *placematch.Feed) (func(*placematch.Feed), error) { return s.feedChange(f, req.patch) }
	f, err := patchRecord(req.ifVersion, pt)
	if err != nil {
		return err
	}
	respond(c, http.StatusOK, f.Version, feedToOut(f))
	return nil
}

// feedChange merges patch over the feed f as a create body and validates it like a
// create; the change to write is the whole validated body.
func (s *Server) feedChange(f *placematch.Feed, patch map[string]any) (func(*placematch.Feed), error) {
	var in feedIn
	if err := mergeInto(feedToIn(f), patch, &in); err != nil {
		return nil, err
	}
	v := &placematch.ValidationError{}
	if in.validate(v, s.FeedNetwork); v.Err() != nil {
		return nil, v
	}
	return in.apply, nil
}

func (s *Server) archiveFeed(c *gin.Context) error {
	ifVersion, err := ifMatch(c)
	if err != nil {
		return err
	}
	if err := s.Store.ArchiveFeed(c.Request.Context(), c.Param("id"), ifVersion); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}
