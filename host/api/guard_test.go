package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/wavs-go/wavs/host/registry"
	"github.com/wavs-go/wavs/host/store"
	"github.com/wavs-go/wavs/sdk"
)

// fakeServices is a Services that records what reached it.
type fakeServices struct {
	mu      sync.Mutex
	calls   []string
	queries []store.ResultsQuery
	page    registry.ResultsPage
}

func (f *fakeServices) record(c string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c)
}

func (f *fakeServices) AddComponent(context.Context, []byte) (string, error) {
	f.record("add component")
	return "digest", nil
}
func (f *fakeServices) Add(context.Context, []byte) (registry.Info, error) {
	f.record("add")
	return registry.Info{ID: "id"}, nil
}
func (f *fakeServices) AddByManager(context.Context, string, string) (registry.Info, error) {
	f.record("add by manager")
	return registry.Info{ID: "id"}, nil
}
func (f *fakeServices) List(context.Context) ([]registry.Info, error) {
	f.record("list")
	return []registry.Info{}, nil
}
func (f *fakeServices) Get(_ context.Context, id string) (registry.Info, error) {
	f.record("get")
	return registry.Info{ID: id}, nil
}
func (f *fakeServices) Remove(context.Context, string) error {
	f.record("remove")
	return nil
}
func (f *fakeServices) RemoveComponent(_ context.Context, digest string) error {
	f.record("remove-component")
	if digest == "used" {
		return fmt.Errorf("%w: by service s", registry.ErrInUse)
	}
	return nil
}
func (f *fakeServices) Reset(_ context.Context, id string) (registry.Info, error) {
	f.record("reset")
	return registry.Info{}, nil
}
func (f *fakeServices) ResultsPage(_ context.Context, id string, q store.ResultsQuery) (registry.ResultsPage, error) {
	f.record("results")
	f.mu.Lock()
	f.queries = append(f.queries, q)
	f.mu.Unlock()
	if q.Cursor == "bad" {
		return registry.ResultsPage{}, fmt.Errorf("%w: cursor", sdk.ErrInvalidArgument)
	}
	return f.page, nil
}

// servicesBackend is the fake node with a service registry.
type servicesBackend struct {
	*fakeBackend
	svc *fakeServices
}

func (b servicesBackend) Services() Services { return b.svc }

func newServicesBackend() servicesBackend {
	return servicesBackend{fakeBackend: newFake(), svc: &fakeServices{}}
}

type req struct {
	method, path, host, token, ctype, origin, site, body string
}

func do(h http.Handler, r req) *httptest.ResponseRecorder {
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	hr := httptest.NewRequest(r.method, r.path, body)
	switch r.host {
	case "":
		hr.Host = "127.0.0.1:8000"
	case "-":
		hr.Host = ""
	default:
		hr.Host = r.host
	}
	if r.token != "" {
		hr.Header.Set("Authorization", "Bearer "+r.token)
	}
	if r.ctype != "" {
		hr.Header.Set("Content-Type", r.ctype)
	}
	if r.origin != "" {
		hr.Header.Set("Origin", r.origin)
	}
	if r.site != "" {
		hr.Header.Set("Sec-Fetch-Site", r.site)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, hr)
	return rec
}

