package engine

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/component/abi"
)

// Trigger is the event an execution handles. Exactly one field is set; a
// non-nil Raw (even empty) counts as set.
type Trigger struct {
	EvmLog *sdk.EvmLog
	Block  *sdk.BlockTick
	Cron   *sdk.CronTick
	// Raw is opaque input, for `wavs exec` and tests.
	Raw []byte
}

// Validate reports whether exactly one kind of trigger is set.
func (t Trigger) Validate() error {
	n := 0
	if t.EvmLog != nil {
		n++
	}
	if t.Block != nil {
		n++
	}
	if t.Cron != nil {
		n++
	}
	if t.Raw != nil {
		n++
	}
	switch n {
	case 1:
		return nil
	case 0:
		return errors.New("trigger: none of evm_contract_event, block_interval, cron and raw is set")
	default:
		return fmt.Errorf("trigger: %d kinds are set, want exactly one", n)
	}
}

// wire is t as the ABI's trigger object.
func (t Trigger) wire() (abi.Trigger, error) {
	if err := t.Validate(); err != nil {
		return abi.Trigger{}, err
	}
	var j abi.Trigger
	switch {
	case t.EvmLog != nil:
		l := t.EvmLog
		topics := make([]abi.Hex, len(l.Topics))
		for i := range l.Topics {
			topics[i] = l.Topics[i][:]
		}
		data := l.Data
		if data == nil {
			data = []byte{}
		}
		j.EvmLog = &abi.EvmLog{
			Chain: l.Chain, Address: l.Address[:], Topics: topics, Data: data,
			BlockNumber: l.BlockNumber, BlockHash: l.BlockHash[:], TxHash: l.TxHash[:],
			TxIndex: l.TxIndex, LogIndex: l.LogIndex, BlockTimestamp: l.BlockTimestamp,
		}
	case t.Block != nil:
		j.Block = &abi.Block{Chain: t.Block.Chain, BlockNumber: t.Block.BlockNumber, BlockHash: t.Block.BlockHash[:]}
	case t.Cron != nil:
		j.Cron = &abi.Cron{UnixNano: t.Cron.Time.UnixNano()}
	default:
		j.Raw = &abi.Raw{Data: t.Raw}
	}
	return j, nil
}

// MarshalJSON encodes t as the ABI's trigger object.
func (t Trigger) MarshalJSON() ([]byte, error) {
	j, err := t.wire()
	if err != nil {
		return nil, err
	}
	return json.Marshal(j)
}

// ParseTriggerJSON decodes the ABI's trigger object (exactly one of
// evm_contract_event, block_interval, cron and raw), rejecting unknown
// fields, wrong byte lengths and trailing data.
func ParseTriggerJSON(b []byte) (Trigger, error) {
	var j abi.Trigger
	if err := decodeStrict(b, &j); err != nil {
		return Trigger{}, fmt.Errorf("engine: trigger JSON: %w", err)
	}
	t, err := fromWire(j)
	if err != nil {
		return Trigger{}, fmt.Errorf("engine: trigger JSON: %w", err)
	}
	return t, nil
}

// UnmarshalJSON decodes the ABI's trigger object like ParseTriggerJSON.
func (t *Trigger) UnmarshalJSON(b []byte) error {
	v, err := ParseTriggerJSON(b)
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// fromWire is the trigger j describes, its byte lengths checked.
func fromWire(j abi.Trigger) (Trigger, error) {
	var t Trigger
	switch {
	case j.EvmLog != nil:
		l := j.EvmLog
		out := &sdk.EvmLog{Chain: l.Chain, Data: []byte(l.Data), BlockNumber: l.BlockNumber, TxIndex: l.TxIndex, LogIndex: l.LogIndex, BlockTimestamp: l.BlockTimestamp}
		if out.Data == nil {
			out.Data = []byte{}
		}
		if err := fixed(out.Address[:], l.Address, "evm_contract_event.address"); err != nil {
			return t, err
		}
		if err := fixed(out.BlockHash[:], l.BlockHash, "evm_contract_event.block_hash"); err != nil {
			return t, err
		}
		if err := fixed(out.TxHash[:], l.TxHash, "evm_contract_event.tx_hash"); err != nil {
			return t, err
		}
		if len(l.Topics) > 0 {
			out.Topics = make([]sdk.Hash, len(l.Topics))
		}
		for i, topic := range l.Topics {
			if err := fixed(out.Topics[i][:], topic, fmt.Sprintf("evm_contract_event.topics[%d]", i)); err != nil {
				return t, err
			}
		}
		if l.Chain == "" {
			return t, errors.New("evm_contract_event.chain is empty")
		}
		t.EvmLog = out
	case j.Block != nil:
		out := &sdk.BlockTick{Chain: j.Block.Chain, BlockNumber: j.Block.BlockNumber}
		if err := fixed(out.BlockHash[:], j.Block.BlockHash, "block_interval.block_hash"); err != nil {
			return t, err
		}
		if out.Chain == "" {
			return t, errors.New("block_interval.chain is empty")
		}
		t.Block = out
	case j.Cron != nil:
		t.Cron = &sdk.CronTick{Time: time.Unix(0, j.Cron.UnixNano).UTC()}
	case j.Raw != nil:
		if j.Raw.Data == nil {
			return t, errors.New("raw.data is missing")
		}
		t.Raw = []byte(j.Raw.Data)
	}
	if n := j.Kinds(); n != 1 {
		return Trigger{}, fmt.Errorf("want exactly one of evm_contract_event, block_interval, cron and raw, got %d", n)
	}
	return t, nil
}

// fixed copies b into dst, which must have exactly len(b) bytes.
func fixed(dst, b []byte, field string) error {
	if len(b) != len(dst) {
		return fmt.Errorf("%s has %d bytes, want %d", field, len(b), len(dst))
	}
	copy(dst, b)
	return nil
}

// decodeStrict decodes one JSON value into v, rejecting unknown fields and
// anything but whitespace after it.
func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the JSON value")
	}
	return nil
}
