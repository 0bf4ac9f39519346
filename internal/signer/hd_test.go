package signer

import (
	"bytes"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/wavs-go/wavs/sdk"
)

// testMnemonic is the public development mnemonic of anvil and hardhat.
const testMnemonic = "test test test test test test test test test test test junk"

type anvilAccount struct{ key, address string }

// anvilAccounts are the first anvil accounts: HDBasePath/0, /1, /2.
var anvilAccounts = []anvilAccount{
	{"ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"},
	{"59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"},
	{"5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"},
}

func mustHD(t testing.TB, mnemonic string) *Signer {
	t.Helper()
	s, err := FromEnv(env(map[string]string{EnvMnemonic: mnemonic}))
	if err != nil {
		t.Fatal(err)
	}
	if s == nil {
		t.Fatal("FromEnv returned no signer")
	}
	return s
}

func TestHDKeys(t *testing.T) {
	for _, m := range []string{
		testMnemonic,
		"  test test\ttest test test test\ntest test test  test test junk \n", // white space does not matter
	} {
		s := mustHD(t, m)
		if !s.HD() {
			t.Error("HD() = false for a mnemonic")
		}
		if got := s.Operator().AddressHex(); got != anvilAccounts[0].address {
			t.Errorf("operator = %s, want %s", got, anvilAccounts[0].address)
		}
		if got := s.AddressHex(); got != anvilAccounts[0].address {
			t.Errorf("AddressHex = %s, want %s", got, anvilAccounts[0].address)
		}
		if s.Address() != s.Operator().Address() {
			t.Error("Address differs from Operator().Address()")
		}
		if got := s.Operator().Path(); got != "m/44'/60'/0'/0/0" {
			t.Errorf("operator path = %q", got)
		}
		for i := 1; i < len(anvilAccounts); i++ {
			k, err := s.ForService(uint32(i))
			if err != nil {
				t.Fatal(err)
			}
			if got := k.AddressHex(); got != anvilAccounts[i].address {
				t.Errorf("index %d = %s, want %s", i, got, anvilAccounts[i].address)
			}
			if want := fmt.Sprintf("m/44'/60'/0'/0/%d", i); k.Path() != want {
				t.Errorf("index %d path = %q, want %q", i, k.Path(), want)
			}
			again, err := s.ForService(uint32(i))
			if err != nil || again != k {
				t.Errorf("index %d is not cached (%v)", i, err)
			}
		}
	}
}

// TestHDKeysSignLikeHexKeys checks that a derived key signs exactly as the
// same key given as hex (the vectors' signatures).
func TestHDKeysSignLikeHexKeys(t *testing.T) {
	s := mustHD(t, testMnemonic)
	for _, v := range loadVectors(t).Vectors {
		var e sdk.Envelope
		copy(e.EventID[:], v.EventID)
		copy(e.Ordering[:], v.Ordering)
		e.Payload = v.Payload
		for _, vs := range v.Signatures {
			i := slices.IndexFunc(anvilAccounts, func(a anvilAccount) bool { return a.address == vs.Address })
			k := s.Operator()
			switch {
			case i < 0:
				t.Fatalf("%s is not an anvil account", vs.Address)
			case i > 0:
				var err error
				if k, err = s.ForService(uint32(i)); err != nil {
					t.Fatal(err)
				}
			}
			sig, err := k.SignEnvelope(e)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(sig, vs.Signature) {
				t.Errorf("%s/%s: HD key signature differs from the vector", v.Name, vs.Address)
			}
		}
	}
}

func TestForService(t *testing.T) {
	hexSigner, err := FromEnv(env(map[string]string{EnvPrivateKey: anvilAccounts[1].key}))
	if err != nil {
		t.Fatal(err)
	}
	hdSigner := mustHD(t, testMnemonic)
	if hexSigner.HD() {
		t.Error("HD() = true for a hex key")
	}
	for _, idx := range []uint32{1, 2, 77, MaxHDIndex} {
		k, err := hexSigner.ForService(idx)
		if err != nil {
			t.Fatalf("hex key, index %d: %v", idx, err)
		}
		if k != hexSigner.Operator() {
			t.Errorf("hex key, index %d: not the operator key", idx)
		}
		if k.Path() != "" {
			t.Errorf("hex key has path %q", k.Path())
		}
	}
	if k, err := hdSigner.ForService(MaxHDIndex); err != nil || k.Path() != fmt.Sprintf("m/44'/60'/0'/0/%d", MaxHDIndex) {
		t.Errorf("index MaxHDIndex: %v, %v", k, err)
	}
	for _, s := range []*Signer{hexSigner, hdSigner} {
		for _, c := range []struct {
			idx  uint32
			want string
		}{
			{0, "index 0 is the operator's identity"},
			{MaxHDIndex + 1, "hardened"},
			{^uint32(0), "hardened"},
		} {
			k, err := s.ForService(c.idx)
			if err == nil {
				t.Errorf("%v: ForService(%d) = %v, want an error", s, c.idx, k)
				continue
			}
			if !strings.HasPrefix(err.Error(), "signer: ") || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%v: ForService(%d) error %q, want %q", s, c.idx, err, c.want)
			}
		}
	}
}

