package service

import (
	"encoding/json"
	"time"

	"github.com/wavs-go/wavs/sdk/cron"
)

// Service is a WAVS service: its manager contract and its workflows.
type Service struct {
	// Name is for people; 1..128 characters.
	Name string
	// Status is StatusActive or StatusPaused.
	Status Status
	// Manager is the service manager contract; it determines the id.
	Manager Manager
	// Workflows by workflow id (^[A-Za-z0-9_-]{1,64}$, see
	// [ValidWorkflowID]); at least one.
	Workflows map[string]Workflow
}

// Status says whether the node runs a service's workflows.
type Status string

// The statuses a service may have.
const (
	StatusActive Status = "active"
	StatusPaused Status = "paused"
)

// Manager is the service manager contract. Exactly one field is set. A
// manager of a family other than evm is served by the submit plugin that
// lists the capability "chain:<family>"; registering a service whose
// manager's family no loaded plugin serves is refused.
type Manager struct {
	Evm    *EvmManager
	Cosmos *CosmosManager
	// Other is a manager of any other chain family, written
	// {"<family>": {"chain": "<family>:<id>", "address": "…"}}.
	Other *FamilyManager
}

// Chain is the manager's chain key, or "" when no manager is set.
func (m Manager) Chain() string {
	switch {
	case m.Evm != nil:
		return m.Evm.Chain
	case m.Cosmos != nil:
		return m.Cosmos.Chain
	case m.Other != nil:
		return m.Other.Chain
	default:
		return ""
	}
}

// Family is the manager's chain family ("evm", "cosmos", …), or "".
func (m Manager) Family() string {
	switch {
	case m.Evm != nil:
		return chainFamilyEVM
	case m.Cosmos != nil:
		return "cosmos"
	case m.Other != nil:
		return m.Other.Family
	default:
		return ""
	}
}

// Address is the manager's address in its family's text form (evm: 0x and
// 40 lowercase hex digits), as submit plugins take it; "" when unset.
func (m Manager) Address() string {
	switch {
	case m.Evm != nil:
		return m.Evm.Address.String()
	case m.Cosmos != nil:
		return m.Cosmos.Address
	case m.Other != nil:
		return m.Other.Address
	default:
		return ""
	}
}

// FamilyManager is a service manager on a chain of a family this package
// knows nothing of: its address is kept as written.
type FamilyManager struct {
	Family  string // the JSON key, e.g. "ledger"
	Chain   string // a chain key of that family, e.g. "ledger:demo"
	Address string // as written; see ValidFamilyAddress
}

// EvmManager is a service manager contract on an EVM chain.
type EvmManager struct {
	Chain   string // chain key, e.g. "evm:31337"
	Address Address
}

// CosmosManager is a service manager contract on a Cosmos chain.
type CosmosManager struct {
	Chain   string // chain key, e.g. "cosmos:neutron-1"
	Address string // bech32, e.g. "neutron1…", as written
}

// Workflow is one trigger, the component it runs and where the result goes.
type Workflow struct {
	Trigger   Trigger
	Component Component
	Submit    Submit
	// Plugins, when set, names the plugins that serve this workflow's
	// trigger and submit (this node's extension; WAVS has no such field):
	// without it the node picks the first loaded plugin, in name order,
	// that serves the trigger kind or the chain family.
	Plugins Plugins
}

// Plugins names the plugins a workflow wants, by the name the node knows
// them by (e.g. "trigger-evm"); "" leaves the choice to the node.
type Plugins struct {
	Trigger string
	Submit  string
}

// IsZero reports whether no plugin is named.
func (p Plugins) IsZero() bool { return p == Plugins{} }

