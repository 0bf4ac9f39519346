package signer

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/envelope"
)

// TestSDKEnvelopeAgrees: what the node signs, a chain that checks with the
// SDK's envelope package accepts, and the other way round, on random
// envelopes and keys: the same encoding, digest and hash, and the signer
// the SDK recovers from the node's signature. (That envelope.Sign makes
// the node's bytes is the SDK's golden vector, made with go-ethereum.)
func TestSDKEnvelopeAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for i := 0; i < 200; i++ {
		var e sdk.Envelope
		for j := range e.EventID {
			e.EventID[j] = byte(r.Uint32())
		}
		for j := range e.Ordering {
			e.Ordering[j] = byte(r.Uint32())
		}
		e.Payload = make([]byte, r.IntN(300))
		for j := range e.Payload {
			e.Payload[j] = byte(r.Uint32())
		}
		priv, err := crypto.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		k := newKey(priv, "")

		if got, want := envelope.Encode(e), EncodeEnvelope(e); !bytes.Equal(got, want) {
			t.Fatalf("payload of %d bytes: envelope.Encode =\n%x\nEncodeEnvelope =\n%x", len(e.Payload), got, want)
		}
		if got, want := envelope.Digest(e), EnvelopeDigest(e); got != want {
			t.Fatalf("envelope.Digest = %x, EnvelopeDigest = %x", got, want)
		}
		if got, want := envelope.Hash(e), crypto.Keccak256Hash(EncodeEnvelope(e)); got != sdk.Hash(want) {
			t.Fatalf("envelope.Hash = %x, keccak256(EncodeEnvelope) = %x", got, want)
		}

		sig, err := k.SignEnvelope(e)
		if err != nil {
			t.Fatal(err)
		}
		got, err := envelope.Recover(e, sig)
		if err != nil || got != sdk.Address(k.Address()) {
			t.Fatalf("envelope.Recover(SignEnvelope) = %s, %v; want %s", got, err, k.AddressHex())
		}
		back, err := RecoverEnvelopeSigner(e, sig)
		if err != nil || back != [20]byte(got) {
			t.Fatalf("RecoverEnvelopeSigner = %x, %v; envelope.Recover = %s", back, err, got)
		}
		// A node's signature with v = 0/1 (as a peer may send it) is
		// normalized before it is submitted; the SDK takes only 27/28,
		// like a service manager.
		low := append([]byte{}, sig...)
		low[64] -= 27
		if _, err := envelope.Recover(e, low); err == nil {
			t.Fatal("envelope.Recover took v = 0/1")
		}
		if norm, err := NormalizeSignature(low); err != nil || !bytes.Equal(norm, sig) {
			t.Fatalf("NormalizeSignature = %x, %v; want %x", norm, err, sig)
		}
	}
}

// TestSDKEnvelopeVerifiesVectors: the shared signing vectors (which pass a
// real WAVS service manager's validate) pass envelope.Verify with their
// signers sorted.
func TestSDKEnvelopeVerifiesVectors(t *testing.T) {
	for _, v := range loadVectors(t).Vectors {
		t.Run(v.Name, func(t *testing.T) {
			var e sdk.Envelope
			copy(e.EventID[:], v.EventID)
			copy(e.Ordering[:], v.Ordering)
			e.Payload = v.Payload
			if got := envelope.Encode(e); !bytes.Equal(got, v.Encoding) {
				t.Errorf("envelope.Encode =\n%x\nwant\n%x", got, []byte(v.Encoding))
			}
			var addrs []sdk.Address
			var sigs [][]byte
			for _, s := range v.Signatures {
				addrs = append(addrs, sdk.Address(crypto.PubkeyToAddress(testKey(t, s.PrivateKey).priv.PublicKey)))
				sigs = append(sigs, s.Signature)
			}
			if err := SortSigners(addrs, sigs); err != nil {
				t.Fatal(err)
			}
			sd := sdk.SignatureData{Scheme: sdk.SchemeSecp256k1EIP191, Signatures: sigs}
			for _, a := range addrs {
				sd.Signers = append(sd.Signers, append([]byte{}, a[:]...))
			}
			got, err := envelope.Verify(e, sd)
			if err != nil {
				t.Fatalf("envelope.Verify = %v", err)
			}
			for i := range got {
				if got[i] != addrs[i] {
					t.Errorf("signer %d = %s, want %s", i, got[i], addrs[i])
				}
			}
		})
	}
}
