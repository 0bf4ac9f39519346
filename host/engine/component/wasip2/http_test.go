package wasip2

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wavs-go/wavs/host/engine/component/cabi"
	"github.com/wavs-go/wavs/internal/netguard"
)

const (
	ifHTTP    = "wasi:http/types"
	ifHandler = "wasi:http/outgoing-handler"
)

// hcall runs a function of this package at the value level.
func hcall(t *testing.T, s *State, ifc, fn string, args ...cabi.Value) ([]cabi.Value, error) {
	t.Helper()
	d := served[ifc].funcs[fn]
	if d == nil {
		t.Fatalf("%s#%s is not served", ifc, fn)
	}
	return d.run(context.Background(), s, args)
}

func hmust(t *testing.T, s *State, ifc, fn string, args ...cabi.Value) cabi.Value {
	t.Helper()
	res, err := hcall(t, s, ifc, fn, args...)
	if err != nil {
		t.Fatalf("%s: %v", fn, err)
	}
	if len(res) == 0 {
		return nil
	}
	return res[0]
}

// okOf unwraps result ok values, failing on an error.
func okOf(t *testing.T, v cabi.Value) cabi.Value {
	t.Helper()
	r, ok := v.(cabi.Result)
	if !ok || r.IsErr {
		t.Fatalf("%#v is not ok", v)
	}
	return r.Value
}

func TestHTTPFields(t *testing.T) {
	s := NewState(Config{})
	defer s.Close()
	f := hmust(t, s, ifHTTP, "[constructor]fields")
	if r := hmust(t, s, ifHTTP, "[method]fields.append", f, "Accept", []byte("a/b")); r != cabi.Ok(nil) {
		t.Fatalf("append = %#v", r)
	}
	hmust(t, s, ifHTTP, "[method]fields.append", f, "accept", []byte("c/d"))
	got := hmust(t, s, ifHTTP, "[method]fields.get", f, "ACCEPT").([]cabi.Value)
	if len(got) != 2 || string(got[0].([]byte)) != "a/b" || string(got[1].([]byte)) != "c/d" {
		t.Errorf("get = %q", got)
	}
	hmust(t, s, ifHTTP, "[method]fields.set", f, "accept", []cabi.Value{[]byte("x")})
	if e := hmust(t, s, ifHTTP, "[method]fields.entries", f).([]cabi.Value); len(e) != 1 || e[0].(cabi.Record).Fields[0] != "accept" {
		t.Errorf("entries after set = %#v", e)
	}
	for _, tt := range []struct {
		name, value string
		want        cabi.Value
	}{
		{"host", "evil", hdrForbidden},
		{"bad name", "v", hdrInvalid},
		{"x", "a\r\nb", hdrInvalid},
	} {
		if r := hmust(t, s, ifHTTP, "[method]fields.append", f, tt.name, []byte(tt.value)); r != tt.want {
			t.Errorf("append(%q, %q) = %#v, want %#v", tt.name, tt.value, r, tt.want)
		}
	}
	hmust(t, s, ifHTTP, "[method]fields.delete", f, "Accept")
	if hmust(t, s, ifHTTP, "[method]fields.has", f, "accept") != false {
		t.Error("has after delete")
	}
	fl := hmust(t, s, ifHTTP, "[static]fields.from-list", []cabi.Value{cabi.Fields("a", []byte("1"))})
	okOf(t, fl)
	if r := hmust(t, s, ifHTTP, "[static]fields.from-list", []cabi.Value{cabi.Fields("connection", []byte("close"))}); r != hdrForbidden {
		t.Errorf("from-list(connection) = %#v", r)
	}
	// Past the limits the guest traps, it never grows the host's memory.
	big := []byte(strings.Repeat("a", maxFieldBytes))
	if _, err := hcall(t, s, ifHTTP, "[method]fields.append", f, "x", big); err == nil || !strings.Contains(err.Error(), "exceed") {
		t.Errorf("append of %d bytes: %v, want a trap", len(big), err)
	}
	// A request's headers are an immutable view.
	req := hmust(t, s, ifHTTP, "[constructor]outgoing-request", f)
	view := hmust(t, s, ifHTTP, "[method]outgoing-request.headers", req)
	if r := hmust(t, s, ifHTTP, "[method]fields.append", view, "a", []byte("b")); r != hdrImmutable {
		t.Errorf("append to a request's headers = %#v, want immutable", r)
	}
	if _, err := hcall(t, s, ifHTTP, "[method]fields.get", f, "a"); err == nil {
		t.Error("the fields moved into the request are still usable")
	}
}

