package watch

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wavs-go/wavs/contracts/anviltest"
)

// rangeLimiter is an http JSON-RPC proxy to upstream that refuses
// eth_getLogs over more than max blocks, as many providers do.
func rangeLimiter(t *testing.T, upstream string, max uint64, refused *atomic.Int64) string {
	t.Helper()
	return anviltest.Proxy(t, upstream, func(w http.ResponseWriter, _ *http.Request, c anviltest.Call) bool {
		var params []struct {
			FromBlock string `json:"fromBlock"`
			ToBlock   string `json:"toBlock"`
		}
		if c.Method != "eth_getLogs" || json.Unmarshal(c.Params, &params) != nil || len(params) != 1 {
			return false
		}
		from, err1 := strconv.ParseUint(params[0].FromBlock, 0, 64)
		to, err2 := strconv.ParseUint(params[0].ToBlock, 0, 64)
		if err1 != nil || err2 != nil || to-from+1 <= max {
			return false
		}
		refused.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%s,"error":{"code":-32005,"message":"block range too large"}}`, c.ID)
		return true
	}, nil)
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
