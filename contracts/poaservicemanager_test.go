package contracts_test

import (
	"bytes"
	"math/big"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/wavs-go/wavs/contracts/bindings"
)

// TestPoaServiceManagerSurface pins what the node may rely on: the only
// views are IWavsServiceManager's (and owner), and the errors carry
// upstream WAVS's names and selectors.
func TestPoaServiceManagerSurface(t *testing.T) {
	pm := bindings.NewPoaServiceManager().GetABI()
	var views []string
	for _, m := range pm.Methods {
		if m.IsConstant() {
			views = append(views, m.Sig)
		}
	}
	slices.Sort(views)
	wantViews := []string{
		"getAllocationManager()",
		"getDelegationManager()",
		"getLatestOperatorForSigningKey(address)",
		"getOperatorWeight(address)",
		"getServiceURI()",
		"getStakeRegistry()",
		"owner()",
		"validate((bytes20,bytes12,bytes),(address[],bytes[],uint32))",
	}
	if !slices.Equal(views, wantViews) {
		t.Errorf("views %q\nwant %q", views, wantViews)
	}
	if ev, ok := pm.Events["QuorumThresholdUpdated"]; !ok || ev.Sig != "QuorumThresholdUpdated(uint256,uint256)" ||
		!ev.Inputs[0].Indexed || !ev.Inputs[1].Indexed {
		t.Errorf("QuorumThresholdUpdated: %+v, want both terms indexed", ev)
	}
	if ev, ok := pm.Events["ServiceURIUpdated"]; !ok || ev.Sig != "ServiceURIUpdated(string)" {
		t.Errorf("ServiceURIUpdated: %+v", ev)
	}

	// validate's errors, as upstream's POA stake registry names them.
	selectors := map[string]string{
		"LengthMismatch()":                            "ff633a38",
		"InvalidLength()":                             "947d5a84",
		"InvalidReferenceBlock()":                     "e64f180f",
		"SignerNotRegistered()":                       "3dda1739",
		"NotSorted()":                                 "ba50f911",
		"InvalidSignature()":                          "8baa579f",
		"InvalidSignedWeight()":                       "960b41ee",
		"InsufficientSignedStake()":                   "e121632f",
		"InsufficientQuorum(uint256,uint256,uint256)": "86b16091",
		"InvalidQuorum()":                             "d1735779",
		"InvalidWeight()":                             "585b9263",
	}
	for sig, want := range selectors {
		if got := common.Bytes2Hex(crypto.Keccak256([]byte(sig))[:4]); got != want {
			t.Errorf("selector of %s: %s, want %s", sig, got, want)
		}
		found := false
		for _, e := range pm.Errors {
			if e.Sig == sig {
				found = true
			}
		}
		if !found {
			t.Errorf("PoaServiceManager does not declare %s", sig)
		}
	}
	q := pm.Errors["InsufficientQuorum"].Inputs
	if q[0].Name != "signedWeight" || q[1].Name != "quorumNumerator" || q[2].Name != "totalWeight" {
		t.Errorf("InsufficientQuorum arguments %v", q)
	}

	// The proxy adds no view to the manager it fronts.
	for _, m := range bindings.NewUpgradeableProxy().GetABI().Methods {
		if m.Name != "upgradeToAndCall" {
			t.Errorf("UpgradeableProxy declares %s", m.Sig)
		}
	}
}

func poaQuorumErr(signed, num, total int64) *bindings.PoaServiceManagerInsufficientQuorum {
	b := bigs(signed, num, total)
	return &bindings.PoaServiceManagerInsufficientQuorum{SignedWeight: b[0], QuorumNumerator: b[1], TotalWeight: b[2]}
}