// newRequest builds an outgoing request to u, with a header and, when
// body is not nil, a finished body.
func newRequest(t *testing.T, s *State, method uint32, rawURL string, body []byte) cabi.Value {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	f := hmust(t, s, ifHTTP, "[constructor]fields")
	hmust(t, s, ifHTTP, "[method]fields.append", f, "x-test", []byte("yes"))
	req := hmust(t, s, ifHTTP, "[constructor]outgoing-request", f)
	okOf(t, hmust(t, s, ifHTTP, "[method]outgoing-request.set-method", req, cabi.Variant{Case: method}))
	okOf(t, hmust(t, s, ifHTTP, "[method]outgoing-request.set-scheme", req, cabi.Some(cabi.Variant{Case: 0})))
	okOf(t, hmust(t, s, ifHTTP, "[method]outgoing-request.set-authority", req, cabi.Some(u.Host)))
	okOf(t, hmust(t, s, ifHTTP, "[method]outgoing-request.set-path-with-query", req, cabi.Some(u.RequestURI())))
	if body != nil {
		ob := okOf(t, hmust(t, s, ifHTTP, "[method]outgoing-request.body", req))
		out := okOf(t, hmust(t, s, ifHTTP, "[method]outgoing-body.write", ob))
		okOf(t, hmust(t, s, ifStreams, "[method]output-stream.blocking-write-and-flush", out, body))
		if err := s.drop(uint32(out.(cabi.Handle)), "output-stream"); err != nil {
			t.Fatal(err)
		}
		okOf(t, hmust(t, s, ifHTTP, "[static]outgoing-body.finish", ob, cabi.None()))
	}
	return req
}

// await blocks on the future's pollable and returns get's inner result.
func await(t *testing.T, ctx context.Context, s *State, fut cabi.Value) (cabi.Result, error) {
	t.Helper()
	pl := hmust(t, s, ifHTTP, "[method]future-incoming-response.subscribe", fut)
	if _, err := served[ifPoll].funcs["[method]pollable.block"].run(ctx, s, []cabi.Value{pl}); err != nil {
		return cabi.Result{}, err
	}
	got := hmust(t, s, ifHTTP, "[method]future-incoming-response.get", fut).(cabi.Option)
	if !got.Some {
		t.Fatal("get is none after the pollable is ready")
	}
	return okOf(t, got.Value).(cabi.Result), nil
}

func allowAll(*url.URL) error { return nil }

