package signer

import (
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/wavs-go/wavs/sdk"
)

func TestClaimSignAndRecover(t *testing.T) {
	priv, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	k := newKey(priv, "")
	sid := strings.Repeat("ab", 32)
	event := [20]byte{1, 2, 3}
	sig, err := k.SignClaim(sid, event)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := RecoverClaimSigner(sid, event, sig); err != nil || got != k.Address() {
		t.Fatalf("recovered %x, %v; want %x", got, err, k.Address())
	}
	// Another event or service recovers someone else.
	other := event
	other[0] = 9
	if got, _ := RecoverClaimSigner(sid, other, sig); got == k.Address() {
		t.Error("a claim for one event recovers its signer for another")
	}
	if got, _ := RecoverClaimSigner(strings.Repeat("cd", 32), event, sig); got == k.Address() {
		t.Error("a claim for one service recovers its signer for another")
	}
	// A claim is no signature over an envelope, whatever the envelope.
	env := sdk.Envelope{EventID: event}
	if got, err := RecoverEnvelopeSigner(env, sig); err == nil && got == k.Address() {
		t.Error("a claim signature passes as an envelope signature")
	}
	for _, bad := range []string{"", "xyz", strings.Repeat("ab", 31)} {
		if _, err := k.SignClaim(bad, event); err == nil {
			t.Errorf("SignClaim(%q) accepted", bad)
		}
	}
	if _, err := RecoverClaimSigner(sid, event, sig[:64]); err == nil {
		t.Error("a 64-byte claim signature recovered")
	}
}