// TestPoaValidate runs every check of validate with three operators of
// weights 1, 2, 3 (keys 0, 1, 2), threshold weight 2 and quorum 1/2: at
// least 2 and half of 6 must sign.
func TestPoaValidate(t *testing.T) {
	t.Parallel()
	f := newWAVSFixture(t, wavsSetup{weights: []int64{1, 2, 3}, threshold: 2, num: 1, den: 2})
	v := loadVectors(t)["short-payload"] // signed by keys 0, 1, 2
	env := v.wavsEnvelope()
	key0, key1, key2 := f.keys[0], f.keys[1], f.keys[2]
	key3 := f.chain.Accounts[3] // no operator's key
	if !(bytes.Compare(key2[:], key1[:]) < 0 && bytes.Compare(key1[:], key3[:]) < 0 && bytes.Compare(key3[:], key0[:]) < 0) {
		t.Fatal("the cases below assume key2 < key1 < key3 < key0")
	}
	sig3 := signWAVS(t, f.chain.Keys[3], env)
	ref := f.head(t) - 1
	head := f.head(t)

	with := func(d bindings.PoaServiceManagerSignatureData, edit func(*bindings.PoaServiceManagerSignatureData)) bindings.PoaServiceManagerSignatureData {
		edit(&d)
		return d
	}
	tampered := func(edit func(*bindings.PoaServiceManagerEnvelope)) bindings.PoaServiceManagerEnvelope {
		e := v.wavsEnvelope()
		edit(&e)
		return e
	}
	all := v.wavsSigData(t, ref, key2, key1, key0)
	noData := bindings.PoaServiceManagerSignatureData{Signers: []common.Address{}, Signatures: [][]byte{}, ReferenceBlock: uint32(ref)}

	cases := []struct {
		name string
		env  bindings.PoaServiceManagerEnvelope
		sig  bindings.PoaServiceManagerSignatureData
		want any
	}{
		{"all three", env, all, nil},
		{"vector's signers_sorted", env, v.wavsSigData(t, ref, v.SignersSorted...), nil},
		{"weight 3 alone: half", env, v.wavsSigData(t, ref, key2), nil},
		{"weights 2+1: half", env, v.wavsSigData(t, ref, key1, key0), nil},
		{"weight 2 alone: threshold met, quorum not", env, v.wavsSigData(t, ref, key1), poaQuorumErr(2, 1, 6)},
		{"weight 1 alone: below the threshold", env, v.wavsSigData(t, ref, key0), &bindings.PoaServiceManagerInsufficientSignedStake{}},

		{"fewer signatures than signers", env, with(all, func(d *bindings.PoaServiceManagerSignatureData) { d.Signatures = d.Signatures[:2] }), &bindings.PoaServiceManagerLengthMismatch{}},
		{"signatures without signers", env, with(noData, func(d *bindings.PoaServiceManagerSignatureData) { d.Signatures = all.Signatures[:1] }), &bindings.PoaServiceManagerLengthMismatch{}},
		{"no signers", env, noData, &bindings.PoaServiceManagerInvalidLength{}},

		{"reference block = current block", env, v.wavsSigData(t, head, key2, key1, key0), &bindings.PoaServiceManagerInvalidReferenceBlock{}},
		{"reference block in the future", env, v.wavsSigData(t, head+100, key2, key1, key0), &bindings.PoaServiceManagerInvalidReferenceBlock{}},
		{"future reference block before an unknown signer", env, bindings.PoaServiceManagerSignatureData{
			Signers: []common.Address{key3}, Signatures: [][]byte{sig3}, ReferenceBlock: uint32(head),
		}, &bindings.PoaServiceManagerInvalidReferenceBlock{}},

		{"unknown signer", env, bindings.PoaServiceManagerSignatureData{
			Signers: []common.Address{key2, key3}, Signatures: [][]byte{all.Signatures[0], sig3}, ReferenceBlock: uint32(ref),
		}, &bindings.PoaServiceManagerSignerNotRegistered{}},
		{"unknown signer before the order", env, bindings.PoaServiceManagerSignatureData{
			Signers: []common.Address{key0, key3}, Signatures: [][]byte{all.Signatures[2], sig3}, ReferenceBlock: uint32(ref),
		}, &bindings.PoaServiceManagerSignerNotRegistered{}},
		{"reference block before registration", env, v.wavsSigData(t, 0, key2, key1, key0), &bindings.PoaServiceManagerSignerNotRegistered{}},

		{"unsorted", env, v.wavsSigData(t, ref, key0, key1), &bindings.PoaServiceManagerNotSorted{}},
		{"duplicate signer", env, v.wavsSigData(t, ref, key2, key2), &bindings.PoaServiceManagerNotSorted{}},
		{"order before the signature", env, with(v.wavsSigData(t, ref, key0, key1), func(d *bindings.PoaServiceManagerSignatureData) { d.Signatures[1] = []byte{1} }), &bindings.PoaServiceManagerNotSorted{}},

		{"tampered payload", tampered(func(e *bindings.PoaServiceManagerEnvelope) { e.Payload = []byte{1} }), all, &bindings.PoaServiceManagerInvalidSignature{}},
		{"tampered event id", tampered(func(e *bindings.PoaServiceManagerEnvelope) { e.EventId[0] ^= 1 }), all, &bindings.PoaServiceManagerInvalidSignature{}},
		{"tampered ordering", tampered(func(e *bindings.PoaServiceManagerEnvelope) { e.Ordering[11] = 1 }), all, &bindings.PoaServiceManagerInvalidSignature{}},
		{"signatures swapped", env, with(v.wavsSigData(t, ref, key2, key1, key0), func(d *bindings.PoaServiceManagerSignatureData) {
			d.Signatures[0], d.Signatures[1] = d.Signatures[1], d.Signatures[0]
		}), &bindings.PoaServiceManagerInvalidSignature{}},
		{"another key's signature", env, with(v.wavsSigData(t, ref, key2), func(d *bindings.PoaServiceManagerSignatureData) { d.Signatures[0] = sig3 }), &bindings.PoaServiceManagerInvalidSignature{}},
		{"v = 0/1", env, with(v.wavsSigData(t, ref, key2), func(d *bindings.PoaServiceManagerSignatureData) { d.Signatures[0][64] -= 27 }), &bindings.PoaServiceManagerInvalidSignature{}},
		{"high s", env, with(v.wavsSigData(t, ref, key2), func(d *bindings.PoaServiceManagerSignatureData) { d.Signatures[0] = highS(d.Signatures[0]) }), &bindings.PoaServiceManagerInvalidSignature{}},
		{"64 bytes", env, with(v.wavsSigData(t, ref, key2), func(d *bindings.PoaServiceManagerSignatureData) { d.Signatures[0] = d.Signatures[0][:64] }), &bindings.PoaServiceManagerInvalidSignature{}},
		{"66 bytes", env, with(v.wavsSigData(t, ref, key2), func(d *bindings.PoaServiceManagerSignatureData) { d.Signatures[0] = append(d.Signatures[0], 0) }), &bindings.PoaServiceManagerInvalidSignature{}},
		{"empty signature", env, with(v.wavsSigData(t, ref, key2), func(d *bindings.PoaServiceManagerSignatureData) { d.Signatures[0] = []byte{} }), &bindings.PoaServiceManagerInvalidSignature{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := f.validate(t, tc.env, tc.sig); !sameRevert(tc.want, got) {
				t.Errorf("validate: %s, want %s", describe(got), describe(tc.want))
			}
		})
	}
}