func TestHTTPRoundTrip(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Echo", r.Header.Get("x-test"))
		w.WriteHeader(http.StatusAccepted)
		_, _ = w.Write([]byte(r.Method + " " + r.URL.RequestURI() + " " + string(b)))
	}))
	defer srv.Close()
	s := NewState(Config{HTTPClient: srv.Client(), AllowHTTP: allowAll})
	defer s.Close()
	req := newRequest(t, s, 2, srv.URL+"/p?q=1", []byte("ping"))
	fut := okOf(t, hmust(t, s, ifHandler, "handle", req, cabi.None()))
	res, err := await(t, context.Background(), s, fut)
	if err != nil || res.IsErr {
		t.Fatalf("response: %#v, %v", res, err)
	}
	resp := res.Value
	if st := hmust(t, s, ifHTTP, "[method]incoming-response.status", resp); st != uint16(202) {
		t.Errorf("status %v", st)
	}
	h := hmust(t, s, ifHTTP, "[method]incoming-response.headers", resp)
	if v := hmust(t, s, ifHTTP, "[method]fields.get", h, "x-echo").([]cabi.Value); len(v) != 1 || string(v[0].([]byte)) != "yes" {
		t.Errorf("x-echo = %q", v)
	}
	body := okOf(t, hmust(t, s, ifHTTP, "[method]incoming-response.consume", resp))
	if r := hmust(t, s, ifHTTP, "[method]incoming-response.consume", resp); r != cabi.Err(nil) {
		t.Errorf("second consume = %#v", r)
	}
	in := okOf(t, hmust(t, s, ifHTTP, "[method]incoming-body.stream", body))
	var got []byte
	for {
		r := hmust(t, s, ifStreams, "[method]input-stream.blocking-read", in, uint64(3)).(cabi.Result)
		if r.IsErr {
			break
		}
		got = append(got, r.Value.([]byte)...)
	}
	if string(got) != "POST /p?q=1 ping" {
		t.Errorf("body %q", got)
	}
	ft := hmust(t, s, ifHTTP, "[static]incoming-body.finish", body)
	if tr := hmust(t, s, ifHTTP, "[method]future-trailers.get", ft); tr != cabi.Some(cabi.Ok(cabi.Ok(cabi.None()))) {
		t.Errorf("trailers %#v", tr)
	}
	if r := hmust(t, s, ifHTTP, "[method]future-incoming-response.get", fut); r != cabi.Some(cabi.Err(nil)) {
		t.Errorf("second get = %#v", r)
	}
}

// caseOf is the error-code case of a handle result or a future's error.
func caseOf(t *testing.T, v cabi.Value) uint32 {
	t.Helper()
	r, ok := v.(cabi.Result)
	if !ok || !r.IsErr {
		t.Fatalf("%#v is not an error", v)
	}
	return r.Value.(cabi.Variant).Case
}

func TestHTTPRefusals(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write(make([]byte, 100))
	}))
	defer srv.Close()
	var logged []string
	logf := func(m string) { logged = append(logged, m) }

	t.Run("no policy", func(t *testing.T) {
		s := NewState(Config{HTTPClient: srv.Client(), Log: logf})
		defer s.Close()
		r := hmust(t, s, ifHandler, "handle", newRequest(t, s, 0, srv.URL, nil), cabi.None())
		if c := caseOf(t, r); c != ecHTTPRequestDenied {
			t.Errorf("case %d, want HTTP-request-denied", c)
		}
		if len(logged) == 0 || !strings.Contains(logged[len(logged)-1], "HTTP-request-denied") {
			t.Errorf("log %q", logged)
		}
	})
	t.Run("policy refuses", func(t *testing.T) {
		deny := func(u *url.URL) error { return errors.New("not " + u.Hostname()) }
		s := NewState(Config{HTTPClient: srv.Client(), AllowHTTP: deny, Log: logf})
		defer s.Close()
		r := hmust(t, s, ifHandler, "handle", newRequest(t, s, 0, srv.URL, nil), cabi.None())
		if c := caseOf(t, r); c != ecHTTPRequestDenied {
			t.Errorf("case %d, want HTTP-request-denied", c)
		}
		if !strings.Contains(logged[len(logged)-1], "not 127.0.0.1") {
			t.Errorf("log %q", logged)
		}
	})
	t.Run("guard refuses loopback", func(t *testing.T) {
		g := netguard.New(netguard.Options{})
		s := NewState(Config{HTTPClient: g.Client(time.Minute), AllowHTTP: allowAll, Log: logf})
		defer s.Close()
		fut := okOf(t, hmust(t, s, ifHandler, "handle", newRequest(t, s, 0, srv.URL, nil), cabi.None()))
		res, err := await(t, context.Background(), s, fut)
		if err != nil {
			t.Fatal(err)
		}
		if c := caseOf(t, res); c != ecDestinationIPProhib {
			t.Errorf("case %d, want destination-IP-prohibited", c)
		}
	})
	t.Run("response body too large", func(t *testing.T) {
		s := NewState(Config{HTTPClient: srv.Client(), AllowHTTP: allowAll, MaxHTTPBodyBytes: 99})
		defer s.Close()
		fut := okOf(t, hmust(t, s, ifHandler, "handle", newRequest(t, s, 0, srv.URL, nil), cabi.None()))
		res, _ := await(t, context.Background(), s, fut)
		if c := caseOf(t, res); c != ecHTTPResponseBodySize {
			t.Errorf("case %d, want HTTP-response-body-size", c)
		}
	})
	t.Run("request body too large", func(t *testing.T) {
		s := NewState(Config{HTTPClient: srv.Client(), AllowHTTP: allowAll, MaxHTTPBodyBytes: 3})
		defer s.Close()
		f := hmust(t, s, ifHTTP, "[constructor]fields")
		req := hmust(t, s, ifHTTP, "[constructor]outgoing-request", f)
		ob := okOf(t, hmust(t, s, ifHTTP, "[method]outgoing-request.body", req))
		out := okOf(t, hmust(t, s, ifHTTP, "[method]outgoing-body.write", ob))
		if r := hmust(t, s, ifStreams, "[method]output-stream.write", out, []byte("toolong")).(cabi.Result); !r.IsErr {
			t.Error("writing past the body limit succeeded")
		}
		if c := caseOf(t, hmust(t, s, ifHTTP, "[static]outgoing-body.finish", ob, cabi.None())); c != ecHTTPRequestBodySize {
			t.Errorf("finish: case %d, want HTTP-request-body-size", c)
		}
	})
}

