package sdk

import (
	"context"
	"time"
)

// Trigger watches for the events that make the node run components.
//
// Delivery is at least once: an event stays pending until the host acks
// its cursor (or a later one of the same trigger). Pending events are sent
// again on a new Events stream, and after a plugin restart the host adds
// each trigger again with the last cursor it acknowledged.
type Trigger interface {
	Plugin
	// AddTrigger starts watching for spec; adding an id again replaces it.
	// A spec the plugin cannot serve is an ErrInvalidArgument.
	AddTrigger(ctx context.Context, spec TriggerSpec) error
	// RemoveTrigger stops watching; ErrNotFound if the id is unknown.
	RemoveTrigger(ctx context.Context, id string) error
	// Events returns trigger events; the channel is closed when ctx is
	// done. At most one stream is open at a time: a new call ends the
	// previous one.
	Events(ctx context.Context) (<-chan TriggerEvent, error)
	// Ack records that the host has durably stored every event of the
	// trigger up to and including cursor.
	Ack(ctx context.Context, triggerID, cursor string) error
}

// TriggerSpec is one thing to watch for.
type TriggerSpec struct {
	// ID is chosen by the host and unique per plugin.
	ID string
	// Source is *EvmContractEvent, *BlockInterval or *Cron.
	Source TriggerSource
	// Cursor resumes after this cursor (from a TriggerEvent); empty starts
	// from now.
	Cursor string
}

// TriggerSource is what a TriggerSpec watches: *EvmContractEvent,
// *BlockInterval or *Cron.
type TriggerSource interface{ isTriggerSource() }

// EvmContractEvent fires for each log of a contract with topic 0 EventHash.
type EvmContractEvent struct {
	Chain     string // chain key, e.g. "evm:31337"
	Address   Address
	EventHash Hash
}

// BlockInterval fires every NBlocks blocks of a chain.
type BlockInterval struct {
	Chain      string
	NBlocks    uint64
	StartBlock uint64 // 0: unset
	EndBlock   uint64 // 0: unset
}

// Cron fires on a schedule.
type Cron struct {
	Schedule  string
	StartTime time.Time // zero: unset
	EndTime   time.Time // zero: unset
}

func (*EvmContractEvent) isTriggerSource() {}
func (*BlockInterval) isTriggerSource()    {}
func (*Cron) isTriggerSource()             {}

// SourceKind names a trigger source as the service JSON does.
func SourceKind(s TriggerSource) string {
	switch s.(type) {
	case *EvmContractEvent:
		return "evm_contract_event"
	case *BlockInterval:
		return "block_interval"
	case *Cron:
		return "cron"
	default:
		return ""
	}
}

// TriggerEvent is one firing of a trigger.
type TriggerEvent struct {
	TriggerID string
	// Cursor is opaque to the host and ordered within a trigger.
	Cursor string
	// Data is *EvmLog, *BlockTick or *CronTick.
	Data TriggerData
}

// TriggerData is what a trigger saw: *EvmLog, *BlockTick or *CronTick.
type TriggerData interface{ isTriggerData() }

// EvmLog is a contract event log.
type EvmLog struct {
	Chain       string
	Address     Address
	Topics      []Hash
	Data        []byte
	BlockNumber uint64
	BlockHash   Hash
	TxHash      Hash
	TxIndex     uint32
	LogIndex    uint32
	// BlockTimestamp is the block's time in unix seconds as the chain's
	// RPC reported it with the log ("blockTimestamp"), or 0 when it did
	// not. Components see 0 as no timestamp. Report what the RPC gives:
	// every operator must see the same value (it is part of the trigger
	// data an event id may be derived from).
	BlockTimestamp uint64
}

// BlockTick is a block that a BlockInterval trigger fired on.
type BlockTick struct {
	Chain       string
	BlockNumber uint64
	BlockHash   Hash
}

// CronTick is the time a Cron trigger fired at.
type CronTick struct {
	Time time.Time
}

func (*EvmLog) isTriggerData()    {}
func (*BlockTick) isTriggerData() {}
func (*CronTick) isTriggerData()  {}
