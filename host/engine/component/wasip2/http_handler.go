package wasip2

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/wavs-go/wavs/host/engine/component/cabi"
)

// MaxHTTPInFlight bounds the requests of one execution that have no
// response yet; past it handle returns connection-limit-reached.
const MaxHTTPInFlight = 8

// errHeaderTimeout ends a request whose response headers did not come in
// the time its request-options allow.
var errHeaderTimeout = errors.New("no response within the request's connect and first-byte timeouts")

// errNoHTTP is the refusal when the configuration allows no host.
var errNoHTTP = errors.New("no host is allowed (no HTTP policy)")

func init() {
	fs := fieldsFuncs()
	for _, m := range []map[string]*funcDef{requestFuncs(), responseFuncs(), serverFuncs()} {
		for k, v := range m {
			fs[k] = v
		}
	}
	fs["http-error-code"] = def([]cabi.Param{p("err", cabi.Borrow("error"))}, []*cabi.Type{cabi.OptionOf(tHTTPErrorCode)},
		func(_ context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
			if _, err := s.errorArg(args, 0); err != nil {
				return nil, err
			}
			return one(cabi.None())
		})
	register("wasi:http/types", []string{
		"fields", "incoming-request", "outgoing-request", "request-options", "response-outparam",
		"incoming-response", "incoming-body", "future-trailers", "outgoing-response", "outgoing-body",
		"future-incoming-response",
	}, fs)

	register("wasi:http/outgoing-handler", nil, map[string]*funcDef{
		"handle": def([]cabi.Param{p("request", cabi.Own("outgoing-request")), p("options", cabi.OptionOf(cabi.Own("request-options")))},
			[]*cabi.Type{cabi.ResultOf(cabi.Own("future-incoming-response"), tHTTPErrorCode)},
			func(ctx context.Context, s *State, args []cabi.Value) ([]cabi.Value, error) {
				return s.handle(ctx, args)
			}),
	})
}

// handle is wasi:http/outgoing-handler#handle: it checks the request
// against the policy and sends it from a goroutine; the future's pollable
// becomes ready when the response has been read.
func (s *State) handle(ctx context.Context, args []cabi.Value) ([]cabi.Value, error) {
	h, err := argHandle(args, 0)
	if err != nil {
		return nil, err
	}
	v, err := s.take(h, "outgoing-request")
	if err != nil {
		return nil, err
	}
	r, ok := v.(*outgoingRequest)
	if !ok {
		return nil, fmt.Errorf("outgoing-request handle %d holds %T", h, v)
	}
	var opts requestOptions
	if o, err := argOption(args, 1); err != nil {
		return nil, err
	} else if o.Some {
		v, err := s.take(uint32(handleOf(o.Value)), "request-options")
		if err != nil {
			return nil, fmt.Errorf("options: %w", err)
		}
		if ro, ok := v.(*requestOptions); ok {
			opts = *ro
		}
	}
	refuse := func(e *httpError) ([]cabi.Value, error) {
		s.logf("wasi:http: request refused: %s", e)
		return one(cabi.Err(e.v))
	}
	u, ec := r.url()
	if ec != nil {
		return refuse(ec)
	}
	allow := s.cfg.AllowHTTP
	if allow == nil {
		allow = func(*url.URL) error { return errNoHTTP }
	}
	if err := allow(u); err != nil {
		return refuse(ecode(ecHTTPRequestDenied, nil, fmt.Sprintf("%s %s: %v", methodName(r.method), u.Redacted(), err)))
	}
	if s.cfg.HTTPClient == nil {
		return refuse(ecode(ecHTTPRequestDenied, nil, "the node has no HTTP client for components"))
	}
	rctx, err := s.startRequest(ctx)
	if err != nil {
		return refuse(ecode(ecConnectionLimit, nil, err.Error()))
	}
	rctx, cancel := context.WithCancel(rctx)
	f := &futureResponse{done: make(chan struct{}), cancel: cancel}
	fh, err := s.add("future-incoming-response", f)
	if err != nil {
		cancel()
		s.endRequest()
		return nil, err
	}
	go func() {
		defer s.endRequest()
		defer cancel()
		f.res, f.err = s.send(rctx, r, u, opts)
		if f.err != nil {
			s.logf("wasi:http: %s %s failed: %s", methodName(r.method), u.Redacted(), f.err)
		}
		close(f.done)
		s.notify()
	}()
	return one(cabi.Ok(cabi.Handle(fh)))
}

