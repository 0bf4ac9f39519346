package wasip2

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/wavs-go/wavs/host/engine/component/cabi"
)

// Limits of one fields resource (headers or trailers): past them the
// guest traps, naming the limit.
const (
	maxFieldEntries = 256
	maxFieldBytes   = 64 << 10 // names and values together
)

// fieldData is the content of a fields resource; fields handles share it
// (a request's headers() is a view of the request's headers).
type fieldData struct {
	entries []fieldEntry
	size    int
}

type fieldEntry struct {
	name  string // lowercase
	value []byte
}

// fields is a wasi:http fields resource: headers or trailers, mutable or
// not (a request's or a response's headers are immutable views).
type fields struct {
	d         *fieldData
	immutable bool
}

// forbiddenFields are the header names a guest may not set: the
// connection's own, which net/http manages (wasmtime's list). A
// content-length the guest sets is accepted and ignored: net/http writes
// the body's own.
var forbiddenFields = map[string]bool{
	"host": true, "connection": true, "keep-alive": true, "proxy-connection": true,
	"transfer-encoding": true, "upgrade": true, "http2-settings": true,
}

// isToken reports whether s is an RFC 9110 token (a field name or a
// method).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// validValue refuses control characters other than tab (CR, LF, NUL...).
func validValue(v []byte) bool {
	for _, c := range v {
		if (c < 0x20 && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

// checkField validates a name and value: a header-error value when bad
// (nil when fine).
func checkField(name string, value []byte) cabi.Value {
	if !isToken(name) || !validValue(value) {
		return hdrInvalid
	}
	if forbiddenFields[strings.ToLower(name)] {
		return hdrForbidden
	}
	return nil
}

func (d *fieldData) add(name string, value []byte) error {
	n := len(name) + len(value)
	if len(d.entries) >= maxFieldEntries {
		return fmt.Errorf("too many header fields (limit %d)", maxFieldEntries)
	}
	if d.size+n > maxFieldBytes {
		return fmt.Errorf("header fields exceed %d bytes", maxFieldBytes)
	}
	d.entries = append(d.entries, fieldEntry{strings.ToLower(name), append([]byte{}, value...)})
	d.size += n
	return nil
}

func (d *fieldData) del(name string) {
	name = strings.ToLower(name)
	kept := d.entries[:0]
	for _, e := range d.entries {
		if e.name == name {
			d.size -= len(e.name) + len(e.value)
			continue
		}
		kept = append(kept, e)
	}
	d.entries = kept
}

func (d *fieldData) clone() *fieldData {
	c := &fieldData{entries: make([]fieldEntry, len(d.entries)), size: d.size}
	copy(c.entries, d.entries)
	return c
}

// header converts the fields for net/http.
func (d *fieldData) header() http.Header {
	h := make(http.Header, len(d.entries))
	for _, e := range d.entries {
		h.Add(e.name, string(e.value))
	}
	return h
}

// fieldsFromHeader copies a response's header (or trailer), bounded: an
// error when it exceeds the limits of a fields resource.
func fieldsFromHeader(h http.Header) (*fieldData, error) {
	d := &fieldData{}
	for k, vs := range h {
		for _, v := range vs {
			if err := d.add(k, []byte(v)); err != nil {
				return nil, err
			}
		}
	}
	return d, nil
}

func (s *State) newFields(f *fields) (cabi.Value, error) {
	h, err := s.add("fields", f)
	return cabi.Handle(h), err
}

func (s *State) fieldsArg(args []cabi.Value, i int) (*fields, error) {
	h, err := argHandle(args, i)
	if err != nil {
		return nil, err
	}
	return getAs[*fields](s, h, "fields")
}

// takeFields takes an own<fields> argument out of the table.
func (s *State) takeFields(args []cabi.Value, i int) (*fields, error) {
	h, err := argHandle(args, i)
	if err != nil {
		return nil, err
	}
	v, err := s.take(h, "fields")
	if err != nil {
		return nil, err
	}
	f, ok := v.(*fields)
	if !ok {
		return nil, fmt.Errorf("fields handle %d holds %T", h, v)
	}
	return f, nil
}

var selfFields = p("self", cabi.Borrow("fields"))

func fieldsFuncs() map[string]*funcDef {
	// mutate runs a change on a mutable fields resource.
	mutate := func(params []cabi.Param, change func(*fields, []cabi.Value) (cabi.Value, error)) *funcDef {
		return def(params, []*cabi.Type{tHeaderResult},
			func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				f, err := s.fieldsArg(args, 0)
				if err != nil {
					return nil, err
				}
				if f.immutable {
					return one(hdrImmutable)
				}
				r, err := change(f, args)
				if err != nil || r != nil {
					return []cabi.Value{r}, err
				}
				return one(cabi.Ok(nil))
			})
	}
	return map[string]*funcDef{
		"[constructor]fields": def(nil, []*cabi.Type{cabi.Own("fields")},
			func(_ context.Context, s *State, _ []cabi.Value) ([]cabi.Value, error) {
				h, err := s.newFields(&fields{d: &fieldData{}})
				if err != nil {
					return nil, err
				}
				return one(h)
			}),
		"[static]fields.from-list": def([]cabi.Param{p("entries", tFieldEntries)}, []*cabi.Type{cabi.ResultOf(cabi.Own("fields"), tHeaderError)},
			func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				list, ok := args[0].([]cabi.Value)
				if !ok {
					return nil, fmt.Errorf("argument 0 is not a list")
				}
				d := &fieldData{}
				for i, v := range list {
					name, value, err := entryOf(v)
					if err != nil {
						return nil, fmt.Errorf("entries[%d]: %w", i, err)
					}
					if bad := checkField(name, value); bad != nil {
						return one(bad)
					}
					if err := d.add(name, value); err != nil {
						return nil, err
					}
				}
				h, err := s.newFields(&fields{d: d})
				if err != nil {
					return nil, err
				}
				return one(cabi.Ok(h))
			}),
		"[method]fields.get": def([]cabi.Param{selfFields, p("name", cabi.String())}, []*cabi.Type{tFieldValues},
			func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				f, name, err := s.fieldsAndName(args)
				if err != nil {
					return nil, err
				}
				out := []cabi.Value{}
				for _, e := range f.d.entries {
					if e.name == name {
						out = append(out, e.value)
					}
				}
				return one(out)
			}),
		"[method]fields.has": def([]cabi.Param{selfFields, p("name", cabi.String())}, []*cabi.Type{cabi.Bool()},
			func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				f, name, err := s.fieldsAndName(args)
				if err != nil {
					return nil, err
				}
				for _, e := range f.d.entries {
					if e.name == name {
						return one(true)
					}
				}
				return one(false)
			}),
		"[method]fields.set": mutate([]cabi.Param{selfFields, p("name", cabi.String()), p("value", tFieldValues)},
			func(f *fields, args []cabi.Value) (cabi.Value, error) {
				name, err := argString(args, 1)
				if err != nil {
					return nil, err
				}
				vals, ok := args[2].([]cabi.Value)
				if !ok {
					return nil, fmt.Errorf("argument 2 is not a list")
				}
				bs := make([][]byte, len(vals))
				for i, v := range vals {
					if bs[i], ok = v.([]byte); !ok {
						return nil, fmt.Errorf("value[%d] is not a list<u8>", i)
					}
					if bad := checkField(name, bs[i]); bad != nil {
						return bad, nil
					}
				}
				if bad := checkField(name, nil); bad != nil {
					return bad, nil
				}
				f.d.del(name)
				for _, b := range bs {
					if err := f.d.add(name, b); err != nil {
						return nil, err
					}
				}
				return nil, nil
			}),
		"[method]fields.delete": mutate([]cabi.Param{selfFields, p("name", cabi.String())},
			func(f *fields, args []cabi.Value) (cabi.Value, error) {
				name, err := argString(args, 1)
				if err != nil {
					return nil, err
				}
				if bad := checkField(name, nil); bad != nil {
					return bad, nil
				}
				f.d.del(name)
				return nil, nil
			}),
		"[method]fields.append": mutate([]cabi.Param{selfFields, p("name", cabi.String()), p("value", tU8List)},
			func(f *fields, args []cabi.Value) (cabi.Value, error) {
				name, err := argString(args, 1)
				if err != nil {
					return nil, err
				}
				b, err := argBytes(args, 2)
				if err != nil {
					return nil, err
				}
				if bad := checkField(name, b); bad != nil {
					return bad, nil
				}
				return nil, f.d.add(name, b)
			}),
		"[method]fields.entries": def([]cabi.Param{selfFields}, []*cabi.Type{tFieldEntries},
			func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				f, err := s.fieldsArg(args, 0)
				if err != nil {
					return nil, err
				}
				out := make([]cabi.Value, len(f.d.entries))
				for i, e := range f.d.entries {
					out[i] = cabi.Fields(e.name, e.value)
				}
				return one(out)
			}),
		"[method]fields.clone": def([]cabi.Param{selfFields}, []*cabi.Type{cabi.Own("fields")},
			func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				f, err := s.fieldsArg(args, 0)
				if err != nil {
					return nil, err
				}
				h, err := s.newFields(&fields{d: f.d.clone()})
				if err != nil {
					return nil, err
				}
				return one(h)
			}),
	}
}

func (s *State) fieldsAndName(args []cabi.Value) (*fields, string, error) {
	f, err := s.fieldsArg(args, 0)
	if err != nil {
		return nil, "", err
	}
	name, err := argString(args, 1)
	if err != nil {
		return nil, "", err
	}
	return f, strings.ToLower(name), nil
}

func entryOf(v cabi.Value) (string, []byte, error) {
	r, ok := v.(cabi.Record)
	if !ok || len(r.Fields) != 2 {
		return "", nil, fmt.Errorf("not a tuple<string, list<u8>>")
	}
	name, ok1 := r.Fields[0].(string)
	value, ok2 := r.Fields[1].([]byte)
	if !ok1 || !ok2 {
		return "", nil, fmt.Errorf("not a tuple<string, list<u8>>")
	}
	return name, value, nil
}
