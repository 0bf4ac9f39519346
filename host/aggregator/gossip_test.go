package aggregator

import (
	"bytes"
	"strings"
	"testing"

	"github.com/wavs-go/wavs/host/store"
	"github.com/wavs-go/wavs/internal/gossip"
	"github.com/wavs-go/wavs/internal/signer"
	"github.com/wavs-go/wavs/sdk"
)

const testMnemonic = "test test test test test test test test test test test junk"

func testKey(t testing.TB, index uint32) *signer.Key {
	t.Helper()
	s, err := signer.FromEnv(func(k string) (string, bool) {
		if k == signer.EnvMnemonic {
			return testMnemonic, true
		}
		return "", false
	})
	if err != nil {
		t.Fatal(err)
	}
	k, err := s.ForService(index)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func signed(t testing.TB, k *signer.Key, payload string) Gossip {
	t.Helper()
	env := sdk.Envelope{EventID: [20]byte{1, 2, 3}, Ordering: [12]byte{4}, Payload: []byte(payload)}
	sig, err := k.SignEnvelope(env)
	if err != nil {
		t.Fatal(err)
	}
	return Gossip{ServiceID: strings.Repeat("ab", 32), WorkflowID: "wf", Envelope: env, Signature: sig}
}

func TestGossipRoundTripAndVerify(t *testing.T) {
	k := testKey(t, 1)
	g := signed(t, k, "result")
	wire, err := EncodeGossip(g)
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeGossip(wire)
	if err != nil {
		t.Fatal(err)
	}
	if back.ServiceID != g.ServiceID || back.WorkflowID != g.WorkflowID || back.Envelope.EventID != g.Envelope.EventID ||
		back.Envelope.Ordering != g.Envelope.Ordering || !bytes.Equal(back.Envelope.Payload, g.Envelope.Payload) || !bytes.Equal(back.Signature, g.Signature) {
		t.Fatalf("round trip changed the message: %+v", back)
	}
	who, err := back.Verify()
	if err != nil || who != sdk.Address(k.Address()) {
		t.Fatalf("Verify = %s, %v; want %s", who.Hex(), err, k.AddressHex())
	}

	// A forged payload recovers to another address (or fails): it can
	// never pass as the operator's signature.
	back.Envelope.Payload = []byte("forged")
	if who, err := back.Verify(); err == nil && who == sdk.Address(k.Address()) {
		t.Fatal("a changed payload still verifies as the signer")
	}
}

func TestDecodeGossipRejects(t *testing.T) {
	good, err := EncodeGossip(signed(t, testKey(t, 1), "x"))
	if err != nil {
		t.Fatal(err)
	}
	replace := func(old, new string) []byte { return []byte(strings.Replace(string(good), old, new, 1)) }
	cases := map[string]struct {
		msg  []byte
		want string
	}{
		"not json":               {[]byte("{"), "gossip"},
		"unknown field":          {replace(`"v":1`, `"v":1,"signer":"0x01"`), "unknown field"},
		"version":                {replace(`"v":1`, `"v":2`), "v = 2"},
		"service id":             {replace(`"service_id":"abab`, `"service_id":"ABAB`), "service_id"},
		"short event id":         {replace(`"event_id":"0x010203`, `"event_id":"0x0102`), "event_id has 19 bytes"},
		"no 0x":                  {replace(`"payload":"0x`, `"payload":"`), "payload"},
		"bad hex":                {replace(`"payload":"0x`, `"payload":"0xzz`), "payload"},
		"short signature":        {replace(`"signature":"0x`, `"signature":"0x00`), "signature has 66 bytes"},
		"trailing data":          {append(append([]byte{}, good...), []byte(" {}")...), "data after"},
		"too large":              {bytes.Repeat([]byte(" "), MaxGossipBytes+1), "larger than"},
		"landed with a payload":  {replace(`"v":1`, `"v":1,"landed":true`), "landed notice carries no"},
		"no signature":           {replace(`,"signature":"0x`, `,"x":"0x`), "unknown field"},
		"tx hash on a signature": {replace(`"v":1`, `"v":1,"tx_hash":"0x00"`), "tx_hash belongs"},
		"claim with a payload":   {replace(`"v":1`, `"v":1,"claim":true`), "claim carries no"},
		"landed and claim":       {replace(`"v":1`, `"v":1,"claim":true,"landed":true`), "not both"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := DecodeGossip(c.msg)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("DecodeGossip = %v, want an error containing %q", err, c.want)
			}
		})
	}
}

