package service

import "github.com/wavs-go/wavs/internal/cron"

// Service is a WAVS service: its manager contract and its workflows.
type Service struct {
	// Name is for people; 1..128 characters.
	Name string
	// Status is StatusActive or StatusPaused.
	Status Status
	// Manager is the service manager contract; it determines the id.
	Manager Manager
	// Workflows by workflow id (^[A-Za-z0-9_-]{1,64}$); at least one.
	Workflows map[string]Workflow
}

// Status says whether the node runs a service's workflows.
type Status string

// The statuses a service may have.
const (
	StatusActive Status = "active"
	StatusPaused Status = "paused"
)

// Manager is the service manager contract. Exactly one field is set; EVM
// is the only kind so far.
type Manager struct {
	Evm *EvmManager
}

// EvmManager is a service manager contract on an EVM chain.
type EvmManager struct {
	Chain   string // chain key, e.g. "evm:31337"
	Address Address
}

// Workflow is one trigger, the component it runs and where the result goes.
type Workflow struct {
	Trigger   Trigger
	Component Component
	Submit    Submit
}

// Trigger is what makes a workflow run. Exactly one field is set.
type Trigger struct {
	EvmContractEvent *EvmContractEvent
	BlockInterval    *BlockInterval
	Cron             *Cron
}

// Kind names the trigger as the JSON does ("evm_contract_event",
// "block_interval" or "cron"), or "" when none is set.
func (t Trigger) Kind() string {
	switch {
	case t.EvmContractEvent != nil:
		return kindEvmContractEvent
	case t.BlockInterval != nil:
		return kindBlockInterval
	case t.Cron != nil:
		return kindCron
	default:
		return ""
	}
}

// Chain is the chain key the trigger watches, or "" for a cron trigger.
func (t Trigger) Chain() string {
	switch {
	case t.EvmContractEvent != nil:
		return t.EvmContractEvent.Chain
	case t.BlockInterval != nil:
		return t.BlockInterval.Chain
	default:
		return ""
	}
}

// The JSON names of the trigger kinds.
const (
	kindEvmContractEvent = "evm_contract_event"
	kindBlockInterval    = "block_interval"
	kindCron             = "cron"
)

// EvmContractEvent fires for each log a contract emits with topic 0
// EventHash.
type EvmContractEvent struct {
	Address   Address
	Chain     string
	EventHash Hash
}

// BlockInterval fires every NBlocks blocks, optionally only from
// StartBlock and up to EndBlock (both inclusive, both ≥ 1 when set).
type BlockInterval struct {
	Chain      string
	NBlocks    uint64
	StartBlock *uint64
	EndBlock   *uint64
}

// Cron fires on a schedule (see [ParseSchedule]), optionally only from
// StartTime and up to EndTime (unix seconds, inclusive).
type Cron struct {
	Schedule  string
	StartTime *uint64
	EndTime   *uint64
}

// Component is the WASM module a workflow runs and what it may do.
type Component struct {
	Source      Source
	Permissions Permissions
	// FuelLimit caps the instructions of one run; nil leaves it to the
	// node's configured default.
	FuelLimit *uint64
	// TimeLimitSeconds caps the wall time of one run (1..3600); nil leaves
	// it to the node's configured default.
	TimeLimitSeconds *uint64
	// Config is handed to the component as configuration variables.
	Config map[string]string
	// EnvKeys names the node's environment variables the component may
	// read; each starts with "WAVS_ENV_".
	EnvKeys []string
}

// Source says where the component's WASM comes from. Exactly one field is
// set.
type Source struct {
	// Digest: a module the node already has, by its sha256.
	Digest *Digest
	// Download: a module to fetch and check against its sha256.
	Download *Download
}

// WasmDigest is the sha256 of the module, whichever source gives it.
func (s Source) WasmDigest() Digest {
	switch {
	case s.Digest != nil:
		return *s.Digest
	case s.Download != nil:
		return s.Download.Digest
	default:
		return Digest{}
	}
}

// Download is a module fetched over HTTP(S).
type Download struct {
	URL    string
	Digest Digest
}

// Permissions is what a component may reach outside its sandbox. The
// three flags are WAVS's (all false when absent). FileSystem gives the
// component its service's folder, preopened as "." (within the node's
// [wavs.quotas] fs limits); RawSockets and DNSResolution are not granted
// yet: a component that imports wasi:sockets is refused.
type Permissions struct {
	AllowedHTTPHosts HostPolicy
	FileSystem       bool
	RawSockets       bool
	DNSResolution    bool
}

// Submit is where a workflow's signed result goes. A nil Aggregator is
// "none": the result is signed and kept but not submitted.
type Submit struct {
	Aggregator *Aggregator
}

// Aggregator submits signed envelopes to a service handler contract.
type Aggregator struct {
	Chain   string  // chain key, e.g. "evm:31337"
	Address Address // the service handler contract
}

// ParseSchedule reads a cron trigger's schedule; see package cron.
func ParseSchedule(s string) (cron.Schedule, error) { return cron.Parse(s) }
