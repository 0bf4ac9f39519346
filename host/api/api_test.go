package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/wavs-go/wavs/host/aggregator"
	"github.com/wavs-go/wavs/host/plugins"
	"github.com/wavs-go/wavs/sdk"
)

// fakeBackend is a Backend made of funcs.
type fakeBackend struct {
	plugins   []plugins.Status
	status    func(context.Context) (sdk.TransportStatus, error)
	restart   func(string) error
	operator  string
	restarted []string
}

func (f *fakeBackend) Version() string           { return "test" }
func (f *fakeBackend) OperatorAddress() string   { return f.operator }
func (f *fakeBackend) Plugins() []plugins.Status { return f.plugins }
func (f *fakeBackend) TransportStatus(ctx context.Context) (sdk.TransportStatus, error) {
	return f.status(ctx)
}
func (f *fakeBackend) Services() Services           { return nil }
func (f *fakeBackend) MetricsHandler() http.Handler { return nil }
func (f *fakeBackend) AggregatorStatus(context.Context) (aggregator.Status, error) {
	return aggregator.Status{AggregatorStats: aggregator.Stats{Mode: "single-operator", Rejected: map[string]uint64{"malformed": 2}}}, nil
}
func (f *fakeBackend) DropPending(_ context.Context, id string) error {
	if id != "0x"+strings.Repeat("ab", 20) {
		return fmt.Errorf("%w: no pending submission of event %s", sdk.ErrNotFound, id)
	}
	return nil
}
func (f *fakeBackend) RestartPlugin(name string) error {
	f.restarted = append(f.restarted, name)
	return f.restart(name)
}

func newFake() *fakeBackend {
	return &fakeBackend{
		plugins: []plugins.Status{{Name: "transport-none", Kind: sdk.KindTransport, State: plugins.StateRunning, Healthy: true}},
		status: func(context.Context) (sdk.TransportStatus, error) {
			return sdk.TransportStatus{Enabled: true, LocalPeerID: "12D3", PeerIDs: []string{"b", "a"}, SubscribedTopics: []string{"wavs/x/topic/v1"}, TopicPeerCounts: map[string]int{"wavs/x/topic/v1": 2}}, nil
		},
		restart: func(name string) error {
			if name != "transport-none" {
				return fmt.Errorf("%w: no plugin %q", sdk.ErrNotFound, name)
			}
			return nil
		},
	}
}

func call(t *testing.T, h http.Handler, method, path, token string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if method == "POST" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s %s: Content-Type %q", method, path, ct)
	}
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("%s %s: body %q: %v", method, path, rec.Body, err)
	}
	return rec.Code, body
}

func TestRoutes(t *testing.T) {
	f := newFake()
	h := New(f, Options{BearerToken: "tok"})
	cases := []struct {
		method, path, token string
		code                int
		field               string // a key the body must have
	}{
		{"GET", "/health", "", 200, "status"},
		{"HEAD", "/health", "", 200, ""},
		{"POST", "/health", "", 405, "error"},
		{"GET", "/info", "", 200, "plugins"},
		{"GET", "/p2p/status", "", 200, "topic_peer_counts"},
		{"GET", "/aggregator", "", 401, "error"}, // reads are not public here
		{"GET", "/aggregator", "tok", 200, "signatures_rejected"},
		{"POST", "/aggregator", "", 405, "error"},
		{"GET", "/nope", "", 404, "error"},
		{"POST", "/plugins/transport-none/restart", "", 401, "error"},
		{"POST", "/plugins/transport-none/restart", "bad", 401, "error"},
		{"POST", "/plugins/transport-none/restart", "tok", 202, "status"},
		{"POST", "/plugins/other/restart", "tok", 404, "error"},
		{"GET", "/plugins/transport-none/restart", "tok", 405, "error"},
		// Dropping a pending submission: the operator's call only.
		{"DELETE", "/aggregator/pending/0x" + strings.Repeat("ab", 20), "", 401, "error"},
		{"DELETE", "/aggregator/pending/0x" + strings.Repeat("ab", 20), "tok", 200, "dropped"},
		{"DELETE", "/aggregator/pending/0x" + strings.Repeat("cd", 20), "tok", 404, "error"},
		{"GET", "/aggregator/pending/0x" + strings.Repeat("ab", 20), "tok", 405, "error"},
		// Service calls that change the node need the token too; with it,
		// this fake node is still starting.
		{"POST", "/components", "", 415, "error"}, // JSON is not a component

		{"POST", "/services", "", 401, "error"},
		{"DELETE", "/services/abc", "", 401, "error"},
		{"POST", "/services", "tok", 503, "error"},
		{"GET", "/services", "", 401, "error"}, // reads are not public here
		{"GET", "/services", "tok", 503, "error"},
		{"PUT", "/services", "tok", 405, "error"},
	}
	for _, c := range cases {
		t.Run(c.method+" "+c.path+" "+c.token, func(t *testing.T) {
			if c.method == "HEAD" {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest("HEAD", c.path, nil))
				if rec.Code != c.code {
					t.Errorf("code = %d, want %d", rec.Code, c.code)
				}
				return
			}
			code, body := call(t, h, c.method, c.path, c.token)
			if code != c.code {
				t.Errorf("code = %d, want %d (%v)", code, c.code, body)
			}
			if _, ok := body[c.field]; !ok {
				t.Errorf("body %v has no %q", body, c.field)
			}
		})
	}
	if strings.Join(f.restarted, ",") != "transport-none,other" {
		t.Errorf("restarts = %v: a call without the token reached the backend", f.restarted)
	}
}

