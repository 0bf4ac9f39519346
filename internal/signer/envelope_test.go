package signer

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math/big"
	"os"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/wavs-go/wavs/sdk"
)

// vectorFile mirrors testdata/envelope-signing.json, a copy of the shared
// vectors that pass a real WAVS service manager's validate.
type vectorFile struct {
	Vectors []struct {
		Name          string        `json:"name"`
		EventID       hexutil.Bytes `json:"event_id"`
		Ordering      hexutil.Bytes `json:"ordering"`
		Payload       hexutil.Bytes `json:"payload"`
		Encoding      hexutil.Bytes `json:"abi_encode_envelope"`
		Keccak        hexutil.Bytes `json:"keccak256_abi_encode"`
		Digest        hexutil.Bytes `json:"eip191_digest"`
		Signatures    []vectorSig   `json:"signatures"`
		SignersSorted []string      `json:"signers_sorted"`
	} `json:"vectors"`
}

type vectorSig struct {
	PrivateKey string        `json:"private_key"`
	Address    string        `json:"address"`
	Signature  hexutil.Bytes `json:"signature"`
}

func loadVectors(t testing.TB) vectorFile {
	t.Helper()
	raw, err := os.ReadFile("testdata/envelope-signing.json")
	if err != nil {
		t.Fatal(err)
	}
	var f vectorFile
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatalf("testdata/envelope-signing.json: %v", err)
	}
	if len(f.Vectors) == 0 {
		t.Fatal("testdata/envelope-signing.json: no vectors")
	}
	return f
}

// testKey wraps a public test key given as hex.
func testKey(t testing.TB, hexKey string) *Key {
	t.Helper()
	priv, err := crypto.HexToECDSA(strings.TrimPrefix(hexKey, "0x"))
	if err != nil {
		t.Fatal(err)
	}
	return newKey(priv, "")
}

// handEncode is abi.encode(Envelope) written out word by word, independent
// of accounts/abi: head = offset of the tuple (0x20); tuple head = eventId
// (bytes20, left-aligned), ordering (bytes12, left-aligned), offset of
// payload within the tuple (0x60); tail = payload length, payload padded to
// a multiple of 32 bytes.
func handEncode(e sdk.Envelope) []byte {
	word := func(n uint64) []byte {
		w := make([]byte, 32)
		binary.BigEndian.PutUint64(w[24:], n)
		return w
	}
	left := func(b []byte) []byte {
		w := make([]byte, 32)
		copy(w, b)
		return w
	}
	var out []byte
	out = append(out, word(0x20)...)
	out = append(out, left(e.EventID[:])...)
	out = append(out, left(e.Ordering[:])...)
	out = append(out, word(0x60)...)
	out = append(out, word(uint64(len(e.Payload)))...)
	padded := make([]byte, (len(e.Payload)+31)/32*32)
	copy(padded, e.Payload)
	return append(out, padded...)
}

func TestEnvelopeVectors(t *testing.T) {
	for _, v := range loadVectors(t).Vectors {
		t.Run(v.Name, func(t *testing.T) {
			var e sdk.Envelope
			if len(v.EventID) != 20 || len(v.Ordering) != 12 {
				t.Fatalf("vector: event_id %d bytes, ordering %d bytes", len(v.EventID), len(v.Ordering))
			}
			copy(e.EventID[:], v.EventID)
			copy(e.Ordering[:], v.Ordering)
			e.Payload = v.Payload

			enc := EncodeEnvelope(e)
			if !bytes.Equal(enc, v.Encoding) {
				t.Errorf("EncodeEnvelope =\n%x\nwant\n%x", enc, []byte(v.Encoding))
			}
			if hand := handEncode(e); !bytes.Equal(hand, v.Encoding) {
				t.Errorf("hand encoder disagrees with the vector:\n%x", hand)
			}
			if k := crypto.Keccak256(enc); !bytes.Equal(k, v.Keccak) {
				t.Errorf("keccak256(encoding) = %x, want %x", k, []byte(v.Keccak))
			}
			if d := EnvelopeDigest(e); !bytes.Equal(d[:], v.Digest) {
				t.Errorf("EnvelopeDigest = %x, want %x", d, []byte(v.Digest))
			}

			var addrs []sdk.Address
			var sigs [][]byte
			for _, s := range v.Signatures {
				k := testKey(t, s.PrivateKey)
				if k.AddressHex() != s.Address {
					t.Errorf("key address = %s, want %s", k.AddressHex(), s.Address)
				}
				sig, err := k.SignEnvelope(e)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(sig, s.Signature) {
					t.Errorf("%s: SignEnvelope =\n%x\nwant\n%x", s.Address, sig, []byte(s.Signature))
				}
				got, err := RecoverEnvelopeSigner(e, s.Signature)
				if err != nil {
					t.Fatalf("%s: recover: %v", s.Address, err)
				}
				if common.Address(got).Hex() != s.Address {
					t.Errorf("recovered %s, want %s", common.Address(got).Hex(), s.Address)
				}
				addrs = append(addrs, sdk.Address(got))
				sigs = append(sigs, s.Signature)
			}

			if err := SortSigners(addrs, sigs); err != nil {
				t.Fatal(err)
			}
			if len(addrs) != len(v.SignersSorted) {
				t.Fatalf("%d signers, want %d", len(addrs), len(v.SignersSorted))
			}
			for i, a := range addrs {
				if common.Address(a).Hex() != v.SignersSorted[i] {
					t.Errorf("sorted signer %d = %s, want %s", i, common.Address(a).Hex(), v.SignersSorted[i])
				}
				// Each signature moved with its signer.
				if got, err := RecoverEnvelopeSigner(e, sigs[i]); err != nil || sdk.Address(got) != a {
					t.Errorf("sorted signature %d recovers %x (%v), want %x", i, got, err, a)
				}
			}
		})
	}
}

