package component

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/wavs-go/wavs/sdk/component/abi"
)

// ABIVersion is the Component ABI version this package speaks.
const ABIVersion = abi.Version

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
type Chain = abi.Chain

// Response is one result of the component.
type Response struct {
	Payload []byte
	// EventIDSalt distinguishes this response's event id; nil lets the
	// node derive one from the trigger and the response's index.
	EventIDSalt []byte
}

// MarshalJSON writes the cron tick as {"unix_nano":N}.
func (c CronTick) MarshalJSON() ([]byte, error) {
	return json.Marshal(abi.Cron{UnixNano: c.UnixNano})
}

// UnmarshalJSON reads {"unix_nano":N}.
func (c *CronTick) UnmarshalJSON(b []byte) error {
	var v abi.Cron
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
		j = abi.Input{}
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
		in.Chains[k] = c
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
		in.Trigger.Cron = &CronTick{UnixNano: t.Cron.UnixNano}
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
	j := abi.Input{ABI: in.ABI, ServiceID: in.ServiceID, WorkflowID: in.WorkflowID, Config: in.Config, Chains: map[string]abi.Chain{}}
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
		c.WSEndpoints = ws
		j.Chains[k] = c
	}
	t := in.Trigger
	switch {
	case t.EvmLog != nil:
		l := t.EvmLog
		topics := make([]abi.Hex, len(l.Topics))
		for i, x := range l.Topics {
			topics[i] = x
		}
		j.Trigger.EvmLog = &abi.EvmLog{
			Chain: l.Chain, Address: l.Address, Topics: topics, Data: l.Data,
			BlockNumber: l.BlockNumber, BlockHash: l.BlockHash, TxHash: l.TxHash,
			TxIndex: l.TxIndex, LogIndex: l.LogIndex, BlockTimestamp: l.BlockTimestamp,
		}
	case t.Block != nil:
		j.Trigger.Block = &abi.Block{Chain: t.Block.Chain, BlockNumber: t.Block.BlockNumber, BlockHash: t.Block.BlockHash}
	case t.Cron != nil:
		j.Trigger.Cron = &abi.Cron{UnixNano: t.Cron.UnixNano}
	case t.Raw != nil:
		j.Trigger.Raw = &abi.Raw{Data: t.Raw}
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
		b, _ = json.Marshal(abi.Output{Error: &msg})
		return b
	}
	return appendOutput(nil, resps) // as json.Marshal of an outputJSON
}