func TestP2PStatusShape(t *testing.T) {
	f := newFake()
	_, body := call(t, New(f, Options{}), "GET", "/p2p/status", "")
	want := map[string]any{
		"enabled": true, "local_peer_id": "12D3", "connected_peers": 2.0,
		"peer_ids": []any{"a", "b"}, "listen_addresses": []any{}, "external_addresses": []any{},
		"subscribed_topics": []any{"wavs/x/topic/v1"}, "topic_peer_counts": map[string]any{"wavs/x/topic/v1": 2.0},
		"peer_scores": []any{}, "graylisted_peers": 0.0,
	}
	got, _ := json.Marshal(body)
	exp, _ := json.Marshal(want)
	if string(got) != string(exp) {
		t.Errorf("/p2p/status = %s\nwant %s", got, exp)
	}

	f.status = func(context.Context) (sdk.TransportStatus, error) {
		return sdk.TransportStatus{}, fmt.Errorf("plugin transport-none is restarting: %w", sdk.ErrUnavailable)
	}
	if code, body := call(t, New(f, Options{}), "GET", "/p2p/status", ""); code != 503 || !strings.Contains(fmt.Sprint(body["error"]), "restarting") {
		t.Errorf("while restarting: %d %v, want 503 saying why", code, body)
	}
}

func TestHealthDegraded(t *testing.T) {
	f := newFake()
	f.plugins = append(f.plugins, plugins.Status{Name: "trigger-x", State: plugins.StateRestarting, Message: "plugin process exited"})
	code, body := call(t, New(f, Options{}), "GET", "/health", "")
	if code != 503 || body["status"] != "degraded" || !strings.Contains(fmt.Sprint(body["problems"]), "trigger-x: restarting: plugin process exited") {
		t.Errorf("/health = %d %v", code, body)
	}
}

func TestPanicBecomes500(t *testing.T) {
	f := newFake()
	f.status = func(context.Context) (sdk.TransportStatus, error) { panic("boom") }
	code, body := call(t, New(f, Options{}), "GET", "/p2p/status", "")
	if code != 500 || body["error"] != "internal error" {
		t.Errorf("= %d %v", code, body)
	}
}

func TestStatusFor(t *testing.T) {
	cases := map[error]int{
		fmt.Errorf("x: %w", sdk.ErrInvalidArgument): 400,
		fmt.Errorf("x: %w", sdk.ErrNotFound):        404,
		fmt.Errorf("x: %w", sdk.ErrUnavailable):     503,
		context.DeadlineExceeded:                    503,
		errors.New("other"):                         500,
	}
	for err, want := range cases {
		if got := statusFor(err); got != want {
			t.Errorf("statusFor(%v) = %d, want %d", err, got, want)
		}
	}
}
