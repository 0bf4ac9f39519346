package signer

import (
	"testing"

	"github.com/wavs-go/wavs/sdk"
)

// benchEnvelope is a typical envelope: a 256-byte payload.
var benchEnvelope = sdk.Envelope{EventID: [20]byte{1, 2, 3}, Ordering: [12]byte{11: 1}, Payload: make([]byte, 256)}

func BenchmarkEncodeEnvelope(b *testing.B) {
	for b.Loop() {
		EncodeEnvelope(benchEnvelope)
	}
}

func BenchmarkEnvelopeDigest(b *testing.B) {
	for b.Loop() {
		EnvelopeDigest(benchEnvelope)
	}
}

func BenchmarkSignEnvelope(b *testing.B) {
	k := testKey(b, anvil0)
	for b.Loop() {
		if _, err := k.SignEnvelope(benchEnvelope); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRecoverEnvelopeSigner(b *testing.B) {
	k := testKey(b, anvil0)
	sig, err := k.SignEnvelope(benchEnvelope)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := RecoverEnvelopeSigner(benchEnvelope, sig); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkForServiceDerive measures deriving an HD service key (uncached).
func BenchmarkForServiceDerive(b *testing.B) {
	s := mustHD(b, testMnemonic)
	for b.Loop() {
		if _, err := s.hd.key(7); err != nil {
			b.Fatal(err)
		}
	}
}
