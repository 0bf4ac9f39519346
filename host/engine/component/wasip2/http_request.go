package wasip2

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/wavs-go/wavs/host/engine/component/cabi"
)

// DefaultMaxHTTPBodyBytes bounds a request body a guest writes and a
// response body the host reads for it, when Config.MaxHTTPBodyBytes is 0
// (the wasip1 path's http_fetch limit).
const DefaultMaxHTTPBodyBytes = 4 << 20

// outgoingRequest is a wasi:http outgoing-request.
type outgoingRequest struct {
	method    cabi.Variant // a method value
	scheme    cabi.Option  // option<scheme>
	authority cabi.Option  // option<string>
	path      cabi.Option  // option<string>
	headers   *fieldData
	body      *outgoingBody // nil until body() is called
}

// outgoingBody is a wasi:http outgoing-body: bytes the guest writes into
// memory, bounded, sent once it is finished.
type outgoingBody struct {
	mu       sync.Mutex
	buf      bytes.Buffer
	max      int
	streamed bool          // write() was called
	done     chan struct{} // closed by finish or drop
	finished bool          // finish was called (not only dropped)
	tooLarge bool
}

func (b *outgoingBody) write(p []byte) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.isDone() {
		return fmt.Errorf("the outgoing-body is finished")
	}
	if b.buf.Len()+len(p) > b.max {
		b.tooLarge = true
		return fmt.Errorf("request body exceeds %d bytes", b.max)
	}
	b.buf.Write(p)
	return nil
}

func (b *outgoingBody) isDone() bool {
	select {
	case <-b.done:
		return true
	default:
		return false
	}
}

// end closes the body, finished or abandoned.
func (b *outgoingBody) end(finished bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.isDone() {
		b.finished = finished
		close(b.done)
	}
}

// close is the drop of an unfinished body: the request fails.
func (b *outgoingBody) close() { b.end(false) }

// requestOptions is a wasi:http request-options: timeouts in nanoseconds.
type requestOptions struct {
	connect, firstByte, betweenBytes cabi.Option // option<duration>
}

func (s *State) maxBody() int {
	if s.cfg.MaxHTTPBodyBytes > 0 {
		return s.cfg.MaxHTTPBodyBytes
	}
	return DefaultMaxHTTPBodyBytes
}

var (
	selfReq  = p("self", cabi.Borrow("outgoing-request"))
	selfOpts = p("self", cabi.Borrow("request-options"))
)

func (s *State) reqArg(args []cabi.Value, i int) (*outgoingRequest, error) {
	h, err := argHandle(args, i)
	if err != nil {
		return nil, err
	}
	return getAs[*outgoingRequest](s, h, "outgoing-request")
}

func (s *State) optsArg(args []cabi.Value, i int) (*requestOptions, error) {
	h, err := argHandle(args, i)
	if err != nil {
		return nil, err
	}
	return getAs[*requestOptions](s, h, "request-options")
}

// methodName is the method of a method value ("" when invalid).
func methodName(v cabi.Variant) string {
	names := []string{"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"}
	if int(v.Case) < len(names) {
		return names[v.Case]
	}
	if m, ok := v.Value.(string); ok && isToken(m) {
		return m
	}
	return ""
}

func argVariant(args []cabi.Value, i int) (cabi.Variant, error) {
	if i < len(args) {
		if v, ok := args[i].(cabi.Variant); ok {
			return v, nil
		}
	}
	return cabi.Variant{}, fmt.Errorf("argument %d is not a variant", i)
}

func argOption(args []cabi.Value, i int) (cabi.Option, error) {
	if i < len(args) {
		if v, ok := args[i].(cabi.Option); ok {
			return v, nil
		}
	}
	return cabi.Option{}, fmt.Errorf("argument %d is not an option", i)
}

// validAuthority accepts host[:port] without userinfo, path or spaces.
func validAuthority(a string) bool {
	return a != "" && !strings.ContainsAny(a, "@/?#\\ \t\r\n")
}

