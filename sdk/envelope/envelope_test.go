package envelope_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"

	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/envelope"
)

// The golden vector: a small envelope written out by hand, word by word.
//
//	event id  0x101112…23 (20 bytes counting up from 0x10)
//	ordering  7 in the last byte of 12
//	payload   "wavs"
//
// signed by the public test key 0x4c0883a6…3f362318, whose address is
// 0x2c7536E3605D9C16a7a3D7b1898e529396a65c23.
const (
	goldenKey  = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
	goldenAddr = "0x2c7536e3605d9c16a7a3d7b1898e529396a65c23"
)

var goldenEncoding = strings.Join([]string{
	"0000000000000000000000000000000000000000000000000000000000000020", // offset of the tuple
	"101112131415161718191a1b1c1d1e1f20212223000000000000000000000000", // eventId, left-aligned
	"0000000000000000000000070000000000000000000000000000000000000000", // ordering, left-aligned
	"0000000000000000000000000000000000000000000000000000000000000060", // offset of payload in the tuple
	"0000000000000000000000000000000000000000000000000000000000000004", // payload length
	"7761767300000000000000000000000000000000000000000000000000000000", // "wavs", zero-padded
}, "")

const (
	goldenHash   = "41e83f63b4fe10ce2e9621b5c988eac5e4cabe323dfa6679fe7c8bc2c742f0bf"
	goldenDigest = "d72664b23832dd5d816c2eaee067835a30379fa95ef7dfa022cfe9252f26d406"
	goldenSig    = "0e493c88353f6cc2151163774e98e74c844d86838b5158feb97e5576cbd996e6" + // r
		"0ab3aef4cb0836ed1e27624c82a5a3deb1c30f95b7607ecfc3e356a4095e61d6" + // s
		"1b" // v = 27
)

func goldenEnvelope() sdk.Envelope {
	var env sdk.Envelope
	for i := range env.EventID {
		env.EventID[i] = byte(0x10 + i)
	}
	env.Ordering[11] = 7
	env.Payload = []byte("wavs")
	return env
}

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func key(t testing.TB, s string) *secp256k1.PrivateKey {
	t.Helper()
	return secp256k1.PrivKeyFromBytes(unhex(t, s))
}

func TestGoldenVector(t *testing.T) {
	env := goldenEnvelope()
	if got := hex.EncodeToString(envelope.Encode(env)); got != goldenEncoding {
		t.Errorf("Encode =\n%s\nwant\n%s", got, goldenEncoding)
	}
	if got := envelope.Hash(env); hex.EncodeToString(got[:]) != goldenHash {
		t.Errorf("Hash = %x, want %s", got, goldenHash)
	}
	if got := envelope.Digest(env); hex.EncodeToString(got[:]) != goldenDigest {
		t.Errorf("Digest = %x, want %s", got, goldenDigest)
	}
	k := key(t, goldenKey)
	if got := envelope.AddressOf(k.PubKey()); got.Hex() != goldenAddr {
		t.Errorf("AddressOf(test key) = %s, want %s", got, goldenAddr)
	}
	if got := envelope.Sign(env, k); hex.EncodeToString(got) != goldenSig {
		t.Errorf("Sign = %x, want %s (RFC 6979 nonces make it deterministic)", got, goldenSig)
	}
	addr, err := envelope.Recover(env, unhex(t, goldenSig))
	if err != nil || addr.Hex() != goldenAddr {
		t.Errorf("Recover(golden signature) = %s, %v; want %s", addr, err, goldenAddr)
	}
}

func TestEncodePadding(t *testing.T) {
	cases := []struct {
		payload int
		want    int
	}{
		{0, 160}, {1, 192}, {31, 192}, {32, 192}, {33, 224}, {64, 224}, {65, 256},
	}
	for _, c := range cases {
		env := sdk.Envelope{Payload: bytes.Repeat([]byte{0xff}, c.payload)}
		enc := envelope.Encode(env)
		if len(enc) != c.want {
			t.Errorf("payload of %d bytes: encoding has %d bytes, want %d", c.payload, len(enc), c.want)
			continue
		}
		if n := new(big.Int).SetBytes(enc[128:160]); n.Int64() != int64(c.payload) {
			t.Errorf("payload of %d bytes: length word %d", c.payload, n)
		}
		for i, b := range enc[160+c.payload:] {
			if b != 0 {
				t.Errorf("payload of %d bytes: padding byte %d is %#x", c.payload, i, b)
				break
			}
		}
	}
}

func TestSignRecoverRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 50; i++ {
		k, err := secp256k1.GeneratePrivateKey()
		if err != nil {
			t.Fatal(err)
		}
		env := randomEnvelope(r)
		sig := envelope.Sign(env, k)
		got, err := envelope.Recover(env, sig)
		if err != nil || got != envelope.AddressOf(k.PubKey()) {
			t.Fatalf("Recover(Sign(env)) = %s, %v; want %s", got, err, envelope.AddressOf(k.PubKey()))
		}
		env.Payload = append(env.Payload, 0)
		if other, err := envelope.Recover(env, sig); err == nil && other == got {
			t.Fatalf("a signature over another payload recovers the same signer")
		}
	}
}

func randomEnvelope(r *rand.Rand) sdk.Envelope {
	var env sdk.Envelope
	for i := range env.EventID {
		env.EventID[i] = byte(r.Uint32())
	}
	for i := range env.Ordering {
		env.Ordering[i] = byte(r.Uint32())
	}
	env.Payload = make([]byte, r.IntN(100))
	for i := range env.Payload {
		env.Payload[i] = byte(r.Uint32())
	}
	return env
}

// curveOrder is n, the order of secp256k1.
var curveOrder, _ = new(big.Int).SetString("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", 16)

func TestRecoverRejects(t *testing.T) {
	env := goldenEnvelope()
	good := unhex(t, goldenSig)
	with := func(f func(sig []byte)) []byte {
		sig := append([]byte{}, good...)
		f(sig)
		return sig
	}
	// The malleable twin: s' = n - s, with the other recovery id. It is
	// a valid ECDSA signature of the same key, so only the high-s rule
	// refuses it.
	twin := with(func(sig []byte) {
		s := new(big.Int).SetBytes(sig[32:64])
		new(big.Int).Sub(curveOrder, s).FillBytes(sig[32:64])
		sig[64] = 55 - sig[64] // 27 <-> 28
	})
	cases := []struct {
		name string
		sig  []byte
		want string
	}{
		{"short", good[:64], "64 bytes"},
		{"long", append(append([]byte{}, good...), 0), "66 bytes"},
		{"v = 0", with(func(sig []byte) { sig[64] = 0 }), "v = 0"},
		{"v = 1", with(func(sig []byte) { sig[64] = 1 }), "v = 1"},
		{"v = 29", with(func(sig []byte) { sig[64] = 29 }), "v = 29"},
		{"high s", twin, "high s"},
		{"r = 0", with(func(sig []byte) { clear(sig[:32]) }), "R is 0"},
		{"s = 0", with(func(sig []byte) { clear(sig[32:64]) }), "S is 0"},
		{"r = n", with(func(sig []byte) { curveOrder.FillBytes(sig[:32]) }), "R >= group order"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			addr, err := envelope.Recover(env, c.sig)
			if !errors.Is(err, sdk.ErrInvalidArgument) {
				t.Fatalf("Recover = %s, %v; want an error wrapping sdk.ErrInvalidArgument", addr, err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not say %q", err, c.want)
			}
		})
	}
}

// signed returns n keys' signatures over env, in ascending signer order.
func signed(t testing.TB, env sdk.Envelope, n int) (sdk.SignatureData, []*secp256k1.PrivateKey) {
	t.Helper()
	keys := make([]*secp256k1.PrivateKey, n)
	for i := range keys {
		k, err := secp256k1.GeneratePrivateKey()
		if err != nil {
			t.Fatal(err)
		}
		keys[i] = k
	}
	// Sort by address.
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			a, b := envelope.AddressOf(keys[i].PubKey()), envelope.AddressOf(keys[j].PubKey())
			if bytes.Compare(b[:], a[:]) < 0 {
				keys[i], keys[j] = keys[j], keys[i]
			}
		}
	}
	sd := sdk.SignatureData{Scheme: sdk.SchemeSecp256k1EIP191, Reference: 9}
	for _, k := range keys {
		a := envelope.AddressOf(k.PubKey())
		sd.Signers = append(sd.Signers, a[:])
		sd.Signatures = append(sd.Signatures, envelope.Sign(env, k))
	}
	return sd, keys
}