func TestForServiceConcurrent(t *testing.T) {
	s := mustHD(t, testMnemonic)
	const n = 8
	got := make([][n]*Key, 4)
	var wg sync.WaitGroup
	for g := range got {
		wg.Go(func() {
			for i := range n {
				k, err := s.ForService(uint32(i + 1))
				if err != nil {
					t.Error(err)
					return
				}
				got[g][i] = k
			}
		})
	}
	wg.Wait()
	for g := range got {
		if got[g] != got[0] {
			t.Errorf("goroutine %d got other keys than goroutine 0", g)
		}
	}
}

func TestFromEnvErrors(t *testing.T) {
	words := strings.Fields(testMnemonic)
	with := func(i int, w string) string {
		c := append([]string(nil), words...)
		c[i] = w
		return strings.Join(c, " ")
	}
	cases := []struct {
		name string
		env  map[string]string
		want []string // substrings of the error
	}{
		{"both", map[string]string{EnvPrivateKey: anvilAccounts[0].key, EnvMnemonic: testMnemonic},
			[]string{EnvPrivateKey, EnvMnemonic, "both set"}},
		{"11 words", map[string]string{EnvMnemonic: strings.Join(words[:11], " ")},
			[]string{EnvMnemonic, "11 words"}},
		{"13 words", map[string]string{EnvMnemonic: testMnemonic + " test"},
			[]string{EnvMnemonic, "13 words"}},
		{"unknown word", map[string]string{EnvMnemonic: with(4, "tset")},
			[]string{EnvMnemonic, "word 5 is not in the English word list"}},
		{"upper case", map[string]string{EnvMnemonic: strings.ToUpper(testMnemonic)},
			[]string{EnvMnemonic, "word 1 is not"}},
		{"checksum", map[string]string{EnvMnemonic: with(11, "test")},
			[]string{EnvMnemonic, "checksum"}},
		{"hex key as mnemonic", map[string]string{EnvMnemonic: anvilAccounts[0].key},
			[]string{EnvMnemonic, "1 words"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := FromEnv(env(c.env))
			if err == nil {
				t.Fatalf("FromEnv = %v, want an error", s)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			for _, secret := range c.env {
				for _, part := range append(strings.Fields(secret), secret) {
					if part != "test" && strings.Contains(strings.ToLower(err.Error()), strings.ToLower(part)) {
						t.Errorf("error %q quotes the secret (%q)", err, part)
					}
				}
			}
		})
	}
	// A blank mnemonic counts as unset.
	if s, err := FromEnv(env(map[string]string{EnvMnemonic: " \n"})); s != nil || err != nil {
		t.Errorf("blank mnemonic: %v, %v", s, err)
	}
	if s, err := FromEnv(env(map[string]string{EnvMnemonic: " ", EnvPrivateKey: anvilAccounts[0].key})); err != nil || s.HD() {
		t.Errorf("blank mnemonic beside a key: %v, %v", s, err)
	}
}

// TestSecretsNeverPrinted prints signers and keys every way a log line
// might and looks for the private key in any common rendering.
func TestSecretsNeverPrinted(t *testing.T) {
	hexSigner, err := FromEnv(env(map[string]string{EnvPrivateKey: anvilAccounts[0].key}))
	if err != nil {
		t.Fatal(err)
	}
	hdSigner := mustHD(t, testMnemonic)
	svc, err := hdSigner.ForService(1)
	if err != nil {
		t.Fatal(err)
	}
	k0 := hdSigner.Operator()
	forms := func(v any) []string {
		var b strings.Builder
		slog.New(slog.NewTextHandler(&b, nil)).Info("x", "v", v)
		slog.New(slog.NewJSONHandler(&b, nil)).Info("x", "v", v)
		out := []string{b.String()}
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%X", "%q"} {
			out = append(out, fmt.Sprintf(verb, v))
		}
		return out
	}
	secrets := []string{
		anvilAccounts[0].key, strings.ToUpper(anvilAccounts[0].key),
		anvilAccounts[1].key, strings.ToUpper(anvilAccounts[1].key),
		k0.priv.D.String(), svc.priv.D.String(), "junk",
	}
	for _, v := range []any{hexSigner, hdSigner, k0, svc, hexSigner.Operator()} {
		for _, s := range forms(v) {
			for _, secret := range secrets {
				if strings.Contains(s, secret) {
					t.Errorf("%T printed as %q shows a secret", v, s)
				}
			}
		}
	}
	if got, want := hexSigner.String(), "signer("+anvilAccounts[0].address+")"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got := hdSigner.String(); !strings.Contains(got, anvilAccounts[0].address) || !strings.Contains(got, "hd") {
		t.Errorf("String() = %q", got)
	}
	if got, want := svc.String(), "key(m/44'/60'/0'/0/1 "+anvilAccounts[1].address+")"; got != want {
		t.Errorf("key String() = %q, want %q", got, want)
	}
}
