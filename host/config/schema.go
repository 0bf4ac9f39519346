package config

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"
)

// The schema of wavs.toml is the Config struct itself: the helpers here
// read it by reflection, so unknown-key and type errors can never drift
// from the struct tags.

// tomlName returns the key a struct field is written as, or "" for a field
// that is not part of the file.
func tomlName(f reflect.StructField) string {
	if !f.IsExported() {
		return ""
	}
	name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
	if name == "-" {
		return ""
	}
	if name == "" {
		return f.Name
	}
	return name
}

// tableKeys lists the keys a struct type allows, in declaration order.
func tableKeys(t reflect.Type) []string {
	var keys []string
	for i := range t.NumField() {
		if name := tomlName(t.Field(i)); name != "" {
			keys = append(keys, name)
		}
	}
	return keys
}

// field finds the field of struct type t written as key. Like toml's
// decoder it falls back to a case-insensitive match; exact reports whether
// the match was exact.
func field(t reflect.Type, key string) (f reflect.StructField, exact, ok bool) {
	for i := range t.NumField() {
		sf := t.Field(i)
		name := tomlName(sf)
		if name == key {
			return sf, true, true
		}
		if name != "" && !ok && strings.EqualFold(name, key) {
			f, ok = sf, true
		}
	}
	return f, false, ok
}

// deref strips pointers and slices: a key path never indexes an array.
func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	return t
}

// resolve walks key down from type t. If every element is a key the schema
// allows (exactly, case included), ok is true. Otherwise key[n] is the first
// unknown element and table is the struct type that does not allow it.
// Anything below a map[string]any (a plugin's own config) is opaque and so
// always allowed.
func resolve(t reflect.Type, key []string) (n int, table reflect.Type, ok bool) {
	for i, k := range key {
		t = deref(t)
		switch t.Kind() {
		case reflect.Struct:
			f, exact, found := field(t, k)
			if !found || !exact {
				return i, t, false
			}
			t = f.Type
		case reflect.Map:
			t = t.Elem()
		case reflect.Interface:
			return len(key), nil, true
		default: // a scalar has no keys below it
			return i, nil, false
		}
	}
	return len(key), nil, true
}

// mismatch is a value whose TOML type does not fit the field it is for.
type mismatch struct {
	path      []string
	idx       int // element of the array at path, or -1
	value     any
	want, got string
}

// checkTypes compares a document decoded into map[string]any (raw) with
// type t and reports every value of the wrong type. toml's decoder stops at
// the first one and its message is free text; this finds them all, with
// the key path in hand for locating the line. Keys the schema does not
// know are left to the unknown-key check.
func checkTypes(raw any, t reflect.Type, path []string, idx int, out *[]mismatch) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	bad := func() {
		*out = append(*out, mismatch{path: path, idx: idx, value: raw, want: typeName(t), got: tomlTypeName(raw)})
	}
	switch t.Kind() {
	case reflect.Interface:
		return
	case reflect.Struct:
		m, ok := raw.(map[string]any)
		if !ok {
			bad()
			return
		}
		for _, k := range sortedKeys(m) {
			if f, _, ok := field(t, k); ok {
				checkTypes(m[k], f.Type, join(path, []string{k}), -1, out)
			}
		}
	case reflect.Map:
		m, ok := raw.(map[string]any)
		if !ok {
			bad()
			return
		}
		for _, k := range sortedKeys(m) {
			checkTypes(m[k], t.Elem(), join(path, []string{k}), -1, out)
		}
	case reflect.Slice, reflect.Array:
		var elems []any
		switch a := raw.(type) {
		case []any:
			elems = a
		case []map[string]any:
			for _, e := range a {
				elems = append(elems, e)
			}
		default:
			bad()
			return
		}
		for i, e := range elems {
			checkTypes(e, t.Elem(), path, i, out)
		}
	case reflect.String:
		if _, ok := raw.(string); !ok {
			bad()
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if _, ok := raw.(int64); !ok {
			bad()
		}
	case reflect.Bool:
		if _, ok := raw.(bool); !ok {
			bad()
		}
	case reflect.Float32, reflect.Float64:
		switch raw.(type) {
		case float64, int64:
		default:
			bad()
		}
	}
}

// typeName describes what a field of type t accepts, in TOML's words.
func typeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Pointer:
		return typeName(t.Elem())
	case reflect.Struct, reflect.Map:
		return "a table"
	case reflect.Slice, reflect.Array:
		switch t.Elem().Kind() {
		case reflect.String:
			return "an array of strings"
		case reflect.Struct, reflect.Map:
			return "an array of tables"
		}
		return "an array"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	}
	return t.String()
}

// tomlTypeName describes a value decoded by toml, in TOML's words.
func tomlTypeName(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case time.Time:
		return "a date-time"
	case []any:
		return "an array"
	case []map[string]any:
		return "an array of tables"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("%T", v)
}

// showValue shows a decoded TOML value briefly, the way it was written.
func showValue(v any) string {
	var s string
	switch v := v.(type) {
	case string:
		s = quote(v)
	case time.Time:
		s = v.Format(time.RFC3339Nano)
	case map[string]any, []map[string]any:
		s = "{...}"
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = showValue(e)
		}
		s = "[" + strings.Join(parts, ", ") + "]"
	default:
		s = fmt.Sprint(v)
	}
	const maxLen = 80
	if len(s) > maxLen {
		s = strings.ToValidUTF8(s[:maxLen-3], "") + "..."
	}
	return s
}

// sortedKeys returns m's keys in order, so errors come out the same way
// every run.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
