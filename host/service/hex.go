package service

import (
	"encoding/hex"
	"errors"
	"strings"

	"github.com/wavs-go/wavs/sdk"
)

// Address is a 20-byte EVM address (the SDK's). It prints and encodes as
// 0x-prefixed lowercase hex.
type Address = sdk.Address

// Hash is a 32-byte hash such as an event signature hash (the SDK's). It
// prints and encodes as 0x-prefixed lowercase hex.
type Hash = sdk.Hash

// Digest is the sha256 of a WASM module. It prints and encodes as 64
// lowercase hex digits without a prefix, as sha256sum prints it.
type Digest [32]byte

// EventID is the id of one firing of a workflow's trigger (see
// [NewEventID]). It prints and encodes as 40 lowercase hex digits without
// a prefix: the form of the store's keys, the API and the logs.
type EventID [20]byte

// What each hex form allows, as error messages say it.
const (
	wantEventID = "want an event id: 40 lowercase hex digits without 0x"
	wantAddress = "want a 20-byte hex address (0x + 40 hex digits)"
	wantHash    = "want a 32-byte hex hash (0x + 64 hex digits)"
	wantDigest  = "want a sha256 digest: 64 lowercase hex digits, as sha256sum prints it"
)

// ParseAddress reads an address written as 40 hex digits, with or without
// a 0x prefix, in any letter case (sdk.ParseAddress).
func ParseAddress(s string) (Address, error) { return sdk.ParseAddress(s) }

// ParseHash reads a hash written as 64 hex digits, with or without a 0x
// prefix, in any letter case (sdk.ParseHash).
func ParseHash(s string) (Hash, error) { return sdk.ParseHash(s) }

// ParseDigest reads a digest written as 64 lowercase hex digits.
func ParseDigest(s string) (Digest, error) {
	var d Digest
	if !decodeLowerHex(d[:], s) {
		return d, errors.New(wantDigest)
	}
	return d, nil
}

// String returns 64 lowercase hex digits.
func (d Digest) String() string { return hex.EncodeToString(d[:]) }

// MarshalText implements encoding.TextMarshaler.
func (d Digest) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler (see [ParseDigest]).
func (d *Digest) UnmarshalText(b []byte) (err error) {
	*d, err = ParseDigest(string(b))
	return err
}

// ParseEventID reads an event id written as 40 lowercase hex digits.
func ParseEventID(s string) (EventID, error) {
	var id EventID
	if !decodeLowerHex(id[:], s) {
		return id, errors.New(wantEventID)
	}
	return id, nil
}

// String returns 40 lowercase hex digits.
func (id EventID) String() string { return hex.EncodeToString(id[:]) }

// MarshalText implements encoding.TextMarshaler.
func (id EventID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler (see [ParseEventID]).
func (id *EventID) UnmarshalText(b []byte) (err error) {
	*id, err = ParseEventID(string(b))
	return err
}

// decodeLowerHex fills dst from s, exactly 2×len(dst) lowercase hex
// digits, and reports whether s was that.
func decodeLowerHex(dst []byte, s string) bool {
	if len(s) != 2*len(dst) || strings.ToLower(s) != s {
		return false
	}
	_, err := hex.Decode(dst, []byte(s))
	return err == nil
}

// decodeAnyHex reads hex digits of any length and letter case after an
// optional 0x prefix, as WAVS's const_hex fields accept them.
func decodeAnyHex(s string) ([]byte, bool) {
	if len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		s = s[2:]
	}
	b, err := hex.DecodeString(s)
	return b, err == nil
}