// Trigger is what makes a workflow run. Exactly one field is set (Manual
// counts as set when true).
//
// The node has trigger plugins for EvmContractEvent, BlockInterval and
// Cron (see the node's configuration). Manual binds no plugin: its
// workflow runs only when fired by hand. CosmosContractEvent,
// AtProtoEvent, HypercoreAppend and SolanaProgramEvent are WAVS kinds the
// decoder reads, validates and writes back; registration refuses them
// unless a loaded trigger plugin serves the kind.
type Trigger struct {
	// Plugin is a kind a trigger plugin declares (sdk.TriggerKind),
	// written {"<kind>": {…}}: any key that is not a WAVS kind.
	Plugin              *PluginTrigger
	EvmContractEvent    *EvmContractEvent
	BlockInterval       *BlockInterval
	Cron                *Cron
	Manual              bool
	CosmosContractEvent *CosmosContractEvent
	AtProtoEvent        *AtProtoEvent
	HypercoreAppend     *HypercoreAppend
	SolanaProgramEvent  *SolanaProgramEvent
}

// The JSON names of the trigger kinds, as [Trigger.Kind] returns them.
// A trigger plugin serving kind K has the capability "trigger:K".
const (
	KindEvmContractEvent    = "evm_contract_event"
	KindBlockInterval       = "block_interval"
	KindCron                = "cron"
	KindManual              = "manual"
	KindCosmosContractEvent = "cosmos_contract_event"
	KindAtProtoEvent        = "at_proto_event"
	KindHypercoreAppend     = "hypercore_append"
	KindSolanaProgramEvent  = "solana_program_event"
)

// triggerKinds lists the kinds in the order error messages name them.
var triggerKinds = []string{
	KindEvmContractEvent, KindBlockInterval, KindCron, KindManual,
	KindCosmosContractEvent, KindAtProtoEvent, KindHypercoreAppend, KindSolanaProgramEvent,
}

// Kind names the trigger as the JSON does (one of the Kind constants), or
// "" when none is set. When more than one is set it names the first.
func (t Trigger) Kind() string {
	switch {
	case t.Plugin != nil:
		return t.Plugin.Kind
	case t.EvmContractEvent != nil:
		return KindEvmContractEvent
	case t.BlockInterval != nil:
		return KindBlockInterval
	case t.Cron != nil:
		return KindCron
	case t.Manual:
		return KindManual
	case t.CosmosContractEvent != nil:
		return KindCosmosContractEvent
	case t.AtProtoEvent != nil:
		return KindAtProtoEvent
	case t.HypercoreAppend != nil:
		return KindHypercoreAppend
	case t.SolanaProgramEvent != nil:
		return KindSolanaProgramEvent
	default:
		return ""
	}
}

// kinds is how many trigger kinds are set.
func (t Trigger) kinds() int {
	return count(t.Plugin != nil, t.EvmContractEvent != nil, t.BlockInterval != nil, t.Cron != nil, t.Manual,
		t.CosmosContractEvent != nil, t.AtProtoEvent != nil, t.HypercoreAppend != nil, t.SolanaProgramEvent != nil)
}

// Chain is the chain key the trigger watches, or "" for a kind that has
// none (cron, manual, at_proto_event, hypercore_append).
func (t Trigger) Chain() string {
	switch {
	case t.EvmContractEvent != nil:
		return t.EvmContractEvent.Chain
	case t.BlockInterval != nil:
		return t.BlockInterval.Chain
	case t.CosmosContractEvent != nil:
		return t.CosmosContractEvent.Chain
	case t.SolanaProgramEvent != nil:
		return t.SolanaProgramEvent.Chain
	default:
		return ""
	}
}

// PluginTrigger is a trigger of a kind a plugin declares. Its config is
// kept as written (compacted) and checked at registration against the
// fields the serving plugin declares.
type PluginTrigger struct {
	Kind   string
	Config json.RawMessage
}

// EvmContractEvent fires for each log a contract emits with topic 0
// EventHash.
type EvmContractEvent struct {
	Address   Address
	Chain     string
	EventHash Hash
}

// BlockInterval fires every NBlocks blocks (1..2^32-1, WAVS's NonZeroU32),
// optionally only from StartBlock and up to EndBlock (both inclusive, both
// ≥ 1 when set).
type BlockInterval struct {
	Chain      string
	NBlocks    uint64
	StartBlock *uint64
	EndBlock   *uint64
}

