package service

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// MaxJSONSize is the largest service JSON [Decode] reads.
const MaxJSONSize = 1 << 20

// Decode reads a service JSON strictly and validates it. On any problem it
// returns nil and every problem found: a syntax error alone, or
// [*FieldError]s joined with errors.Join and sorted by path.
func Decode(data []byte) (*Service, error) {
	if len(data) > MaxJSONSize {
		return nil, &FieldError{Got: strconv.Itoa(len(data)) + " bytes", Want: "want at most 1 MiB of service JSON"}
	}
	if err := checkSyntax(data); err != nil {
		return nil, err
	}
	var d decoder
	s := new(Service)
	d.service("", data, s)
	ps := d.ps
	// A value that could not be decoded is reported once, by the decoder,
	// not again by Validate for whatever the decoder left in its place.
	for _, p := range s.validate() {
		if !d.covers(p.Path) {
			ps = append(ps, p)
		}
	}
	if err := ps.join(); err != nil {
		return nil, err
	}
	return s, nil
}

// checkSyntax reports where data stops being one JSON value.
func checkSyntax(data []byte) error {
	if json.Valid(data) {
		return nil
	}
	var v any
	err := json.Unmarshal(data, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := lineCol(data, se.Offset)
		return fmt.Errorf("service JSON: line %d, column %d: %w", line, col, err)
	}
	if err == nil {
		err = errors.New("want one JSON value")
	}
	return fmt.Errorf("service JSON: %w", err)
}

// lineCol turns a byte offset into a 1-based line and column.
func lineCol(data []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(off) - (bytes.LastIndexByte(before, '\n') + 1)
	return line, max(col, 1)
}

// decoder walks syntactically valid JSON into the service types, recording
// a FieldError for every value of the wrong shape and carrying on.
type decoder struct {
	ps    problems
	quiet []string        // paths reported otherwise, e.g. by their old name
	at    map[string]bool // paths in ps and quiet, built by covers once decoding is done
}

// covers reports whether a decoding problem was found at or above path.
func (d *decoder) covers(path string) bool {
	if d.at == nil {
		d.at = make(map[string]bool, len(d.ps)+len(d.quiet))
		for _, p := range d.ps {
			d.at[p.Path] = true
		}
		for _, p := range d.quiet {
			d.at[p] = true
		}
	}
	if d.at[""] || d.at[path] {
		return true
	}
	for i := 0; i < len(path); i++ {
		if (path[i] == '.' || path[i] == '[') && d.at[path[:i]] {
			return true
		}
	}
	return false
}

// err returns the problems found, joined; nil when there are none.
func (d *decoder) err() error { return d.ps.join() }

// bad records that raw, at path, is not what want says.
func (d *decoder) bad(path string, raw json.RawMessage, want string) {
	d.ps.add(path, show(raw), want)
}

// show writes a JSON value for an error message: strings quoted and
// shortened, other values compacted and shortened.
func show(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	var s string
	if len(raw) > 0 && raw[0] == '"' && json.Unmarshal(raw, &s) == nil {
		return quote(s)
	}
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	if b.Len() > maxShown {
		return b.String()[:maxShown] + "…"
	}
	return b.String()
}

// isNull reports whether raw is the JSON null.
func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// str reads a JSON string.
func (d *decoder) str(path string, raw json.RawMessage, want string) (string, bool) {
	raw = bytes.TrimSpace(raw)
	var s string
	if len(raw) == 0 || raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		d.bad(path, raw, want)
		return "", false
	}
	return s, true
}

// enum reads a JSON string that must be one of allowed; it returns the
// string read even when it is not allowed (a problem is recorded then).
func (d *decoder) enum(path string, raw json.RawMessage, want string, allowed ...string) (string, bool) {
	s, ok := d.str(path, raw, want)
	if ok && !slices.Contains(allowed, s) {
		d.bad(path, raw, want)
		return s, false
	}
	return s, ok
}

// boolean reads a JSON true or false.
func (d *decoder) boolean(path string, raw json.RawMessage) (bool, bool) {
	switch string(bytes.TrimSpace(raw)) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	d.bad(path, raw, "want true or false")
	return false, false
}

// uint reads a JSON number that is a whole number 0..2^64-1.
func (d *decoder) uint(path string, raw json.RawMessage, want string) (uint64, bool) {
	n, err := strconv.ParseUint(string(bytes.TrimSpace(raw)), 10, 64)
	if err != nil {
		d.bad(path, raw, want)
		return 0, false
	}
	return n, true
}

