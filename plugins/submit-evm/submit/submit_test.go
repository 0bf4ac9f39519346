package submit_test

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/contracts/anviltest"
	"github.com/wavs-go/wavs/contracts/bindings"
	"github.com/wavs-go/wavs/contracts/deploy"
	"github.com/wavs-go/wavs/plugins/submit-evm/submit"
	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/plugintest"
)

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestSubmitLandsOnce: an envelope lands with its payload; the same one
// again is AlreadyHandled without a transaction.
func TestSubmitLandsOnce(t *testing.T) {
	f := setup(t, 1, 1)
	ctx := ctxFor(t, 30*time.Second)
	env := envelope(t, "the payload")
	sub := f.submission(t, env, f.keys...)

	r, err := f.p.Submit(ctx, sub)
	if err != nil {
		t.Fatal(err)
	}
	if r.AlreadyHandled || r.TxHash == (sdk.Hash{}) || r.BlockNumber == 0 {
		t.Fatalf("Submit = %+v, want a transaction in a block", r)
	}
	rec, err := f.chain.Client.TransactionReceipt(ctx, common.Hash(r.TxHash))
	if err != nil || rec.BlockNumber.Uint64() != r.BlockNumber || rec.Status != 1 {
		t.Fatalf("receipt of %s: %+v, %v; want success in block %d", r.TxHash, rec, err, r.BlockNumber)
	}
	if got := f.payloadOf(t, env.EventID); !bytes.Equal(got, env.Payload) {
		t.Errorf("handler holds payload %q, want %q", got, env.Payload)
	}

	nonce := f.payerNonce(t)
	r, err = f.p.Submit(ctx, sub)
	if err != nil {
		t.Fatal(err)
	}
	if !r.AlreadyHandled || r.TxHash != (sdk.Hash{}) {
		t.Errorf("second Submit = %+v, want AlreadyHandled without a transaction", r)
	}
	if after := f.payerNonce(t); after != nonce {
		t.Errorf("payer nonce went from %d to %d: the second Submit sent a transaction", nonce, after)
	}
	if n := f.handledCount(t); n != 1 {
		t.Errorf("handledCount = %d, want 1", n)
	}
}

// TestSubmitRevert: an envelope the manager rejects is an argument error
// with the decoded reason, and no transaction.
func TestSubmitRevert(t *testing.T) {
	f := setup(t, 1, 1)
	ctx := ctxFor(t, 30*time.Second)
	nonce := f.payerNonce(t)
	_, err := f.p.Submit(ctx, f.submission(t, envelope(t, "x"), f.keys[0]))
	if !errors.Is(err, sdk.ErrInvalidArgument) || !strings.Contains(err.Error(), "InsufficientQuorum(1, 2, 2)") {
		t.Errorf("Submit(one of two signatures) = %v, want sdk.ErrInvalidArgument naming InsufficientQuorum(1, 2, 2)", err)
	}
	if after := f.payerNonce(t); after != nonce {
		t.Errorf("payer nonce went from %d to %d", nonce, after)
	}
}