// Cron fires on a schedule (see [ParseSchedule]), optionally only from
// StartTime and up to EndTime: unix times in nanoseconds, inclusive, as
// WAVS's Timestamp. [Cron.Start] and [Cron.End] give them as time.Time.
type Cron struct {
	Schedule  string
	StartTime *uint64
	EndTime   *uint64
}

// Start is StartTime as a time; the zero time when unset.
func (c Cron) Start() time.Time { return nanoTime(c.StartTime) }

// End is EndTime as a time; the zero time when unset.
func (c Cron) End() time.Time { return nanoTime(c.EndTime) }

// nanoTime turns unix nanoseconds into a UTC time; the zero time for nil.
func nanoTime(ns *uint64) time.Time {
	if ns == nil {
		return time.Time{}
	}
	return time.Unix(int64(*ns/1e9), int64(*ns%1e9)).UTC()
}

// CosmosContractEvent (WAVS kind, no plugin in this node) fires for each
// event of type EventType a CosmWasm contract emits.
type CosmosContractEvent struct {
	Address   string // bech32, as written
	Chain     string
	EventType string
}

// AtProtoEvent (WAVS kind, no plugin in this node) fires for ATProto
// Jetstream commits to Collection, optionally only from RepoDID and only
// of one Action.
type AtProtoEvent struct {
	Collection string
	// RepoDID is nil for any repository (JSON null).
	RepoDID *string
	// Action is "" for any action (JSON null).
	Action AtProtoAction
}

// AtProtoAction is an ATProto commit action.
type AtProtoAction string

// The ATProto actions.
const (
	AtProtoCreate AtProtoAction = "create"
	AtProtoUpdate AtProtoAction = "update"
	AtProtoDelete AtProtoAction = "delete"
)

// HypercoreAppend (WAVS kind, no plugin in this node) fires for each entry
// appended to a Hypercore feed.
type HypercoreAppend struct {
	FeedKey string
}

// SolanaProgramEvent (WAVS 2.8 kind, no plugin in this node) fires for
// each event of a Solana program that matches Filter.
type SolanaProgramEvent struct {
	Chain string
	// ProgramID is base58 of 32 bytes, as written.
	ProgramID string
	Filter    SolanaEventFilter
	// Commitment is "processed", "confirmed" or "finalized"; "confirmed"
	// when the JSON leaves it out, as WAVS defaults it.
	Commitment SolanaCommitment
}

// SolanaEventFilter matches an event by the first bytes of its payload
// ({"discriminator": "0x…"}) or by a substring of its log line
// ({"log_contains": "…"}). Exactly one is set.
type SolanaEventFilter struct {
	Discriminator []byte
	LogContains   *string
}

// SolanaCommitment is a Solana commitment level.
type SolanaCommitment string

// The Solana commitment levels.
const (
	SolanaProcessed SolanaCommitment = "processed"
	SolanaConfirmed SolanaCommitment = "confirmed"
	SolanaFinalized SolanaCommitment = "finalized"
)

// Component is the WASM module a workflow runs and what it may do.
type Component struct {
	Source Source
	// Permissions: the JSON may leave it out (WAVS requires it), which
	// is the same as {}: nothing allowed.
	Permissions Permissions
	// FuelLimit caps the instructions of one run; nil leaves it to the
	// node's configured default.
	FuelLimit *uint64
	// TimeLimitSeconds caps the wall time of one run (1..3600); nil leaves
	// it to the node's configured default.
	TimeLimitSeconds *uint64
	// Config is handed to the component as configuration variables. The
	// JSON may leave it out (WAVS requires it); nil then.
	Config map[string]string
	// EnvKeys names the node's environment variables the component may
	// read; each starts with "WAVS_ENV_", each once. The JSON may leave it
	// out (WAVS requires it); nil then.
	EnvKeys []string
}

