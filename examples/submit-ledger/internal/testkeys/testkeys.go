// Package testkeys makes operator keys and signature sets for the tests
// of this module.
package testkeys

import (
	"bytes"
	"sort"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"

	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/envelope"
)

// Key is an operator's signing key.
type Key struct {
	Priv    *secp256k1.PrivateKey
	Address sdk.Address
}

// New returns n fresh keys in ascending address order.
func New(t testing.TB, n int) []Key {
	t.Helper()
	out := make([]Key, n)
	for i := range out {
		k, err := secp256k1.GeneratePrivateKey()
		if err != nil {
			t.Fatal(err)
		}
		out[i] = Key{Priv: k, Address: envelope.AddressOf(k.PubKey())}
	}
	sort.Slice(out, func(i, j int) bool { return bytes.Compare(out[i].Address[:], out[j].Address[:]) < 0 })
	return out
}

// Sign is the keys' signatures over env with reference ref, signers in
// ascending order.
func Sign(env sdk.Envelope, ref uint64, keys ...Key) sdk.SignatureData {
	keys = append([]Key{}, keys...)
	sort.Slice(keys, func(i, j int) bool { return bytes.Compare(keys[i].Address[:], keys[j].Address[:]) < 0 })
	sd := sdk.SignatureData{Scheme: sdk.SchemeSecp256k1EIP191, Reference: ref}
	for _, k := range keys {
		sd.Signers = append(sd.Signers, append([]byte{}, k.Address[:]...))
		sd.Signatures = append(sd.Signatures, envelope.Sign(env, k.Priv))
	}
	return sd
}