// TestConcurrentSubmits: 20 Submits at once all land (one nonce each).
func TestConcurrentSubmits(t *testing.T) {
	f := setup(t, 1)
	ctx := ctxFor(t, 45*time.Second)
	const n = 20
	subs := make([]sdk.Submission, n)
	for i := range subs {
		subs[i] = f.submission(t, envelope(t, fmt.Sprintf("payload %d", i)), f.keys...)
	}
	nonce := f.payerNonce(t)
	receipts := make([]sdk.Receipt, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range subs {
		wg.Go(func() { receipts[i], errs[i] = f.p.Submit(ctx, subs[i]) })
	}
	wg.Wait()
	seen := map[sdk.Hash]bool{}
	for i := range subs {
		if errs[i] != nil {
			t.Errorf("Submit %d: %v", i, errs[i])
			continue
		}
		if receipts[i].AlreadyHandled || seen[receipts[i].TxHash] {
			t.Errorf("Submit %d = %+v: want its own transaction", i, receipts[i])
		}
		seen[receipts[i].TxHash] = true
		if got := f.payloadOf(t, subs[i].Envelope.EventID); string(got) != fmt.Sprintf("payload %d", i) {
			t.Errorf("payload %d on chain = %q", i, got)
		}
	}
	if c := f.handledCount(t); c != n {
		t.Errorf("handledCount = %d, want %d", c, n)
	}
	if after := f.payerNonce(t); after != nonce+n {
		t.Errorf("payer nonce went from %d to %d, want +%d", nonce, after, n)
	}
}

// TestSubmitAfterForeignTransaction: another sender using the paying key
// does not make the plugin send with a used nonce: each send takes the
// node's pending nonce.
func TestSubmitAfterForeignTransaction(t *testing.T) {
	f := setup(t, 1)
	ctx := ctxFor(t, 30*time.Second)
	var logs syncBuffer
	p := plugintest.ConnectSubmitter(t, submit.New(hclog.New(&hclog.LoggerOptions{Output: &logs, Level: hclog.Debug})))
	if err := p.Configure(ctx, sdk.ConfigureRequest{DataDir: t.TempDir(), Config: config(anviltest.ChainID, f.chain.HTTPURL, "")}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Submit(ctx, f.submission(t, envelope(t, "first"), f.keys...)); err != nil {
		t.Fatal(err)
	}
	s, err := deploy.NewSender(ctx, f.chain.Client, f.chain.Keys[payerIndex])
	if err != nil {
		t.Fatal(err)
	}
	tx, err := s.Transact(ctx, "addTrigger", f.addrs.SimpleTrigger, bindings.NewSimpleTrigger().PackAddTrigger([]byte("x")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Wait(ctx, tx); err != nil {
		t.Fatal(err)
	}
	env := envelope(t, "second")
	if _, err := p.Submit(ctx, f.submission(t, env, f.keys...)); err != nil {
		t.Fatalf("Submit after a foreign transaction: %v", err)
	}
	if strings.Contains(strings.ToLower(logs.String()), "nonce too low") {
		t.Errorf("the second Submit sent with a used nonce; logs:\n%s", logs.String())
	}
	if got := f.payloadOf(t, env.EventID); string(got) != "second" {
		t.Errorf("payload on chain = %q", got)
	}
}

// TestSubmitAtGasPrice: a submission naming a gas price (an aggregator
// component's gas-price) lands in a legacy transaction paying exactly it.
func TestSubmitAtGasPrice(t *testing.T) {
	f := setup(t, 1, 1)
	ctx := ctxFor(t, 30*time.Second)
	env := envelope(t, "priced")
	sub := f.submission(t, env, f.keys...)
	sub.GasPrice = big.NewInt(7_000_000_000)
	r, err := f.p.Submit(ctx, sub)
	if err != nil {
		t.Fatal(err)
	}
	tx, _, err := f.chain.Client.TransactionByHash(ctx, common.Hash(r.TxHash))
	if err != nil {
		t.Fatal(err)
	}
	if tx.Type() != types.LegacyTxType || tx.GasPrice().Cmp(sub.GasPrice) != 0 {
		t.Errorf("transaction type %d at gas price %v, want a legacy one at %v", tx.Type(), tx.GasPrice(), sub.GasPrice)
	}
}

// TestSubmitRefusesAnExorbitantGasPrice: a gas price far above the
// chain's (a hostile aggregator component's) is refused, no transaction.
func TestSubmitRefusesAnExorbitantGasPrice(t *testing.T) {
	f := setup(t, 1, 1)
	ctx := ctxFor(t, 30*time.Second)
	sub := f.submission(t, envelope(t, "overpriced"), f.keys...)
	sub.GasPrice = new(big.Int).Exp(big.NewInt(10), big.NewInt(30), nil)
	nonce := f.payerNonce(t)
	if _, err := f.p.Submit(ctx, sub); !errors.Is(err, sdk.ErrInvalidArgument) || !strings.Contains(err.Error(), "max_gas_price_multiple") {
		t.Fatalf("Submit at 1e30 wei = %v, want an argument error naming max_gas_price_multiple", err)
	}
	if after := f.payerNonce(t); after != nonce {
		t.Errorf("a transaction was sent (nonce %d → %d)", nonce, after)
	}
}
