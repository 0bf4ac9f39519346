package wasip2

import (
	"context"
	"fmt"
	"io"

	"github.com/wavs-go/wavs/host/engine/component/cabi"
)

// responseData is a response the host has read in full (status, headers,
// a body of at most the body limit, trailers).
type responseData struct {
	status   uint16
	headers  *fieldData
	body     []byte
	trailers *fieldData // nil: none
}

// futureResponse is a wasi:http future-incoming-response: done closes
// when the request goroutine has set res or err.
type futureResponse struct {
	done   chan struct{}
	res    *responseData
	err    *httpError
	taken  bool
	cancel context.CancelFunc // ends the request
}

// close is the future's drop: a request nobody waits for is ended.
func (f *futureResponse) close() { f.cancel() }

func (f *futureResponse) ready() bool {
	select {
	case <-f.done:
		return true
	default:
		return false
	}
}

// incomingResponse is a wasi:http incoming-response.
type incomingResponse struct {
	r        *responseData
	consumed bool
}

// incomingBody is a wasi:http incoming-body over a body in memory.
type incomingBody struct {
	r        *responseData
	streamed bool
}

// futureTrailers is a wasi:http future-trailers, ready at once (the body
// has been read).
type futureTrailers struct {
	trailers *fieldData
	taken    bool
}

func (s *State) futureArg(args []cabi.Value) (*futureResponse, error) {
	h, err := argHandle(args, 0)
	if err != nil {
		return nil, err
	}
	return getAs[*futureResponse](s, h, "future-incoming-response")
}

func (s *State) respArg(args []cabi.Value) (*incomingResponse, error) {
	h, err := argHandle(args, 0)
	if err != nil {
		return nil, err
	}
	return getAs[*incomingResponse](s, h, "incoming-response")
}

func responseFuncs() map[string]*funcDef {
	selfFuture := p("self", cabi.Borrow("future-incoming-response"))
	selfResp := p("self", cabi.Borrow("incoming-response"))
	selfTrailers := p("self", cabi.Borrow("future-trailers"))
	return map[string]*funcDef{
		"[method]future-incoming-response.subscribe": def([]cabi.Param{selfFuture}, []*cabi.Type{cabi.Own("pollable")},
			func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				f, err := s.futureArg(args)
				if err != nil {
					return nil, err
				}
				return s.newPollable(&pollable{done: f.done})
			}),
		"[method]future-incoming-response.get": def([]cabi.Param{selfFuture},
			[]*cabi.Type{cabi.OptionOf(cabi.ResultOf(cabi.ResultOf(cabi.Own("incoming-response"), tHTTPErrorCode), nil))},
			func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				f, err := s.futureArg(args)
				if err != nil {
					return nil, err
				}
				switch {
				case !f.ready():
					return one(cabi.None())
				case f.taken:
					return one(cabi.Some(cabi.Err(nil)))
				}
				f.taken = true
				if f.err != nil {
					return one(cabi.Some(cabi.Ok(cabi.Err(f.err.v))))
				}
				h, err := s.add("incoming-response", &incomingResponse{r: f.res})
				if err != nil {
					return nil, err
				}
				return one(cabi.Some(cabi.Ok(cabi.Ok(cabi.Handle(h)))))
			}),
		"[method]incoming-response.status": def([]cabi.Param{selfResp}, []*cabi.Type{cabi.U16()},
			func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				r, err := s.respArg(args)
				if err != nil {
					return nil, err
				}
				return one(r.r.status)
			}),
		"[method]incoming-response.headers": def([]cabi.Param{selfResp}, []*cabi.Type{cabi.Own("fields")},
			func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				r, err := s.respArg(args)
				if err != nil {
					return nil, err
				}
				h, err := s.newFields(&fields{d: r.r.headers, immutable: true})
				if err != nil {
					return nil, err
				}
				return one(h)
			}),
		"[method]incoming-response.consume": def([]cabi.Param{selfResp}, []*cabi.Type{cabi.ResultOf(cabi.Own("incoming-body"), nil)},
			func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				r, err := s.respArg(args)
				if err != nil {
					return nil, err
				}
				if r.consumed {
					return one(cabi.Err(nil))
				}
				r.consumed = true
				h, err := s.add("incoming-body", &incomingBody{r: r.r})
				if err != nil {
					return nil, err
				}
				return one(cabi.Ok(cabi.Handle(h)))
			}),
		"[method]incoming-body.stream": def([]cabi.Param{p("self", cabi.Borrow("incoming-body"))}, []*cabi.Type{cabi.ResultOf(cabi.Own("input-stream"), nil)},
			func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				h, err := argHandle(args, 0)
				if err != nil {
					return nil, err
				}
				b, err := getAs[*incomingBody](s, h, "incoming-body")
				if err != nil {
					return nil, err
				}
				if b.streamed {
					return one(cabi.Err(nil))
				}
				b.streamed = true
				rest := b.r.body
				in, err := s.newInputStream(&inputStream{r: func(max int) ([]byte, error) {
					if len(rest) == 0 {
						return nil, io.EOF
					}
					n := min(max, len(rest))
					out := rest[:n]
					rest = rest[n:]
					return out, nil
				}})
				if err != nil {
					return nil, err
				}
				return one(cabi.Ok(in))
			}),
		"[static]incoming-body.finish": def([]cabi.Param{p("this", cabi.Own("incoming-body"))}, []*cabi.Type{cabi.Own("future-trailers")},
			func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				h, err := argHandle(args, 0)
				if err != nil {
					return nil, err
				}
				v, err := s.take(h, "incoming-body")
				if err != nil {
					return nil, err
				}
				b, ok := v.(*incomingBody)
				if !ok {
					return nil, fmt.Errorf("incoming-body handle %d holds %T", h, v)
				}
				t, err := s.add("future-trailers", &futureTrailers{trailers: b.r.trailers})
				if err != nil {
					return nil, err
				}
				return one(cabi.Handle(t))
			}),
		"[method]future-trailers.subscribe": def([]cabi.Param{selfTrailers}, []*cabi.Type{cabi.Own("pollable")},
			func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				h, err := argHandle(args, 0)
				if err != nil {
					return nil, err
				}
				if _, err := getAs[*futureTrailers](s, h, "future-trailers"); err != nil {
					return nil, err
				}
				return s.newPollable(&pollable{})
			}),
		"[method]future-trailers.get": def([]cabi.Param{selfTrailers},
			[]*cabi.Type{cabi.OptionOf(cabi.ResultOf(cabi.ResultOf(cabi.OptionOf(cabi.Own("fields")), tHTTPErrorCode), nil))},
			func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				h, err := argHandle(args, 0)
				if err != nil {
					return nil, err
				}
				ft, err := getAs[*futureTrailers](s, h, "future-trailers")
				if err != nil {
					return nil, err
				}
				if ft.taken {
					return one(cabi.Some(cabi.Err(nil)))
				}
				ft.taken = true
				if ft.trailers == nil {
					return one(cabi.Some(cabi.Ok(cabi.Ok(cabi.None()))))
				}
				th, err := s.newFields(&fields{d: ft.trailers, immutable: true})
				if err != nil {
					return nil, err
				}
				return one(cabi.Some(cabi.Ok(cabi.Ok(cabi.Some(th)))))
			}),
	}
}