func TestEncodeEnvelopeMatchesHandEncoder(t *testing.T) {
	for _, n := range []int{0, 1, 31, 32, 33, 63, 64, 65, 100, 1000, 4096} {
		p := make([]byte, n)
		for i := range p {
			p[i] = byte(i*7 + 1)
		}
		e := sdk.Envelope{EventID: [20]byte{0xff, 1, 2}, Ordering: [12]byte{11: 9}, Payload: p}
		if got, want := EncodeEnvelope(e), handEncode(e); !bytes.Equal(got, want) {
			t.Errorf("payload %d bytes: EncodeEnvelope =\n%x\nhand encoder\n%x", n, got, want)
		}
	}
	// A nil payload encodes as an empty one.
	if got, want := EncodeEnvelope(sdk.Envelope{}), EncodeEnvelope(sdk.Envelope{Payload: []byte{}}); !bytes.Equal(got, want) {
		t.Errorf("nil payload %x, empty payload %x", got, want)
	}
}

func FuzzEncodeEnvelope(f *testing.F) {
	f.Add([]byte{}, []byte{}, []byte{})
	f.Add([]byte{1, 2, 3}, []byte{7}, []byte("The times"))
	f.Fuzz(func(t *testing.T, id, ord, payload []byte) {
		var e sdk.Envelope
		copy(e.EventID[:], id)
		copy(e.Ordering[:], ord)
		e.Payload = payload
		if got, want := EncodeEnvelope(e), handEncode(e); !bytes.Equal(got, want) {
			t.Fatalf("EncodeEnvelope =\n%x\nhand encoder\n%x", got, want)
		}
	})
}

// TestEncodingIsOneTuple guards the classic mistake: encoding the three
// fields as three arguments drops the leading offset word.
func TestEncodingIsOneTuple(t *testing.T) {
	e := sdk.Envelope{EventID: [20]byte{1}, Payload: []byte("x")}
	enc := EncodeEnvelope(e)
	if !bytes.Equal(enc[:32], common.LeftPadBytes([]byte{0x20}, 32)) {
		t.Fatalf("encoding does not start with the 0x20 offset word: %x", enc[:32])
	}
	if flat := handEncode(e)[32:]; bytes.Equal(crypto.Keccak256(flat), crypto.Keccak256(enc)) {
		t.Fatal("flat and tuple encodings hash alike")
	}
}

var (
	curveN  = crypto.S256().Params().N
	anvil0  = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
	anvil0A = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
)

func TestSignEnvelopeLowSAndV(t *testing.T) {
	k := testKey(t, anvil0)
	halfN := new(big.Int).Rsh(curveN, 1)
	seenV := map[byte]bool{}
	for i := range 64 {
		e := sdk.Envelope{EventID: [20]byte{byte(i)}, Payload: []byte{byte(i), 1}}
		sig, err := k.SignEnvelope(e)
		if err != nil {
			t.Fatal(err)
		}
		if len(sig) != SignatureLength {
			t.Fatalf("signature is %d bytes", len(sig))
		}
		if s := new(big.Int).SetBytes(sig[32:64]); s.Cmp(halfN) > 0 {
			t.Errorf("envelope %d: high s", i)
		}
		seenV[sig[64]] = true
	}
	for v := range seenV {
		if v != 27 && v != 28 {
			t.Errorf("v = %d, want 27 or 28", v)
		}
	}
}

