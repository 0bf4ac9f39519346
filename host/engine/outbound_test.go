package engine_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/wavs-go/wavs/host/engine"
	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/internal/netguard"
)

// allowLoopback is a guard that lets tests reach their servers on
// 127.0.0.1, as an operator would with outbound_allow = ["127.0.0.0/8"].
func allowLoopback(tb testing.TB) *netguard.Guard {
	tb.Helper()
	allow, err := netguard.ParseAllow("outbound_allow", []string{"127.0.0.0/8"})
	if err != nil {
		tb.Fatal(err)
	}
	return netguard.New(netguard.Options{Allow: allow})
}

// A workflow allowed "all" hosts, or 127.0.0.1 by name, still cannot reach
// loopback (the node's own API among others) unless the operator allows
// the range; a name resolving to loopback is refused at dial time.
func TestHTTPFetchRefusesSpecialAddresses(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	_, portStr, _ := net.SplitHostPort(srv.Listener.Addr().String())
	port, _ := strconv.Atoi(portStr)
	allow, _ := netguard.ParseAllow("outbound_allow", []string{"127.0.0.0/8"})

	tests := []struct {
		name   string
		guard  *netguard.Guard // nil: the engine's default
		host   string
		policy service.HostPolicy
		ok     bool
	}{
		{"default guard, all hosts", nil, "127.0.0.1", service.AllowAllHosts(), false},
		{"default guard, only 127.0.0.1", nil, "127.0.0.1", service.AllowOnlyHosts("127.0.0.1"), false},
		{"default guard, a name resolving to loopback", nil, "localhost", service.AllowOnlyHosts("localhost"), false},
		{"loopback allowed", netguard.New(netguard.Options{Allow: allow}), "127.0.0.1", service.AllowAllHosts(), true},
		{"the node's API port, even when allowed", netguard.New(netguard.Options{Allow: allow, SelfPort: uint16(port)}), "127.0.0.1", service.AllowAllHosts(), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEngine(t, engine.Options{Outbound: tt.guard})
			d := add(t, e, "http-fetch")
			r := rawRequest(d, "")
			r.Config = map[string]string{"url": "http://" + net.JoinHostPort(tt.host, portStr) + "/"}
			r.HTTP = tt.policy
			before := hits.Load()
			resps, err := e.Execute(context.Background(), r)
			if tt.ok {
				if err != nil || string(resps[0].Payload) != "ok" {
					t.Fatalf("got %v, %v", resps, err)
				}
				return
			}
			wantCause(t, err, engine.CauseDeniedHost, "refused")
			if hits.Load() != before {
				t.Error("the server was reached")
			}
		})
	}
}