// TestPoaValidateInvalidSignedWeight: the manager never lets one operator
// count twice, so a signed weight above the total cannot happen through its
// functions; the test lowers the recorded total weight in storage to see
// validate refuse it (and check the storage layout it assumes first).
func TestPoaValidateInvalidSignedWeight(t *testing.T) {
	t.Parallel()
	f := newWAVSFixture(t, wavsSetup{weights: []int64{1, 2, 3}})
	v := loadVectors(t)["short-payload"]
	ref := f.head(t) - 1
	all := v.wavsSigData(t, ref, f.keys[2], f.keys[1], f.keys[0])
	if got := f.validate(t, v.wavsEnvelope(), all); got != nil {
		t.Fatalf("before: %s", describe(got))
	}

	// _totalWeight is the array at slot 6: its length there, its entries
	// (uint48 since | uint208 value << 48) from keccak256(slot) on.
	storage := func(slot common.Hash) *big.Int {
		t.Helper()
		b, err := f.chain.Client.StorageAt(f.ctx, f.addrs.ServiceManager, slot, nil)
		if err != nil {
			t.Fatal(err)
		}
		return new(big.Int).SetBytes(b)
	}
	lengthSlot := common.BigToHash(big.NewInt(6))
	n := storage(lengthSlot)
	if n.Sign() == 0 {
		t.Fatal("no total weight history at slot 6: layout changed?")
	}
	last := common.BigToHash(new(big.Int).Add(new(big.Int).SetBytes(crypto.Keccak256(lengthSlot[:])), new(big.Int).Sub(n, big.NewInt(1))))
	entry := storage(last)
	if value := new(big.Int).Rsh(entry, 48); value.Int64() != 6 {
		t.Fatalf("last total weight entry holds %v, want 6: layout changed?", value)
	}
	since := new(big.Int).And(entry, big.NewInt(1<<48-1))
	lowered := new(big.Int).Or(since, new(big.Int).Lsh(big.NewInt(5), 48))
	if err := f.chain.RPC.CallContext(f.ctx, nil, "anvil_setStorageAt", f.addrs.ServiceManager, last, common.BigToHash(lowered)); err != nil {
		t.Fatal(err)
	}

	if got := f.validate(t, v.wavsEnvelope(), all); !sameRevert(&bindings.PoaServiceManagerInvalidSignedWeight{}, got) {
		t.Errorf("signed 6 of a total of 5: %s, want InvalidSignedWeight", describe(got))
	}
	if got := f.validate(t, v.wavsEnvelope(), v.wavsSigData(t, ref, f.keys[2], f.keys[1])); got != nil {
		t.Errorf("signed 5 of 5: %s, want a pass", describe(got))
	}
}

