// Package abi is the wire form of the Component ABI (version 1): the JSON
// objects a node writes to a component's stdin and reads from its stdout,
// and those of the http_fetch host call. The node (host/engine) and the
// component SDK (sdk/component) both encode and decode these types, so the
// two ends cannot drift apart; docs/components.md describes the objects.
//
// The package holds the shapes only. What each end checks on top (exact
// byte lengths, unknown fields, exactly one trigger kind) is that end's.
// It imports nothing outside the standard library: it is compiled into
// every component.
package abi

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Version is the ABI version: the "abi" field of every input.
const Version = 1

// Hex is a byte string in the ABI's JSON form: "0x" followed by lowercase
// hex. Decoding also accepts uppercase digits; "0x" decodes to an empty,
// non-nil slice.
type Hex []byte

// MarshalJSON implements json.Marshaler.
func (h Hex) MarshalJSON() ([]byte, error) {
	out := make([]byte, 0, 4+2*len(h))
	out = append(out, `"0x`...)
	out = hex.AppendEncode(out, h)
	return append(out, '"'), nil
}

// UnmarshalJSON implements json.Unmarshaler.
func (h *Hex) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return errors.New("want a 0x-prefixed hex string")
	}
	v, err := DecodeHex(s)
	if err != nil {
		return err
	}
	*h = v
	return nil
}

// DecodeHex decodes a 0x-prefixed hex string; "0x" is an empty, non-nil
// slice. The error quotes at most the first 80 characters of s.
func DecodeHex(s string) ([]byte, error) {
	rest, ok := strings.CutPrefix(s, "0x")
	if !ok {
		return nil, fmt.Errorf("%q is not 0x-prefixed hex", Abbrev(s))
	}
	v, err := hex.DecodeString(rest)
	if err != nil {
		return nil, fmt.Errorf("%q is not 0x-prefixed hex: %v", Abbrev(s), err)
	}
	if v == nil {
		v = []byte{}
	}
	return v, nil
}

// Abbrev shortens s to at most 80 characters (and "...") for an error
// message.
func Abbrev(s string) string {
	const most = 80
	if len(s) <= most {
		return s
	}
	return s[:most] + "..."
}

// Input is the object on a component's stdin.
type Input struct {
	ABI        int               `json:"abi"`
	ServiceID  string            `json:"service_id"`
	WorkflowID string            `json:"workflow_id"`
	Trigger    Trigger           `json:"trigger"`
	Config     map[string]string `json:"config"`
	Chains     map[string]Chain  `json:"chains"`
}

// Chain is what a component learns of one chain the node knows.
type Chain struct {
	ChainID      string   `json:"chain_id"`
	HTTPEndpoint string   `json:"http_endpoint"`
	WSEndpoints  []string `json:"ws_endpoints"`
}

// Trigger is the event being handled: one of its fields is set.
type Trigger struct {
	EvmLog *EvmLog `json:"evm_contract_event,omitempty"`
	Block  *Block  `json:"block_interval,omitempty"`
	Cron   *Cron   `json:"cron,omitempty"`
	Raw    *Raw    `json:"raw,omitempty"`
}

// Kinds is how many of the trigger's kinds are set (a valid trigger has
// exactly one).
func (t Trigger) Kinds() int {
	n := 0
	for _, set := range []bool{t.EvmLog != nil, t.Block != nil, t.Cron != nil, t.Raw != nil} {
		if set {
			n++
		}
	}
	return n
}

// EvmLog is a contract event log.
type EvmLog struct {
	Chain       string `json:"chain"`
	Address     Hex    `json:"address"`
	Topics      []Hex  `json:"topics"`
	Data        Hex    `json:"data"`
	BlockNumber uint64 `json:"block_number"`
	BlockHash   Hex    `json:"block_hash"`
	TxHash      Hex    `json:"tx_hash"`
	TxIndex     uint32 `json:"tx_index"`
	LogIndex    uint32 `json:"log_index"`
	// BlockTimestamp is unix seconds; absent when unknown.
	BlockTimestamp uint64 `json:"block_timestamp,omitempty"`
}

// Block is a block a block-interval trigger fired on.
type Block struct {
	Chain       string `json:"chain"`
	BlockNumber uint64 `json:"block_number"`
	BlockHash   Hex    `json:"block_hash"`
}

// Cron is the time a cron trigger fired at.
type Cron struct {
	UnixNano int64 `json:"unix_nano"`
}

// Raw is opaque input (`wavs exec`, tests).
type Raw struct {
	Data Hex `json:"data"`
}

// Output is the object on a component's stdout: its responses, or its
// error (exactly one of the two).
type Output struct {
	Responses *[]Response `json:"responses,omitempty"`
	Error     *string     `json:"error,omitempty"`
}

// Response is one result.
type Response struct {
	Payload     *Hex `json:"payload"`
	EventIDSalt Hex  `json:"event_id_salt,omitempty"`
}

// FetchRequest is the http_fetch host call's request.
type FetchRequest struct {
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    Hex               `json:"body,omitempty"`
}

// FetchResponse is the http_fetch host call's staged result.
type FetchResponse struct {
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Body    Hex               `json:"body"`
}
