package sdk

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// Address is a 20-byte account address (EVM style).
type Address [20]byte

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