// TestPoaValidateAtReferenceBlock changes weights, the threshold, the
// quorum, the operator set and a signing key after a reference block:
// validate at that block must not notice.
func TestPoaValidateAtReferenceBlock(t *testing.T) {
	t.Parallel()
	f := newWAVSFixture(t, wavsSetup{weights: []int64{1, 1}}) // keys 0, 1; threshold 0; 2/3
	v := loadVectors(t)["short-payload"]
	key0, key1, key2 := f.keys[0], f.keys[1], f.keys[2]
	call := func(ref uint64, signers ...common.Address) any {
		t.Helper()
		return f.validate(t, v.wavsEnvelope(), v.wavsSigData(t, ref, signers...))
	}
	expect := func(step string, got, want any) {
		t.Helper()
		if !sameRevert(want, got) {
			t.Errorf("%s: %s, want %s", step, describe(got), describe(want))
		}
	}
	pm, addr := f.pm, f.addrs.ServiceManager
	opts := &bind.CallOpts{Context: f.ctx}
	operatorOf := func(key common.Address) common.Address {
		t.Helper()
		op, err := bind.Call(f.pmc, opts, pm.PackGetLatestOperatorForSigningKey(key), pm.UnpackGetLatestOperatorForSigningKey)
		if err != nil {
			t.Fatal(err)
		}
		return op
	}
	weightOf := func(op common.Address) int64 {
		t.Helper()
		w, err := bind.Call(f.pmc, opts, pm.PackGetOperatorWeight(op), pm.UnpackGetOperatorWeight)
		if err != nil {
			t.Fatal(err)
		}
		return w.Int64()
	}

	ref0 := f.head(t) - 1
	expect("ref0, one of 1+1", call(ref0, key1), poaQuorumErr(1, 2, 2))
	expect("ref0, both", call(ref0, key1, key0), nil)

	f.transact(t, "updateOperatorWeight", addr, pm.PackUpdateOperatorWeight(f.ops[1], big.NewInt(10)))
	ref1 := f.mine(t)
	expect("ref0 after the weight change", call(ref0, key1), poaQuorumErr(1, 2, 2))
	expect("ref1, 10 of 11", call(ref1, key1), nil)
	if w := weightOf(f.ops[1]); w != 10 {
		t.Errorf("getOperatorWeight = %d, want 10", w)
	}

	f.transact(t, "updateStakeThreshold", addr, pm.PackUpdateStakeThreshold(big.NewInt(11)))
	ref2 := f.mine(t)
	expect("ref1 after the threshold change", call(ref1, key1), nil)
	expect("ref2, 10 below threshold 11", call(ref2, key1), &bindings.PoaServiceManagerInsufficientSignedStake{})
	expect("ref2, both: 11", call(ref2, key1, key0), nil)

	f.transact(t, "updateStakeThreshold", addr, pm.PackUpdateStakeThreshold(big.NewInt(0)))
	f.transact(t, "updateQuorum", addr, pm.PackUpdateQuorum(big.NewInt(1), big.NewInt(1)))
	ref3 := f.mine(t)
	expect("ref2 after the quorum change", call(ref2, key1), &bindings.PoaServiceManagerInsufficientSignedStake{})
	expect("ref3, 10 of 11 under 1/1", call(ref3, key1), poaQuorumErr(10, 1, 11))

	// Deregistered: weight 0, the key still maps to the operator.
	f.transact(t, "deregisterOperator", addr, pm.PackDeregisterOperator(f.ops[0]))
	ref4 := f.mine(t)
	expect("ref3 after deregistering", call(ref3, key1, key0), nil)
	expect("ref4, deregistered key counts 0", call(ref4, key1, key0), nil)
	expect("ref4, deregistered key alone", call(ref4, key0), poaQuorumErr(0, 1, 10))
	expect("ref3, deregistered key alone", call(ref3, key0), poaQuorumErr(1, 1, 11))
	if op := operatorOf(key0); op != f.ops[0] {
		t.Errorf("operator of a deregistered operator's key: %s, want %s", op, f.ops[0])
	}
	if w := weightOf(f.ops[0]); w != 0 {
		t.Errorf("weight of a deregistered operator %d", w)
	}

	// Rotated: the old key maps to no one from this block on.
	f.transact(t, "updateOperatorSigningKey", addr, pm.PackUpdateOperatorSigningKey(f.ops[1], key2))
	ref5 := f.mine(t)
	expect("ref4 after rotating", call(ref4, key1), nil)
	expect("ref5, old key", call(ref5, key1), &bindings.PoaServiceManagerSignerNotRegistered{})
	expect("ref5, new key", call(ref5, key2), nil)
	expect("ref4, new key", call(ref4, key2), &bindings.PoaServiceManagerSignerNotRegistered{})
	if op := operatorOf(key1); op != (common.Address{}) {
		t.Errorf("operator of a rotated-away key: %s, want none", op)
	}

	// Registered again with its old key: counts again.
	f.transact(t, "registerOperator", addr, pm.PackRegisterOperator(f.ops[0], key0, big.NewInt(10)))
	ref6 := f.mine(t)
	expect("ref6, re-registered key alone", call(ref6, key0), poaQuorumErr(10, 1, 20))
	expect("ref6, both", call(ref6, key2, key0), nil)
	expect("ref5 after re-registering", call(ref5, key0), poaQuorumErr(0, 1, 10))
}