func validPath(pq string) bool {
	return strings.HasPrefix(pq, "/") && !strings.ContainsAny(pq, " \t\r\n#")
}

func requestFuncs() map[string]*funcDef {
	// setter validates and stores an argument of an outgoing-request.
	setter := func(t *cabi.Type, set func(*outgoingRequest, cabi.Value) bool) *funcDef {
		return def([]cabi.Param{selfReq, p("v", t)}, []*cabi.Type{tUnitResult},
			func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				r, err := s.reqArg(args, 0)
				if err != nil {
					return nil, err
				}
				if !set(r, args[1]) {
					return one(cabi.Err(nil))
				}
				return one(cabi.Ok(nil))
			})
	}
	getter := func(t *cabi.Type, get func(*outgoingRequest) cabi.Value) *funcDef {
		return def([]cabi.Param{selfReq}, []*cabi.Type{t},
			func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				r, err := s.reqArg(args, 0)
				if err != nil {
					return nil, err
				}
				return one(get(r))
			})
	}
	optString := func(ok func(string) bool) func(v cabi.Value) (cabi.Option, bool) {
		return func(v cabi.Value) (cabi.Option, bool) {
			o, isOpt := v.(cabi.Option)
			if !isOpt {
				return o, false
			}
			if o.Some {
				str, isStr := o.Value.(string)
				if !isStr || !ok(str) {
					return o, false
				}
			}
			return o, true
		}
	}
	pathOf, authOf := optString(validPath), optString(validAuthority)
	optStr := cabi.OptionOf(cabi.String())
	fs := map[string]*funcDef{
		"[constructor]outgoing-request": def([]cabi.Param{p("headers", cabi.Own("fields"))}, []*cabi.Type{cabi.Own("outgoing-request")},
			func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				f, err := s.takeFields(args, 0)
				if err != nil {
					return nil, err
				}
				h, err := s.add("outgoing-request", &outgoingRequest{method: cabi.Variant{Case: 0}, headers: f.d})
				if err != nil {
					return nil, err
				}
				return one(cabi.Handle(h))
			}),
		"[method]outgoing-request.body": def([]cabi.Param{selfReq}, []*cabi.Type{cabi.ResultOf(cabi.Own("outgoing-body"), nil)},
			func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				r, err := s.reqArg(args, 0)
				if err != nil {
					return nil, err
				}
				if r.body != nil {
					return one(cabi.Err(nil))
				}
				r.body = &outgoingBody{max: s.maxBody(), done: make(chan struct{})}
				h, err := s.add("outgoing-body", r.body)
				if err != nil {
					return nil, err
				}
				return one(cabi.Ok(cabi.Handle(h)))
			}),
		"[method]outgoing-request.method": getter(tMethod, func(r *outgoingRequest) cabi.Value { return r.method }),
		"[method]outgoing-request.set-method": setter(tMethod, func(r *outgoingRequest, v cabi.Value) bool {
			m, ok := v.(cabi.Variant)
			if !ok || methodName(m) == "" {
				return false
			}
			r.method = m
			return true
		}),
		"[method]outgoing-request.path-with-query": getter(optStr, func(r *outgoingRequest) cabi.Value { return r.path }),
		"[method]outgoing-request.set-path-with-query": setter(optStr, func(r *outgoingRequest, v cabi.Value) bool {
			o, ok := pathOf(v)
			if ok {
				r.path = o
			}
			return ok
		}),
		"[method]outgoing-request.scheme": getter(cabi.OptionOf(tScheme), func(r *outgoingRequest) cabi.Value { return r.scheme }),
		"[method]outgoing-request.set-scheme": setter(cabi.OptionOf(tScheme), func(r *outgoingRequest, v cabi.Value) bool {
			o, ok := v.(cabi.Option)
			if !ok {
				return false
			}
			if o.Some {
				sc, ok := o.Value.(cabi.Variant)
				if !ok || sc.Case > 1 { // other schemes are not supported
					return false
				}
			}
			r.scheme = o
			return true
		}),
		"[method]outgoing-request.authority": getter(optStr, func(r *outgoingRequest) cabi.Value { return r.authority }),
		"[method]outgoing-request.set-authority": setter(optStr, func(r *outgoingRequest, v cabi.Value) bool {
			o, ok := authOf(v)
			if ok {
				r.authority = o
			}
			return ok
		}),
		"[method]outgoing-request.headers": def([]cabi.Param{selfReq}, []*cabi.Type{cabi.Own("fields")},
			func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				r, err := s.reqArg(args, 0)
				if err != nil {
					return nil, err
				}
				h, err := s.newFields(&fields{d: r.headers, immutable: true})
				if err != nil {
					return nil, err
				}
				return one(h)
			}),

		"[method]outgoing-body.write": def([]cabi.Param{p("self", cabi.Borrow("outgoing-body"))}, []*cabi.Type{cabi.ResultOf(cabi.Own("output-stream"), nil)},
			func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				h, err := argHandle(args, 0)
				if err != nil {
					return nil, err
				}
				b, err := getAs[*outgoingBody](s, h, "outgoing-body")
				if err != nil {
					return nil, err
				}
				if b.streamed {
					return one(cabi.Err(nil))
				}
				b.streamed = true
				out, err := s.newOutputStream(&outputStream{w: b.write})
				if err != nil {
					return nil, err
				}
				return one(cabi.Ok(out))
			}),
		"[static]outgoing-body.finish": def([]cabi.Param{p("this", cabi.Own("outgoing-body")), p("trailers", cabi.OptionOf(cabi.Own("fields")))},
			[]*cabi.Type{cabi.ResultOf(nil, tHTTPErrorCode)},
			func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				h, err := argHandle(args, 0)
				if err != nil {
					return nil, err
				}
				v, err := s.take(h, "outgoing-body")
				if err != nil {
					return nil, err
				}
				b, ok := v.(*outgoingBody)
				if !ok {
					return nil, fmt.Errorf("outgoing-body handle %d holds %T", h, v)
				}
				if t, _ := argOption(args, 1); t.Some {
					// Trailers are accepted and not sent: net/http sends
					// request trailers only with a streamed body.
					if _, err := s.takeFields([]cabi.Value{t.Value}, 0); err != nil {
						return nil, fmt.Errorf("trailers: %w", err)
					}
				}
				b.end(true)
				if b.tooLarge {
					max := uint64(b.max)
					return one(cabi.Err(ecode(ecHTTPRequestBodySize, cabi.Some(max), "").v))
				}
				return one(cabi.Ok(nil))
			}),

		"[constructor]request-options": def(nil, []*cabi.Type{cabi.Own("request-options")},
			func(_ context.Context, s *State, _ []cabi.Value) ([]cabi.Value, error) {
				h, err := s.add("request-options", &requestOptions{})
				if err != nil {
					return nil, err
				}
				return one(cabi.Handle(h))
			}),
	}
	for _, o := range []struct {
		name string
		at   func(*requestOptions) *cabi.Option
	}{
		{"connect-timeout", func(o *requestOptions) *cabi.Option { return &o.connect }},
		{"first-byte-timeout", func(o *requestOptions) *cabi.Option { return &o.firstByte }},
		{"between-bytes-timeout", func(o *requestOptions) *cabi.Option { return &o.betweenBytes }},
	} {
		at := o.at
		fs["[method]request-options."+o.name] = def([]cabi.Param{selfOpts}, []*cabi.Type{tDuration},
			func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				ro, err := s.optsArg(args, 0)
				if err != nil {
					return nil, err
				}
				return one(*at(ro))
			})
		fs["[method]request-options.set-"+o.name] = def([]cabi.Param{selfOpts, p("duration", tDuration)}, []*cabi.Type{tUnitResult},
			func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				ro, err := s.optsArg(args, 0)
				if err != nil {
					return nil, err
				}
				d, err := argOption(args, 1)
				if err != nil {
					return nil, err
				}
				*at(ro) = d
				return one(cabi.Ok(nil))
			})
	}
	return fs
}
