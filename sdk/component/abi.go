package component

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ABIVersion is the Component ABI version this package speaks.
const ABIVersion = 1

// Input is what the node gives a component for one trigger.
type Input struct {
	// ABI is the ABI version of the host (1).
	ABI        int
	ServiceID  string
	WorkflowID string
	Trigger    Trigger
	// Config holds the workflow's config vars.
	Config map[string]string
	// Chains holds the node's chains by chain key ("evm:31337").
	Chains map[string]Chain
}

// Trigger is the event being handled: exactly one field is set (a non-nil
// Raw, even empty, counts as set).
type Trigger struct {
	EvmLog *EvmLog
	Block  *BlockTick
	Cron   *CronTick
	Raw    []byte
}

// EvmLog is a contract event log.
type EvmLog struct {
	Chain       string
	Address     []byte   // 20 bytes
	Topics      [][]byte // 32 bytes each
	Data        []byte
	BlockNumber uint64
	BlockHash   []byte // 32 bytes
	TxHash      []byte // 32 bytes
	TxIndex     uint32
	LogIndex    uint32
	// BlockTimestamp is the block's time in unix seconds, 0 when the
	// chain's RPC did not report it.
	BlockTimestamp uint64
}

// BlockTick is a block a block-interval trigger fired on.
type BlockTick struct {
	Chain       string
	BlockNumber uint64
	BlockHash   []byte // 32 bytes
}

// CronTick is the time a cron trigger fired at.
type CronTick struct {
	UnixNano int64
}

// Time is the tick as a time.Time in UTC.
func (c CronTick) Time() time.Time { return time.Unix(0, c.UnixNano).UTC() }

// Chain is what the node knows about one chain.
type Chain struct {
	ChainID      string
	HTTPEndpoint string
	WSEndpoints  []string
}

// Response is one result of the component.
type Response struct {
	Payload []byte
	// EventIDSalt distinguishes this response's event id; nil lets the
	// node derive one from the trigger and the response's index.
	EventIDSalt []byte
}

// hexBytes is a byte string in the ABI's JSON form, "0x" + lowercase hex.
type hexBytes []byte

func (h hexBytes) MarshalJSON() ([]byte, error) {
	return []byte(`"0x` + hex.EncodeToString(h) + `"`), nil
}

func (h *hexBytes) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return errors.New("want a 0x-prefixed hex string")
	}
	rest, ok := strings.CutPrefix(s, "0x")
	if !ok {
		return fmt.Errorf("%q is not 0x-prefixed hex", s)
	}
	v, err := hex.DecodeString(rest)
	if err != nil {
		return fmt.Errorf("%q is not 0x-prefixed hex: %v", s, err)
	}
	if v == nil {
		v = []byte{}
	}
	*h = v
	return nil
}

// The ABI's JSON.
type (
	inputJSON struct {
		ABI        int                  `json:"abi"`
		ServiceID  string               `json:"service_id"`
		WorkflowID string               `json:"workflow_id"`
		Trigger    triggerJSON          `json:"trigger"`
		Config     map[string]string    `json:"config"`
		Chains     map[string]chainJSON `json:"chains"`
	}
	triggerJSON struct {
		EvmLog *evmLogJSON `json:"evm_contract_event,omitempty"`
		Block  *blockJSON  `json:"block_interval,omitempty"`
		Cron   *CronTick   `json:"cron,omitempty"`
		Raw    *rawJSON    `json:"raw,omitempty"`
	}
	evmLogJSON struct {
		Chain       string     `json:"chain"`
		Address     hexBytes   `json:"address"`
		Topics      []hexBytes `json:"topics"`
		Data        hexBytes   `json:"data"`
		BlockNumber uint64     `json:"block_number"`
		BlockHash   hexBytes   `json:"block_hash"`
		TxHash      hexBytes   `json:"tx_hash"`
		TxIndex     uint32     `json:"tx_index"`
		LogIndex    uint32     `json:"log_index"`
		// BlockTimestamp is unix seconds; absent when unknown.
		BlockTimestamp uint64 `json:"block_timestamp,omitempty"`
	}
	blockJSON struct {
		Chain       string   `json:"chain"`
		BlockNumber uint64   `json:"block_number"`
		BlockHash   hexBytes `json:"block_hash"`
	}
	rawJSON struct {
		Data hexBytes `json:"data"`
	}
	chainJSON struct {
		ChainID      string   `json:"chain_id"`
		HTTPEndpoint string   `json:"http_endpoint"`
		WSEndpoints  []string `json:"ws_endpoints"`
	}
	outputJSON struct {
		Responses []responseJSON `json:"responses"`
	}
	errorJSON struct {
		Error string `json:"error"`
	}
	responseJSON struct {
		Payload     hexBytes `json:"payload"`
		EventIDSalt hexBytes `json:"event_id_salt,omitempty"`
	}
)

// MarshalJSON writes the cron tick as {"unix_nano":N}.
func (c CronTick) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		UnixNano int64 `json:"unix_nano"`
	}{c.UnixNano})
}

