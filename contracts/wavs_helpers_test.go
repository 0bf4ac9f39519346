package contracts_test

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"

	"github.com/wavs-go/wavs/contracts"
	"github.com/wavs-go/wavs/contracts/anviltest"
	"github.com/wavs-go/wavs/contracts/bindings"
	"github.com/wavs-go/wavs/contracts/deploy"
)

// wavsFixture is a chain with the wavs pair deployed by dev account 0
// (owner and proxy admin): operators are dev accounts 5, 6, 7 with the
// vectors' signing keys 0, 1, 2 (dev accounts 0, 1, 2).
type wavsFixture struct {
	*chainFixture
	addrs  deploy.Addresses
	pm     *bindings.PoaServiceManager
	pmc    *bind.BoundContract // the manager, through the proxy
	eh     *bindings.ExampleHandler
	ehc    *bind.BoundContract
	ops    []common.Address
	keys   []common.Address
	signer []*ecdsa.PrivateKey
}

// wavsSetup is what newWAVSFixture registers and sets.
type wavsSetup struct {
	weights   []int64 // of operators 0, 1, 2 in order; fewer register fewer
	threshold int64
	num, den  uint64 // 0/0: the default 2/3
}

func newWAVSFixture(t *testing.T, setup wavsSetup) *wavsFixture {
	t.Helper()
	chain := anviltest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	f := &wavsFixture{
		chainFixture: &chainFixture{ctx: ctx, chain: chain},
		ops:          []common.Address{chain.Accounts[5], chain.Accounts[6], chain.Accounts[7]},
		keys:         []common.Address{chain.Accounts[0], chain.Accounts[1], chain.Accounts[2]},
		signer:       []*ecdsa.PrivateKey{chain.Keys[0], chain.Keys[1], chain.Keys[2]},
		pm:           bindings.NewPoaServiceManager(),
		eh:           bindings.NewExampleHandler(),
	}
	o := deploy.Options{
		Pair:              deploy.PairWAVS,
		ThresholdWeight:   big.NewInt(setup.threshold),
		QuorumNumerator:   setup.num,
		QuorumDenominator: setup.den,
		ServiceURI:        "http://127.0.0.1:9/wavs.json",
	}
	for i, w := range setup.weights {
		o.Operators = append(o.Operators, deploy.Operator{Address: f.ops[i], SigningKey: f.keys[i], Weight: big.NewInt(w)})
	}
	var err error
	if f.addrs, err = deploy.DeployAll(ctx, chain.Client, chain.Keys[0], o); err != nil {
		t.Fatal(err)
	}
	if f.owner, err = deploy.NewSender(ctx, chain.Client, chain.Keys[0]); err != nil {
		t.Fatal(err)
	}
	f.pmc = f.pm.Instance(chain.Client, f.addrs.ServiceManager)
	f.ehc = f.eh.Instance(chain.Client, f.addrs.ServiceHandler)
	f.mine(t)
	return f
}

// validate calls validate through the proxy and returns the decoded error
// it reverted with, or nil if it passed.
func (f *wavsFixture) validate(t *testing.T, e bindings.PoaServiceManagerEnvelope, d bindings.PoaServiceManagerSignatureData) any {
	t.Helper()
	_, err := f.pmc.CallRaw(&bind.CallOpts{Context: f.ctx}, f.pm.PackValidate(e, d))
	return f.revertOf(t, err)
}

// revertOf decodes err's revert data with the wavs pair's ABIs; nil for
// nil. A revert without data decodes as errNoData.
func (f *wavsFixture) revertOf(t *testing.T, err error) any {
	t.Helper()
	if err == nil {
		return nil
	}
	data, ok := contracts.RevertData(err)
	if !ok {
		t.Fatalf("not a revert: %v", err)
	}
	if len(data) == 0 {
		return errNoData{}
	}
	if v, decErr := f.pm.UnpackError(data); decErr == nil {
		return v
	}
	if v, decErr := bindings.NewUpgradeableProxy().UnpackError(data); decErr == nil {
		return v
	}
	t.Fatalf("revert %x matches no error of the wavs pair (%v)", data, err)
	return nil
}

// errNoData stands for a revert without data (a failed abi.decode, a call
// of a function the contract does not have).
type errNoData struct{}

// wavsEnvelope converts a vector's envelope to the manager's type.
func (v vector) wavsEnvelope() bindings.PoaServiceManagerEnvelope {
	return bindings.PoaServiceManagerEnvelope(v.envelope())
}

// wavsSigData is sigData in the manager's type.
func (v vector) wavsSigData(t *testing.T, ref uint64, signers ...common.Address) bindings.PoaServiceManagerSignatureData {
	t.Helper()
	return bindings.PoaServiceManagerSignatureData(v.sigData(t, ref, signers...))
}

// signWAVS signs e with key as an operator does.
func signWAVS(t *testing.T, key *ecdsa.PrivateKey, e bindings.PoaServiceManagerEnvelope) []byte {
	t.Helper()
	return signEnvelope(t, key, bindings.ServiceManagerEnvelope(e))
}
