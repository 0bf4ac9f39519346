package watch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// rangeLimiter is an http JSON-RPC proxy to upstream that refuses
// eth_getLogs over more than max blocks, as many providers do.
func rangeLimiter(t *testing.T, upstream string, max uint64, refused *atomic.Int64) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var req struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
			Params []struct {
				FromBlock string `json:"fromBlock"`
				ToBlock   string `json:"toBlock"`
			} `json:"params"`
		}
		if json.Unmarshal(body, &req) == nil && req.Method == "eth_getLogs" && len(req.Params) == 1 {
			from, err1 := strconv.ParseUint(req.Params[0].FromBlock, 0, 64)
			to, err2 := strconv.ParseUint(req.Params[0].ToBlock, 0, 64)
			if err1 == nil && err2 == nil && to-from+1 > max {
				refused.Add(1)
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%s,"error":{"code":-32005,"message":"block range too large"}}`, req.ID)
				return
			}
		}
		resp, err := http.Post(upstream, "application/json", bytes.NewReader(body))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestBackfillNarrowsRefusedRanges: a node that refuses wide eth_getLogs
// ranges gets narrower queries, and every event still arrives once.
func TestBackfillNarrowsRefusedRanges(t *testing.T) {
	f := newFixture(t)
	past := f.fire(t, 5)
	var refused atomic.Int64
	proxy := rangeLimiter(t, f.chain.HTTPURL, 2, &refused)
	cfg := json.RawMessage(fmt.Sprintf(`{"chains":{"evm":{"31337":{"http_endpoint":%q}}},"plugin":{"backfill_blocks_per_query":16,"confirmations":0}}`, proxy))
	w := newWatcher(t, cfg, nil)
	evs := collect(t, w)
	if err := w.AddTrigger(testCtx(t, 5*time.Second), f.spec("t", past[0].cursor)); err != nil {
		t.Fatal(err)
	}
	f.checkEvents(t, evs.wait(t, 4, 10*time.Second), past[1:])
	evs.quiet(t, 4, 300*time.Millisecond)
	if refused.Load() == 0 {
		t.Error("the proxy refused no query; the test proves nothing")
	}
}
