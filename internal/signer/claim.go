package signer

import (
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/crypto"
)

// claimDomain separates a submit claim's digest from anything else the
// service key signs. An envelope signature is over an EIP-191 digest of
// keccak256(abi.encode(envelope)); a claim digest is keccak256 of this
// prefix and ids, signed as it is (no EIP-191 prefix), so no claim can be
// replayed as a signature over an envelope, nor the other way round.
const claimDomain = "wavs-go submit claim v1\x00"

// ClaimDigest is what an operator signs to tell its peers that it is
// submitting eventID of service serviceID (64 hex digits) now.
func ClaimDigest(serviceID string, eventID [20]byte) ([32]byte, error) {
	sid, err := hex.DecodeString(serviceID)
	if err != nil || len(sid) != 32 {
		return [32]byte{}, fmt.Errorf("signer: claim: service id %q is not 32 bytes of hex", serviceID)
	}
	return crypto.Keccak256Hash([]byte(claimDomain), sid, eventID[:]), nil
}

// SignClaim signs ClaimDigest(serviceID, eventID): 65 bytes r‖s‖v, v =
// 27/28.
func (k *Key) SignClaim(serviceID string, eventID [20]byte) ([]byte, error) {
	if k == nil || k.priv == nil {
		return nil, errors.New("signer: sign claim: no key (a Key comes from a Signer)")
	}
	digest, err := ClaimDigest(serviceID, eventID)
	if err != nil {
		return nil, err
	}
	sig, err := crypto.Sign(digest[:], k.priv)
	if err != nil {
		return nil, fmt.Errorf("signer: sign claim with %s: %w", k.AddressHex(), err)
	}
	sig[64] += 27
	return sig, nil
}

// RecoverClaimSigner returns the address whose key signed the claim.
// Errors wrap ErrInvalidSignature.
func RecoverClaimSigner(serviceID string, eventID [20]byte, sig []byte) ([20]byte, error) {
	rsv, err := checkSignature(sig)
	if err != nil {
		return [20]byte{}, fmt.Errorf("signer: recover claim signer: %w", err)
	}
	digest, err := ClaimDigest(serviceID, eventID)
	if err != nil {
		return [20]byte{}, err
	}
	rsv[64] -= 27
	pub, err := crypto.Ecrecover(digest[:], rsv[:])
	if err != nil {
		return [20]byte{}, fmt.Errorf("signer: recover claim signer: %w: %v", ErrInvalidSignature, err)
	}
	var addr [20]byte
	copy(addr[:], crypto.Keccak256(pub[1:])[12:])
	return addr, nil
}