// optUint reads a whole number or null (nil).
func (d *decoder) optUint(path string, raw json.RawMessage, want string) *uint64 {
	if raw == nil || isNull(raw) {
		return nil
	}
	n, ok := d.uint(path, raw, want)
	if !ok {
		return nil
	}
	return &n
}

// member is one key and value of a JSON object, in document order.
type member struct {
	key string
	val json.RawMessage
}

// members reads a JSON object, reporting a value that is not an object and
// keys given twice (the later value is dropped).
func (d *decoder) members(path string, raw json.RawMessage, want string) ([]member, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		d.bad(path, raw, want)
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		d.bad(path, raw, want)
		return nil, false
	}
	var out []member
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		key, isKey := tok.(string)
		if err != nil || !isKey {
			d.bad(path, raw, want)
			return nil, false
		}
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			d.bad(path, raw, want)
			return nil, false
		}
		if seen[key] {
			d.ps.add(child(path, key), "duplicate key", "want each key once")
			continue
		}
		seen[key] = true
		out = append(out, member{key, val})
	}
	return out, true
}

// object is a JSON object whose keys are known in advance.
type object struct {
	d    *decoder
	path string
	vals map[string]json.RawMessage
	// renamed holds the keys whose old name was given instead (already
	// reported), so they are not reported missing too.
	renamed map[string]bool
}

// object reads a JSON object whose keys must be among allowed.
func (d *decoder) object(path string, raw json.RawMessage, allowed ...string) (*object, bool) {
	return d.objectRenamed(path, raw, nil, allowed...)
}

// objectRenamed is object for a type some of whose keys have other names
// elsewhere (e.g. in older WAVS versions): renamed maps such a key to the
// allowed key it stands for, and the error for it says so.
func (d *decoder) objectRenamed(path string, raw json.RawMessage, renamed map[string]string, allowed ...string) (*object, bool) {
	ms, ok := d.members(path, raw, "want an object with keys "+strings.Join(allowed, ", "))
	if !ok {
		return nil, false
	}
	o := &object{d: d, path: path, vals: make(map[string]json.RawMessage, len(ms))}
	for _, m := range ms {
		if !slices.Contains(allowed, m.key) {
			want := "want one of " + strings.Join(allowed, ", ")
			if to, ok := renamed[m.key]; ok {
				want = "use " + strconv.Quote(to) + " (WAVS's name for it); " + want
				if o.renamed == nil {
					o.renamed = map[string]bool{}
				}
				o.renamed[to] = true
				d.quiet = append(d.quiet, child(path, to))
			}
			d.ps.add(child(path, m.key), "unknown field", want)
			continue
		}
		o.vals[m.key] = m.val
	}
	return o, true
}

// req returns the value of a key that must be present, with its path.
func (o *object) req(key, want string) (json.RawMessage, string, bool) {
	p := child(o.path, key)
	v, ok := o.vals[key]
	if !ok && !o.renamed[key] {
		o.d.ps.add(p, "missing", want)
	}
	return v, p, ok
}

// opt returns the value of a key that may be absent or null, with its
// path; false when it is either.
func (o *object) opt(key string) (json.RawMessage, string, bool) {
	v, ok := o.vals[key]
	return v, child(o.path, key), ok && !isNull(v)
}

// oneOf reads an object with exactly one key, which must be among kinds
// (a tagged union such as a trigger).
func (d *decoder) oneOf(path string, raw json.RawMessage, want string, kinds ...string) (string, json.RawMessage, bool) {
	key, val, ok := d.single(path, raw, want)
	if ok && !slices.Contains(kinds, key) {
		d.ps.add(path, "keys "+quote(key), want)
		return "", nil, false
	}
	return key, val, ok
}

// single reads an object of exactly one key: an externally tagged enum
// whose variants the caller checks.
func (d *decoder) single(path string, raw json.RawMessage, want string) (string, json.RawMessage, bool) {
	ms, ok := d.members(path, raw, want)
	if !ok {
		return "", nil, false
	}
	if len(ms) != 1 {
		got := "{}"
		if len(ms) > 0 {
			keys := make([]string, len(ms))
			for i, m := range ms {
				keys[i] = quote(m.key)
			}
			got = "keys " + strings.Join(keys, ", ")
		}
		d.ps.add(path, got, want)
		return "", nil, false
	}
	return ms[0].key, ms[0].val, true
}