func TestVerify(t *testing.T) {
	env := goldenEnvelope()
	sd, keys := signed(t, env, 3)
	got, err := envelope.Verify(env, sd)
	if err != nil {
		t.Fatalf("Verify(good) = %v", err)
	}
	for i, k := range keys {
		if got[i] != envelope.AddressOf(k.PubKey()) {
			t.Errorf("Verify()[%d] = %s, want %s", i, got[i], envelope.AddressOf(k.PubKey()))
		}
	}

	mutate := func(f func(sd *sdk.SignatureData)) sdk.SignatureData {
		c := sdk.SignatureData{Scheme: sd.Scheme, Reference: sd.Reference}
		for i := range sd.Signers {
			c.Signers = append(c.Signers, append([]byte{}, sd.Signers[i]...))
			c.Signatures = append(c.Signatures, append([]byte{}, sd.Signatures[i]...))
		}
		f(&c)
		return c
	}
	cases := []struct {
		name string
		sd   sdk.SignatureData
		want string
	}{
		{"other scheme", mutate(func(sd *sdk.SignatureData) { sd.Scheme = "ed25519" }), `scheme "ed25519"`},
		{"no signatures", sdk.SignatureData{Scheme: sdk.SchemeSecp256k1EIP191}, "no signatures"},
		{"one signature short", mutate(func(sd *sdk.SignatureData) { sd.Signatures = sd.Signatures[:2] }), "3 signers and 2 signatures"},
		{"signer of 32 bytes", mutate(func(sd *sdk.SignatureData) { sd.Signers[1] = make([]byte, 32) }), "signers[1] has 32 bytes"},
		{"descending", mutate(func(sd *sdk.SignatureData) {
			sd.Signers[1], sd.Signers[2] = sd.Signers[2], sd.Signers[1]
			sd.Signatures[1], sd.Signatures[2] = sd.Signatures[2], sd.Signatures[1]
		}), "signers[2]"},
		{"duplicate", mutate(func(sd *sdk.SignatureData) {
			sd.Signers[1], sd.Signatures[1] = sd.Signers[0], sd.Signatures[0]
		}), "signers[1]"},
		{"swapped signatures", mutate(func(sd *sdk.SignatureData) {
			sd.Signatures[0], sd.Signatures[1] = sd.Signatures[1], sd.Signatures[0]
		}), "signatures[0] was made by"},
		{"bad signature", mutate(func(sd *sdk.SignatureData) { sd.Signatures[2][64] = 5 }), "signatures[2]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := envelope.Verify(env, c.sd)
			if !errors.Is(err, sdk.ErrInvalidArgument) {
				t.Fatalf("Verify = %v, want an error wrapping sdk.ErrInvalidArgument", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not say %q", err, c.want)
			}
		})
	}

	// The same signatures over another envelope recover other signers.
	other := env
	other.Payload = []byte("wavs!")
	if _, err := envelope.Verify(other, sd); !errors.Is(err, sdk.ErrInvalidArgument) {
		t.Errorf("Verify(another envelope) = %v, want an error", err)
	}
}

func FuzzEncode(f *testing.F) {
	f.Add([]byte{}, []byte("wavs"))
	f.Add(bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 33))
	f.Fuzz(func(t *testing.T, ids, payload []byte) {
		var env sdk.Envelope
		copy(env.EventID[:], ids)
		if len(ids) > 20 {
			copy(env.Ordering[:], ids[20:])
		}
		env.Payload = payload
		enc := envelope.Encode(env)
		if len(enc)%32 != 0 || len(enc) < 160+len(payload) || len(enc) >= 160+len(payload)+32 {
			t.Fatalf("encoding of a %d-byte payload has %d bytes", len(payload), len(enc))
		}
		if !bytes.Equal(enc[32:52], env.EventID[:]) || !bytes.Equal(enc[64:76], env.Ordering[:]) || !bytes.Equal(enc[160:160+len(payload)], payload) {
			t.Fatal("fields are not where the ABI puts them")
		}
	})
}
