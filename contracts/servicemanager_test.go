package contracts_test

import (
	"bytes"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/wavs-go/wavs/contracts/bindings"
)

// TestVectorEncoding checks, without a chain, that the bindings' Envelope
// encodes and hashes as the vectors say.
func TestVectorEncoding(t *testing.T) {
	for name, v := range loadVectors(t) {
		t.Run(name, func(t *testing.T) {
			enc := encodeEnvelope(t, v.envelope())
			if !bytes.Equal(enc, v.Encoded) {
				t.Fatalf("abi.encode(envelope) = %x\nwant %x", enc, []byte(v.Encoded))
			}
			digest := crypto.Keccak256([]byte("\x19Ethereum Signed Message:\n32"), crypto.Keccak256(enc))
			if !bytes.Equal(digest, v.EIP191Digest) {
				t.Errorf("digest %x, want %x", digest, []byte(v.EIP191Digest))
			}
		})
	}
}

func bigs(xs ...int64) []*big.Int {
	out := make([]*big.Int, len(xs))
	for i, x := range xs {
		out[i] = big.NewInt(x)
	}
	return out
}

func quorumErr(signed, threshold, total int64) *bindings.ServiceManagerInsufficientQuorum {
	b := bigs(signed, threshold, total)
	return &bindings.ServiceManagerInsufficientQuorum{SignerWeight: b[0], ThresholdWeight: b[1], TotalWeight: b[2]}
}

// TestValidate runs the vectors' signatures through validate with two
// operators of weight 1 each under the 2/3 quorum: both must sign.
func TestValidate(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	vs := loadVectors(t)
	v := vs["empty-payload"]
	three := vs["short-payload"] // also signed by dev key 2, which is no signing key here
	key0, key1 := f.keys[0], f.keys[1]
	key2 := f.chain.Accounts[2]
	if !(bytes.Compare(key1[:], key0[:]) < 0 && bytes.Compare(key2[:], key1[:]) < 0) {
		t.Fatal("the cases below assume key2 < key1 < key0")
	}
	ref := f.head(t) - 1
	head := f.head(t)

	cases := []struct {
		name string
		env  bindings.ServiceManagerEnvelope
		sig  bindings.ServiceManagerSignatureData
		want any
	}{
		{"both operators, sorted", v.envelope(), v.sigData(t, ref, key1, key0), nil},
		{"vector's signers_sorted", v.envelope(), v.sigData(t, ref, v.SignersSorted...), nil},
		{"other vector, ordering set", vs["long-payload-ordering"].envelope(), vs["long-payload-ordering"].sigData(t, ref, key1, key0), nil},
		{"one of two", v.envelope(), v.sigData(t, ref, key1), quorumErr(1, 2, 2)},
		{"the other one of two", v.envelope(), v.sigData(t, ref, key0), quorumErr(1, 2, 2)},
		{"unsorted", v.envelope(), v.sigData(t, ref, key0, key1), &bindings.ServiceManagerInvalidSignatureOrder{}},
		{"duplicate signer", v.envelope(), v.sigData(t, ref, key1, key1), &bindings.ServiceManagerInvalidSignatureOrder{}},
		{"unregistered signer", three.envelope(), three.sigData(t, ref, key2, key1, key0), &bindings.ServiceManagerInvalidSigner{}},
		{"tampered payload", func() bindings.ServiceManagerEnvelope {
			e := v.envelope()
			e.Payload = []byte{1}
			return e
		}(), v.sigData(t, ref, key1, key0), &bindings.ServiceManagerInvalidSignature{}},
		{"tampered ordering", func() bindings.ServiceManagerEnvelope {
			e := v.envelope()
			e.Ordering[11] = 1
			return e
		}(), v.sigData(t, ref, key1, key0), &bindings.ServiceManagerInvalidSignature{}},
		{"signatures swapped", v.envelope(), func() bindings.ServiceManagerSignatureData {
			d := v.sigData(t, ref, key1, key0)
			d.Signatures[0], d.Signatures[1] = d.Signatures[1], d.Signatures[0]
			return d
		}(), &bindings.ServiceManagerInvalidSignature{}},
		{"v = 0/1", v.envelope(), func() bindings.ServiceManagerSignatureData {
			d := v.sigData(t, ref, key1, key0)
			d.Signatures[0][64] -= 27
			return d
		}(), &bindings.ServiceManagerInvalidSignature{}},
		{"high s", v.envelope(), func() bindings.ServiceManagerSignatureData {
			d := v.sigData(t, ref, key1, key0)
			d.Signatures[0] = highS(d.Signatures[0])
			return d
		}(), &bindings.ServiceManagerInvalidSignature{}},
		{"short signature", v.envelope(), func() bindings.ServiceManagerSignatureData {
			d := v.sigData(t, ref, key1, key0)
			d.Signatures[0] = d.Signatures[0][:64]
			return d
		}(), &bindings.ServiceManagerInvalidSignature{}},
		{"reference block = current block", v.envelope(), v.sigData(t, head, key1, key0), &bindings.ServiceManagerInvalidSignatureBlock{}},
		{"reference block in the future", v.envelope(), v.sigData(t, head+100, key1, key0), &bindings.ServiceManagerInvalidSignatureBlock{}},
		{"reference block before registration", v.envelope(), v.sigData(t, 0, key1, key0), &bindings.ServiceManagerInvalidSigner{}},
		{"no signers", v.envelope(), v.sigData(t, ref), &bindings.ServiceManagerInvalidSignatureLength{}},
		{"fewer signatures than signers", v.envelope(), func() bindings.ServiceManagerSignatureData {
			d := v.sigData(t, ref, key1, key0)
			d.Signatures = d.Signatures[:1]
			return d
		}(), &bindings.ServiceManagerInvalidSignatureLength{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := f.validate(t, tc.env, tc.sig); !sameRevert(tc.want, got) {
				t.Errorf("validate: %s, want %s", describe(got), describe(tc.want))
			}
		})
	}
}

