package sdk

import (
	"context"
	"encoding/json"
	"time"
)

// Trigger watches for the events that make the node run components.
//
// A trigger plugin lists the capability "trigger:<kind>" for each WAVS
// kind it serves (evm_contract_event, block_interval, cron, …) and
// declares new kinds in Info.TriggerKinds.
//
// # Call order
//
//  1. Configure, once per process.
//  2. AddTrigger for each workflow of each registered service, with the
//     cursor the host last acknowledged for it (empty the first time).
//     After a plugin restart the host adds every trigger again this way,
//     before it opens Events.
//  3. Events: the host opens one stream per process and keeps it open
//     (a new stream ends the old). Events found before the stream opens
//     wait for it (EventQueue does this).
//  4. For each event the host receives: it runs the component, stores the
//     signed result, then calls Ack with the event's cursor. Ack comes
//     only after the result is durable, so an event not acked when the
//     node or plugin stops must come again.
//  5. RemoveTrigger when a service is removed or its workflow changes.
//
// # Delivery and determinism
//
// Delivery is at least once: an event stays pending until the host acks
// its cursor (or a later one of the same trigger). Pending events are sent
// again on a new Events stream, and after a restart from the acked
// cursor. The host drops an event it already handled (same event id), so
// a repeat is harmless; a lost event is not.
//
// Every operator of a service runs the same trigger on its own node, and
// the event id the operators sign is derived from the event's data: for
// one happening, every operator's plugin must emit identical Data (same
// fields, same bytes). A field only one node can know (its receive time,
// a local counter, an HTTP header's order) breaks the quorum: each
// operator would sign a different event. Cursors need not be identical.
//
// # Errors
//
//   - AddTrigger: ErrInvalidArgument for a spec the plugin cannot serve
//     (a bad field, a chain it has no config for); the registration fails
//     and the error, naming this plugin, goes back to whoever registered.
//     Other errors are transient; the host retries.
//   - RemoveTrigger: ErrNotFound for an unknown id (the host ignores it).
//   - Events, Ack: errors are transient; the host reconnects and acks again.
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
	// Source is *EvmContractEvent, *BlockInterval, *Cron, or *KindSource
	// for a kind the plugin declared in Info.TriggerKinds.
	Source TriggerSource
	// Cursor resumes after this cursor (from a TriggerEvent); empty starts
	// from now.
	Cursor string
}

// TriggerSource is what a TriggerSpec watches: *EvmContractEvent,
// *BlockInterval, *Cron or *KindSource.
type TriggerSource interface{ isTriggerSource() }

// KindSource is a trigger of a kind the plugin declared in
// Info.TriggerKinds. The service JSON names it {"<Kind>": {…}}; Config is
// that object, which the host has checked against the kind's declared
// fields (TriggerKind.Check) before AddTrigger. A plugin checks anything
// more it needs and answers ErrInvalidArgument naming the field.
type KindSource struct {
	Kind   string
	Config json.RawMessage
}

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

// Cron fires on a schedule. Schedule's grammar is package cron's
// (github.com/wavs-go/wavs/sdk/cron): Parse it, and fire at Next.
type Cron struct {
	Schedule  string
	StartTime time.Time // zero: unset
	EndTime   time.Time // zero: unset
}

func (*EvmContractEvent) isTriggerSource() {}
func (*BlockInterval) isTriggerSource()    {}
func (*Cron) isTriggerSource()             {}
func (*KindSource) isTriggerSource()       {}

// SourceKind names a trigger source as the service JSON does.
func SourceKind(s TriggerSource) string {
	switch s := s.(type) {
	case *EvmContractEvent:
		return "evm_contract_event"
	case *BlockInterval:
		return "block_interval"
	case *Cron:
		return "cron"
	case *KindSource:
		return s.Kind
	default:
		return ""
	}
}

// TriggerEvent is one firing of a trigger.
type TriggerEvent struct {
	TriggerID string
	// Cursor is opaque to the host and ordered within a trigger.
	Cursor string
	// Data is *EvmLog, *BlockTick or *CronTick for the built-in kinds, and
	// *RawData for a declared kind.
	Data TriggerData
}

// TriggerData is what a trigger saw: *EvmLog, *BlockTick, *CronTick or
// *RawData.
type TriggerData interface{ isTriggerData() }

// RawData is what a trigger of a declared kind saw, as bytes. Components
// get it as the raw trigger data (WAVS components: the trigger-data case
// raw), and the event id the operators sign is derived from it, so the
// same happening must give the same bytes on every operator's node:
// encode only what every operator observes alike (no receive time, no
// local counter, no map iteration order), in a fixed encoding.
type RawData struct {
	Data []byte
}

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
func (*RawData) isTriggerData()   {}
