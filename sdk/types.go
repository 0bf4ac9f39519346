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

// ParseAddress reads an address written as 40 hex digits, with or
// without a 0x prefix, in any letter case (as service JSON and
// configuration files write them). Its error wraps ErrInvalidArgument.
func ParseAddress(s string) (Address, error) {
	var a Address
	if !decodeFixedHex(a[:], s) {
		return a, errWantAddress
	}
	return a, nil
}

// ParseHash reads a hash written as 64 hex digits, with or without a 0x
// prefix, in any letter case. Its error wraps ErrInvalidArgument.
func ParseHash(s string) (Hash, error) {
	var h Hash
	if !decodeFixedHex(h[:], s) {
		return h, errWantHash
	}
	return h, nil
}

// parseError is a parse failure that says what is wanted; it wraps
// ErrInvalidArgument.
type parseError string

func (e parseError) Error() string { return string(e) }

func (e parseError) Unwrap() error { return ErrInvalidArgument }

const (
	errWantAddress parseError = "want a 20-byte hex address (0x + 40 hex digits)"
	errWantHash    parseError = "want a 32-byte hex hash (0x + 64 hex digits)"
)

// decodeFixedHex fills dst from s, which must be exactly 2·len(dst) hex
// digits after an optional 0x or 0X prefix.
func decodeFixedHex(dst []byte, s string) bool {
	if len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		s = s[2:]
	}
	if len(s) != 2*len(dst) {
		return false
	}
	_, err := hex.Decode(dst, []byte(s))
	return err == nil
}

// Hex returns the address as 0x-prefixed lowercase hex.
func (a Address) Hex() string { return "0x" + hex.EncodeToString(a[:]) }

func (a Address) String() string { return a.Hex() }

// IsZero reports whether a is the zero address.
func (a Address) IsZero() bool { return a == Address{} }

// MarshalText writes the address as Hex does.
func (a Address) MarshalText() ([]byte, error) { return []byte(a.Hex()), nil }

// UnmarshalText reads the address as ParseAddress does.
func (a *Address) UnmarshalText(b []byte) (err error) {
	*a, err = ParseAddress(string(b))
	return err
}

// Hash is a 32-byte hash.
type Hash [32]byte

// Hex returns the hash as 0x-prefixed lowercase hex.
func (h Hash) Hex() string { return "0x" + hex.EncodeToString(h[:]) }

func (h Hash) String() string { return h.Hex() }

// MarshalText writes the hash as Hex does.
func (h Hash) MarshalText() ([]byte, error) { return []byte(h.Hex()), nil }

// UnmarshalText reads the hash as ParseHash does.
func (h *Hash) UnmarshalText(b []byte) (err error) {
	*h, err = ParseHash(string(b))
	return err
}

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