// TestMutationsRefusedCrossOrigin: what a page of another origin can send
// (a form post, a no-cors fetch with a simple content type, any request
// carrying its Origin) changes nothing, even with the right token.
func TestMutationsRefusedCrossOrigin(t *testing.T) {
	const host = "127.0.0.1:8000"
	b := newServicesBackend()
	h := New(b, Options{BearerToken: "tok", AllowedHosts: []string{host}})
	svcJSON := `{"name":"x","workflows":{}}`
	cases := []struct {
		name string
		r    req
		code int
	}{
		{"form post", req{method: "POST", path: "/services", ctype: "application/x-www-form-urlencoded", body: "a=b", token: "tok"}, 415},
		{"text/plain fetch", req{method: "POST", path: "/services", ctype: "text/plain", body: svcJSON, token: "tok"}, 415},
		{"multipart", req{method: "POST", path: "/services", ctype: "multipart/form-data; boundary=x", body: "--x--", token: "tok"}, 415},
		{"no content type", req{method: "POST", path: "/plugins/transport-none/restart", token: "tok"}, 415},
		{"other origin", req{method: "POST", path: "/services", ctype: "application/json", body: svcJSON, token: "tok", origin: "http://127.0.0.1:9999"}, 403},
		{"null origin", req{method: "POST", path: "/plugins/transport-none/restart", ctype: "application/json", token: "tok", origin: "null"}, 403},
		{"same-site fetch", req{method: "DELETE", path: "/services/x", token: "tok", site: "same-site"}, 403},
		{"cross-site fetch", req{method: "POST", path: "/plugins/transport-none/restart", ctype: "application/json", token: "tok", site: "cross-site"}, 403},
		{"no token", req{method: "POST", path: "/services", ctype: "application/json", body: svcJSON}, 401},
		{"component as text", req{method: "POST", path: "/components", ctype: "text/plain", body: "wasm", token: "tok"}, 415},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if rec := do(h, c.r); rec.Code != c.code {
				t.Errorf("%s %s = %d %s, want %d", c.r.method, c.r.path, rec.Code, rec.Body, c.code)
			}
		})
	}
	if len(b.svc.calls) != 0 || len(b.restarted) != 0 {
		t.Errorf("refused calls reached the node: services %v, restarts %v", b.svc.calls, b.restarted)
	}

	// The node's own pages, the CLI and curl are answered.
	ok := []req{
		{method: "POST", path: "/services", ctype: "application/json; charset=utf-8", body: svcJSON, token: "tok", origin: "http://" + host, site: "same-origin"},
		{method: "POST", path: "/components", ctype: "application/wasm", body: "wasm", token: "tok"},
		{method: "POST", path: "/plugins/transport-none/restart", ctype: "application/json", token: "tok"},
		{method: "DELETE", path: "/services/x", token: "tok"},
	}
	for _, r := range ok {
		if rec := do(h, r); rec.Code/100 != 2 {
			t.Errorf("%s %s = %d %s, want 2xx", r.method, r.path, rec.Code, rec.Body)
		}
	}
}

// TestNoTokenNoMutations: a node without a token refuses every change.
func TestNoTokenNoMutations(t *testing.T) {
	b := newServicesBackend()
	h := New(b, Options{})
	for _, r := range []req{
		{method: "POST", path: "/services", ctype: "application/json", body: "{}"},
		{method: "POST", path: "/services", ctype: "application/json", body: "{}", token: "anything"},
		{method: "DELETE", path: "/services/x"},
		{method: "POST", path: "/plugins/transport-none/restart", ctype: "application/json"},
	} {
		if rec := do(h, r); rec.Code != 401 {
			t.Errorf("%s %s with token %q = %d, want 401", r.method, r.path, r.token, rec.Code)
		}
	}
	if len(b.svc.calls) != 0 || len(b.restarted) != 0 {
		t.Errorf("calls reached the node: %v %v", b.svc.calls, b.restarted)
	}
}

// TestHostChecked: a Host the node is not bound as (a DNS-rebinding
// page's name) gets 421 on every route, reads included.
func TestHostChecked(t *testing.T) {
	h := New(newServicesBackend(), Options{
		BearerToken: "tok", PublicReads: true,
		AllowedHosts: []string{"127.0.0.1:8000", "localhost:8000", "[::1]:8000", "wavs.example.com"},
	})
	cases := []struct {
		host string
		code int
	}{
		{"127.0.0.1:8000", 200},
		{"localhost:8000", 200},
		{"LOCALHOST:8000", 200},
		{"[::1]:8000", 200},
		{"wavs.example.com", 200},
		{"wavs.example.com:443", 200},
		{"attacker.example:8000", 421},
		{"127.0.0.1:8001", 421},
		{"localhost", 421},
		{"192.0.2.1:8000", 421},
		{"-", 421}, // no Host at all
	}
	for _, c := range cases {
		for _, path := range []string{"/services", "/info", "/"} {
			rec := do(h, req{method: "GET", path: path, host: c.host})
			if rec.Code != c.code {
				t.Errorf("GET %s with Host %q = %d, want %d", path, c.host, rec.Code, c.code)
			}
		}
	}

	// Listening on every interface: any IP address on the port, still no
	// names but the allowed ones.
	h = New(newServicesBackend(), Options{BearerToken: "tok", PublicReads: true, AllowedHosts: []string{"localhost:8000"}, AnyIPOnPort: 8000})
	for host, code := range map[string]int{"192.0.2.1:8000": 200, "[2001:db8::1]:8000": 200, "192.0.2.1:8001": 421, "rebind.example:8000": 421} {
		if rec := do(h, req{method: "GET", path: "/info", host: host}); rec.Code != code {
			t.Errorf("every interface: Host %q = %d, want %d", host, rec.Code, code)
		}
	}
}

