// Package gossip is the wire form of the messages operators exchange on
// a service's topic: the host's aggregator encodes and decodes them, and
// the libp2p transport decodes them to keep malformed ones off the
// network before they reach the host.
package gossip

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/wavs-go/wavs/sdk"
)

// Version is the version of the signature message operators
// exchange on a service's topic.
const Version = 1

// MaxPayload is the largest payload a message carries: the largest the
// engine lets a component return, and the store keeps (1 MiB).
const MaxPayload = 1 << 20

// MaxBytes bounds one encoded message: the largest payload as hex, plus
// the other fields.
const MaxBytes = 2*MaxPayload + 4096

// Message is one operator's signature over one envelope, as published on
// the service's topic. It carries the whole envelope, so a receiver can
// verify the signature without having run the trigger itself, and nothing
// else: who signed comes from the signature, never from the message.
//
// Two other kinds carry only the ids of the event:
//
//   - With Landed set it is a notice that the sender landed the event in
//     transaction TxHash. A receiver does not take it on trust: it checks
//     that transaction on chain before it stands down.
//   - With Claim set it tells that the sender is submitting the event now;
//     Signature is then the sender's signature over the claim (see
//     signer.ClaimDigest), so that only an operator can postpone the
//     others' turns.
type Message struct {
	ServiceID  string
	WorkflowID string
	Envelope   sdk.Envelope
	Signature  []byte // 65 bytes, r || s || v
	Landed     bool
	TxHash     sdk.Hash // with Landed
	Claim      bool
}

type wireJSON struct {
	V          int    `json:"v"`
	ServiceID  string `json:"service_id"`
	WorkflowID string `json:"workflow_id"`
	EventID    string `json:"event_id"`
	Ordering   string `json:"ordering,omitempty"`
	Payload    string `json:"payload,omitempty"`
	Signature  string `json:"signature,omitempty"`
	Landed     bool   `json:"landed,omitempty"`
	TxHash     string `json:"tx_hash,omitempty"`
	Claim      bool   `json:"claim,omitempty"`
}

// Encode encodes g for the wire.
func Encode(g Message) ([]byte, error) {
	m := wireJSON{
		V: Version, ServiceID: g.ServiceID, WorkflowID: g.WorkflowID,
		EventID: "0x" + hex.EncodeToString(g.Envelope.EventID[:]),
		Landed:  g.Landed,
		Claim:   g.Claim,
	}
	switch {
	case g.Landed && g.Claim:
		return nil, errors.New("gossip: a message is a landed notice or a claim, not both")
	case g.Landed:
		m.TxHash = "0x" + hex.EncodeToString(g.TxHash[:])
	case g.Claim:
		m.Signature = "0x" + hex.EncodeToString(g.Signature)
	default:
		m.Ordering = "0x" + hex.EncodeToString(g.Envelope.Ordering[:])
		m.Payload = "0x" + hex.EncodeToString(g.Envelope.Payload)
		m.Signature = "0x" + hex.EncodeToString(g.Signature)
	}
	out, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	if len(out) > MaxBytes {
		return nil, fmt.Errorf("gossip message of %d bytes is larger than %d", len(out), MaxBytes)
	}
	return out, nil
}

// Decode reads a message from a peer. Anything malformed (unknown
// fields or version, wrong lengths, bad hex) is an error naming the field;
// a peer's message never panics the node.
func Decode(b []byte) (Message, error) {
	var g Message
	if len(b) > MaxBytes {
		return g, fmt.Errorf("gossip: message of %d bytes is larger than %d", len(b), MaxBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var m wireJSON
	if err := dec.Decode(&m); err != nil {
		return g, fmt.Errorf("gossip: %w", err)
	}
	if dec.More() {
		return g, errors.New("gossip: data after the message")
	}
	if m.V != Version {
		return g, fmt.Errorf("gossip: v = %d: want %d", m.V, Version)
	}
	if !sdk.IsServiceID(m.ServiceID) {
		return g, fmt.Errorf("gossip: service_id %q: want 64 lowercase hex digits", clip(m.ServiceID))
	}
	if m.WorkflowID == "" || len(m.WorkflowID) > 64 {
		return g, fmt.Errorf("gossip: workflow_id %q: want 1 to 64 characters", clip(m.WorkflowID))
	}
	g.ServiceID, g.WorkflowID = m.ServiceID, m.WorkflowID
	if err := fixedHex(g.Envelope.EventID[:], m.EventID, "event_id"); err != nil {
		return g, err
	}
	switch {
	case m.Landed && m.Claim:
		return g, errors.New("gossip: a message is a landed notice or a claim, not both")
	case m.Landed:
		if m.Ordering != "" || m.Payload != "" || m.Signature != "" {
			return g, errors.New("gossip: a landed notice carries no ordering, payload or signature")
		}
		if err := fixedHex(g.TxHash[:], m.TxHash, "tx_hash"); err != nil {
			return g, err
		}
		g.Landed = true
		return g, nil
	case m.Claim:
		if m.Ordering != "" || m.Payload != "" || m.TxHash != "" {
			return g, errors.New("gossip: a claim carries no ordering, payload or tx_hash")
		}
		if err := fixedHex(make([]byte, 65), m.Signature, "signature"); err != nil {
			return g, err
		}
		g.Signature, _ = hexField(m.Signature, "signature")
		g.Claim = true
		return g, nil
	case m.TxHash != "":
		return g, errors.New("gossip: tx_hash belongs to a landed notice")
	}
	if err := fixedHex(g.Envelope.Ordering[:], m.Ordering, "ordering"); err != nil {
		return g, err
	}
	payload, err := hexField(m.Payload, "payload")
	if err != nil {
		return g, err
	}
	g.Envelope.Payload = payload
	sig, err := hexField(m.Signature, "signature")
	if err != nil {
		return g, err
	}
	if len(sig) != 65 {
		return g, fmt.Errorf("gossip: signature has %d bytes: want 65", len(sig))
	}
	g.Signature = sig
	return g, nil
}

func fixedHex(dst []byte, s, field string) error {
	b, err := hexField(s, field)
	if err != nil {
		return err
	}
	if len(b) != len(dst) {
		return fmt.Errorf("gossip: %s has %d bytes: want %d", field, len(b), len(dst))
	}
	copy(dst, b)
	return nil
}

func hexField(s, field string) ([]byte, error) {
	rest, ok := strings.CutPrefix(s, "0x")
	if !ok {
		return nil, fmt.Errorf("gossip: %s %q: want 0x-prefixed hex", field, clip(s))
	}
	b, err := hex.DecodeString(rest)
	if err != nil {
		return nil, fmt.Errorf("gossip: %s: %v", field, err)
	}
	return b, nil
}

// clip keeps error messages about a peer's input short.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