func FuzzDecodeGossip(f *testing.F) {
	good, err := EncodeGossip(signed(f, testKey(f, 1), "seed"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte(`{"v":1}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		g, err := DecodeGossip(b)
		if err != nil {
			return
		}
		// Anything accepted re-encodes to a message that decodes the same.
		wire, err := EncodeGossip(g)
		if err != nil {
			t.Fatalf("accepted message does not re-encode: %v", err)
		}
		again, err := DecodeGossip(wire)
		if err != nil || again.ServiceID != g.ServiceID || !bytes.Equal(again.Signature, g.Signature) || !bytes.Equal(again.Envelope.Payload, g.Envelope.Payload) {
			t.Fatalf("re-decoding changed the message: %v", err)
		}
		_, _ = g.Verify() // must not panic
	})
}

func TestLandedNoticeRoundTrip(t *testing.T) {
	g := Gossip{ServiceID: strings.Repeat("ab", 32), WorkflowID: "wf", Envelope: sdk.Envelope{EventID: [20]byte{9}}, Landed: true, TxHash: sdk.Hash{7, 8}}
	wire, err := EncodeGossip(g)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(wire), "signature") || strings.Contains(string(wire), "payload") {
		t.Errorf("a landed notice carries more than ids and the transaction: %s", wire)
	}
	back, err := DecodeGossip(wire)
	if err != nil || !back.Landed || back.Envelope.EventID != g.Envelope.EventID || back.ServiceID != g.ServiceID || back.TxHash != g.TxHash {
		t.Fatalf("DecodeGossip = %+v, %v", back, err)
	}
	if _, err := back.Verify(); err == nil {
		t.Error("a landed notice verified as a signature")
	}
	// A notice must name its transaction: without one it proves nothing
	// and is refused.
	noTx := strings.Replace(string(wire), `,"tx_hash":"0x0708`+strings.Repeat("0", 60)+`"`, "", 1)
	if noTx == string(wire) {
		t.Fatalf("test did not remove the tx_hash from %s", wire)
	}
	if _, err := DecodeGossip([]byte(noTx)); err == nil || !strings.Contains(err.Error(), "tx_hash") {
		t.Errorf("a landed notice without tx_hash: %v", err)
	}
}

func TestClaimRoundTrip(t *testing.T) {
	k := testKey(t, 1)
	sid := strings.Repeat("ab", 32)
	event := [20]byte{9}
	sig, err := k.SignClaim(sid, event)
	if err != nil {
		t.Fatal(err)
	}
	wire, err := EncodeGossip(Gossip{ServiceID: sid, WorkflowID: "wf", Envelope: sdk.Envelope{EventID: event}, Claim: true, Signature: sig})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(wire), "payload") {
		t.Errorf("a claim carries a payload: %s", wire)
	}
	back, err := DecodeGossip(wire)
	if err != nil || !back.Claim || back.Landed {
		t.Fatalf("DecodeGossip = %+v, %v", back, err)
	}
	if who, err := back.Verify(); err != nil || who != sdk.Address(k.Address()) {
		t.Errorf("claim Verify = %s, %v; want %s", who.Hex(), err, k.AddressHex())
	}
	// The claim of one event is not the claim of another.
	back.Envelope.EventID[0] = 1
	if who, err := back.Verify(); err == nil && who == sdk.Address(k.Address()) {
		t.Error("a claim verifies for another event")
	}
	// An envelope signature is no claim.
	env := signed(t, k, "x")
	env.Claim = true
	if who, err := env.Verify(); err == nil && who == sdk.Address(k.Address()) {
		t.Error("an envelope signature verifies as a claim")
	}
}

// TestGossipCarriesTheLargestResult: the largest payload a gossip message
// carries is the largest result the store keeps.
func TestGossipCarriesTheLargestResult(t *testing.T) {
	if gossip.MaxPayload != store.MaxValueSize {
		t.Errorf("gossip.MaxPayload %d != store.MaxValueSize %d", gossip.MaxPayload, store.MaxValueSize)
	}
}