func handleOf(v cabi.Value) cabi.Handle {
	h, _ := v.(cabi.Handle)
	return h
}

// url builds the request's URL: scheme (https by default), authority
// (required) and path with query ("/" by default).
func (r *outgoingRequest) url() (*url.URL, *httpError) {
	scheme := "https"
	if r.scheme.Some {
		if sc, _ := r.scheme.Value.(cabi.Variant); sc.Case == 0 {
			scheme = "http"
		}
	}
	auth, _ := r.authority.Value.(string)
	if !r.authority.Some || auth == "" {
		return nil, ecode(ecHTTPRequestURIInvalid, nil, "the request has no authority")
	}
	path := "/"
	if pq, _ := r.path.Value.(string); r.path.Some && pq != "" {
		path = pq
	}
	u, err := url.Parse(scheme + "://" + auth + path)
	if err != nil || u.Host == "" {
		return nil, ecode(ecHTTPRequestURIInvalid, nil, fmt.Sprintf("bad URL %q", scheme+"://"+auth+path))
	}
	if methodName(r.method) == "" {
		return nil, ecode(ecHTTPRequestMethod, nil, "invalid method")
	}
	return u, nil
}

// send waits for the body to be finished, makes the request and reads
// the response, bounded.
func (s *State) send(ctx context.Context, r *outgoingRequest, u *url.URL, opts requestOptions) (*responseData, *httpError) {
	var body []byte
	if b := r.body; b != nil {
		select {
		case <-b.done:
		case <-ctx.Done():
			return nil, ecInternal("the execution ended before the request body was finished")
		}
		b.mu.Lock()
		finished, tooLarge := b.finished, b.tooLarge
		body = b.buf.Bytes()
		b.mu.Unlock()
		switch {
		case tooLarge:
			return nil, ecode(ecHTTPRequestBodySize, cabi.Some(uint64(b.max)), fmt.Sprintf("request body exceeds %d bytes", b.max))
		case !finished:
			return nil, ecInternal("the outgoing-body was dropped without finish")
		}
	}
	var rd io.Reader
	if len(body) > 0 {
		rd = bytes.NewReader(body)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	req, err := http.NewRequestWithContext(ctx, methodName(r.method), u.String(), rd)
	if err != nil {
		return nil, ecode(ecHTTPRequestURIInvalid, nil, err.Error())
	}
	req.Header = r.headers.header()

	client := *s.cfg.HTTPClient
	// Redirects are the guest's to follow: each new request passes the
	// policy again.
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	stop := func() bool { return false }
	if d := headerTimeout(opts); d > 0 {
		stop = time.AfterFunc(d, func() { cancel(errHeaderTimeout) }).Stop
	}
	res, err := client.Do(req)
	stop()
	if err != nil {
		return nil, httpErrorFor(ctx, err)
	}
	defer res.Body.Close()
	hd, err := fieldsFromHeader(res.Header)
	if err != nil {
		return nil, ecode(ecHTTPResponseHeaderSec, cabi.None(), err.Error())
	}
	limit := s.maxBody()
	b, err := io.ReadAll(io.LimitReader(res.Body, int64(limit)+1))
	if err != nil {
		return nil, httpErrorFor(ctx, err)
	}
	if len(b) > limit {
		return nil, ecode(ecHTTPResponseBodySize, cabi.Some(uint64(len(b))), fmt.Sprintf("response body exceeds %d bytes", limit))
	}
	out := &responseData{status: uint16(res.StatusCode), headers: hd, body: b}
	if len(res.Trailer) > 0 {
		if out.trailers, err = fieldsFromHeader(res.Trailer); err != nil {
			return nil, ecode(ecHTTPResponseHeaderSec, cabi.None(), "trailers: "+err.Error())
		}
	}
	return out, nil
}

// headerTimeout is how long the request may wait for its response
// headers: connect-timeout plus first-byte-timeout, when either is set.
func headerTimeout(o requestOptions) time.Duration {
	var d uint64
	for _, v := range []cabi.Option{o.connect, o.firstByte} {
		if n, ok := v.Value.(uint64); v.Some && ok {
			d += n
		}
	}
	return time.Duration(min(d, uint64(1<<62)))
}
