package signer

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/wavs-go/wavs/sdk"
)

// SignatureLength is the length of an envelope signature: r‖s‖v.
const SignatureLength = 65

// ErrInvalidSignature is wrapped by every error RecoverEnvelopeSigner and
// NormalizeSignature return for a malformed signature, so that a caller can
// tell a bad peer signature (errors.Is) from anything else.
var ErrInvalidSignature = errors.New("invalid signature")

// eip191Prefix is the EIP-191 "personal message" prefix for a 32-byte
// message: the digest a WAVS service manager recovers signers from is
// keccak256(eip191Prefix ‖ keccak256(abi.encode(envelope))).
const eip191Prefix = "\x19Ethereum Signed Message:\n32"

// envelopeArgs is the ABI of `abi.encode(envelope)` for the Solidity
//
//	struct Envelope { bytes20 eventId; bytes12 ordering; bytes payload; }
//
// as ONE argument of tuple type. Because the tuple holds `bytes` it is
// dynamic, so its encoding starts with the 0x20 offset word; encoding the
// three fields as three arguments gives different bytes (and a signature
// the service manager rejects). Built once at package initialisation and
// only read afterwards (Arguments.Pack does not modify it).
var envelopeArgs = mustEnvelopeArgs()

func mustEnvelopeArgs() abi.Arguments {
	t, err := abi.NewType("tuple", "struct Envelope", []abi.ArgumentMarshaling{
		{Name: "eventId", Type: "bytes20"},
		{Name: "ordering", Type: "bytes12"},
		{Name: "payload", Type: "bytes"},
	})
	if err != nil {
		panic("signer: envelope ABI type: " + err.Error())
	}
	return abi.Arguments{{Name: "envelope", Type: t}}
}

// abiEnvelope is the Go shape accounts/abi packs for the Envelope tuple.
type abiEnvelope struct {
	EventID  [20]byte `abi:"eventId"`
	Ordering [12]byte `abi:"ordering"`
	Payload  []byte   `abi:"payload"`
}

// EncodeEnvelope returns abi.encode(e) exactly as Solidity computes it for
// a WAVS Envelope: one dynamic tuple, starting with the 0x20 offset word.
func EncodeEnvelope(e sdk.Envelope) []byte {
	payload := e.Payload
	if payload == nil {
		payload = []byte{}
	}
	out, err := envelopeArgs.Pack(abiEnvelope{EventID: e.EventID, Ordering: e.Ordering, Payload: payload})
	if err != nil {
		// The Go types match the ABI types field for field, so Pack
		// cannot fail; an error here is a programming error.
		panic("signer: abi-encode envelope: " + err.Error())
	}
	return out
}

// EnvelopeDigest is the 32-byte hash an envelope signature signs:
// keccak256("\x19Ethereum Signed Message:\n32" ‖ keccak256(EncodeEnvelope(e))).
func EnvelopeDigest(e sdk.Envelope) [32]byte {
	inner := crypto.Keccak256(EncodeEnvelope(e))
	var d [32]byte
	copy(d[:], crypto.Keccak256([]byte(eip191Prefix), inner))
	return d
}

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
