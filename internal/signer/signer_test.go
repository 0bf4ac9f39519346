package signer

import (
	"fmt"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestFromEnv(t *testing.T) {
	// The first anvil development account: a public test key.
	const key = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
	const addr = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
	cases := []struct {
		name    string
		env     map[string]string
		want    string
		wantErr bool
	}{
		{"unset", map[string]string{}, "", false},
		{"blank", map[string]string{EnvPrivateKey: "  "}, "", false},
		{"hex", map[string]string{EnvPrivateKey: key}, addr, false},
		{"0x hex", map[string]string{EnvPrivateKey: "0x" + key}, addr, false},
		{"short", map[string]string{EnvPrivateKey: "abcdef"}, "", true},
		{"not hex", map[string]string{EnvPrivateKey: strings.Repeat("zz", 32)}, "", true},
		// One bad character in an otherwise good key: the error names its
		// position, never the character (go-ethereum's own error quotes it).
		{"one bad character", map[string]string{EnvPrivateKey: "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ffQx"}, "", true},
		{"unicode", map[string]string{EnvPrivateKey: "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff\u00e9"}, "", true},
		{"zero key", map[string]string{EnvPrivateKey: strings.Repeat("0", 64)}, "", true},
		{"over the curve order", map[string]string{EnvPrivateKey: strings.Repeat("f", 64)}, "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := FromEnv(env(c.env))
			if c.wantErr {
				if err == nil {
					t.Fatal("want an error")
				}
				if v := c.env[EnvPrivateKey]; strings.Contains(err.Error(), v) {
					t.Errorf("error %q quotes the secret", err)
				}
				if leaksSecretChar(err.Error(), c.env[EnvPrivateKey]) {
					t.Errorf("error %q quotes a character of the secret", err)
				}
				if !strings.Contains(err.Error(), EnvPrivateKey) {
					t.Errorf("error %q does not name %s", err, EnvPrivateKey)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if s != nil {
				got = s.AddressHex()
				if strings.Contains(s.String(), key) {
					t.Error("String() shows the key")
				}
			}
			if got != c.want {
				t.Errorf("address = %q, want %q", got, c.want)
			}
		})
	}
}

// leaksSecretChar reports whether msg quotes a character of secret that
// is not a plain hex digit, in any of the forms Go's errors quote a
// character or byte: 'Q', "Q", U+0051.
func leaksSecretChar(msg, secret string) bool {
	for _, r := range secret {
		if r >= '0' && r <= '9' || r >= 'a' && r <= 'f' {
			continue
		}
		for _, form := range []string{fmt.Sprintf("%q", r), fmt.Sprintf("%q", string(r)), fmt.Sprintf("%U", r), fmt.Sprintf("%q", byte(r))} {
			if strings.Contains(msg, form) {
				return true
			}
		}
	}
	return false
}
