package submit_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/wavs-go/wavs/contracts/anviltest"
	"github.com/wavs-go/wavs/plugins/submit-evm/submit"
	"github.com/wavs-go/wavs/sdk"
)

// TestWebSocketEndpoint: a chain with only ws_endpoints is dialled there.
func TestWebSocketEndpoint(t *testing.T) {
	t.Setenv(submit.EnvCredential, "") // hermetic: reads need no paying key
	ch := anviltest.Start(t)
	cfg := fmt.Sprintf(`{"chains":{"evm":{"31337":{"ws_endpoints":[%q]}}}}`, ch.WSURL)
	p := connect(t, []byte(cfg))
	if _, err := p.LatestBlock(ctxFor(t, 10*time.Second), chainKey); err != nil {
		t.Fatalf("LatestBlock over ws: %v", err)
	}
	if h := p.Health(ctxFor(t, 10*time.Second)); !h.Healthy {
		t.Errorf("Health = %+v", h)
	}
}

// TestConfirmations: Submit returns only once the receipt's block has the
// configured number of blocks on top.
func TestConfirmations(t *testing.T) {
	f := setup(t, 1)
	ctx := ctxFor(t, 30*time.Second)
	p := connect(t, config(anviltest.ChainID, f.chain.HTTPURL, `{"confirmations":3,"receipt_poll_ms":20}`))
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
				_ = f.chain.Mine(ctx, 1)
			}
		}
	})
	defer func() { close(stop); wg.Wait() }()
	r, err := p.Submit(ctx, f.submission(t, envelope(t, "deep"), f.keys...))
	if err != nil {
		t.Fatal(err)
	}
	if h := f.head(t); h < r.BlockNumber+3 {
		t.Errorf("Submit returned at head %d for a receipt in block %d, want 3 confirmations", h, r.BlockNumber)
	}
}

// TestNotMinedInTime: a transaction that is not mined within
// receipt_timeout_seconds is sdk.ErrUnavailable naming it, and is not sent
// again.
func TestNotMinedInTime(t *testing.T) {
	f := setup(t, 1)
	ctx := ctxFor(t, 30*time.Second)
	p := connect(t, config(anviltest.ChainID, f.chain.HTTPURL, `{"receipt_timeout_seconds":1,"receipt_poll_ms":50}`))
	if err := f.chain.RPC.CallContext(ctx, nil, "evm_setAutomine", false); err != nil {
		t.Fatal(err)
	}
	nonce := f.payerNonce(t)
	_, err := p.Submit(ctx, f.submission(t, envelope(t, "stuck"), f.keys...))
	if !errors.Is(err, sdk.ErrUnavailable) || !strings.Contains(err.Error(), "transaction 0x") || !strings.Contains(err.Error(), "within 1s") {
		t.Errorf("Submit without mining = %v, want sdk.ErrUnavailable naming the transaction", err)
	}
	if after := f.payerNonce(t); after != nonce+1 {
		t.Errorf("pending nonce went from %d to %d, want one transaction", nonce, after)
	}
}

// TestMinedButFailed: two Submits of one envelope, both estimated before
// either is sent and then mined in one block: one lands, the other's
// receipt fails and its error names the transaction. (The chain estimates
// against its pending block: a Submit estimated after the other was sent
// would find the event handled, a different case.)
func TestMinedButFailed(t *testing.T) {
	f := setup(t, 1)
	ctx := ctxFor(t, 30*time.Second)
	if err := f.chain.RPC.CallContext(ctx, nil, "evm_setAutomine", false); err != nil {
		t.Fatal(err)
	}
	p := connect(t, config(anviltest.ChainID, estimatesFirst(t, f.chain.HTTPURL, 2), ""))
	sub := f.submission(t, envelope(t, "twice"), f.keys...)
	type result struct {
		r   sdk.Receipt
		err error
	}
	results := make(chan result, 2)
	for range 2 {
		go func() {
			r, err := p.Submit(ctx, sub)
			results <- result{r, err}
		}()
	}
	// Mine once both are in the pool (or after a while, if the second
	// never sends).
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		var st struct {
			Pending hexutil.Uint64 `json:"pending"`
		}
		if err := f.chain.RPC.CallContext(ctx, &st, "txpool_status"); err != nil {
			t.Fatal(err)
		}
		if st.Pending >= 2 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := f.chain.Mine(ctx, 1); err != nil {
		t.Fatal(err)
	}
	var landed, failed, already int
	for range 2 {
		res := <-results
		switch {
		case res.err == nil && res.r.AlreadyHandled:
			already++
		case res.err == nil:
			landed++
		case strings.Contains(res.err.Error(), "but failed") && strings.Contains(res.err.Error(), "transaction 0x"):
			failed++
		default:
			t.Errorf("Submit: %v", res.err)
		}
	}
	if landed != 1 || failed != 1 {
		t.Errorf("landed %d, failed %d, already handled %d; want 1 landed and 1 failed", landed, failed, already)
	}
}

// estimatesFirst starts a JSON-RPC proxy to upstream that holds every
// eth_sendRawTransaction until n eth_estimateGas calls have been
// answered, or 10 s have passed, and returns its URL.
func estimatesFirst(t *testing.T, upstream string, n int32) string {
	t.Helper()
	var (
		estimated atomic.Int32
		once      sync.Once
		all       = make(chan struct{})
	)
	hold := func(_ http.ResponseWriter, r *http.Request, c anviltest.Call) bool {
		if c.Method != "eth_sendRawTransaction" {
			return false
		}
		select {
		case <-all:
			return false
		case <-time.After(10 * time.Second):
			return false
		case <-r.Context().Done():
			return true
		}
	}
	count := func(c anviltest.Call) {
		if c.Method == "eth_estimateGas" && estimated.Add(1) == n {
			once.Do(func() { close(all) })
		}
	}
	return anviltest.Proxy(t, upstream, hold, count)
}
