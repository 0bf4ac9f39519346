// Package envelope is the secp256k1-eip191 signature scheme of WAVS
// envelopes (sdk.SchemeSecp256k1EIP191), for chains that are not EVM
// chains: a ledger, a rollup or a service that takes signed results needs
// to check operators' signatures without an ABI encoder, keccak256, EIP-191
// or ecrecover of its own.
//
// The bytes operators sign over an envelope are
//
//	Digest(env) = keccak256("\x19Ethereum Signed Message:\n32" ‖ Hash(env))
//	Hash(env)   = keccak256(Encode(env))
//	Encode(env) = abi.encode((bytes20 eventId, bytes12 ordering, bytes payload))
//
// and a signature is 65 bytes r ‖ s ‖ v. Verify checks a whole
// sdk.SignatureData the way a WAVS service manager does, up to the
// weights: which signers count, and how much, is the chain's question.
//
// # Signatures
//
// Recover and Verify accept exactly what an EVM service manager accepts:
// v is 27 or 28 (the node sends that form; 0/1, and 29..34, are refused),
// r and s are in [1, n) and s is in the lower half of the curve order, so
// that each signature has one encoding (its high-s twin is refused as
// malleable).
package envelope

import (
	"encoding/binary"
	"fmt"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"golang.org/x/crypto/sha3"

	"github.com/wavs-go/wavs/sdk"
)

// SignatureLength is the length of a signature: r ‖ s ‖ v.
const SignatureLength = 65

// eip191Prefix is the EIP-191 personal-message prefix of a 32-byte message.
const eip191Prefix = "\x19Ethereum Signed Message:\n32"

// wordSize is the size of an ABI word.
const wordSize = 32

// Encode returns abi.encode(env) as Solidity computes it for the tuple
// (bytes20 eventId, bytes12 ordering, bytes payload): the tuple is dynamic
// (it holds bytes), so the encoding starts with its offset, 0x20. Then
// come the event id and the ordering, each left-aligned in a word, the
// offset of the payload inside the tuple (0x60), the payload's length and
// the payload padded with zeros to a whole number of words.
func Encode(env sdk.Envelope) []byte {
	padded := (len(env.Payload) + wordSize - 1) / wordSize * wordSize
	out := make([]byte, 5*wordSize+padded)
	putUint(out[0:wordSize], wordSize)              // offset of the tuple
	copy(out[wordSize:], env.EventID[:])            // bytes20, left-aligned
	copy(out[2*wordSize:], env.Ordering[:])         // bytes12, left-aligned
	putUint(out[3*wordSize:4*wordSize], 3*wordSize) // offset of payload in the tuple
	putUint(out[4*wordSize:5*wordSize], uint64(len(env.Payload)))
	copy(out[5*wordSize:], env.Payload)
	return out
}

// putUint writes n big-endian at the end of the word w.
func putUint(w []byte, n uint64) {
	binary.BigEndian.PutUint64(w[wordSize-8:], n)
}

// Hash is keccak256(Encode(env)): the envelope hash a landing reports
// (sdk.Landing.EnvelopeHash).
func Hash(env sdk.Envelope) sdk.Hash {
	return keccak(Encode(env))
}

// Digest is the hash a signature signs:
// keccak256("\x19Ethereum Signed Message:\n32" ‖ Hash(env)).
func Digest(env sdk.Envelope) sdk.Hash {
	h := Hash(env)
	return keccak([]byte(eip191Prefix), h[:])
}

// keccak is the legacy Keccak-256 of the parts, as Ethereum uses it.
func keccak(parts ...[]byte) sdk.Hash {
	k := sha3.NewLegacyKeccak256()
	for _, p := range parts {
		k.Write(p)
	}
	var h sdk.Hash
	k.Sum(h[:0])
	return h
}