// TestPoaOwnerFunctions checks what initialize and the owner's functions
// refuse, by simulating each call through the proxy.
func TestPoaOwnerFunctions(t *testing.T) {
	t.Parallel()
	f := newWAVSFixture(t, wavsSetup{weights: []int64{1, 1}})
	owner, stranger := f.chain.Accounts[0], f.chain.Accounts[3]
	newOp, newKey := f.chain.Accounts[8], f.chain.Accounts[9]
	pm := f.pm
	one, zero := big.NewInt(1), big.NewInt(0)
	max64 := new(big.Int).SetUint64(1<<64 - 1)
	over64 := new(big.Int).Lsh(big.NewInt(1), 64)
	over128 := new(big.Int).Lsh(big.NewInt(1), 128)
	max256 := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	notOwner := &bindings.PoaServiceManagerNotOwner{}
	cases := []struct {
		name string
		from common.Address
		data []byte
		want any
	}{
		{"stranger registers", stranger, pm.PackRegisterOperator(newOp, newKey, one), notOwner},
		{"stranger updates a weight", stranger, pm.PackUpdateOperatorWeight(f.ops[0], one), notOwner},
		{"stranger deregisters", stranger, pm.PackDeregisterOperator(f.ops[0]), notOwner},
		{"stranger rotates a key", stranger, pm.PackUpdateOperatorSigningKey(f.ops[0], newKey), notOwner},
		{"stranger sets the threshold", stranger, pm.PackUpdateStakeThreshold(one), notOwner},
		{"stranger sets the quorum", stranger, pm.PackUpdateQuorum(one, one), notOwner},
		{"stranger sets the URI", stranger, pm.PackSetServiceURI("x"), notOwner},
		{"stranger takes ownership", stranger, pm.PackTransferOwnership(stranger), notOwner},
		{"initialize again", stranger, pm.PackInitialize(stranger, zero, one, one), &bindings.PoaServiceManagerInvalidInitialization{}},
		{"owner initializes again", owner, pm.PackInitialize(owner, zero, one, one), &bindings.PoaServiceManagerInvalidInitialization{}},

		{"register", owner, pm.PackRegisterOperator(newOp, newKey, one), nil},
		{"register zero operator", owner, pm.PackRegisterOperator(common.Address{}, newKey, one), &bindings.PoaServiceManagerZeroAddress{}},
		{"register zero key", owner, pm.PackRegisterOperator(newOp, common.Address{}, one), &bindings.PoaServiceManagerZeroAddress{}},
		{"register twice", owner, pm.PackRegisterOperator(f.ops[0], newKey, one), &bindings.PoaServiceManagerOperatorAlreadyRegistered{}},
		{"register zero weight", owner, pm.PackRegisterOperator(newOp, newKey, zero), &bindings.PoaServiceManagerInvalidWeight{}},
		{"register a used key", owner, pm.PackRegisterOperator(newOp, f.keys[1], one), &bindings.PoaServiceManagerSigningKeyAlreadyUsed{}},
		{"register above the total cap", owner, pm.PackRegisterOperator(newOp, newKey, over128), &bindings.PoaServiceManagerInvalidWeight{}},
		{"register 2^256-1", owner, pm.PackRegisterOperator(newOp, newKey, max256), &bindings.PoaServiceManagerInvalidWeight{}},

		{"update a weight", owner, pm.PackUpdateOperatorWeight(f.ops[0], big.NewInt(5)), nil},
		{"update an unknown operator", owner, pm.PackUpdateOperatorWeight(newOp, one), &bindings.PoaServiceManagerOperatorNotRegistered{}},
		{"update to zero", owner, pm.PackUpdateOperatorWeight(f.ops[0], zero), &bindings.PoaServiceManagerInvalidWeight{}},
		{"deregister an unknown operator", owner, pm.PackDeregisterOperator(newOp), &bindings.PoaServiceManagerOperatorNotRegistered{}},

		{"rotate to a free key", owner, pm.PackUpdateOperatorSigningKey(f.ops[0], newKey), nil},
		{"rotate to its own key", owner, pm.PackUpdateOperatorSigningKey(f.ops[0], f.keys[0]), nil},
		{"rotate to a used key", owner, pm.PackUpdateOperatorSigningKey(f.ops[0], f.keys[1]), &bindings.PoaServiceManagerSigningKeyAlreadyUsed{}},
		{"rotate to zero", owner, pm.PackUpdateOperatorSigningKey(f.ops[0], common.Address{}), &bindings.PoaServiceManagerZeroAddress{}},
		{"rotate an unknown operator", owner, pm.PackUpdateOperatorSigningKey(newOp, newKey), &bindings.PoaServiceManagerOperatorNotRegistered{}},

		{"threshold 0", owner, pm.PackUpdateStakeThreshold(zero), nil},
		{"threshold 2^256-1", owner, pm.PackUpdateStakeThreshold(max256), nil},
		{"quorum 0/1", owner, pm.PackUpdateQuorum(zero, one), nil},
		{"quorum 1/1", owner, pm.PackUpdateQuorum(one, one), nil},
		{"quorum (2^64-1)/(2^64-1)", owner, pm.PackUpdateQuorum(max64, max64), nil},
		{"quorum 0/0", owner, pm.PackUpdateQuorum(zero, zero), &bindings.PoaServiceManagerInvalidQuorum{}},
		{"quorum 1/0", owner, pm.PackUpdateQuorum(one, zero), &bindings.PoaServiceManagerInvalidQuorum{}},
		{"quorum 3/2", owner, pm.PackUpdateQuorum(big.NewInt(3), big.NewInt(2)), &bindings.PoaServiceManagerInvalidQuorum{}},
		{"quorum 1/2^64", owner, pm.PackUpdateQuorum(one, over64), &bindings.PoaServiceManagerInvalidQuorum{}},

		{"ownership to zero", owner, pm.PackTransferOwnership(common.Address{}), &bindings.PoaServiceManagerZeroAddress{}},
		{"ownership to another", owner, pm.PackTransferOwnership(stranger), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.pmc.CallRaw(&bind.CallOpts{Context: f.ctx, From: tc.from}, tc.data)
			if got := f.revertOf(t, err); !sameRevert(tc.want, got) {
				t.Errorf("%s, want %s", describe(got), describe(tc.want))
			}
		})
	}
}

