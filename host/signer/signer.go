// Package signer holds the operator's signing key. The key comes from the
// environment only: never from wavs.toml, an API call or a log line.
package signer

import (
	"crypto/ecdsa"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/crypto"
)

// EnvPrivateKey names the variable holding the operator's signing key as
// hex (with or without 0x).
const EnvPrivateKey = "WAVS_SIGNING_KEY"

// Signer signs for one operator.
type Signer struct {
	key     *ecdsa.PrivateKey
	address [20]byte
}

// FromEnv reads the signing key. It returns nil, nil when none is set: the
// node then runs without signing (it reports no operator address).
func FromEnv(lookupEnv func(string) (string, bool)) (*Signer, error) {
	raw, ok := lookupEnv(EnvPrivateKey)
	if !ok || strings.TrimSpace(raw) == "" {
		return nil, nil
	}
	key, err := crypto.HexToECDSA(strings.TrimPrefix(strings.TrimSpace(raw), "0x"))
	if err != nil {
		// The value is a secret: say what is wrong, never what it is.
		return nil, fmt.Errorf("%s: not a secp256k1 private key (want 64 hex characters): %w", EnvPrivateKey, errWithoutValue(err))
	}
	return &Signer{key: key, address: crypto.PubkeyToAddress(key.PublicKey)}, nil
}

// errWithoutValue keeps only the kind of a key-parsing error; go-ethereum
// messages can quote the offending input.
func errWithoutValue(err error) error {
	msg := err.Error()
	if i := strings.IndexAny(msg, ":"); i >= 0 {
		msg = msg[:i]
	}
	return fmt.Errorf("%s", msg)
}

// Address is the operator's signing address.
func (s *Signer) Address() [20]byte { return s.address }

// AddressHex is Address as 0x-prefixed EIP-55 hex.
func (s *Signer) AddressHex() string {
	return crypto.PubkeyToAddress(s.key.PublicKey).Hex()
}

// String never shows the key.
func (s *Signer) String() string { return "signer(" + s.AddressHex() + ")" }