// Recover returns the address of the key that signed env with sig (65
// bytes r ‖ s ‖ v, v = 27 or 28, s in the lower half of the curve order).
// Errors wrap sdk.ErrInvalidArgument.
//
// The address proves only who signed env; whether it is an operator of
// the service, with what weight, is the caller's question.
func Recover(env sdk.Envelope, sig []byte) (sdk.Address, error) {
	if len(sig) != SignatureLength {
		return sdk.Address{}, fmt.Errorf("%w: signature has %d bytes, want %d (r ‖ s ‖ v)", sdk.ErrInvalidArgument, len(sig), SignatureLength)
	}
	v := sig[64]
	if v != 27 && v != 28 {
		return sdk.Address{}, fmt.Errorf("%w: signature v = %d, want 27 or 28", sdk.ErrInvalidArgument, v)
	}
	var s secp256k1.ModNScalar
	if overflow := s.SetByteSlice(sig[32:64]); !overflow && s.IsOverHalfOrder() {
		return sdk.Address{}, fmt.Errorf("%w: signature has a high s (malleable; a canonical signature has s ≤ n/2)", sdk.ErrInvalidArgument)
	}
	// The compact form RecoverCompact reads is v ‖ r ‖ s, with v = 27 +
	// recovery id for an uncompressed key (the form an address hashes).
	var compact [SignatureLength]byte
	compact[0] = v
	copy(compact[1:], sig[:64])
	digest := Digest(env)
	pub, _, err := ecdsa.RecoverCompact(compact[:], digest[:])
	if err != nil {
		return sdk.Address{}, fmt.Errorf("%w: %v", sdk.ErrInvalidArgument, err)
	}
	return AddressOf(pub), nil
}

// AddressOf is the 20-byte address of a public key: the last 20 bytes of
// keccak256 of its uncompressed X ‖ Y.
func AddressOf(pub *secp256k1.PublicKey) sdk.Address {
	h := keccak(pub.SerializeUncompressed()[1:])
	var a sdk.Address
	copy(a[:], h[12:])
	return a
}

// Verify checks sd as signatures over env: the scheme is
// secp256k1-eip191, there is one signature per signer and at least one,
// each signer is 20 bytes and the signers are in strictly ascending byte
// order (so none counts twice), and each signature recovers to its
// signer. It returns the signers as addresses, in order. Errors wrap
// sdk.ErrInvalidArgument and name the index of the signer at fault.
//
// Verify does not read weights or thresholds, nor sd.Reference: the
// caller weighs the signers by its operator set at sd.Reference.
func Verify(env sdk.Envelope, sd sdk.SignatureData) ([]sdk.Address, error) {
	if sd.Scheme != sdk.SchemeSecp256k1EIP191 {
		return nil, fmt.Errorf("%w: signature scheme %q, want %q", sdk.ErrInvalidArgument, sd.Scheme, sdk.SchemeSecp256k1EIP191)
	}
	if len(sd.Signers) != len(sd.Signatures) {
		return nil, fmt.Errorf("%w: %d signers and %d signatures, want one signature per signer", sdk.ErrInvalidArgument, len(sd.Signers), len(sd.Signatures))
	}
	if len(sd.Signers) == 0 {
		return nil, fmt.Errorf("%w: no signatures", sdk.ErrInvalidArgument)
	}
	out := make([]sdk.Address, len(sd.Signers))
	for i, raw := range sd.Signers {
		if len(raw) != len(sdk.Address{}) {
			return nil, fmt.Errorf("%w: signers[%d] has %d bytes, want 20", sdk.ErrInvalidArgument, i, len(raw))
		}
		copy(out[i][:], raw)
		if i > 0 && string(out[i-1][:]) >= string(out[i][:]) {
			return nil, fmt.Errorf("%w: signers[%d] %s is not above signers[%d] %s: signers must be in strictly ascending order", sdk.ErrInvalidArgument, i, out[i], i-1, out[i-1])
		}
	}
	for i, sig := range sd.Signatures {
		got, err := Recover(env, sig)
		if err != nil {
			return nil, fmt.Errorf("signatures[%d] (of %s): %w", i, out[i], err)
		}
		if got != out[i] {
			return nil, fmt.Errorf("%w: signatures[%d] was made by %s, not by signers[%d] %s", sdk.ErrInvalidArgument, i, got, i, out[i])
		}
	}
	return out, nil
}

// Sign signs env with key as an operator does: 65 bytes r ‖ s ‖ v with
// v = 27 or 28, s in the lower half of the order, and a deterministic
// nonce (RFC 6979). Nodes sign with their own keys; Sign is for tests,
// tools and chains' own tooling.
func Sign(env sdk.Envelope, key *secp256k1.PrivateKey) []byte {
	digest := Digest(env)
	compact := ecdsa.SignCompact(key, digest[:], false) // v ‖ r ‖ s, v = 27 + recovery id
	sig := make([]byte, SignatureLength)
	copy(sig, compact[1:])
	sig[64] = compact[0]
	return sig
}
