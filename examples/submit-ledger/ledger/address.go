package ledger

import (
	"bytes"
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"regexp"
	"strings"
)

// AddressPrefix starts every ledger address.
const AddressPrefix = "ldg1"

// Address is a ledger account: 20 bytes, written as "ldg1" followed by
// the lowercase base32 (no padding) of the 20 bytes and a 4-byte
// checksum, 43 characters in all, e.g.
// ldg1r5ceipjl576nlgnavi7yr6hpdmrewvaswhqc4qa (the manager named
// "orders"). A typo fails the checksum.
type Address [20]byte

var b32 = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

func checksum(a Address) []byte {
	sum := sha256.Sum256(append([]byte("ldg-address\x00"), a[:]...))
	return sum[:4]
}

// String writes the address in the ledger's text form.
func (a Address) String() string {
	return AddressPrefix + b32.EncodeToString(append(append([]byte{}, a[:]...), checksum(a)...))
}

// ParseAddress reads an address in the ledger's text form.
func ParseAddress(s string) (Address, error) {
	var a Address
	rest, ok := strings.CutPrefix(s, AddressPrefix)
	if !ok {
		return a, fmt.Errorf("address %q: a ledger address starts with %q", s, AddressPrefix)
	}
	raw, err := b32.DecodeString(rest)
	if err != nil || len(raw) != len(a)+4 {
		return a, fmt.Errorf("address %q: want %q and 39 base32 characters (a-z, 2-7)", s, AddressPrefix)
	}
	copy(a[:], raw)
	if !bytes.Equal(raw[len(a):], checksum(a)) {
		return a, fmt.Errorf("address %q: bad checksum (a typo?)", s)
	}
	return a, nil
}

// AccountKind is what an account is.
type AccountKind string

// The account kinds.
const (
	KindManager AccountKind = "manager"
	KindHandler AccountKind = "handler"
)

// NamePattern is the form of an account's name.
var NamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// AccountAddress is the address of the account of a kind with a name:
// the first 20 bytes of sha256("ldg-account" ‖ kind ‖ name). Names are
// unique per kind.
func AccountAddress(kind AccountKind, name string) Address {
	sum := sha256.Sum256([]byte("ldg-account\x00" + string(kind) + "\x00" + name))
	var a Address
	copy(a[:], sum[:20])
	return a
}
