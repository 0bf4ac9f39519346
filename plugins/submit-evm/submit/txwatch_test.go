package submit_test

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/wavs-go/wavs/contracts/anviltest"
	"github.com/wavs-go/wavs/sdk"
)

// pool is the payer's transactions in anvil's pool, by nonce.
func (f *fixture) pool(t *testing.T) map[uint64]common.Hash {
	t.Helper()
	var content struct {
		Pending map[string]map[string]struct {
			Hash common.Hash `json:"hash"`
		} `json:"pending"`
		Queued map[string]map[string]struct {
			Hash common.Hash `json:"hash"`
		} `json:"queued"`
	}
	if err := f.chain.RPC.CallContext(ctxFor(t, 5*time.Second), &content, "txpool_content"); err != nil {
		t.Fatal(err)
	}
	out := map[uint64]common.Hash{}
	for _, part := range []map[string]map[string]struct {
		Hash common.Hash `json:"hash"`
	}{content.Pending, content.Queued} {
		for addr, byNonce := range part {
			if !strings.EqualFold(addr, f.payer.Hex()) {
				continue
			}
			for n, tx := range byNonce {
				v, err := hexutil.DecodeUint64(n)
				if err != nil {
					var d big.Int
					d.SetString(n, 10)
					v = d.Uint64()
				}
				out[v] = tx.Hash
			}
		}
	}
	return out
}

// waitPool waits until the payer has n transactions in the pool.
func (f *fixture) waitPool(t *testing.T, n int) map[uint64]common.Hash {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		p := f.pool(t)
		if len(p) >= n {
			return p
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d transactions in the pool, want %d", len(p), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (f *fixture) rpc(t *testing.T, method string, args ...any) {
	t.Helper()
	if err := f.chain.RPC.CallContext(ctxFor(t, 5*time.Second), nil, method, args...); err != nil {
		t.Fatalf("%s: %v", method, err)
	}
}

// submitAsync runs Submit in the background.
func submitAsync(p sdk.Submitter, sub sdk.Submission) <-chan struct {
	r   sdk.Receipt
	err error
} {
	out := make(chan struct {
		r   sdk.Receipt
		err error
	}, 1)
	go func() {
		r, err := p.Submit(context.Background(), sub)
		out <- struct {
			r   sdk.Receipt
			err error
		}{r, err}
	}()
	return out
}

// TestDroppedTransactionIsSentAgain: the node drops the pending
// transaction (as a reorg that took its block would); the plugin sends it
// again within seconds instead of waiting out receipt_timeout_seconds.
func TestDroppedTransactionIsSentAgain(t *testing.T) {
	f := setup(t, 1)
	p := connect(t, config(anviltest.ChainID, f.chain.HTTPURL, `{"receipt_poll_ms":50,"receipt_timeout_seconds":60}`))
	f.rpc(t, "evm_setAutomine", false)
	env := envelope(t, "dropped")
	done := submitAsync(p, f.submission(t, env, f.keys...))
	first := f.waitPool(t, 1)
	for _, h := range first {
		f.rpc(t, "anvil_dropTransaction", h)
	}
	start := time.Now()
	again := f.waitPool(t, 1)
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("sent again after %v", took)
	}
	for n, h := range again {
		if first[n] == h {
			t.Errorf("nonce %d: the same transaction is back, want a new version", n)
		}
	}
	f.rpc(t, "evm_mine")
	res := <-done
	if res.err != nil {
		t.Fatalf("Submit: %v", res.err)
	}
	if got := f.payloadOf(t, env.EventID); string(got) != "dropped" {
		t.Errorf("payload on chain = %q", got)
	}
}

// TestNonceGapIsFilled: a transaction below the plugin's pending one is
// dropped, which leaves it stuck behind a nonce nobody sends; the plugin
// fills the gap with a no-op and its transaction lands. The dropped one's
// own Submit reports that it cannot land any more, and nothing stale is
// left to be mined later.
func TestNonceGapIsFilled(t *testing.T) {
	f := setup(t, 1)
	// A node may keep the transaction above the gap queued even once the
	// gap is filled (anvil does): the replacement after a few seconds
	// puts it in the pending pool again.
	p := connect(t, config(anviltest.ChainID, f.chain.HTTPURL, `{"receipt_poll_ms":50,"receipt_timeout_seconds":60,"replace_after_seconds":2}`))
	f.rpc(t, "evm_setAutomine", false)
	envA, envB := envelope(t, "a"), envelope(t, "b")
	doneA := submitAsync(p, f.submission(t, envA, f.keys...))
	f.waitPool(t, 1)
	doneB := submitAsync(p, f.submission(t, envB, f.keys...))
	pool := f.waitPool(t, 2)
	low := uint64(1 << 62)
	for n := range pool {
		low = min(low, n)
	}
	f.rpc(t, "anvil_dropTransaction", pool[low])
	// The plugin of A sees its transaction gone and sends it again, or the
	// plugin of B fills the gap first; either way one transaction holds
	// the low nonce again within seconds.
	deadline := time.Now().Add(5 * time.Second)
	for {
		if h, ok := f.pool(t)[low]; ok && h != pool[low] {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("nonce %d is still empty", low)
		}
		time.Sleep(20 * time.Millisecond)
	}
	resB := f.mineUntil(t, doneB)
	if resB.err != nil {
		t.Fatalf("Submit B: %v", resB.err)
	}
	if got := f.payloadOf(t, envB.EventID); string(got) != "b" {
		t.Errorf("B's payload on chain = %q", got)
	}
	resA := f.mineUntil(t, doneA)
	switch {
	case resA.err == nil: // sent again before the gap was filled
		if got := f.payloadOf(t, envA.EventID); string(got) != "a" {
			t.Errorf("A landed, but its payload on chain = %q", got)
		}
	case !errors.Is(resA.err, sdk.ErrUnavailable) || !strings.Contains(resA.err.Error(), "dropped"):
		t.Errorf("Submit A = %v, want landed or sdk.ErrUnavailable saying it was dropped", resA.err)
	}
	f.rpc(t, "evm_mine")
	if left := f.pool(t); len(left) != 0 {
		t.Errorf("transactions left in the pool: %v", left)
	}
}