// TestPoaViewsAndEvents reads the IWavsServiceManager views and the events
// of setServiceURI and updateQuorum.
func TestPoaViewsAndEvents(t *testing.T) {
	t.Parallel()
	f := newWAVSFixture(t, wavsSetup{weights: []int64{4, 7}})
	pm := f.pm
	opts := &bind.CallOpts{Context: f.ctx}
	address := func(name string, data []byte, unpack func([]byte) (common.Address, error)) common.Address {
		t.Helper()
		a, err := bind.Call(f.pmc, opts, data, unpack)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return a
	}
	for name, got := range map[string]common.Address{
		"getAllocationManager": address("getAllocationManager", pm.PackGetAllocationManager(), pm.UnpackGetAllocationManager),
		"getDelegationManager": address("getDelegationManager", pm.PackGetDelegationManager(), pm.UnpackGetDelegationManager),
		"getStakeRegistry":     address("getStakeRegistry", pm.PackGetStakeRegistry(), pm.UnpackGetStakeRegistry),
	} {
		if got != (common.Address{}) {
			t.Errorf("%s() = %s, want zero", name, got)
		}
	}
	if got := address("owner", pm.PackOwner(), pm.UnpackOwner); got != f.chain.Accounts[0] {
		t.Errorf("owner() = %s, want the deployer", got)
	}
	for i, w := range []int64{4, 7} {
		got, err := bind.Call(f.pmc, opts, pm.PackGetOperatorWeight(f.ops[i]), pm.UnpackGetOperatorWeight)
		if err != nil || got.Int64() != w {
			t.Errorf("getOperatorWeight(operator %d) = %v, %v; want %d", i, got, err, w)
		}
		op := address("getLatestOperatorForSigningKey", pm.PackGetLatestOperatorForSigningKey(f.keys[i]), pm.UnpackGetLatestOperatorForSigningKey)
		if op != f.ops[i] {
			t.Errorf("operator of key %d = %s, want %s", i, op, f.ops[i])
		}
	}
	if op := address("getLatestOperatorForSigningKey", pm.PackGetLatestOperatorForSigningKey(f.chain.Accounts[9]), pm.UnpackGetLatestOperatorForSigningKey); op != (common.Address{}) {
		t.Errorf("operator of an unknown key = %s", op)
	}
	if uri, err := bind.Call(f.pmc, opts, pm.PackGetServiceURI(), pm.UnpackGetServiceURI); err != nil || uri != "http://127.0.0.1:9/wavs.json" {
		t.Errorf("getServiceURI() after deploy = %q, %v", uri, err)
	}

	const next = "ipfs://bafy-example/wavs.json"
	tx, err := f.owner.Transact(f.ctx, "setServiceURI", f.addrs.ServiceManager, pm.PackSetServiceURI(next))
	if err != nil {
		t.Fatal(err)
	}
	receipts, err := f.owner.Wait(f.ctx, tx)
	if err != nil {
		t.Fatal(err)
	}
	if logs := receipts[0].Logs; len(logs) != 1 {
		t.Errorf("%d logs, want one ServiceURIUpdated", len(logs))
	} else if ev, err := pm.UnpackServiceURIUpdatedEvent(logs[0]); err != nil || ev.ServiceURI != next || logs[0].Address != f.addrs.ServiceManager {
		t.Errorf("ServiceURIUpdated %+v, %v; want %q from the proxy", ev, err, next)
	}
	if uri, err := bind.Call(f.pmc, opts, pm.PackGetServiceURI(), pm.UnpackGetServiceURI); err != nil || uri != next {
		t.Errorf("getServiceURI() = %q, %v; want %q", uri, err, next)
	}

	tx, err = f.owner.Transact(f.ctx, "updateQuorum", f.addrs.ServiceManager, pm.PackUpdateQuorum(big.NewInt(3), big.NewInt(5)))
	if err != nil {
		t.Fatal(err)
	}
	if receipts, err = f.owner.Wait(f.ctx, tx); err != nil {
		t.Fatal(err)
	}
	var quorums []string
	for _, l := range receipts[0].Logs {
		if ev, err := pm.UnpackQuorumThresholdUpdatedEvent(l); err == nil {
			quorums = append(quorums, ev.Numerator.String()+"/"+ev.Denominator.String())
			if len(l.Topics) != 3 || l.Topics[1] != common.BigToHash(big.NewInt(3)) || l.Topics[2] != common.BigToHash(big.NewInt(5)) {
				t.Errorf("QuorumThresholdUpdated topics %v, want the terms indexed", l.Topics)
			}
		}
	}
	if !slices.Equal(quorums, []string{"3/5"}) {
		t.Errorf("QuorumThresholdUpdated events %q, want [3/5]", quorums)
	}
}