func TestPublicReads(t *testing.T) {
	for _, public := range []bool{true, false} {
		b := newServicesBackend()
		h := New(b, Options{BearerToken: "tok", PublicReads: public})
		for _, path := range []string{"/services", "/services/x", "/services/x/results", "/aggregator"} {
			want := 200
			if !public {
				want = 401
			}
			if rec := do(h, req{method: "GET", path: path}); rec.Code != want {
				t.Errorf("public_reads=%v: GET %s without token = %d, want %d", public, path, rec.Code, want)
			}
			if rec := do(h, req{method: "GET", path: path, token: "tok"}); rec.Code != 200 {
				t.Errorf("public_reads=%v: GET %s with token = %d, want 200", public, path, rec.Code)
			}
		}
		// The health and status endpoints stay public.
		if rec := do(h, req{method: "GET", path: "/health"}); rec.Code != 200 {
			t.Errorf("public_reads=%v: GET /health = %d", public, rec.Code)
		}
	}
}

func TestResultsQuery(t *testing.T) {
	b := newServicesBackend()
	b.svc.page = registry.ResultsPage{Results: []registry.Result{{EventID: "0x01"}}, NextCursor: "abcd"}
	h := New(b, Options{BearerToken: "tok", PublicReads: true})
	cases := []struct {
		query string
		code  int
		want  store.ResultsQuery
	}{
		{"", 200, store.ResultsQuery{Limit: 100, MaxBytes: maxResultsBytes}},
		{"?limit=1000&cursor=c1&payloads=true", 200, store.ResultsQuery{Limit: 1000, Cursor: "c1", MaxBytes: maxResultsBytes, WithPayload: true}},
		{"?limit=10000", 400, store.ResultsQuery{}},
		{"?limit=0", 400, store.ResultsQuery{}},
		{"?payloads=maybe", 400, store.ResultsQuery{}},
		{"?cursor=bad", 400, store.ResultsQuery{Limit: 100, MaxBytes: maxResultsBytes, Cursor: "bad"}},
	}
	for _, c := range cases {
		b.svc.queries = nil
		rec := do(h, req{method: "GET", path: "/services/x/results" + c.query})
		if rec.Code != c.code {
			t.Errorf("results%s = %d %s, want %d", c.query, rec.Code, rec.Body, c.code)
			continue
		}
		if c.want.Limit != 0 && (len(b.svc.queries) != 1 || b.svc.queries[0] != c.want) {
			t.Errorf("results%s asked %+v, want %+v", c.query, b.svc.queries, c.want)
		}
		if c.code == 200 {
			var page struct {
				Results    []json.RawMessage `json:"results"`
				NextCursor string            `json:"next_cursor"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil || len(page.Results) != 1 || page.NextCursor != "abcd" {
				t.Errorf("results%s body %s: %v", c.query, rec.Body, err)
			}
		}
	}
}

func TestConflictCodes(t *testing.T) {
	for _, err := range []error{fmt.Errorf("x: %w", registry.ErrExists), fmt.Errorf("x: %w", registry.ErrBusy)} {
		if got := statusFor(err); got != http.StatusConflict {
			t.Errorf("statusFor(%v) = %d, want 409", err, got)
		}
	}
	if statusFor(errors.New("x")) != 500 {
		t.Error("other errors are not 500")
	}
}

// TestComponentRemovalAndReset: DELETE /components/{digest} and POST
// /services/{id}/reset are changes like any other, and a component in use
// is a conflict.
func TestComponentRemovalAndReset(t *testing.T) {
	b := newServicesBackend()
	h := New(b, Options{BearerToken: "tok", AllowedHosts: []string{"127.0.0.1:8000"}})
	cases := []struct {
		name string
		r    req
		code int
	}{
		{"remove", req{method: "DELETE", path: "/components/abc", token: "tok"}, 200},
		{"remove one in use", req{method: "DELETE", path: "/components/used", token: "tok"}, 409},
		{"remove without token", req{method: "DELETE", path: "/components/abc"}, 401},
		{"remove cross-site", req{method: "DELETE", path: "/components/abc", token: "tok", site: "cross-site"}, 403},
		{"reset", req{method: "POST", path: "/services/s/reset", ctype: "application/json", token: "tok"}, 200},
		{"reset as a form", req{method: "POST", path: "/services/s/reset", ctype: "application/x-www-form-urlencoded", token: "tok"}, 415},
		{"reset without token", req{method: "POST", path: "/services/s/reset", ctype: "application/json"}, 401},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if rec := do(h, c.r); rec.Code != c.code {
				t.Errorf("%s %s = %d %s, want %d", c.r.method, c.r.path, rec.Code, rec.Body, c.code)
			}
		})
	}
	if want := []string{"remove-component", "remove-component", "reset"}; !slices.Equal(b.svc.calls, want) {
		t.Errorf("calls %v, want %v", b.svc.calls, want)
	}
}
