package service

import (
	"math/big"
	"regexp"
	"strings"
)

// The string formats of WAVS types the decoder checks: chain keys,
// bech32 Cosmos addresses, base58 Solana addresses, semver versions and
// package names.

// chainKeyRE is WAVS's ChainKey: a namespace and an id.
var chainKeyRE = regexp.MustCompile(`^([-a-z0-9]{1,32}):([-_a-zA-Z0-9]{1,32})$`)

// ValidChainKey reports whether key is a WAVS chain key
// "<namespace>:<id>", ^([-a-z0-9]{1,32}):([-_a-zA-Z0-9]{1,32})$, such as
// "evm:31337" or "cosmos:neutron-1". Whether the node can serve the chain
// is for its configuration and plugins to say.
func ValidChainKey(key string) bool { return chainKeyRE.MatchString(key) }

// ChainFamily is the namespace of a chain key ("evm" for "evm:31337"), or
// "" when key is not valid.
func ChainFamily(key string) string {
	if !ValidChainKey(key) {
		return ""
	}
	ns, _, _ := strings.Cut(key, ":")
	return ns
}

const bech32Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

// bech32Decode checks a bech32 string (lowercase, valid checksum) and
// returns its data as bytes.
func bech32Decode(s string) ([]byte, bool) {
	if len(s) < 8 || len(s) > 128 || strings.ToLower(s) != s {
		return nil, false
	}
	sep := strings.LastIndexByte(s, '1')
	if sep < 1 || sep+7 > len(s) {
		return nil, false
	}
	hrp, data := s[:sep], s[sep+1:]
	for i := 0; i < len(hrp); i++ {
		if hrp[i] < 33 || hrp[i] > 126 {
			return nil, false
		}
	}
	values := make([]byte, len(data))
	for i := 0; i < len(data); i++ {
		v := strings.IndexByte(bech32Charset, data[i])
		if v < 0 {
			return nil, false
		}
		values[i] = byte(v)
	}
	exp := make([]byte, 0, 2*len(hrp)+1+len(values))
	for i := 0; i < len(hrp); i++ {
		exp = append(exp, hrp[i]>>5)
	}
	exp = append(exp, 0)
	for i := 0; i < len(hrp); i++ {
		exp = append(exp, hrp[i]&31)
	}
	exp = append(exp, values...)
	if bech32Polymod(exp) != 1 {
		return nil, false
	}
	// 5-bit groups to bytes, without padding bits set.
	var out []byte
	acc, bits := 0, 0
	for _, v := range values[:len(values)-6] {
		acc = acc<<5 | int(v)
		bits += 5
		if bits >= 8 {
			bits -= 8
			out = append(out, byte(acc>>bits))
			acc &= 1<<bits - 1
		}
	}
	if bits >= 5 || acc != 0 {
		return nil, false
	}
	return out, true
}

func bech32Polymod(values []byte) uint32 {
	gen := [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	chk := uint32(1)
	for _, v := range values {
		top := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ uint32(v)
		for i := 0; i < 5; i++ {
			if (top>>i)&1 == 1 {
				chk ^= gen[i]
			}
		}
	}
	return chk
}

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// base58Len returns how many bytes a base58 string decodes to.
func base58Len(s string) (int, bool) {
	if s == "" || len(s) > 64 {
		return 0, false
	}
	n := new(big.Int)
	radix := big.NewInt(58)
	zeros := 0
	for i := 0; i < len(s); i++ {
		v := strings.IndexByte(base58Alphabet, s[i])
		if v < 0 {
			return 0, false
		}
		if v == 0 && n.Sign() == 0 {
			zeros++
		}
		n.Mul(n, radix).Add(n, big.NewInt(int64(v)))
	}
	return zeros + len(n.Bytes()), true
}

// validSolanaAddress reports whether s is base58 of 32 bytes.
func validSolanaAddress(s string) bool {
	n, ok := base58Len(s)
	return ok && n == 32
}

// semverRE is the semver.org 2.0.0 grammar.
var semverRE = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)` +
	`(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?` +
	`(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)

// packageRE is a WASM package reference "<namespace>:<name>", both
// kebab-case labels of lowercase words each starting with a letter.
var packageRE = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z][a-z0-9]*)*:[a-z][a-z0-9]*(-[a-z][a-z0-9]*)*$`)
