package signer

import (
	"bytes"
	"errors"
	"fmt"
	"slices"

	"github.com/ethereum/go-ethereum/common"
)

// ErrDuplicateSigner is wrapped by SortSigners' error for a repeated signer.
var ErrDuplicateSigner = errors.New("duplicate signer")

// SortSigners sorts addrs strictly ascending by byte value, moving each
// signature with its signer, as a service manager's validate requires of
// SignatureData. It sorts in place. It fails, leaving both slices
// unchanged, when their lengths differ or a signer repeats (validate
// rejects a repeated signer as unsorted: keep one signature per signer
// before calling). A is [20]byte or sdk.Address alike.
func SortSigners[A ~[20]byte](addrs []A, sigs [][]byte) error {
	if len(addrs) != len(sigs) {
		return fmt.Errorf("signer: sort signers: %d signers but %d signatures", len(addrs), len(sigs))
	}
	order := make([]int, len(addrs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int {
		a, b := addrs[i], addrs[j]
		return bytes.Compare(a[:], b[:])
	})
	for i := 1; i < len(order); i++ {
		if a := addrs[order[i]]; a == addrs[order[i-1]] {
			return fmt.Errorf("signer: sort signers: %w %s", ErrDuplicateSigner, common.Address(a).Hex())
		}
	}
	sortedAddrs := make([]A, len(addrs))
	sortedSigs := make([][]byte, len(sigs))
	for i, j := range order {
		sortedAddrs[i], sortedSigs[i] = addrs[j], sigs[j]
	}
	copy(addrs, sortedAddrs)
	copy(sigs, sortedSigs)
	return nil
}