// mineUntil mines a block every 200 ms until the Submit is done.
func (f *fixture) mineUntil(t *testing.T, done <-chan struct {
	r   sdk.Receipt
	err error
}) struct {
	r   sdk.Receipt
	err error
} {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case res := <-done:
			return res
		case <-deadline:
			t.Fatal("Submit still running after 30s of mining")
		case <-time.After(200 * time.Millisecond):
			f.rpc(t, "evm_mine")
		}
	}
}

// TestStuckTransactionIsReplaced: a transaction pending longer than
// replace_after_seconds is replaced by one with the same nonce and higher
// fees; the replacement is what lands.
func TestStuckTransactionIsReplaced(t *testing.T) {
	f := setup(t, 1)
	p := connect(t, config(anviltest.ChainID, f.chain.HTTPURL, `{"receipt_poll_ms":50,"receipt_timeout_seconds":60,"replace_after_seconds":1}`))
	f.rpc(t, "evm_setAutomine", false)
	env := envelope(t, "stuck")
	done := submitAsync(p, f.submission(t, env, f.keys...))
	first := f.waitPool(t, 1)
	var nonce uint64
	var firstHash common.Hash
	for n, h := range first {
		nonce, firstHash = n, h
	}
	deadline := time.Now().Add(5 * time.Second)
	for f.pool(t)[nonce] == firstHash {
		if time.Now().After(deadline) {
			t.Fatal("not replaced within 5s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	f.rpc(t, "evm_mine")
	res := <-done
	if res.err != nil {
		t.Fatalf("Submit: %v", res.err)
	}
	if common.Hash(res.r.TxHash) == firstHash {
		t.Errorf("the first version landed; want the replacement")
	}
	orig, _, err := f.chain.Client.TransactionByHash(ctxFor(t, 5*time.Second), common.Hash(res.r.TxHash))
	if err != nil {
		t.Fatal(err)
	}
	if orig.Nonce() != nonce {
		t.Errorf("landed with nonce %d, want %d (the same)", orig.Nonce(), nonce)
	}
}

// TestNotMinedIsCancelled: a transaction not mined within
// receipt_timeout_seconds is replaced by a no-op, so that it cannot land
// after the host sent the submission again.
func TestNotMinedIsCancelled(t *testing.T) {
	f := setup(t, 1)
	p := connect(t, config(anviltest.ChainID, f.chain.HTTPURL, `{"receipt_poll_ms":50,"receipt_timeout_seconds":1,"replace_after_seconds":3600}`))
	f.rpc(t, "evm_setAutomine", false)
	env := envelope(t, "late")
	_, err := p.Submit(ctxFor(t, 20*time.Second), f.submission(t, env, f.keys...))
	if !errors.Is(err, sdk.ErrUnavailable) || !strings.Contains(err.Error(), "no-op") {
		t.Fatalf("Submit = %v, want sdk.ErrUnavailable saying it was replaced by a no-op", err)
	}
	f.rpc(t, "evm_mine")
	if got := f.payloadOf(t, env.EventID); len(got) != 0 {
		t.Errorf("the handler holds %q: the stale transaction landed", got)
	}
	block, err := f.chain.Client.BlockByNumber(ctxFor(t, 5*time.Second), nil)
	if err != nil {
		t.Fatal(err)
	}
	var mined []*types.Transaction
	for _, tx := range block.Transactions() {
		if from, _ := types.Sender(types.LatestSignerForChainID(f.chain.ChainID), tx); from == f.payer {
			mined = append(mined, tx)
		}
	}
	if len(mined) != 1 || *mined[0].To() != f.payer || len(mined[0].Data()) != 0 {
		t.Errorf("mined %d transactions of the payer; want the one no-op to itself", len(mined))
	}
}
