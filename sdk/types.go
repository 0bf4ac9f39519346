package sdk

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// Address is a 20-byte EVM account address: the "evm" family's addresses
// and the signer identities of SchemeSecp256k1EIP191. Other families'
// addresses travel as strings in their own text form.
type Address [20]byte

// ParseEVMAddress reads "0x" and 40 hex digits (either case).
func ParseEVMAddress(s string) (Address, error) {
	var a Address
	if len(s) != 42 || (s[:2] != "0x" && s[:2] != "0X") {
		return a, fmt.Errorf("%w: address %q: want 0x and 40 hex digits", ErrInvalidArgument, s)
	}
	if _, err := hex.Decode(a[:], []byte(s[2:])); err != nil {
		return a, fmt.Errorf("%w: address %q: want 0x and 40 hex digits", ErrInvalidArgument, s)
	}
	return a, nil
}

// Hex returns the address as 0x-prefixed lowercase hex.
func (a Address) Hex() string { return "0x" + hex.EncodeToString(a[:]) }

func (a Address) String() string { return a.Hex() }

// Hash is a 32-byte hash.
type Hash [32]byte

// Hex returns the hash as 0x-prefixed lowercase hex.
func (h Hash) Hex() string { return "0x" + hex.EncodeToString(h[:]) }

func (h Hash) String() string { return h.Hex() }

// fixed copies b into dst, which must have exactly len(b) bytes.
func fixed(dst []byte, b []byte, field string) error {
	if len(b) != len(dst) {
		return fmt.Errorf("%w: %s has %d bytes, want %d", ErrInvalidArgument, field, len(b), len(dst))
	}
	copy(dst, b)
	return nil
}

func decodeStrict(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
