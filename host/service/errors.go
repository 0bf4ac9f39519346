package service

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// FieldError is one problem with one value of a service. Decode and
// Validate return every problem found, joined with errors.Join and sorted
// by Path; use errors.As to reach them.
type FieldError struct {
	// Path is where the value is in the JSON, e.g.
	// "workflows.price.component.env_keys[1]"; "" for the whole document.
	// Object keys that are not plain ids are quoted: config["a b"].
	Path string
	// Got shows the offending value (a quoted string, a number, "null")
	// or what is wrong with it ("missing", "unknown field"); "" when the
	// path says enough.
	Got string
	// Want says what is allowed.
	Want string
}

// Error returns "<path>: <got>: <want>", dropping the empty parts.
func (e *FieldError) Error() string {
	var b strings.Builder
	for _, part := range []string{e.Path, e.Got, e.Want} {
		if part == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(part)
	}
	return b.String()
}

// problems collects FieldErrors.
type problems []*FieldError

func (ps *problems) add(path, got, want string) {
	*ps = append(*ps, &FieldError{Path: path, Got: got, Want: want})
}

// join sorts the problems by path and joins them; nil when there are none.
func (ps problems) join() error {
	if len(ps) == 0 {
		return nil
	}
	sorted := slices.Clone(ps)
	slices.SortStableFunc(sorted, func(a, b *FieldError) int { return comparePaths(a.Path, b.Path) })
	errs := make([]error, len(sorted))
	for i, p := range sorted {
		errs[i] = p
	}
	return errors.Join(errs...)
}

// comparePaths orders paths as text, except that runs of digits compare by
// value, so env_keys[2] comes before env_keys[10].
func comparePaths(a, b string) int {
	for a != "" && b != "" {
		da, db := digitRun(a), digitRun(b)
		if da > 0 && db > 0 {
			na := strings.TrimLeft(a[:da], "0")
			nb := strings.TrimLeft(b[:db], "0")
			if c := len(na) - len(nb); c != 0 {
				return c
			}
			if c := strings.Compare(na, nb); c != 0 {
				return c
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return int(a[0]) - int(b[0])
		}
		a, b = a[1:], b[1:]
	}
	return len(a) - len(b)
}

func digitRun(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// child is the path of key in the object at path: path.key for plain ids,
// path["key"] otherwise.
func child(path, key string) string {
	if !plainKey(key) {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

// index is the path of element i of the array at path.
func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// plainKey reports whether key can be written in a path without quotes.
func plainKey(key string) bool {
	if key == "" {
		return false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// maxShown is how much of a string value an error shows.
const maxShown = 80

// quote shows a string value in an error, shortened when long.
func quote(s string) string {
	if len(s) <= maxShown {
		return strconv.Quote(s)
	}
	cut := maxShown
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "… (" + strconv.Itoa(len(s)) + " bytes)"
}
