package engine

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/internal/netguard"
)

// TestHTTPComponent runs http-js (componentize-js, fetch() over
// wasi:http/outgoing-handler) against a local server: the payload is the
// body when the workflow's policy and the outbound guard allow the host,
// and the error text otherwise, with the host's reason in the log.
func TestHTTPComponent(t *testing.T) {
	wasm := wavsComponent(t, "http-js")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("x-wavs-test") != "http-js" {
			http.Error(w, "missing x-wavs-test header", http.StatusBadRequest)
			return
		}
		_, _ = w.Write([]byte("hello " + r.URL.Path))
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	loopback := netguard.New(netguard.Options{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}})

	tests := []struct {
		name      string
		guard     *netguard.Guard // nil: the default guard
		policy    service.HostPolicy
		url       string
		want      string // the payload, or a prefix of it
		logHas    string
		isErrText bool
	}{
		{"allowed host", loopback, service.AllowOnlyHosts(u.Hostname()), srv.URL + "/x", "hello /x", "status 200", false},
		{"no host allowed", loopback, service.AllowNoHosts(), srv.URL + "/x", "http-js: error:", "HTTP-request-denied", true},
		{"another host allowed", loopback, service.AllowOnlyHosts("example.com"), srv.URL + "/x", "http-js: error:", `host "127.0.0.1" is not allowed`, true},
		{"loopback refused by the guard", nil, service.AllowAllHosts(), srv.URL + "/x", "http-js: error:", "destination-IP-prohibited", true},
	}
	// One engine per guard: compiling the component is the slow part.
	type eng struct {
		e      *Engine
		digest string
		logs   *syncBuf
	}
	ctx := context.Background()
	engines := map[*netguard.Guard]*eng{}
	engineFor := func(st *testing.T, g *netguard.Guard) *eng {
		if x := engines[g]; x != nil {
			return x
		}
		logs := &syncBuf{}
		e, err := New(ctx, Options{
			MaxConcurrent: 1, Outbound: g,
			Logger: hclog.New(&hclog.LoggerOptions{Output: logs, Level: hclog.Debug}),
		})
		if err != nil {
			st.Fatal(err)
		}
		t.Cleanup(func() { e.Close(ctx) }) // the parent test's t
		digest, err := e.AddComponent(ctx, wasm)
		if err != nil {
			st.Fatalf("AddComponent: %v", err)
		}
		engines[g] = &eng{e, digest, logs}
		return engines[g]
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := engineFor(t, tt.guard)
			before := len(x.logs.String())
			cfg := map[string]string{"url": tt.url}
			resps, err := x.e.Execute(ctx, Request{
				Digest: x.digest, ServiceID: strings.Repeat("0", 64), WorkflowID: "default",
				Trigger: Trigger{Raw: []byte("go")}, Config: cfg, HTTP: tt.policy, TimeLimit: time.Minute,
			})
			logs := x.logs.String()[before:]
			if err != nil {
				t.Fatalf("Execute: %v\nlogs:\n%s", err, logs)
			}
			if len(resps) != 1 {
				t.Fatalf("%d responses, want 1", len(resps))
			}
			got := string(resps[0].Payload)
			if tt.isErrText && !strings.HasPrefix(got, tt.want) || !tt.isErrText && got != tt.want {
				t.Errorf("payload %q, want %q", got, tt.want)
			}
			if !strings.Contains(logs, tt.logHas) {
				t.Errorf("log lacks %q:\n%s", tt.logHas, logs)
			}
		})
	}
}
