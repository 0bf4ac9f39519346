package signer

import (
	"crypto/ecdsa"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/wavs-go/wavs/sdk"
)

// Key is one secp256k1 signing key: the operator's own or a service's.
//
// A Key never shows its secret: String, every fmt verb (%v, %+v, %#v, %d,
// %x, ...) and slog print only the address and, for an HD key, its
// derivation path. Its fields are unexported, so encoding/json prints {}.
type Key struct {
	priv    *ecdsa.PrivateKey
	address common.Address
	path    string // derivation path of an HD key; "" for a hex key
}

// newKey wraps priv. path is the HD derivation path, or "" for a key that
// was given directly.
func newKey(priv *ecdsa.PrivateKey, path string) *Key {
	return &Key{priv: priv, address: crypto.PubkeyToAddress(priv.PublicKey), path: path}
}

// Address is the key's Ethereum address: the signer address a service
// manager sees.
func (k *Key) Address() [20]byte { return k.address }

// AddressHex is Address as 0x-prefixed EIP-55 (checksummed) hex.
func (k *Key) AddressHex() string { return k.address.Hex() }

// Path is the BIP-32 derivation path of an HD key (such as
// "m/44'/60'/0'/0/1"), or "" for a key given as hex.
func (k *Key) Path() string { return k.path }

// SignEnvelope signs e the way a WAVS service manager verifies it: an
// EIP-191 signature over keccak256(abi.encode(e)) (see EnvelopeDigest). The
// result is 65 bytes r‖s‖v with v = 27 or 28 and a low s, deterministic
// (RFC 6979): the same key and envelope always give the same bytes.
func (k *Key) SignEnvelope(e sdk.Envelope) ([]byte, error) {
	if k == nil || k.priv == nil {
		return nil, errors.New("signer: sign envelope: no key (a Key comes from a Signer)")
	}
	digest := EnvelopeDigest(e)
	sig, err := crypto.Sign(digest[:], k.priv)
	if err != nil {
		// crypto.Sign's errors name lengths and curve failures, never
		// the key.
		return nil, fmt.Errorf("signer: sign envelope with %s: %w", k.AddressHex(), err)
	}
	sig[64] += 27
	return sig, nil
}

// String shows the address (and HD path), never the key.
func (k *Key) String() string {
	if k == nil {
		return "key(<nil>)"
	}
	if k.path != "" {
		return "key(" + k.path + " " + k.AddressHex() + ")"
	}
	return "key(" + k.AddressHex() + ")"
}

// Format makes every fmt verb print String, so that no verb (%+v, %#v, %d,
// ...) walks into the private key's fields.
func (k *Key) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(k.String())) }