// Source says where the component's WASM comes from. Exactly one field is
// set.
type Source struct {
	// Digest: a module the node already has, by its sha256.
	Digest *Digest
	// Download: a module to fetch and check against its sha256.
	Download *Download
	// Registry: a module from a WASM package registry. Read and written
	// back; registering a service that uses one is refused, as the node
	// has no registry configured.
	Registry *RegistrySource
}

// WasmDigest is the sha256 of the module, whichever source gives it.
func (s Source) WasmDigest() Digest {
	switch {
	case s.Digest != nil:
		return *s.Digest
	case s.Download != nil:
		return s.Download.Digest
	case s.Registry != nil:
		return s.Registry.Digest
	default:
		return Digest{}
	}
}

// Download is a module fetched over HTTP(S). The JSON key of URI is
// "uri", as in WAVS.
type Download struct {
	URI    string
	Digest Digest
}

// RegistrySource is a module in a WASM package registry, as WAVS's
// {"registry": {"digest", "domain", "version", "package"}}.
type RegistrySource struct {
	Digest Digest
	// Domain is the registry's host (e.g. "wa.dev"); nil for WAVS's
	// default registry.
	Domain *string
	// Version is a semver version; nil for the latest.
	Version *string
	// Package is "<namespace>:<name>", both kebab-case.
	Package string
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

// Submit is where a workflow's signed result goes. At most one field is
// set; none is "none": the result is signed and kept but not submitted.
type Submit struct {
	// Aggregator is this node's shortcut {"aggregator": {"chain",
	// "address"}}: the node submits the signed envelope to the service
	// handler contract itself.
	Aggregator *Aggregator
	// AggregatorComponent is WAVS's {"aggregator": {"component",
	// "signature_kind"}}: an aggregator component decides where results
	// go. The registry does not submit these results itself.
	AggregatorComponent *AggregatorComponent
}

// IsNone reports whether the submit is "none".
func (s Submit) IsNone() bool { return s.Aggregator == nil && s.AggregatorComponent == nil }

// Aggregator submits signed envelopes to a service handler contract (this
// node's shortcut).
type Aggregator struct {
	Chain string // chain key, e.g. "evm:31337"
	// Address is the service handler contract on an evm chain.
	Address Address
	// Account is the handler on a chain of another family, in its text
	// form, as written (Address is then zero).
	Account string
}

// Handler is the handler in its family's text form (evm: 0x and 40
// lowercase hex digits).
func (a Aggregator) Handler() string {
	if a.Account != "" {
		return a.Account
	}
	return a.Address.String()
}

// AggregatorComponent is WAVS's aggregator submit: the component that
// aggregates the operators' results and how operators sign them.
type AggregatorComponent struct {
	Component     Component
	SignatureKind SignatureKind
}

// SignatureKind is how operators sign a result for an aggregator.
type SignatureKind struct {
	// Algorithm is "secp256k1", the only one in WAVS 2.x.
	Algorithm SignatureAlgorithm
	// Prefix is "eip191", or "" for none (JSON null): the raw hash is
	// signed.
	Prefix SignaturePrefix
}

// SignatureAlgorithm is a signature algorithm.
type SignatureAlgorithm string

// SignaturePrefix is a message prefix scheme applied before signing.
type SignaturePrefix string

// The signature algorithms and prefixes WAVS 2.x knows.
const (
	AlgorithmSecp256k1 SignatureAlgorithm = "secp256k1"
	PrefixEIP191       SignaturePrefix    = "eip191"
)

// EVMDefaultSignatureKind is secp256k1 with the EIP-191 prefix, what WAVS
// writes for EVM services (SignatureKind::evm_default).
func EVMDefaultSignatureKind() SignatureKind {
	return SignatureKind{Algorithm: AlgorithmSecp256k1, Prefix: PrefixEIP191}
}

// ParseSchedule reads a cron trigger's schedule; see package cron.
func ParseSchedule(s string) (cron.Schedule, error) { return cron.Parse(s) }
