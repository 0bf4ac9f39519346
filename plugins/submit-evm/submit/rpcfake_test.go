package submit_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/plugins/submit-evm/submit"
	"github.com/wavs-go/wavs/sdk"
)

// TestScanOfAnEndpointThatLies: an endpoint whose blocks never form one
// chain with the head it names, and whose head jumps by 2^40 blocks when
// read again, makes a scan fail as unavailable, at once and without
// reading the blocks between: it cannot make the plugin read without
// bound or hang.
func TestScanOfAnEndpointThatLies(t *testing.T) {
	var latest, blocks atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		type call struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
			Params []any           `json:"params"`
		}
		answer := func(c call) string {
			switch c.Method {
			case "eth_chainId":
				return `"0x7a69"`
			case "eth_getBlockByNumber":
				n := uint64(100)
				if tag, _ := c.Params[0].(string); tag == "latest" {
					if latest.Add(1) > 1 {
						n = 1 << 40
					}
				} else {
					blocks.Add(1)
					fmt.Sscanf(tag, "0x%x", &n)
				}
				// Each block's parent is a hash no block has.
				return fmt.Sprintf(`{"number":"0x%x","hash":"0x%064x","parentHash":"0x%064x","transactions":[]}`, n, n+1, n+1<<32)
			}
			return "null"
		}
		if strings.HasPrefix(strings.TrimSpace(string(body)), "[") {
			var calls []call
			json.Unmarshal(body, &calls)
			parts := make([]string, len(calls))
			for i, c := range calls {
				parts[i] = fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"result":%s}`, c.ID, answer(c))
			}
			fmt.Fprint(w, "["+strings.Join(parts, ",")+"]")
			return
		}
		var c call
		json.Unmarshal(body, &c)
		fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%s,"result":%s}`, c.ID, answer(c))
	}))
	defer srv.Close()

	p := submit.New(hclog.NewNullLogger())
	if err := p.Configure(ctxFor(t, 5*time.Second), sdk.ConfigureRequest{DataDir: t.TempDir(), Config: config(31337, srv.URL, "")}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	l, err := p.FindLanding(ctxFor(t, 10*time.Second), sdk.LandingQuery{Chain: chainKey, Handler: "0x0000000000000000000000000000000000000001", EventID: [20]byte{1}, FromBlock: 90})
	if err == nil || !strings.Contains(err.Error(), "the head moved to 1099511627776") {
		t.Fatalf("FindLanding = %+v, %v; want unavailable, the head having moved", l, err)
	}
	if n := blocks.Load(); n > 11 || time.Since(start) > 5*time.Second {
		t.Errorf("the scan read %d blocks in %v; want the 11 from 90 to 100 once", n, time.Since(start))
	}
}
