package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"

	"placematch"
)

// decodeBody reads the request body (capped by limitBody) and decodes it strictly
// into dst: malformed JSON, invalid UTF-8 and a key given twice are 400; wrong types,
// unknown fields, control characters, numbers that are not finite and implausible
// dates are 422 naming the field by its JSON path; a body over the limit is 413.
func decodeBody(r *http.Request, dst any) error {
	raw, err := readBody(r)
	if err != nil {
		return err
	}
	return decodeStrict(raw, dst)
}

func readBody(r *http.Request) ([]byte, error) {
	if err := checkMediaType(r); err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, &requestError{status: http.StatusRequestEntityTooLarge, typ: typeTooLarge,
			title: "Request body too large", detail: fmt.Sprintf("The body must be at most %d bytes.", MaxBodyBytes)}
	}
	if err != nil {
		return nil, &requestError{status: http.StatusBadRequest, typ: typeMalformed, title: "Malformed request",
			detail: "The body could not be read."}
	}
	return raw, nil
}

func decodeStrict(raw []byte, dst any) error {
	if len(bytes.TrimSpace(raw)) == 0 {
		return malformed("The body is empty; a JSON object is required.")
	}
	probe, err := parseJSON(raw)
	if err != nil {
		return err
	}
	if _, ok := probe.(map[string]any); !ok {
		return malformed("The body must be a JSON object.")
	}
	if path := unknownField(probe, reflect.TypeOf(dst), ""); path != "" {
		return placematch.Invalid(path, "is not a field of this resource")
	}
	if err := checkValues(probe, reflect.TypeOf(dst), "", false); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(dst); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return placematch.Invalid(te.Field, "must be %s", jsonKind(te.Type))
		}
		// Values that decode themselves (dates) report their own message; the path
		// is not known to encoding/json, so find the first field that fails alone.
		return placematch.Invalid(firstBadField(probe, dst), "%s", strings.TrimPrefix(err.Error(), "json: "))
	}
	return nil
}

func malformed(detail string) error {
	return &requestError{status: http.StatusBadRequest, typ: typeMalformed, title: "Malformed request", detail: detail}
}

// unknownField walks the decoded JSON beside the Go type and returns the JSON path of
// the first key the type does not have, in key order, or "".
func unknownField(v any, t reflect.Type, path string) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch val := v.(type) {
	case map[string]any:
		if t.Kind() != reflect.Struct {
			return ""
		}
		fields := jsonFields(t)
		for _, k := range sortedKeys(val) {
			ft, ok := fields[k]
			if !ok {
				return join(path, k)
			}
			if p := unknownField(val[k], ft, join(path, k)); p != "" {
				return p
			}
		}
	case []any:
		if t.Kind() != reflect.Slice {
			return ""
		}
		for i, e := range val {
			if p := unknownField(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	}
	return ""
}

// firstBadField finds which top-level or nested field makes decoding fail, for
// errors that encoding/json reports without a path.
func firstBadField(v any, dst any) string {
	m, ok := v.(map[string]any)
	if !ok {
		return "body"
	}
	t := reflect.TypeOf(dst).Elem()
	fields := jsonFields(t)
	for _, k := range sortedKeys(m) {
		ft, ok := fields[k]
		if !ok {
			continue
		}
		b, _ := json.Marshal(m[k])
		if err := json.Unmarshal(b, reflect.New(ft).Interface()); err != nil {
			if ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Struct {
				if sub := firstBadField(m[k], reflect.New(ft.Elem()).Interface()); sub != "body" {
					return k + "." + sub
				}
			}
			return k
		}
	}
	return "body"
}

func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for name, f := range structFields(t) {
		out[name] = f.Type
	}
	return out
}

// jsonName is the key encoding/json uses for f, or "" when f is not encoded.
func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "-" || !f.IsExported() {
		return ""
	}
	if name == "" {
		name = f.Name
	}
	return name
}

func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "a whole number"
	case reflect.Float64, reflect.Float32:
		return "a number"
	case reflect.Slice:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "of type " + t.String()
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

// mergePatchJSON is the RFC 7396 media type every PATCH route accepts besides JSON.
const mergePatchJSON = "application/merge-patch+json"

// checkMediaType refuses with 415 a body that does not say it is JSON (text/plain,
// a form, no Content-Type at all): such a body was not written for this API, and
// reading it as JSON anyway would make a browser form a way to call it. PATCH also
// takes application/merge-patch+json, as the contract says. A charset, when given,
// must be UTF-8, the only encoding JSON has. A request with no body and no
// Content-Type goes on to the decoder, which answers that a body is required.
func checkMediaType(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	if ct == "" && r.ContentLength == 0 {
		return nil
	}
	mt, params, err := mime.ParseMediaType(ct)
	ok := err == nil && (mt == "application/json" || (r.Method == http.MethodPatch && mt == mergePatchJSON))
	if cs, given := params["charset"]; ok && given && !strings.EqualFold(cs, "utf-8") {
		ok = false
	}
	if ok {
		return nil
	}
	want := "application/json"
	if r.Method == http.MethodPatch {
		want += " or " + mergePatchJSON
	}
	return &requestError{status: http.StatusUnsupportedMediaType, typ: typeUnsupportedMedia,
		title: "Unsupported media type", detail: fmt.Sprintf("The body must be sent as %s (UTF-8).", want),
		fields: []placematch.FieldError{{Field: "Content-Type", Message: "must be " + want}}}
}
