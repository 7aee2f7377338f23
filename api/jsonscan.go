package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"reflect"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

	"placematch"
)

// maxJSONDepth bounds how deeply objects and arrays may nest; no resource nests more
// than a few levels (GeoJSON polygons are the deepest), and a bound keeps a hostile
// body of a million brackets from costing a million stack frames.
const maxJSONDepth = 32

// parseJSON reads raw into the generic form (maps, slices, json.Number, strings,
// bools, nil) and refuses, as malformed (400), what encoding/json would let through
// silently: invalid UTF-8 (it would be replaced by U+FFFD), a key given twice in one
// object (the last would win), trailing data and absurd nesting.
func parseJSON(raw []byte) (any, error) {
	if !utf8.Valid(raw) {
		return nil, malformed("The body is not valid UTF-8.")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	v, err := parseValue(dec, "", 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, malformed("The body holds more than one JSON value.")
	}
	return v, nil
}

func parseValue(dec *json.Decoder, path string, depth int) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, malformed("The body is not valid JSON: " + jsonSyntax(err))
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return tok, nil
	}
	if depth >= maxJSONDepth {
		return nil, malformed(fmt.Sprintf("The body nests objects and arrays more than %d deep.", maxJSONDepth))
	}
	switch d {
	case '{':
		obj := map[string]any{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, malformed("The body is not valid JSON: " + jsonSyntax(err))
			}
			k, _ := kt.(string) // the decoder only returns strings in key position
			at := join(path, k)
			if _, dup := obj[k]; dup {
				return nil, &requestError{status: http.StatusBadRequest, typ: typeMalformed, title: "Malformed request",
					detail: fmt.Sprintf("The key %q is given twice in one object.", at),
					fields: []placematch.FieldError{{Field: at, Message: "is given more than once"}}}
			}
			if obj[k], err = parseValue(dec, at, depth+1); err != nil {
				return nil, err
			}
		}
		if _, err := dec.Token(); err != nil {
			return nil, malformed("The body is not valid JSON: " + jsonSyntax(err))
		}
		return obj, nil
	default: // '['
		arr := []any{}
		for i := 0; dec.More(); i++ {
			e, err := parseValue(dec, fmt.Sprintf("%s[%d]", path, i), depth+1)
			if err != nil {
				return nil, err
			}
			arr = append(arr, e)
		}
		if _, err := dec.Token(); err != nil {
			return nil, malformed("The body is not valid JSON: " + jsonSyntax(err))
		}
		return arr, nil
	}
}

func jsonSyntax(err error) string {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "unexpected end of input"
	}
	return err.Error()
}

// freeTextTag marks a string field of free text, where a person may type tabs and
// line breaks: `input:"text"`. Every other string must be a single line.
const freeTextTag = "text"

var timeType = reflect.TypeOf(time.Time{})

// checkValues walks the parsed body beside the Go type it will decode into and
// returns a ValidationError naming the first field holding a value no record may
// keep: a control character (NUL breaks PostgreSQL and would be stored by SQLite; the
// others corrupt logs, exports and screens), a number that is not finite as a
// float64 (1e400), or an instant outside the plausible range. t may be nil for
// values without a Go type (GeoJSON kept raw); their strings and numbers are checked
// all the same.
func checkValues(v any, t reflect.Type, path string, freeText bool) error {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch val := v.(type) {
	case string:
		if msg := badText(val, freeText); msg != "" {
			return placematch.Invalid(path, "%s", msg)
		}
		if t == timeType {
			if at, err := time.Parse(time.RFC3339, val); err == nil {
				if err := placematch.CheckInstant(at); err != nil {
					return placematch.Invalid(path, "%s", err.Error())
				}
			}
		}
	case json.Number:
		if f, err := strconv.ParseFloat(string(val), 64); err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return placematch.Invalid(path, "must be a finite number")
		}
	case map[string]any:
		var fields map[string]reflect.StructField
		if t != nil && t.Kind() == reflect.Struct && t != timeType {
			fields = structFields(t)
		}
		for _, k := range sortedKeys(val) {
			var (
				ft   reflect.Type
				free bool
			)
			if f, ok := fields[k]; ok {
				ft, free = f.Type, f.Tag.Get("input") == freeTextTag
			} else if t != nil && t.Kind() == reflect.Map {
				ft = t.Elem()
			}
			if msg := badText(k, false); msg != "" {
				return placematch.Invalid(join(path, k), "the key %s", msg)
			}
			if err := checkValues(val[k], ft, join(path, k), free); err != nil {
				return err
			}
		}
	case []any:
		var et reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) && t.Elem().Kind() != reflect.Uint8 {
			et = t.Elem()
		}
		for i, e := range val {
			if err := checkValues(e, et, fmt.Sprintf("%s[%d]", path, i), false); err != nil {
				return err
			}
		}
	}
	return nil
}

// badText says what is wrong with s as stored text, or "". Free text may hold tabs
// and line breaks (CR as part of CRLF too); nothing may hold other control
// characters (C0, DEL, C1), NUL above all.
func badText(s string, freeText bool) string {
	for _, r := range s {
		if freeText && (r == '\t' || r == '\n' || r == '\r') {
			continue
		}
		if r == 0 {
			return "must not contain the NUL character"
		}
		if unicode.IsControl(r) {
			return fmt.Sprintf("must not contain control characters (found U+%04X)", r)
		}
	}
	return ""
}

func structFields(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := range t.NumField() {
		f := t.Field(i)
		name := jsonName(f)
		if name == "" {
			continue
		}
		out[name] = f
	}
	return out
}
