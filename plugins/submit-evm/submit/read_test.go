package submit_test

import (
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/contracts/anviltest"
	"github.com/wavs-go/wavs/contracts/bindings"
	"github.com/wavs-go/wavs/contracts/deploy"
	"github.com/wavs-go/wavs/plugins/submit-evm/submit"
	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/plugintest"
)

// TestConformance runs the SDK's suite against anvil with the WAVS
// contracts deployed: two operators of weights 1 and 2 sign every
// submission, and dev account payerIndex pays.
func TestConformance(t *testing.T) {
	f := setup(t, 1, 2)
	plugintest.SubmitterSuite(t, func(*testing.T) sdk.Submitter {
		return submit.New(hclog.NewNullLogger())
	}, plugintest.SubmitterOptions{
		Config:  config(anviltest.ChainID, f.chain.HTTPURL, ""),
		Chain:   chainKey,
		Handler: sdk.Address(f.addrs.ServiceHandler).Hex(),
		Manager: sdk.Address(f.addrs.ServiceManager).Hex(),
		Signed: func(t *testing.T, env sdk.Envelope) sdk.Submission {
			return f.submission(t, env, f.keys...)
		},
	})
}

// TestReads: the head is the chain's, and the handler, manager and URI are
// the deployed ones; an address without a contract is an argument error.
func TestReads(t *testing.T) {
	f := setup(t, 1)
	ctx := ctxFor(t, 10*time.Second)

	b, err := f.p.LatestBlock(ctx, chainKey)
	if err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Hash common.Hash `json:"hash"`
	}
	if err := f.chain.RPC.CallContext(ctx, &raw, "eth_getBlockByNumber", hexutil.Uint64(b.Number), false); err != nil {
		t.Fatal(err)
	}
	if b.Number == 0 || b.Hash != sdk.Hash(raw.Hash) {
		t.Errorf("LatestBlock = %d %s, chain has %s at that height", b.Number, b.Hash, raw.Hash)
	}

	m, err := f.p.ServiceManager(ctx, chainKey, sdk.Address(f.addrs.ServiceHandler).Hex())
	if err != nil {
		t.Fatal(err)
	}
	if m != sdk.Address(f.addrs.ServiceManager).Hex() {
		t.Errorf("ServiceManager = %s, want %s", m, f.addrs.ServiceManager)
	}
	uri, err := f.p.ServiceURI(ctx, chainKey, m)
	if err != nil || uri != serviceURI {
		t.Errorf("ServiceURI = %q, %v; want %q", uri, err, serviceURI)
	}

	nobody := sdk.Address(f.chain.Accounts[8])
	if _, err := f.p.ServiceManager(ctx, chainKey, nobody.Hex()); !errors.Is(err, sdk.ErrInvalidArgument) || !strings.Contains(strings.ToLower(err.Error()), nobody.Hex()) {
		t.Errorf("ServiceManager(account without code) = %v, want sdk.ErrInvalidArgument naming %s", err, nobody)
	}
}

// TestQuorumAtBlock: weights, total and threshold are those at the asked
// block, zero for a signer that is no operator's key, and a later weight
// change does not change the answer for that block.
func TestQuorumAtBlock(t *testing.T) {
	f := setup(t, 1, 2)
	ctx := ctxFor(t, 20*time.Second)
	stranger := serviceKeys(t, 9)[0]
	before := f.head(t)
	q := sdk.QuorumQuery{
		Chain: chainKey, Manager: sdk.Address(f.addrs.ServiceManager).Hex(), Block: before,
		Signers: signerBytes(f.keys[0].Address(), f.keys[1].Address(), stranger.Address()),
	}
	check := func(what string, got sdk.Quorum, weights []int64, total int64) {
		t.Helper()
		if len(got.Weights) != len(weights) {
			t.Fatalf("%s: %d weights, want %d", what, len(got.Weights), len(weights))
		}
		for i, w := range weights {
			if got.Weights[i] == nil || got.Weights[i].Cmp(big.NewInt(w)) != 0 {
				t.Errorf("%s: weight of signer %d = %v, want %d", what, i, got.Weights[i], w)
			}
		}
		if got.TotalWeight == nil || got.TotalWeight.Cmp(big.NewInt(total)) != 0 {
			t.Errorf("%s: total = %v, want %d", what, got.TotalWeight, total)
		}
		if got.ThresholdNumerator != 2 || got.ThresholdDenominator != 3 {
			t.Errorf("%s: threshold = %d/%d, want 2/3", what, got.ThresholdNumerator, got.ThresholdDenominator)
		}
	}
	got, err := f.p.Quorum(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	check("before the change", got, []int64{1, 2, 0}, 3)

	s, err := deploy.NewSender(ctx, f.chain.Client, f.chain.Keys[0])
	if err != nil {
		t.Fatal(err)
	}
	tx, err := s.Transact(ctx, "updateOperatorWeight", f.addrs.ServiceManager, bindings.NewServiceManager().PackUpdateOperatorWeight(f.ops[0], big.NewInt(5)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Wait(ctx, tx); err != nil {
		t.Fatal(err)
	}

	got, err = f.p.Quorum(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	check("at the old block after the change", got, []int64{1, 2, 0}, 3)
	q.Block = f.head(t)
	got, err = f.p.Quorum(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	check("at the new head", got, []int64{5, 2, 0}, 7)
}

// TestValidate: the manager's verdict comes back as a Validation, with the
// decoded error as the reason when it rejects.
func TestValidate(t *testing.T) {
	f := setup(t, 1, 1)
	ctx := ctxFor(t, 20*time.Second)
	stranger := serviceKeys(t, 9)[0]
	env := envelope(t, "hello")

	v, err := f.p.Validate(ctx, f.submission(t, env, f.keys...))
	if err != nil || !v.Valid {
		t.Fatalf("Validate(both operators) = %+v, %v; want valid", v, err)
	}

	v, err = f.p.Validate(ctx, f.submission(t, env, f.keys[0]))
	if err != nil {
		t.Fatal(err)
	}
	if v.Valid || !strings.HasPrefix(v.Reason, "InsufficientQuorum(1, 2, 2)") || len(v.RevertData) < 4 {
		t.Errorf("Validate(one of two equal operators) = %+v, want invalid with reason InsufficientQuorum(1, 2, 2)", v)
	}

	v, err = f.p.Validate(ctx, f.submission(t, env, stranger))
	if err != nil {
		t.Fatal(err)
	}
	if v.Valid || v.Reason != "InvalidSigner()" {
		t.Errorf("Validate(unknown signer) = %+v, want invalid with reason InvalidSigner()", v)
	}

	bad := f.submission(t, env, f.keys...)
	bad.Envelope.Payload = []byte("tampered")
	v, err = f.p.Validate(ctx, bad)
	if err != nil {
		t.Fatal(err)
	}
	if v.Valid || v.Reason != "InvalidSignature()" {
		t.Errorf("Validate(tampered payload) = %+v, want invalid with reason InvalidSignature()", v)
	}
}