// TestHTTPInFlight: requests waiting for a response are bounded; the
// context ends a wait; Close ends the requests.
func TestHTTPInFlight(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	s := NewState(Config{HTTPClient: srv.Client(), AllowHTTP: allowAll})
	var futs []cabi.Value
	for i := 0; i < MaxHTTPInFlight; i++ {
		futs = append(futs, okOf(t, hmust(t, s, ifHandler, "handle", newRequest(t, s, 0, srv.URL, nil), cabi.None())))
	}
	if c := caseOf(t, hmust(t, s, ifHandler, "handle", newRequest(t, s, 0, srv.URL, nil), cabi.None())); c != ecConnectionLimit {
		t.Errorf("request past the limit: case %d, want connection-limit-reached", c)
	}
	if r := hmust(t, s, ifHTTP, "[method]future-incoming-response.get", futs[0]); r != cabi.None() {
		t.Errorf("get before the response = %#v, want none", r)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := await(t, ctx, s, futs[0]); err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Errorf("wait past the context: %v, want interrupted", err)
	}
	// Dropping a future ends its request.
	if err := s.drop(uint32(futs[1].(cabi.Handle)), "future-incoming-response"); err != nil {
		t.Fatal(err)
	}
	waitInFlight(t, s, MaxHTTPInFlight-1, "a future was dropped")
	s.Close()
	waitInFlight(t, s, 0, "Close")
}

func waitInFlight(t *testing.T, s *State, want int, after string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s.mu.Lock()
		n := s.inFlight
		s.mu.Unlock()
		if n == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d requests in flight after %s, want %d", n, after, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestHTTPCheck: a component importing wasi:http passes Check when its
// functions are those served.
func TestHTTPCheck(t *testing.T) {
	for _, name := range []string{ifHTTP, ifHandler} {
		ifc, ok, err := lookup(name + "@0.2.10")
		if err != nil || !ok || ifc != served[name] {
			t.Errorf("lookup(%s) = %v, %v", name, ok, err)
		}
	}
	if _, _, err := lookup("wasi:http/incoming-handler@0.2.10"); err == nil {
		t.Error("incoming-handler is served")
	}
}
