package signer

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/envelope"
)

// SignatureLength is the length of an envelope signature: r‖s‖v.
const SignatureLength = 65

// ErrInvalidSignature is wrapped by every error RecoverEnvelopeSigner and
// NormalizeSignature return for a malformed signature, so that a caller can
// tell a bad peer signature (errors.Is) from anything else.
var ErrInvalidSignature = errors.New("invalid signature")

// EncodeEnvelope returns abi.encode(e) exactly as Solidity computes it for
// a WAVS Envelope: one dynamic tuple, starting with the 0x20 offset word
// (sdk/envelope's encoding, the one the node signs).
func EncodeEnvelope(e sdk.Envelope) []byte { return envelope.Encode(e) }

// EnvelopeDigest is the 32-byte hash an envelope signature signs:
// keccak256("\x19Ethereum Signed Message:\n32" ‖ keccak256(EncodeEnvelope(e))).
func EnvelopeDigest(e sdk.Envelope) [32]byte { return envelope.Digest(e) }

// RecoverEnvelopeSigner returns the address whose key made sig over e.
//
// sig must be 65 bytes r‖s‖v with v = 27/28 (as sent on chain) or 0/1, r and
// s in [1, n) and s in the lower half of the curve order (the malleable
// high-s twin of a valid signature is rejected, as a service manager
// rejects it). Errors wrap ErrInvalidSignature.
//
// A recovered address proves only who signed e; whether that address is a
// registered signer of the service, with what weight, is the caller's
// question.
func RecoverEnvelopeSigner(e sdk.Envelope, sig []byte) ([20]byte, error) {
	rsv, err := checkSignature(sig)
	if err != nil {
		return [20]byte{}, fmt.Errorf("signer: recover envelope signer: %w", err)
	}
	rsv[64] -= 27 // Ecrecover wants v = 0/1
	digest := EnvelopeDigest(e)
	pub, err := crypto.Ecrecover(digest[:], rsv[:])
	if err != nil {
		return [20]byte{}, fmt.Errorf("signer: recover envelope signer: %w: %v", ErrInvalidSignature, err)
	}
	var addr [20]byte
	copy(addr[:], crypto.Keccak256(pub[1:])[12:])
	return addr, nil
}

// NormalizeSignature checks sig as RecoverEnvelopeSigner does and returns a
// copy with v = 27/28: the form a service manager's validate accepts. Use it
// before submitting a signature that a peer may have sent with v = 0/1.
func NormalizeSignature(sig []byte) ([]byte, error) {
	rsv, err := checkSignature(sig)
	if err != nil {
		return nil, fmt.Errorf("signer: normalize signature: %w", err)
	}
	return rsv[:], nil
}

// checkSignature validates the shape of an r‖s‖v signature and returns a
// copy with v = 27/28. Errors wrap ErrInvalidSignature.
func checkSignature(sig []byte) ([SignatureLength]byte, error) {
	var rsv [SignatureLength]byte
	if len(sig) != SignatureLength {
		return rsv, fmt.Errorf("%w: %d bytes, want %d (r‖s‖v)", ErrInvalidSignature, len(sig), SignatureLength)
	}
	copy(rsv[:], sig)
	switch v := rsv[64]; v {
	case 0, 1:
		rsv[64] = v + 27
	case 27, 28:
	default:
		return rsv, fmt.Errorf("%w: v = %d, want 27 or 28 (or 0 or 1)", ErrInvalidSignature, v)
	}
	r := new(big.Int).SetBytes(rsv[:32])
	s := new(big.Int).SetBytes(rsv[32:64])
	if !crypto.ValidateSignatureValues(rsv[64]-27, r, s, false) {
		return rsv, fmt.Errorf("%w: r or s is zero or not below the curve order", ErrInvalidSignature)
	}
	if !crypto.ValidateSignatureValues(rsv[64]-27, r, s, true) {
		return rsv, fmt.Errorf("%w: high s (malleable; a canonical signature has s ≤ n/2)", ErrInvalidSignature)
	}
	return rsv, nil
}
