package contracts_test

import (
	"bytes"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/wavs-go/wavs/contracts/bindings"
)

// TestServiceHandler hands envelopes to the handler: a valid one is stored
// once and announced, a replay reverts with EventAlreadyHandled, and the
// manager's verdict reaches the caller unchanged.
func TestServiceHandler(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	v := loadVectors(t)["short-payload"]
	key0, key1 := f.keys[0], f.keys[1]
	ref := f.head(t) - 1
	env := bindings.ServiceHandlerEnvelope(v.envelope())
	sig := bindings.ServiceHandlerSignatureData(v.sigData(t, ref, key1, key0))
	opts := &bind.CallOpts{Context: f.ctx}

	if got, err := bind.Call(f.shc, opts, f.sh.PackGetServiceManager(), f.sh.UnpackGetServiceManager); err != nil || got != f.addrs.ServiceManager {
		t.Fatalf("getServiceManager() = %s, %v; want %s", got, err, f.addrs.ServiceManager)
	}

	// Handled once: stored, counted, announced.
	tx, err := f.owner.Transact(f.ctx, "handleSignedEnvelope", f.addrs.ServiceHandler, f.sh.PackHandleSignedEnvelope(env, sig))
	if err != nil {
		t.Fatal(err)
	}
	receipts, err := f.owner.Wait(f.ctx, tx)
	if err != nil {
		t.Fatal(err)
	}
	var handled []*bindings.ServiceHandlerSignedEnvelopeHandled
	for _, l := range receipts[0].Logs {
		if ev, err := f.sh.UnpackSignedEnvelopeHandledEvent(l); err == nil {
			handled = append(handled, ev)
		}
	}
	if len(handled) != 1 || handled[0].EventId != env.EventId || !bytes.Equal(handled[0].Payload, env.Payload) {
		t.Fatalf("SignedEnvelopeHandled events %+v, want one for %x", handled, env.EventId)
	}
	if ok, err := bind.Call(f.shc, opts, f.sh.PackIsHandled(env.EventId), f.sh.UnpackIsHandled); err != nil || !ok {
		t.Errorf("isHandled = %v, %v", ok, err)
	}
	if p, err := bind.Call(f.shc, opts, f.sh.PackPayloadOf(env.EventId), f.sh.UnpackPayloadOf); err != nil || !bytes.Equal(p, env.Payload) {
		t.Errorf("payloadOf = %x, %v; want %x", p, err, env.Payload)
	}
	count := func() int64 {
		t.Helper()
		n, err := bind.Call(f.shc, opts, f.sh.PackHandledCount(), f.sh.UnpackHandledCount)
		if err != nil {
			t.Fatal(err)
		}
		return n.Int64()
	}
	if n := count(); n != 1 {
		t.Errorf("handledCount = %d, want 1", n)
	}

	// A replay reverts, simulated and on chain.
	replay := f.sh.PackHandleSignedEnvelope(env, sig)
	_, err = f.shc.CallRaw(opts, replay)
	if got := f.revertOf(t, err); !sameRevert(&bindings.ServiceHandlerEventAlreadyHandled{EventId: env.EventId}, got) {
		t.Errorf("replay: %s, want EventAlreadyHandled", describe(got))
	}
	_, err = f.owner.Transact(f.ctx, "replay", f.addrs.ServiceHandler, replay)
	if got := f.revertOf(t, err); !sameRevert(&bindings.ServiceHandlerEventAlreadyHandled{EventId: env.EventId}, got) {
		t.Errorf("replay through gas estimation: %s, want EventAlreadyHandled", describe(got))
	}
	forced := f.chain.Transactor(2)
	forced.Context, forced.GasLimit = f.ctx, 300_000 // skip estimation: mine the failing transaction
	tx, err = bind.Transact(f.shc, forced, replay)
	if err != nil {
		t.Fatal(err)
	}
	r, err := bind.WaitMined(f.ctx, f.chain.Client, tx.Hash())
	if err != nil || r.Status != types.ReceiptStatusFailed {
		t.Errorf("forced replay: receipt %+v, %v; want a failed one", r, err)
	}
	if n := count(); n != 1 {
		t.Errorf("handledCount after replays = %d, want 1", n)
	}

	// The manager's verdict comes back through the handler: a second event
	// signed by one operator of two.
	other := env
	other.EventId[0] ^= 0xff
	otherMgr := bindings.ServiceManagerEnvelope(other)
	one := bindings.ServiceHandlerSignatureData{
		Signers:        sig.Signers[:1],
		Signatures:     [][]byte{signEnvelope(t, f.signer[1], otherMgr)},
		ReferenceBlock: sig.ReferenceBlock,
	}
	_, err = f.shc.CallRaw(opts, f.sh.PackHandleSignedEnvelope(other, one))
	if got := f.revertOf(t, err); !sameRevert(quorumErr(1, 2, 2), got) {
		t.Errorf("one signer through the handler: %s, want InsufficientQuorum(1, 2, 2)", describe(got))
	}
	// Signed by both, it goes through.
	both := bindings.ServiceHandlerSignatureData{
		Signers:        sig.Signers,
		Signatures:     [][]byte{signEnvelope(t, f.signer[1], otherMgr), signEnvelope(t, f.signer[0], otherMgr)},
		ReferenceBlock: sig.ReferenceBlock,
	}
	f.transact(t, "handleSignedEnvelope(other)", f.addrs.ServiceHandler, f.sh.PackHandleSignedEnvelope(other, both))
	if n := count(); n != 2 {
		t.Errorf("handledCount = %d, want 2", n)
	}
	if ok, err := bind.Call(f.shc, opts, f.sh.PackIsHandled([20]byte{}), f.sh.UnpackIsHandled); err != nil || ok {
		t.Errorf("isHandled(zero id) = %v, %v; want false", ok, err)
	}
}