// UnmarshalJSON reads {"unix_nano":N}.
func (c *CronTick) UnmarshalJSON(b []byte) error {
	var v struct {
		UnixNano int64 `json:"unix_nano"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	c.UnixNano = v.UnixNano
	return nil
}

// DecodeInput decodes the ABI's input object (what the host writes to
// stdin). It accepts fields it does not know, so a component keeps working
// when a later host adds some.
func DecodeInput(b []byte) (Input, error) {
	j, ok := parseInput(b) // the fast path, see fastabi.go
	if !ok {
		j = inputJSON{}
		dec := json.NewDecoder(bytes.NewReader(b))
		if err := dec.Decode(&j); err != nil {
			return Input{}, fmt.Errorf("component: decode input: %w", err)
		}
	}
	if j.ABI != ABIVersion {
		return Input{}, fmt.Errorf("component: decode input: host speaks ABI %d, this component ABI %d", j.ABI, ABIVersion)
	}
	in := Input{ABI: j.ABI, ServiceID: j.ServiceID, WorkflowID: j.WorkflowID, Config: j.Config, Chains: map[string]Chain{}}
	if in.Config == nil {
		in.Config = map[string]string{}
	}
	for k, c := range j.Chains {
		in.Chains[k] = Chain{ChainID: c.ChainID, HTTPEndpoint: c.HTTPEndpoint, WSEndpoints: c.WSEndpoints}
	}
	t := j.Trigger
	n := 0
	if t.EvmLog != nil {
		n++
		l := t.EvmLog
		topics := make([][]byte, len(l.Topics))
		for i, x := range l.Topics {
			topics[i] = x
		}
		in.Trigger.EvmLog = &EvmLog{
			Chain: l.Chain, Address: l.Address, Topics: topics, Data: l.Data,
			BlockNumber: l.BlockNumber, BlockHash: l.BlockHash, TxHash: l.TxHash,
			TxIndex: l.TxIndex, LogIndex: l.LogIndex, BlockTimestamp: l.BlockTimestamp,
		}
	}
	if t.Block != nil {
		n++
		in.Trigger.Block = &BlockTick{Chain: t.Block.Chain, BlockNumber: t.Block.BlockNumber, BlockHash: t.Block.BlockHash}
	}
	if t.Cron != nil {
		n++
		in.Trigger.Cron = t.Cron
	}
	if t.Raw != nil {
		n++
		in.Trigger.Raw = t.Raw.Data
		if in.Trigger.Raw == nil {
			in.Trigger.Raw = []byte{}
		}
	}
	if n != 1 {
		return Input{}, fmt.Errorf("component: decode input: trigger has %d kinds set, want exactly one", n)
	}
	return in, nil
}

// EncodeInput encodes in as the ABI's input object (for tests and tools;
// the host writes the real one).
func EncodeInput(in Input) ([]byte, error) {
	j := inputJSON{ABI: in.ABI, ServiceID: in.ServiceID, WorkflowID: in.WorkflowID, Config: in.Config, Chains: map[string]chainJSON{}}
	if j.ABI == 0 {
		j.ABI = ABIVersion
	}
	if j.Config == nil {
		j.Config = map[string]string{}
	}
	for k, c := range in.Chains {
		ws := c.WSEndpoints
		if ws == nil {
			ws = []string{}
		}
		j.Chains[k] = chainJSON{ChainID: c.ChainID, HTTPEndpoint: c.HTTPEndpoint, WSEndpoints: ws}
	}
	t := in.Trigger
	switch {
	case t.EvmLog != nil:
		l := t.EvmLog
		topics := make([]hexBytes, len(l.Topics))
		for i, x := range l.Topics {
			topics[i] = x
		}
		j.Trigger.EvmLog = &evmLogJSON{
			Chain: l.Chain, Address: l.Address, Topics: topics, Data: l.Data,
			BlockNumber: l.BlockNumber, BlockHash: l.BlockHash, TxHash: l.TxHash,
			TxIndex: l.TxIndex, LogIndex: l.LogIndex, BlockTimestamp: l.BlockTimestamp,
		}
	case t.Block != nil:
		j.Trigger.Block = &blockJSON{Chain: t.Block.Chain, BlockNumber: t.Block.BlockNumber, BlockHash: t.Block.BlockHash}
	case t.Cron != nil:
		j.Trigger.Cron = t.Cron
	case t.Raw != nil:
		j.Trigger.Raw = &rawJSON{Data: t.Raw}
	default:
		return nil, errors.New("component: encode input: no trigger set")
	}
	return json.Marshal(j)
}

// EncodeOutput is the ABI's output object for a handler's result: the
// responses, or {"error": err.Error()} when err is not nil.
func EncodeOutput(resps []Response, err error) []byte {
	var b []byte
	if err != nil {
		msg := err.Error()
		if msg == "" {
			msg = "error"
		}
		b, _ = json.Marshal(errorJSON{Error: msg})
		return b
	}
	return appendOutput(nil, resps) // as json.Marshal of an outputJSON
}
