package contracts_test

import (
	"bytes"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"

	"github.com/wavs-go/wavs/contracts/bindings"
	"github.com/wavs-go/wavs/contracts/deploy"
)

// TestExampleHandler hands envelopes to the handler of the wavs pair (two
// operators of weight 1, quorum 2/3: both must sign): a DataWithId payload
// is stored under its trigger id, silently; the same envelope again is
// accepted and stored again; a later one for the same id replaces it.
func TestExampleHandler(t *testing.T) {
	t.Parallel()
	f := newWAVSFixture(t, wavsSetup{weights: []int64{1, 1}})
	eh := f.eh
	opts := &bind.CallOpts{Context: f.ctx}
	ref := f.head(t) - 1

	if got, err := bind.Call(f.ehc, opts, eh.PackGetServiceManager(), eh.UnpackGetServiceManager); err != nil || got != f.addrs.ServiceManager {
		t.Fatalf("getServiceManager() = %s, %v; want the proxy %s", got, err, f.addrs.ServiceManager)
	}

	// signed is an envelope with payload, signed by both operators.
	signed := func(eventID byte, payload []byte) (bindings.ExampleHandlerEnvelope, bindings.ExampleHandlerSignatureData) {
		e := bindings.PoaServiceManagerEnvelope{EventId: [20]byte{eventID}, Ordering: [12]byte{11: eventID}, Payload: payload}
		return bindings.ExampleHandlerEnvelope(e), bindings.ExampleHandlerSignatureData{
			Signers:        []common.Address{f.keys[1], f.keys[0]},
			Signatures:     [][]byte{signWAVS(t, f.signer[1], e), signWAVS(t, f.signer[0], e)},
			ReferenceBlock: uint32(ref),
		}
	}
	stored := func(id uint64) (bool, []byte, bindings.ExampleHandlerSignatureData) {
		t.Helper()
		ok, err := bind.Call(f.ehc, opts, eh.PackIsValidTriggerId(id), eh.UnpackIsValidTriggerId)
		if err != nil {
			t.Fatal(err)
		}
		data, err := bind.Call(f.ehc, opts, eh.PackGetData(id), eh.UnpackGetData)
		if err != nil {
			t.Fatal(err)
		}
		sig, err := bind.Call(f.ehc, opts, eh.PackGetSignatureData(id), eh.UnpackGetSignatureData)
		if err != nil {
			t.Fatal(err)
		}
		return ok, data, sig
	}
	sameSigData := func(a, b bindings.ExampleHandlerSignatureData) bool {
		if a.ReferenceBlock != b.ReferenceBlock || len(a.Signers) != len(b.Signers) || len(a.Signatures) != len(b.Signatures) {
			return false
		}
		for i := range a.Signers {
			if a.Signers[i] != b.Signers[i] || !bytes.Equal(a.Signatures[i], b.Signatures[i]) {
				return false
			}
		}
		return true
	}

	env, sig := signed(1, deploy.EncodeDataWithID(7, []byte("forty-nine")))
	handle := eh.PackHandleSignedEnvelope(env, sig)
	for i := range 2 { // the second time is a replay: accepted all the same
		tx, err := f.owner.Transact(f.ctx, "handleSignedEnvelope", f.addrs.ServiceHandler, handle)
		if err != nil {
			t.Fatalf("handling %d: %v", i+1, err)
		}
		receipts, err := f.owner.Wait(f.ctx, tx)
		if err != nil {
			t.Fatalf("handling %d: %v", i+1, err)
		}
		if r := receipts[0]; r.Status != 1 || len(r.Logs) != 0 {
			t.Errorf("handling %d: status %d, %d logs; want 1 and none", i+1, r.Status, len(r.Logs))
		}
		ok, data, got := stored(7)
		if !ok || string(data) != "forty-nine" || !sameSigData(got, sig) {
			t.Errorf("after handling %d: valid %v, data %q, signatures %+v", i+1, ok, data, got)
		}
	}

	// Another envelope for trigger 7, with an empty data, replaces it.
	env2, sig2 := signed(2, deploy.EncodeDataWithID(7, nil))
	f.transact(t, "handleSignedEnvelope(2)", f.addrs.ServiceHandler, eh.PackHandleSignedEnvelope(env2, sig2))
	if ok, data, got := stored(7); !ok || len(data) != 0 || !sameSigData(got, sig2) {
		t.Errorf("after a second envelope for trigger 7: valid %v, data %q, signatures %+v", ok, data, got)
	}
	if ok, data, got := stored(8); ok || len(data) != 0 || len(got.Signers) != 0 {
		t.Errorf("trigger 8, never handled: valid %v, data %q, signatures %+v", ok, data, got)
	}
}

