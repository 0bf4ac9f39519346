// Package signer holds the operator's signing keys and signs envelopes the
// way a WAVS service manager verifies them.
//
// Keys come from the environment only, never from wavs.toml, an API call or
// a log line, and no error, String or fmt verb of this package shows one:
//
//   - WAVS_SIGNING_KEY (hex private key): one key for the operator and every
//     service.
//   - WAVS_SIGNING_MNEMONIC (BIP-39 words): HD keys at m/44'/60'/0'/0/<index>;
//     index 0 is the operator's own identity, each service signs with its
//     own index ≥ 1 (allocated and persisted by the store).
//
// Setting both is an error. Envelope encoding, digests, signing and
// recovery are in envelope.go; signer ordering for SignatureData in sort.go.
package signer

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/ethereum/go-ethereum/crypto"
)

// EnvPrivateKey names the variable holding the operator's signing key as
// hex (with or without 0x).
const EnvPrivateKey = "WAVS_SIGNING_KEY"

// EnvMnemonic names the variable holding a BIP-39 mnemonic from which the
// operator key and one key per service are derived.
const EnvMnemonic = "WAVS_SIGNING_MNEMONIC"

// Signer holds the operator's keys: either one key given as hex, or an HD
// chain from a mnemonic. It is safe for concurrent use.
type Signer struct {
	operator *Key
	hd       *hdChain // nil for a hex key

	mu   sync.Mutex
	keys map[uint32]*Key // HD service keys by index; guarded by mu, as is hd
}

// FromEnv reads the signing key from WAVS_SIGNING_KEY or
// WAVS_SIGNING_MNEMONIC (a blank value counts as unset). It returns nil, nil
// when neither is set: the node then runs without signing (it reports no
// operator address). Setting both is an error.
func FromEnv(lookupEnv func(string) (string, bool)) (*Signer, error) {
	rawKey, haveKey := nonBlank(lookupEnv(EnvPrivateKey))
	mnemonic, haveMnemonic := nonBlank(lookupEnv(EnvMnemonic))
	switch {
	case haveKey && haveMnemonic:
		return nil, fmt.Errorf("%s and %s are both set: set only one", EnvPrivateKey, EnvMnemonic)
	case haveKey:
		return fromHex(rawKey)
	case haveMnemonic:
		return fromMnemonic(mnemonic)
	default:
		return nil, nil
	}
}

func nonBlank(v string, ok bool) (string, bool) {
	v = strings.TrimSpace(v)
	return v, ok && v != ""
}

// fromHex makes a Signer with one key for everything.
func fromHex(raw string) (*Signer, error) {
	// The value is a secret: every message says what is wrong (a length,
	// a position), never a character of it. go-ethereum's own errors
	// quote the offending character, so the hex is checked here first.
	digits := strings.TrimPrefix(raw, "0x")
	if why := checkHexKey(digits); why != "" {
		return nil, fmt.Errorf("%s: not a secp256k1 private key: %s (want 64 hex characters, optionally after 0x)", EnvPrivateKey, why)
	}
	b, err := hex.DecodeString(digits)
	if err != nil {
		return nil, fmt.Errorf("%s: not a secp256k1 private key (want 64 hex characters, optionally after 0x)", EnvPrivateKey)
	}
	key, err := crypto.ToECDSA(b)
	if err != nil {
		return nil, fmt.Errorf("%s: not a secp256k1 private key: %w", EnvPrivateKey, errWithoutValue(err))
	}
	return &Signer{operator: newKey(key, "")}, nil
}

// checkHexKey says what is wrong with the hex digits of a private key
// without showing any of them; "" when they are 64 hex digits.
func checkHexKey(digits string) string {
	for i, c := range digits {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return fmt.Sprintf("character %d is not a hex digit", i+1)
		}
	}
	if n := len(digits); n != 64 {
		return fmt.Sprintf("%d hex characters", n)
	}
	return ""
}

// fromMnemonic makes an HD Signer; the operator key is index 0.
func fromMnemonic(mnemonic string) (*Signer, error) {
	chain, err := newHDChain(mnemonic)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", EnvMnemonic, err)
	}
	op, err := chain.key(0)
	if err != nil {
		return nil, fmt.Errorf("%s: operator key: %w", EnvMnemonic, err)
	}
	return &Signer{operator: op, hd: chain, keys: make(map[uint32]*Key)}, nil
}

// errWithoutValue keeps only the kind of a key-parsing error; go-ethereum
// messages can quote the offending input.
func errWithoutValue(err error) error {
	msg := err.Error()
	if i := strings.IndexAny(msg, ":"); i >= 0 {
		msg = msg[:i]
	}
	return errors.New(msg)
}

// HD reports whether the keys come from a mnemonic, so that each service
// has its own key.
func (s *Signer) HD() bool { return s.hd != nil }

// Operator is the operator's own identity key: HD index 0, or the hex key.
func (s *Signer) Operator() *Key { return s.operator }

// ForService returns the key a service signs with. index is the service's
// HD key index, allocated by the store; it must be at least 1 (0 is the
// operator's identity) and at most MaxHDIndex, with either kind of key, so
// that a bad index shows up in hex-key setups too. With a hex key every
// service gets the operator key; with a mnemonic, the key at
// m/44'/60'/0'/0/<index>, derived once and cached.
func (s *Signer) ForService(index uint32) (*Key, error) {
	if index == 0 {
		return nil, errors.New("signer: service key index 0 is the operator's identity; services use indexes from 1")
	}
	if index > MaxHDIndex {
		return nil, fmt.Errorf("signer: service key index %d is above %d (hardened indexes name another path)", index, MaxHDIndex)
	}
	if s.hd == nil {
		return s.operator, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if k, ok := s.keys[index]; ok {
		return k, nil
	}
	k, err := s.hd.key(index)
	if err != nil {
		return nil, fmt.Errorf("signer: service key %d: %w", index, err)
	}
	s.keys[index] = k
	return k, nil
}

// Address is the operator's signing address (Operator().Address()).
func (s *Signer) Address() [20]byte { return s.operator.Address() }

// AddressHex is Address as 0x-prefixed EIP-55 hex.
func (s *Signer) AddressHex() string { return s.operator.AddressHex() }

// String shows the kind of signer and the operator address, never a key.
func (s *Signer) String() string {
	if s == nil {
		return "signer(<nil>)"
	}
	if s.hd != nil {
		return "signer(hd " + HDBasePath + ", operator " + s.AddressHex() + ")"
	}
	return "signer(" + s.AddressHex() + ")"
}

// Format makes every fmt verb print String, so that no verb walks into the
// keys.
func (s *Signer) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(s.String())) }
