// Package admission is the digest a P2P admission attestation signs,
// shared by the host, which signs it with a service's key, and the
// libp2p transport, which checks its peers' (see
// sdk.AdmissionTransport). It lives outside the sdk so that the sdk stays
// free of hashing and encoding dependencies.
package admission

import (
	"fmt"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/mr-tron/base58"

	"github.com/wavs-go/wavs/sdk"
)

// PeerIDBytes decodes a peer id in its text form (base58btc, as libp2p
// prints it: "12D3KooW..." or "Qm...") into its binary form.
func PeerIDBytes(peerID string) ([]byte, error) {
	b, err := base58.Decode(peerID)
	if err != nil || len(b) == 0 {
		return nil, fmt.Errorf("%w: peer id %q is not base58", sdk.ErrInvalidArgument, peerID)
	}
	return b, nil
}

// Digest is keccak256(sdk.AdmissionDomain ‖ peer id bytes ‖ topic), peerID
// given in its text form.
func Digest(peerID, topic string) ([32]byte, error) {
	id, err := PeerIDBytes(peerID)
	if err != nil {
		return [32]byte{}, err
	}
	return crypto.Keccak256Hash([]byte(sdk.AdmissionDomain), id, []byte(topic)), nil
}

// Hash is what an attestation's EIP-191 signature signs:
// keccak256("\x19Ethereum Signed Message:\n32" ‖ Digest(peerID, topic)).
func Hash(peerID, topic string) ([32]byte, error) {
	d, err := Digest(peerID, topic)
	if err != nil {
		return [32]byte{}, err
	}
	return crypto.Keccak256Hash([]byte("\x19Ethereum Signed Message:\n32"), d[:]), nil
}

// Recover returns the address whose key made sig (65 bytes r‖s‖v, v = 27
// or 28) over Hash(peerID, topic).
func Recover(peerID, topic string, sig []byte) (sdk.Address, error) {
	if len(sig) != 65 || (sig[64] != 27 && sig[64] != 28) {
		return sdk.Address{}, fmt.Errorf("%w: signature: want 65 bytes r‖s‖v with v = 27 or 28", sdk.ErrInvalidArgument)
	}
	h, err := Hash(peerID, topic)
	if err != nil {
		return sdk.Address{}, err
	}
	rsv := make([]byte, 65)
	copy(rsv, sig)
	rsv[64] -= 27
	pub, err := crypto.SigToPub(h[:], rsv)
	if err != nil {
		return sdk.Address{}, fmt.Errorf("%w: signature: %v", sdk.ErrInvalidArgument, err)
	}
	return sdk.Address(crypto.PubkeyToAddress(*pub)), nil
}