// TestExampleHandlerRefuses: the manager's error comes back through the
// handler unchanged, and a validated payload that is not DataWithId
// reverts (without data, as abi.decode fails).
func TestExampleHandlerRefuses(t *testing.T) {
	t.Parallel()
	f := newWAVSFixture(t, wavsSetup{weights: []int64{1, 1}})
	eh := f.eh
	ref := f.head(t) - 1
	vs := loadVectors(t)
	good := deploy.EncodeDataWithID(3, []byte("x"))
	goodEnv := bindings.PoaServiceManagerEnvelope{EventId: [20]byte{9}, Payload: good}
	both := func(e bindings.PoaServiceManagerEnvelope) bindings.ExampleHandlerSignatureData {
		return bindings.ExampleHandlerSignatureData{
			Signers:        []common.Address{f.keys[1], f.keys[0]},
			Signatures:     [][]byte{signWAVS(t, f.signer[1], e), signWAVS(t, f.signer[0], e)},
			ReferenceBlock: uint32(ref),
		}
	}
	cases := []struct {
		name string
		env  bindings.PoaServiceManagerEnvelope
		sig  bindings.ExampleHandlerSignatureData
		want any
	}{
		{"accepted", goodEnv, both(goodEnv), nil},
		{"one signer of two", goodEnv, bindings.ExampleHandlerSignatureData{
			Signers: []common.Address{f.keys[1]}, Signatures: [][]byte{signWAVS(t, f.signer[1], goodEnv)}, ReferenceBlock: uint32(ref),
		}, poaQuorumErr(1, 2, 2)},
		{"unsorted", goodEnv, func() bindings.ExampleHandlerSignatureData {
			d := both(goodEnv)
			d.Signers[0], d.Signers[1] = d.Signers[1], d.Signers[0]
			d.Signatures[0], d.Signatures[1] = d.Signatures[1], d.Signatures[0]
			return d
		}(), &bindings.PoaServiceManagerNotSorted{}},
		{"current block", goodEnv, func() bindings.ExampleHandlerSignatureData {
			d := both(goodEnv)
			d.ReferenceBlock++
			return d
		}(), &bindings.PoaServiceManagerInvalidReferenceBlock{}},
		{"no signers", goodEnv, bindings.ExampleHandlerSignatureData{Signers: []common.Address{}, Signatures: [][]byte{}, ReferenceBlock: uint32(ref)}, &bindings.PoaServiceManagerInvalidLength{}},
	}
	// The vectors' payloads are not DataWithId; their signatures pass validate.
	for _, name := range []string{"empty-payload", "short-payload", "long-payload-ordering"} {
		v := vs[name]
		cases = append(cases, struct {
			name string
			env  bindings.PoaServiceManagerEnvelope
			sig  bindings.ExampleHandlerSignatureData
			want any
		}{"payload of " + name, v.wavsEnvelope(), bindings.ExampleHandlerSignatureData(v.wavsSigData(t, ref, f.keys[1], f.keys[0])), errNoData{}})
		if got := f.validate(t, v.wavsEnvelope(), v.wavsSigData(t, ref, f.keys[1], f.keys[0])); got != nil {
			t.Fatalf("validate(%s): %s, want a pass", name, describe(got))
		}
	}
	truncated := good[:len(good)-32] // the data word is missing
	truncEnv := bindings.PoaServiceManagerEnvelope{EventId: [20]byte{10}, Payload: truncated}
	cases = append(cases, struct {
		name string
		env  bindings.PoaServiceManagerEnvelope
		sig  bindings.ExampleHandlerSignatureData
		want any
	}{"truncated DataWithId", truncEnv, both(truncEnv), errNoData{}})

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.ehc.CallRaw(&bind.CallOpts{Context: f.ctx}, eh.PackHandleSignedEnvelope(bindings.ExampleHandlerEnvelope(tc.env), tc.sig))
			if got := f.revertOf(t, err); !sameRevert(tc.want, got) {
				t.Errorf("%s, want %s", describe(got), describe(tc.want))
			}
		})
	}
}

// TestDataWithIDRoundTrip: EncodeDataWithID is abi.encode of one tuple.
func TestDataWithIDRoundTrip(t *testing.T) {
	for _, c := range []struct {
		id   uint64
		data []byte
	}{{0, nil}, {7, []byte("x")}, {1<<64 - 1, bytes.Repeat([]byte{0xcd}, 70)}} {
		enc := deploy.EncodeDataWithID(c.id, c.data)
		if enc[31] != 0x20 {
			t.Errorf("encoding starts with %x, want the 0x20 offset of one dynamic tuple", enc[:32])
		}
		id, data, err := deploy.DecodeDataWithID(enc)
		if err != nil || id != c.id || !bytes.Equal(data, c.data) {
			t.Errorf("round trip (%d, %x) → (%d, %x), %v", c.id, c.data, id, data, err)
		}
	}
	if _, _, err := deploy.DecodeDataWithID([]byte{1, 2, 3}); err == nil {
		t.Error("garbage decoded")
	}
}
