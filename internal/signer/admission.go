package signer

import (
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/wavs-go/wavs/internal/admission"
)

// SignAdmission signs the P2P admission attestation of the node whose
// transport has peer id peerID (text form) on topic: an EIP-191 signature
// over the admission digest of (peerID, topic) (internal/admission), 65 bytes r‖s‖v with v = 27 or
// 28. Its peers check that it recovers this key's address for the peer
// id they are connected to.
func (k *Key) SignAdmission(peerID, topic string) ([]byte, error) {
	if k == nil || k.priv == nil {
		return nil, errors.New("signer: sign admission: no key (a Key comes from a Signer)")
	}
	hash, err := admission.Hash(peerID, topic)
	if err != nil {
		return nil, fmt.Errorf("signer: sign admission: %w", err)
	}
	sig, err := crypto.Sign(hash[:], k.priv)
	if err != nil {
		return nil, fmt.Errorf("signer: sign admission with %s: %w", k.AddressHex(), err)
	}
	sig[64] += 27
	return sig, nil
}