func TestSignEnvelopeWithoutKey(t *testing.T) {
	for _, k := range []*Key{nil, {}} {
		if sig, err := k.SignEnvelope(sdk.Envelope{}); err == nil {
			t.Errorf("%v signed: %x", k, sig)
		}
	}
}

func TestRecoverEnvelopeSigner(t *testing.T) {
	k := testKey(t, anvil0)
	e := sdk.Envelope{EventID: [20]byte{9}, Ordering: [12]byte{1}, Payload: []byte("payload")}
	sig, err := k.SignEnvelope(e)
	if err != nil {
		t.Fatal(err)
	}
	with := func(f func(s []byte) []byte) []byte { return f(bytes.Clone(sig)) }
	setV := func(v byte) []byte { return with(func(s []byte) []byte { s[64] = v; return s }) }
	// highS is the malleable twin (r, n-s, v^1): a valid ECDSA signature by
	// the same key that a service manager rejects.
	highS := with(func(s []byte) []byte {
		hs := new(big.Int).Sub(curveN, new(big.Int).SetBytes(s[32:64]))
		hs.FillBytes(s[32:64])
		s[64] = 27 + 28 - s[64] // flip the parity: 27 <-> 28
		return s
	})
	cases := []struct {
		name    string
		sig     []byte
		wantErr string // "" for success
	}{
		{"v 27/28", sig, ""},
		{"v 0/1", setV(sig[64] - 27), ""},
		{"nil", nil, "0 bytes, want 65"},
		{"64 bytes", sig[:64], "64 bytes, want 65"},
		{"66 bytes", append(bytes.Clone(sig), 0), "66 bytes, want 65"},
		{"v 2", setV(2), "v = 2"},
		{"v 26", setV(26), "v = 26"},
		{"v 29", setV(29), "v = 29"},
		{"r zero", with(func(s []byte) []byte { clear(s[:32]); return s }), "r or s"},
		{"s zero", with(func(s []byte) []byte { clear(s[32:64]); return s }), "r or s"},
		{"r = n", with(func(s []byte) []byte { curveN.FillBytes(s[:32]); return s }), "r or s"},
		{"high s", highS, "high s"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := RecoverEnvelopeSigner(e, c.sig)
			if c.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if common.Address(got).Hex() != anvil0A {
					t.Errorf("recovered %s, want %s", common.Address(got).Hex(), anvil0A)
				}
				return
			}
			if err == nil {
				t.Fatalf("recovered %x, want an error", got)
			}
			if !errors.Is(err, ErrInvalidSignature) {
				t.Errorf("error %q does not wrap ErrInvalidSignature", err)
			}
			if !strings.HasPrefix(err.Error(), "signer: recover envelope signer: ") || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("error %q, want the locating prefix and %q", err, c.wantErr)
			}
		})
	}

	// The high-s check is what rejects the twin: without it, plain ecrecover
	// yields the same signer.
	twin := bytes.Clone(highS)
	twin[64] -= 27
	d := EnvelopeDigest(e)
	if pub, err := crypto.Ecrecover(d[:], twin); err != nil || common.BytesToAddress(crypto.Keccak256(pub[1:])[12:]).Hex() != anvil0A {
		t.Errorf("high-s twin is not a signature by the same key (%v): the test proves nothing", err)
	}

	// A signature over another envelope recovers someone else.
	other := e
	other.Payload = []byte("payloaD")
	if got, err := RecoverEnvelopeSigner(other, sig); err == nil && common.Address(got).Hex() == anvil0A {
		t.Error("signature verifies for a different envelope")
	}
}

func TestNormalizeSignature(t *testing.T) {
	k := testKey(t, anvil0)
	sig, err := k.SignEnvelope(sdk.Envelope{})
	if err != nil {
		t.Fatal(err)
	}
	low := bytes.Clone(sig)
	low[64] -= 27
	for _, in := range [][]byte{sig, low} {
		got, err := NormalizeSignature(in)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, sig) {
			t.Errorf("NormalizeSignature(v=%d) = %x, want %x", in[64], got, sig)
		}
	}
	if low[64] > 1 {
		t.Error("NormalizeSignature changed its input")
	}
	if _, err := NormalizeSignature(sig[:64]); !errors.Is(err, ErrInvalidSignature) {
		t.Errorf("short signature: %v", err)
	}
}
