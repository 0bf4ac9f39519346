package service

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"

	// Deprecated as a general-purpose hash, but RIPEMD-160 is what WAVS
	// event ids are made of.
	"golang.org/x/crypto/ripemd160"

	"github.com/wavs-go/wavs/sdk"
)

// ID is the service id: the lowercase hex of sha256("evm" ‖ chain key ‖
// 20-byte manager address), or for a Cosmos manager of sha256("cosmos" ‖
// chain key ‖ the address's bech32-decoded bytes), as WAVS computes it.
// It is "" when the service has no manager (or a Cosmos address that is
// not bech32).
func (s *Service) ID() string {
	switch m := s.Manager; {
	case m.Evm != nil:
		return ServiceID(m.Evm.Chain, m.Evm.Address)
	case m.Cosmos != nil:
		raw, ok := bech32Decode(m.Cosmos.Address)
		if !ok {
			return ""
		}
		h := sha256.New()
		h.Write([]byte("cosmos"))
		h.Write([]byte(m.Cosmos.Chain))
		h.Write(raw)
		return hex.EncodeToString(h.Sum(nil))
	case m.Other != nil:
		// WAVS defines no id for other families; this node hashes the
		// family, the chain key and the address as written, as it does
		// the others' bytes.
		h := sha256.New()
		h.Write([]byte(m.Other.Family))
		h.Write([]byte(m.Other.Chain))
		h.Write([]byte(m.Other.Address))
		return hex.EncodeToString(h.Sum(nil))
	default:
		return ""
	}
}

// ServiceID is the id of the service whose EVM service manager is address
// on chain (a chain key such as "evm:31337").
func ServiceID(chain string, address Address) string {
	h := sha256.New()
	h.Write([]byte(chainFamilyEVM))
	h.Write([]byte(chain))
	h.Write(address[:])
	return hex.EncodeToString(h.Sum(nil))
}

// Topic is the GossipSub topic on which the service's operators exchange
// signatures: "wavs/<service id>/topic/v1".
func (s *Service) Topic() string { return TopicFor(s.ID()) }

// TopicFor is the GossipSub topic of the service with id serviceID.
func TopicFor(serviceID string) string { return sdk.ServiceTopic(serviceID) }

// NewEventID is the id of one firing of a workflow's trigger:
// RIPEMD-160(service id bytes ‖ workflow id ‖ salt), where serviceID is the
// hex service id (its 32 decoded bytes are hashed) and workflowID is
// hashed as UTF-8. salt may be empty.
func NewEventID(serviceID, workflowID string, salt []byte) (EventID, error) {
	var out EventID
	sid, err := hex.DecodeString(serviceID)
	if err != nil || len(sid) != sha256.Size {
		return out, fmt.Errorf("event id: service id %s: want 64 hex digits", quote(serviceID))
	}
	if !ValidWorkflowID(workflowID) {
		return out, fmt.Errorf("event id: workflow id %s: %s", quote(workflowID), wantWorkflowID)
	}
	h := ripemd160.New()
	h.Write(sid)
	h.Write([]byte(workflowID))
	h.Write(salt)
	copy(out[:], h.Sum(nil))
	return out, nil
}

// Ordering is the envelope's 12-byte ordering for a component's
// wasm-response.ordering, as WAVS builds it (EventOrder::new_u64): the
// value big-endian in the first 8 bytes, then 4 zero bytes; all zero when
// the component gave none.
func Ordering(v *uint64) [12]byte {
	var out [12]byte
	if v != nil {
		binary.BigEndian.PutUint64(out[:8], *v)
	}
	return out
}

// TriggerID names the trigger of one workflow of one service towards
// trigger plugins and in the store: "<service id>/<workflow id>". The
// store relies on the prefix to drop a deleted service's cursors.
func TriggerID(serviceID, workflowID string) string { return serviceID + "/" + workflowID }
