package evmchain

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestDialKeepsConnections: calls made 16 at a time, round after round,
// reuse their connections instead of dialling one per call (net/http's
// default keeps only 2 idle per host, and the chain pays a handshake for
// every other call).
func TestDialKeepsConnections(t *testing.T) {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		time.Sleep(2 * time.Millisecond) // keep the calls in flight together
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"jsonrpc":"2.0","id":1,"result":"0x7a69"}`)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := Dial(ctx, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	const parallel, rounds = 16, 20
	for range rounds {
		var wg sync.WaitGroup
		for range parallel {
			wg.Go(func() {
				var id string
				if err := c.CallContext(ctx, &id, "eth_chainId"); err != nil || id != "0x7a69" {
					t.Errorf("eth_chainId: %q, %v", id, err)
				}
			})
		}
		wg.Wait()
	}
	if n := conns.Load(); n > parallel {
		t.Errorf("%d calls, %d at a time, opened %d connections; want at most %d", parallel*rounds, parallel, n, parallel)
	}
}
