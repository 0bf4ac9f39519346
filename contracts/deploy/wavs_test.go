package deploy_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/wavs-go/wavs/contracts/anviltest"
	"github.com/wavs-go/wavs/contracts/bindings"
	"github.com/wavs-go/wavs/contracts/deploy"
	"github.com/wavs-go/wavs/internal/signer"
	"github.com/wavs-go/wavs/sdk"
)

func TestOptionsValidatePair(t *testing.T) {
	one := big.NewInt(1)
	ops := []deploy.Operator{{Address: addr(1), SigningKey: addr(2), Weight: one}}
	cases := []struct {
		name string
		o    deploy.Options
		want string // substring of the error; empty for valid
	}{
		{"wavs", deploy.Options{Pair: deploy.PairWAVS, Operators: ops}, ""},
		{"wavs with a threshold", deploy.Options{Pair: deploy.PairWAVS, Operators: ops, ThresholdWeight: big.NewInt(5)}, ""},
		{"wavs with threshold 0", deploy.Options{Pair: deploy.PairWAVS, ThresholdWeight: big.NewInt(0)}, ""},
		{"wavs, quorum 0/3", deploy.Options{Pair: deploy.PairWAVS, QuorumDenominator: 3}, ""},
		{"wavs, quorum 3/3", deploy.Options{Pair: deploy.PairWAVS, QuorumNumerator: 3, QuorumDenominator: 3}, ""},
		{"repo by name", deploy.Options{Pair: deploy.PairRepo, Operators: ops}, ""},
		{"wavs, negative threshold", deploy.Options{Pair: deploy.PairWAVS, ThresholdWeight: big.NewInt(-1)}, "ThresholdWeight -1"},
		{"wavs, quorum 1/0", deploy.Options{Pair: deploy.PairWAVS, QuorumNumerator: 1}, "quorum 1/0"},
		{"wavs, quorum 4/3", deploy.Options{Pair: deploy.PairWAVS, QuorumNumerator: 4, QuorumDenominator: 3}, "quorum 4/3"},
		{"wavs, zero weight", deploy.Options{Pair: deploy.PairWAVS, Operators: []deploy.Operator{{Address: addr(1), SigningKey: addr(2), Weight: big.NewInt(0)}}}, "operators[0].Weight"},
		{"default pair with a threshold", deploy.Options{ThresholdWeight: one}, "the repo pair's ServiceManager has no threshold weight"},
		{"repo with a threshold", deploy.Options{Pair: deploy.PairRepo, ThresholdWeight: one}, "the repo pair's ServiceManager has no threshold weight"},
		{"repo, quorum 0/3", deploy.Options{Pair: deploy.PairRepo, QuorumDenominator: 3}, "quorum 0/3"},
		{"unknown pair", deploy.Options{Pair: "eigen"}, `Pair "eigen"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.o.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("error %v, want one about %q", err, tc.want)
			}
		})
	}
}

// operatorKey is the node's own signing path: host/signer from a hex key.
func operatorKey(t *testing.T, key *ecdsa.PrivateKey) *signer.Key {
	t.Helper()
	hex := hexutil.Encode(crypto.FromECDSA(key))[2:]
	s, err := signer.FromEnv(func(name string) (string, bool) { return hex, name == signer.EnvPrivateKey })
	if err != nil {
		t.Fatal(err)
	}
	return s.Operator()
}

// sign returns the signature data of keys over e, sorted as validate wants.
func sign(t *testing.T, e sdk.Envelope, ref uint64, keys ...*signer.Key) bindings.ExampleHandlerSignatureData {
	t.Helper()
	addrs := make([][20]byte, len(keys))
	sigs := make([][]byte, len(keys))
	for i, k := range keys {
		sig, err := k.SignEnvelope(e)
		if err != nil {
			t.Fatal(err)
		}
		addrs[i], sigs[i] = k.Address(), sig
	}
	if err := signer.SortSigners(addrs, sigs); err != nil {
		t.Fatal(err)
	}
	d := bindings.ExampleHandlerSignatureData{Signatures: sigs, ReferenceBlock: uint32(ref)}
	for _, a := range addrs {
		d.Signers = append(d.Signers, a)
	}
	return d
}

// TestDeployAllWAVS deploys the wavs pair on a chain with a block time,
// then goes through a service's round: a trigger, its result signed by
// operators with the node's signer, submitted to the handler by someone
// else, read back.
func TestDeployAllWAVS(t *testing.T) {
	t.Parallel()
	chain := anviltest.StartWithOptions(t, anviltest.Options{BlockTime: time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	ops := []deploy.Operator{
		{Address: chain.Accounts[5], SigningKey: chain.Accounts[1], Weight: big.NewInt(3)},
		{Address: chain.Accounts[6], SigningKey: chain.Accounts[2], Weight: big.NewInt(4)},
		{Address: chain.Accounts[7], SigningKey: chain.Accounts[3], Weight: big.NewInt(5)},
	}
	const uri = "http://127.0.0.1:9/wavs.json"
	addrs, err := deploy.DeployAll(ctx, chain.Client, chain.Keys[0], deploy.Options{
		Pair: deploy.PairWAVS, Operators: ops, ThresholdWeight: big.NewInt(6),
		QuorumNumerator: 3, QuorumDenominator: 4, ServiceURI: uri,
	})
	if err != nil {
		t.Fatal(err)
	}
	if addrs.Pair != deploy.PairWAVS {
		t.Errorf("Pair %q", addrs.Pair)
	}
	distinct := map[common.Address]bool{}
	for _, a := range []common.Address{addrs.ServiceManager, addrs.ServiceManagerImplementation, addrs.ServiceHandler, addrs.SimpleTrigger} {
		if a == (common.Address{}) || distinct[a] {
			t.Fatalf("addresses %+v", addrs)
		}
		distinct[a] = true
	}
	if got, err := deploy.ManagerPair(ctx, chain.Client, addrs.ServiceManager); err != nil || got != deploy.PairWAVS {
		t.Errorf("ManagerPair = %q, %v", got, err)
	}

	pm, eh := bindings.NewPoaServiceManager(), bindings.NewExampleHandler()
	pmc, ehc := pm.Instance(chain.Client, addrs.ServiceManager), eh.Instance(chain.Client, addrs.ServiceHandler)
	opts := &bind.CallOpts{Context: ctx}
	impl, err := chain.Client.StorageAt(ctx, addrs.ServiceManager, deploy.ImplementationSlot, nil)
	if err != nil || common.BytesToAddress(impl) != addrs.ServiceManagerImplementation {
		t.Errorf("implementation slot %x, %v; want %s", impl, err, addrs.ServiceManagerImplementation)
	}
	check := func(what string, got, want any) {
		t.Helper()
		if g, w := toString(got), toString(want); g != w {
			t.Errorf("%s = %s, want %s", what, g, w)
		}
	}
	mgr, err1 := bind.Call(ehc, opts, eh.PackGetServiceManager(), eh.UnpackGetServiceManager)
	check("handler.getServiceManager()", mgr, addrs.ServiceManager)
	owner, err2 := bind.Call(pmc, opts, pm.PackOwner(), pm.UnpackOwner)
	check("owner()", owner, chain.Accounts[0])
	gotURI, err3 := bind.Call(pmc, opts, pm.PackGetServiceURI(), pm.UnpackGetServiceURI)
	check("getServiceURI()", gotURI, uri)
	if err := errors.Join(err1, err2, err3); err != nil {
		t.Fatal(err)
	}
	for i, op := range ops {
		w, err := bind.Call(pmc, opts, pm.PackGetOperatorWeight(op.Address), pm.UnpackGetOperatorWeight)
		check("weight of operator "+toString(i), w, op.Weight)
		o, err2 := bind.Call(pmc, opts, pm.PackGetLatestOperatorForSigningKey(op.SigningKey), pm.UnpackGetLatestOperatorForSigningKey)
		check("operator of key "+toString(i), o, op.Address)
		if err := errors.Join(err, err2); err != nil {
			t.Fatal(err)
		}
	}

	// A trigger, and its result as the component would make it.
	s, err := deploy.NewSender(ctx, chain.Client, chain.Keys[9]) // a submitter, not the owner
	if err != nil {
		t.Fatal(err)
	}
	info, _, err := deploy.AddTrigger(ctx, s, addrs.SimpleTrigger, []byte("7"))
	if err != nil {
		t.Fatal(err)
	}
	result := []byte("49")
	env := sdk.Envelope{EventID: [20]byte{0xe7}, Payload: deploy.EncodeDataWithID(info.TriggerID, result)}
	head, err := chain.Client.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ref := head - 1
	keys := []*signer.Key{operatorKey(t, chain.Keys[1]), operatorKey(t, chain.Keys[2]), operatorKey(t, chain.Keys[3])}
	handlerEnv := bindings.ExampleHandlerEnvelope{EventId: env.EventID, Ordering: env.Ordering, Payload: env.Payload}

	// Weights 3 + 4 of 12 are short of 3/4; the submission is refused at
	// estimation with the manager's error.
	_, err = s.Transact(ctx, "handleSignedEnvelope(3+4)", addrs.ServiceHandler, eh.PackHandleSignedEnvelope(handlerEnv, sign(t, env, ref, keys[0], keys[1])))
	if err == nil || !strings.Contains(err.Error(), "InsufficientQuorum(7, 3, 12)") {
		t.Errorf("3+4 of 12 under 3/4: %v, want InsufficientQuorum(7, 3, 12)", err)
	}
	// Weight 5 alone meets the threshold of 6? No.
	_, err = s.Transact(ctx, "handleSignedEnvelope(5)", addrs.ServiceHandler, eh.PackHandleSignedEnvelope(handlerEnv, sign(t, env, ref, keys[2])))
	if err == nil || !strings.Contains(err.Error(), "PoaServiceManager.InsufficientSignedStake()") {
		t.Errorf("5 below the threshold 6: %v, want InsufficientSignedStake", err)
	}
	// Weights 4 + 5: 9 of 12 is 3/4.
	tx, err := s.Transact(ctx, "handleSignedEnvelope(4+5)", addrs.ServiceHandler, eh.PackHandleSignedEnvelope(handlerEnv, sign(t, env, ref, keys[2], keys[1])))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Wait(ctx, tx); err != nil {
		t.Fatal(err)
	}
	valid, err := bind.Call(ehc, opts, eh.PackIsValidTriggerId(info.TriggerID), eh.UnpackIsValidTriggerId)
	if err != nil || !valid {
		t.Errorf("isValidTriggerId(%d) = %v, %v", info.TriggerID, valid, err)
	}
	data, err := bind.Call(ehc, opts, eh.PackGetData(info.TriggerID), eh.UnpackGetData)
	if err != nil || !bytes.Equal(data, result) {
		t.Errorf("getData(%d) = %q, %v; want %q", info.TriggerID, data, err, result)
	}
}

// TestManageHelpers changes a deployed manager of each pair with the
// helpers and checks the effect through validate.
func TestManageHelpers(t *testing.T) {
	t.Parallel()
	for _, pair := range []deploy.Pair{deploy.PairRepo, deploy.PairWAVS} {
		t.Run(string(pair), func(t *testing.T) {
			t.Parallel()
			chain := anviltest.Start(t)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			op0, op1, op2 := chain.Accounts[5], chain.Accounts[6], chain.Accounts[7]
			addrs, err := deploy.DeployAll(ctx, chain.Client, chain.Keys[0], deploy.Options{
				Pair: pair,
				Operators: []deploy.Operator{
					{Address: op0, SigningKey: chain.Accounts[1], Weight: big.NewInt(1)},
					{Address: op1, SigningKey: chain.Accounts[2], Weight: big.NewInt(1)},
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			if addrs.Pair != pair {
				t.Errorf("Pair %q, want %q", addrs.Pair, pair)
			}
			if (addrs.ServiceManagerImplementation == common.Address{}) != (pair == deploy.PairRepo) {
				t.Errorf("ServiceManagerImplementation %s for pair %s", addrs.ServiceManagerImplementation, pair)
			}
			owner, err := deploy.NewSender(ctx, chain.Client, chain.Keys[0])
			if err != nil {
				t.Fatal(err)
			}
			manager := addrs.ServiceManager
			if got, err := deploy.ManagerPair(ctx, chain.Client, manager); err != nil || got != pair {
				t.Errorf("ManagerPair(manager) = %q, %v; want %q", got, err, pair)
			}
			for name, a := range map[string]common.Address{"handler": addrs.ServiceHandler, "trigger": addrs.SimpleTrigger, "account": chain.Accounts[3]} {
				if got, err := deploy.ManagerPair(ctx, chain.Client, a); !errors.Is(err, deploy.ErrUnknownManager) {
					t.Errorf("ManagerPair(%s) = %q, %v; want ErrUnknownManager", name, got, err)
				}
			}

			// Both pairs' validate and views share their selectors.
			sm := bindings.NewServiceManager()
			smc := sm.Instance(chain.Client, manager)
			keys := []*signer.Key{operatorKey(t, chain.Keys[1]), operatorKey(t, chain.Keys[2]), operatorKey(t, chain.Keys[3])}
			env := sdk.Envelope{EventID: [20]byte{1}, Payload: []byte("p")}
			mine := func() uint64 {
				t.Helper()
				if err := chain.Mine(ctx, 1); err != nil {
					t.Fatal(err)
				}
				head, err := chain.Client.BlockNumber(ctx)
				if err != nil {
					t.Fatal(err)
				}
				return head - 1
			}
			passes := func(ref uint64, signers ...*signer.Key) bool {
				t.Helper()
				d := sign(t, env, ref, signers...)
				_, err := smc.CallRaw(&bind.CallOpts{Context: ctx}, sm.PackValidate(
					bindings.ServiceManagerEnvelope{EventId: env.EventID, Ordering: env.Ordering, Payload: env.Payload},
					bindings.ServiceManagerSignatureData(d)))
				return err == nil
			}
			weight := func(op common.Address) int64 {
				t.Helper()
				w, err := bind.Call(smc, &bind.CallOpts{Context: ctx}, sm.PackGetOperatorWeight(op), sm.UnpackGetOperatorWeight)
				if err != nil {
					t.Fatal(err)
				}
				return w.Int64()
			}
			must := func(what string, err error) {
				t.Helper()
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
			}

			ref := mine()
			if passes(ref, keys[0]) || !passes(ref, keys[0], keys[1]) {
				t.Fatal("at 1 + 1 under 2/3 both should be needed")
			}

			must("SetOperatorWeight", deploy.SetOperatorWeight(ctx, owner, manager, op1, big.NewInt(5)))
			if w := weight(op1); w != 5 {
				t.Errorf("weight after SetOperatorWeight %d, want 5", w)
			}
			ref = mine()
			if !passes(ref, keys[1]) {
				t.Error("5 of 6 under 2/3 should pass")
			}
			must("SetQuorum(1/1)", deploy.SetQuorum(ctx, owner, manager, 1, 1))
			ref = mine()
			if passes(ref, keys[1]) || !passes(ref, keys[0], keys[1]) {
				t.Error("under 1/1 only both should pass")
			}
			must("SetQuorum(1/2)", deploy.SetQuorum(ctx, owner, manager, 1, 2))

			must("RegisterOperator", deploy.RegisterOperator(ctx, owner, manager, deploy.Operator{Address: op2, SigningKey: chain.Accounts[3], Weight: big.NewInt(4)}))
			must("DeregisterOperator", deploy.DeregisterOperator(ctx, owner, manager, op0))
			if w0, w2 := weight(op0), weight(op2); w0 != 0 || w2 != 4 {
				t.Errorf("weights after register/deregister: %d, %d; want 0, 4", w0, w2)
			}
			ref = mine()
			if !passes(ref, keys[1]) || passes(ref, keys[2]) {
				t.Error("under 1/2 of 9, 5 should pass and 4 not")
			}
			must("SetServiceURI", deploy.SetServiceURI(ctx, owner, manager, "u"))
			if uri, err := bind.Call(smc, &bind.CallOpts{Context: ctx}, sm.PackGetServiceURI(), sm.UnpackGetServiceURI); err != nil || uri != "u" {
				t.Errorf("getServiceURI() = %q, %v", uri, err)
			}

			err = deploy.SetThresholdWeight(ctx, owner, manager, big.NewInt(6))
			switch pair {
			case deploy.PairRepo:
				if err == nil || !strings.Contains(err.Error(), "no threshold weight") {
					t.Errorf("SetThresholdWeight on the repo pair: %v, want a clear refusal", err)
				}
			case deploy.PairWAVS:
				must("SetThresholdWeight", err)
				ref = mine()
				if passes(ref, keys[1]) || !passes(ref, keys[2], keys[1]) {
					t.Error("with threshold 6, 5 should fail and 9 pass")
				}
			}

			// Refusals: before sending, or decoded from the contract.
			wantRevert := map[deploy.Pair]string{deploy.PairRepo: "ServiceManager.InvalidQuorum(2, 1)", deploy.PairWAVS: "PoaServiceManager.InvalidQuorum()"}[pair]
			if err := deploy.SetQuorum(ctx, owner, manager, 2, 1); err == nil || !strings.Contains(err.Error(), wantRevert) {
				t.Errorf("SetQuorum(2/1): %v, want %s", err, wantRevert)
			}
			wantRevert = map[deploy.Pair]string{deploy.PairRepo: "ServiceManager.OperatorNotRegistered(", deploy.PairWAVS: "PoaServiceManager.OperatorNotRegistered()"}[pair]
			if err := deploy.SetOperatorWeight(ctx, owner, manager, chain.Accounts[8], big.NewInt(1)); err == nil || !strings.Contains(err.Error(), wantRevert) {
				t.Errorf("SetOperatorWeight of a stranger: %v, want %s", err, wantRevert)
			}
			if err := deploy.SetOperatorWeight(ctx, owner, manager, op1, big.NewInt(0)); err == nil || !strings.Contains(err.Error(), "DeregisterOperator") {
				t.Errorf("SetOperatorWeight(0): %v, want a pointer to DeregisterOperator", err)
			}
			if err := deploy.SetThresholdWeight(ctx, owner, manager, big.NewInt(-1)); err == nil {
				t.Error("SetThresholdWeight(-1) accepted")
			}
			if err := deploy.SetQuorum(ctx, owner, addrs.ServiceHandler, 1, 2); !errors.Is(err, deploy.ErrUnknownManager) {
				t.Errorf("SetQuorum on the handler: %v, want ErrUnknownManager", err)
			}
		})
	}
}

// TestConfigureWAVS configures a bare wavs pair (DeployWAVS) with
// Configure, which also sets the quorum and the threshold weight.
func TestConfigureWAVS(t *testing.T) {
	t.Parallel()
	chain := anviltest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := deploy.NewSender(ctx, chain.Client, chain.Keys[0])
	if err != nil {
		t.Fatal(err)
	}
	addrs, err := deploy.DeployWAVS(ctx, s, deploy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	o := deploy.Options{
		Pair:              deploy.PairWAVS,
		Operators:         []deploy.Operator{{Address: chain.Accounts[5], SigningKey: chain.Accounts[1], Weight: big.NewInt(2)}},
		QuorumNumerator:   0, // no share: only the threshold
		QuorumDenominator: 1,
		ThresholdWeight:   big.NewInt(3),
		ServiceURI:        "x",
	}
	if err := deploy.Configure(ctx, s, addrs.ServiceManager, o); err != nil {
		t.Fatal(err)
	}
	if err := chain.Mine(ctx, 1); err != nil {
		t.Fatal(err)
	}
	head, err := chain.Client.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	env := sdk.Envelope{Payload: []byte{}}
	pm := bindings.NewPoaServiceManager()
	d := sign(t, env, head-1, operatorKey(t, chain.Keys[1]))
	_, err = pm.Instance(chain.Client, addrs.ServiceManager).CallRaw(&bind.CallOpts{Context: ctx}, pm.PackValidate(
		bindings.PoaServiceManagerEnvelope{Payload: env.Payload}, bindings.PoaServiceManagerSignatureData(d)))
	if err == nil || !strings.Contains(err.Error(), "e121632f") { // InsufficientSignedStake()
		t.Errorf("2 below threshold 3: %v, want InsufficientSignedStake", err)
	}
	if err := deploy.SetThresholdWeight(ctx, s, addrs.ServiceManager, big.NewInt(2)); err != nil {
		t.Fatal(err)
	}
	if err := chain.Mine(ctx, 1); err != nil {
		t.Fatal(err)
	}
	d.ReferenceBlock += 2
	_, err = pm.Instance(chain.Client, addrs.ServiceManager).CallRaw(&bind.CallOpts{Context: ctx}, pm.PackValidate(
		bindings.PoaServiceManagerEnvelope{Payload: env.Payload}, bindings.PoaServiceManagerSignatureData(d)))
	if err != nil {
		t.Errorf("2 at threshold 2, quorum 0/1: %v", err)
	}
}