// highS returns the malleable twin of a low-s signature: (r, n - s, v^1).
func highS(sig []byte) []byte {
	n := crypto.S256().Params().N
	s := new(big.Int).SetBytes(sig[32:64])
	out := append([]byte{}, sig...)
	new(big.Int).Sub(n, s).FillBytes(out[32:64])
	out[64] ^= 1 // 27 ↔ 28
	return out
}

// TestValidateAtReferenceBlock changes weights, the quorum and the operator
// set after a reference block: validate at that block must not notice.
func TestValidateAtReferenceBlock(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	v := loadVectors(t)["empty-payload"]
	key0, key1 := f.keys[0], f.keys[1]
	call := func(ref uint64, signers ...common.Address) any {
		return f.validate(t, v.envelope(), v.sigData(t, ref, signers...))
	}
	expect := func(step string, got, want any) {
		t.Helper()
		if !sameRevert(want, got) {
			t.Errorf("%s: %s, want %s", step, describe(got), describe(want))
		}
	}
	opts := &bind.CallOpts{Context: f.ctx}
	weightAt := func(op common.Address, block uint64) *big.Int {
		t.Helper()
		w, err := bind.Call(f.smc, opts, f.sm.PackGetOperatorWeightAt(op, new(big.Int).SetUint64(block)), f.sm.UnpackGetOperatorWeightAt)
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	totalAt := func(block uint64) *big.Int {
		t.Helper()
		w, err := bind.Call(f.smc, opts, f.sm.PackGetTotalWeightAt(new(big.Int).SetUint64(block)), f.sm.UnpackGetTotalWeightAt)
		if err != nil {
			t.Fatal(err)
		}
		return w
	}

	ref0 := f.head(t) - 1
	expect("ref0, one of 1+1", call(ref0, key1), quorumErr(1, 2, 2))
	expect("ref0, both", call(ref0, key1, key0), nil)

	// Operator 1 (key1) grows to 10 of 11: alone it meets 2/3 from now on.
	f.transact(t, "updateOperatorWeight", f.addrs.ServiceManager, f.sm.PackUpdateOperatorWeight(f.ops[1], big.NewInt(10)))
	ref1 := f.mine(t)
	expect("ref0 after the weight change", call(ref0, key1), quorumErr(1, 2, 2))
	expect("ref1, key1 alone with 10 of 11", call(ref1, key1), nil)
	if w := weightAt(f.ops[1], ref0); w.Int64() != 1 {
		t.Errorf("weight at ref0 %v, want 1", w)
	}
	if w := weightAt(f.ops[1], ref1); w.Int64() != 10 {
		t.Errorf("weight at ref1 %v, want 10", w)
	}
	if w := totalAt(ref0); w.Int64() != 2 {
		t.Errorf("total at ref0 %v, want 2", w)
	}
	if w := totalAt(ref1); w.Int64() != 11 {
		t.Errorf("total at ref1 %v, want 11", w)
	}

	// The quorum becomes 1/1: key1 alone no longer suffices, but only
	// from this block on.
	f.transact(t, "setQuorum", f.addrs.ServiceManager, f.sm.PackSetQuorum(big.NewInt(1), big.NewInt(1)))
	ref2 := f.mine(t)
	expect("ref1 after the quorum change", call(ref1, key1), nil)
	expect("ref2, key1 alone under 1/1", call(ref2, key1), quorumErr(10, 11, 11))
	expect("ref2, both under 1/1", call(ref2, key1, key0), nil)

	// Operator 0 leaves: its key stops counting from this block on.
	f.transact(t, "deregisterOperator", f.addrs.ServiceManager, f.sm.PackDeregisterOperator(f.ops[0]))
	ref3 := f.mine(t)
	expect("ref2 after deregistering", call(ref2, key1, key0), nil)
	expect("ref3, deregistered key", call(ref3, key1, key0), &bindings.ServiceManagerInvalidSigner{})
	expect("ref3, key1 alone is all the weight", call(ref3, key1), nil)

	op, err := bind.Call(f.smc, opts, f.sm.PackGetOperatorForSigningKeyAt(key0, new(big.Int).SetUint64(ref2)), f.sm.UnpackGetOperatorForSigningKeyAt)
	if err != nil || op != f.ops[0] {
		t.Errorf("operator of key0 at ref2: %s, %v; want %s", op, err, f.ops[0])
	}
	latest, err := bind.Call(f.smc, opts, f.sm.PackGetLatestOperatorForSigningKey(key0), f.sm.UnpackGetLatestOperatorForSigningKey)
	if err != nil || latest != (common.Address{}) {
		t.Errorf("latest operator of key0: %s, %v; want none", latest, err)
	}

	// A lookup at a block that is not past yet is refused.
	future := new(big.Int).SetUint64(f.head(t) + 10)
	_, err = bind.Call(f.smc, opts, f.sm.PackGetTotalWeightAt(future), f.sm.UnpackGetTotalWeightAt)
	if got, ok := f.revertOf(t, err).(*bindings.ServiceManagerFutureLookup); !ok || got.BlockNumber.Cmp(future) != 0 {
		t.Errorf("getTotalWeightAt(future): %s, want FutureLookup", describe(got))
	}
}

// TestServiceManagerOwnerFunctions checks what the owner's functions refuse,
// by simulating each call (eth_call from the caller).
func TestServiceManagerOwnerFunctions(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	owner, stranger := f.chain.Accounts[0], f.chain.Accounts[3]
	newOp, newKey := f.chain.Accounts[7], f.chain.Accounts[8]
	sm := f.sm
	cases := []struct {
		name string
		from common.Address
		data []byte
		want any
	}{
		{"stranger registers", stranger, sm.PackRegisterOperator(newOp, newKey, big.NewInt(1)), &bindings.ServiceManagerNotOwner{Caller: stranger}},
		{"stranger sets the URI", stranger, sm.PackSetServiceURI("x"), &bindings.ServiceManagerNotOwner{Caller: stranger}},
		{"stranger sets the quorum", stranger, sm.PackSetQuorum(big.NewInt(1), big.NewInt(2)), &bindings.ServiceManagerNotOwner{Caller: stranger}},
		{"stranger takes ownership", stranger, sm.PackTransferOwnership(stranger), &bindings.ServiceManagerNotOwner{Caller: stranger}},
		{"register", owner, sm.PackRegisterOperator(newOp, newKey, big.NewInt(1)), nil},
		{"register zero weight", owner, sm.PackRegisterOperator(newOp, newKey, big.NewInt(0)), &bindings.ServiceManagerInvalidWeight{Weight: big.NewInt(0)}},
		{"register zero operator", owner, sm.PackRegisterOperator(common.Address{}, newKey, big.NewInt(1)), &bindings.ServiceManagerZeroAddress{}},
		{"register twice", owner, sm.PackRegisterOperator(f.ops[0], newKey, big.NewInt(1)), &bindings.ServiceManagerOperatorAlreadyRegistered{Operator: f.ops[0]}},
		{"register a used key", owner, sm.PackRegisterOperator(newOp, f.keys[1], big.NewInt(1)), &bindings.ServiceManagerSigningKeyInUse{SigningKey: f.keys[1], Operator: f.ops[1]}},
		{"register above the total cap", owner, sm.PackRegisterOperator(newOp, newKey, new(big.Int).Lsh(big.NewInt(1), 128)), &bindings.ServiceManagerInvalidWeight{Weight: new(big.Int).Lsh(big.NewInt(1), 128)}},
		{"update an unknown operator", owner, sm.PackUpdateOperatorWeight(newOp, big.NewInt(2)), &bindings.ServiceManagerOperatorNotRegistered{Operator: newOp}},
		{"update to zero", owner, sm.PackUpdateOperatorWeight(f.ops[0], big.NewInt(0)), &bindings.ServiceManagerInvalidWeight{Weight: big.NewInt(0)}},
		{"rotate to a used key", owner, sm.PackUpdateOperatorSigningKey(f.ops[0], f.keys[1]), &bindings.ServiceManagerSigningKeyInUse{SigningKey: f.keys[1], Operator: f.ops[1]}},
		{"rotate to a free key", owner, sm.PackUpdateOperatorSigningKey(f.ops[0], newKey), nil},
		{"deregister an unknown operator", owner, sm.PackDeregisterOperator(newOp), &bindings.ServiceManagerOperatorNotRegistered{Operator: newOp}},
		{"quorum 3/2", owner, sm.PackSetQuorum(big.NewInt(3), big.NewInt(2)), &bindings.ServiceManagerInvalidQuorum{Numerator: big.NewInt(3), Denominator: big.NewInt(2)}},
		{"quorum 0/1", owner, sm.PackSetQuorum(big.NewInt(0), big.NewInt(1)), &bindings.ServiceManagerInvalidQuorum{Numerator: big.NewInt(0), Denominator: big.NewInt(1)}},
		{"quorum 1/1", owner, sm.PackSetQuorum(big.NewInt(1), big.NewInt(1)), nil},
		{"ownership to zero", owner, sm.PackTransferOwnership(common.Address{}), &bindings.ServiceManagerZeroAddress{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.smc.CallRaw(&bind.CallOpts{Context: f.ctx, From: tc.from}, tc.data)
			if got := f.revertOf(t, err); !sameRevert(tc.want, got) {
				t.Errorf("%s, want %s", describe(got), describe(tc.want))
			}
		})
	}
}

// TestServiceURI sets the URI and reads it back and from the event.
func TestServiceURI(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	opts := &bind.CallOpts{Context: f.ctx}
	uri, err := bind.Call(f.smc, opts, f.sm.PackGetServiceURI(), f.sm.UnpackGetServiceURI)
	if err != nil || uri != "http://127.0.0.1:9/service.json" {
		t.Fatalf("URI after deploy %q, %v", uri, err)
	}

	const next = "ipfs://bafy-example/service.json"
	tx, err := f.owner.Transact(f.ctx, "setServiceURI", f.addrs.ServiceManager, f.sm.PackSetServiceURI(next))
	if err != nil {
		t.Fatal(err)
	}
	receipts, err := f.owner.Wait(f.ctx, tx)
	if err != nil {
		t.Fatal(err)
	}
	var events []string
	for _, l := range receipts[0].Logs {
		ev, err := f.sm.UnpackServiceURIUpdatedEvent(l)
		if err != nil {
			t.Fatalf("log %v: %v", l.Topics, err)
		}
		events = append(events, ev.ServiceURI)
	}
	if len(events) != 1 || events[0] != next {
		t.Errorf("ServiceURIUpdated events %q, want [%q]", events, next)
	}
	if uri, err := bind.Call(f.smc, opts, f.sm.PackGetServiceURI(), f.sm.UnpackGetServiceURI); err != nil || uri != next {
		t.Errorf("getServiceURI() = %q, %v; want %q", uri, err, next)
	}
}
