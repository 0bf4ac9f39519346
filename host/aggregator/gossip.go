package aggregator

import (
	"errors"
	"fmt"

	"github.com/wavs-go/wavs/internal/gossip"
	"github.com/wavs-go/wavs/internal/signer"
	"github.com/wavs-go/wavs/sdk"
)

// GossipVersion is the version of the signature message operators
// exchange on a service's topic.
const GossipVersion = gossip.Version

// MaxGossipBytes bounds one encoded message: the largest payload the
// engine lets a component return (1 MiB) as hex, plus the other fields.
const MaxGossipBytes = gossip.MaxBytes

// Gossip is one operator's signature over one envelope, a landed notice
// or a claim, as published on the service's topic (see gossip.Message,
// its wire form, shared with the libp2p transport's validator).
type Gossip gossip.Message

// EncodeGossip encodes g for the wire.
func EncodeGossip(g Gossip) ([]byte, error) { return gossip.Encode(gossip.Message(g)) }

// DecodeGossip reads a message from a peer. Anything malformed (unknown
// fields or version, wrong lengths, bad hex) is an error naming the field;
// a peer's message never panics the node.
func DecodeGossip(b []byte) (Gossip, error) {
	m, err := gossip.Decode(b)
	return Gossip(m), err
}

// Verify recovers the address that signed the envelope (or, for a claim,
// the claim). The caller must still check that this address is a signing
// key of the service's operator set before the signature counts.
func (g Gossip) Verify() (sdk.Address, error) {
	if g.Landed {
		return sdk.Address{}, errors.New("gossip: a landed notice is not signed")
	}
	if g.Claim {
		addr, err := signer.RecoverClaimSigner(g.ServiceID, g.Envelope.EventID, g.Signature)
		if err != nil {
			return sdk.Address{}, fmt.Errorf("gossip: %w", err)
		}
		return sdk.Address(addr), nil
	}
	addr, err := signer.RecoverEnvelopeSigner(g.Envelope, g.Signature)
	if err != nil {
		return sdk.Address{}, fmt.Errorf("gossip: %w", err)
	}
	return sdk.Address(addr), nil
}

// clip keeps error messages about a peer's input short.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
