// Package config loads the node's configuration file, wavs.toml.
//
// A configuration is built in layers, each overriding the one before:
// built-in defaults, the file, WAVS_* environment variables, then
// command-line flags. The node runs with no file at all (defaults only).
// Every problem is reported with where it can be fixed: the file and line,
// the environment variable, or the flag.
//
// The same structs are marshalled to JSON for plugins, so every field's
// json tag is its toml name.
package config

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/wavs-go/wavs/internal/p2pconfig"
)

// Defaults for keys that are absent from the file.
const (
	DefaultHost             = "127.0.0.1"
	DefaultPort             = 8000
	DefaultData             = "~/.wavs"
	DefaultLogLevel         = "info"
	DefaultP2PListenAddress = "0.0.0.0"

	DefaultTimeLimitSeconds = 30
	DefaultMemoryLimitMiB   = 256
	DefaultMaxOutputKiB     = 1024

	DefaultMaxTimeLimitSeconds    = 300
	DefaultMaxTableElements       = 1 << 20
	DefaultCompiledCacheMiB       = 512
	DefaultMaxConsecutiveFailures = 5

	DefaultSettleMs      = 500
	DefaultFallbackMs    = 15000
	DefaultClaimWaitMs   = 2000
	DefaultRebroadcastMs = 2000
)

// Transport plugins chosen by [Config.TransportPlugin] when
// wavs.transport is not set.
const (
	TransportLibp2p = "transport-libp2p"
	TransportNone   = "transport-none"
)

// redactedValue replaces secrets wherever a value would be shown.
const redactedValue = "<redacted>"

// Config is the whole of wavs.toml.
type Config struct {
	Wavs    Wavs                    `toml:"wavs" json:"wavs"`
	Default Defaults                `toml:"default" json:"default"`
	Plugins map[string]PluginConfig `toml:"plugins" json:"plugins,omitempty"`

	// src says where values came from, so errors can point at a file line,
	// an environment variable or a flag. Nil for a Config built in code.
	src *origin
}

// Wavs is the [wavs] table: the node itself.
type Wavs struct {
	// Host is the address the HTTP API listens on: an IP address or
	// "localhost". Default "127.0.0.1".
	Host string `toml:"host" json:"host"`
	// Port is the HTTP API port, 1..65535. Default 8000.
	Port int `toml:"port" json:"port"`
	// Data is the data directory. Default "~/.wavs"; [Load] expands a
	// leading "~/" to $HOME and makes the path absolute.
	Data string `toml:"data" json:"data"`
	// LogLevel is one of trace, debug, info, warn, error. Default "info".
	LogLevel string `toml:"log_level" json:"log_level"`
	// BearerToken, if set, is required on API requests. It is a secret:
	// String, Redacted and every error show "<redacted>" instead.
	BearerToken string `toml:"bearer_token" json:"bearer_token,omitempty"`
	// Transport overrides the transport plugin's name, e.g.
	// "transport-mine"; see [Config.TransportPlugin].
	Transport string `toml:"transport" json:"transport,omitempty"`
	// P2P is nil when the [wavs.p2p] table is absent.
	P2P *P2P `toml:"p2p" json:"p2p,omitempty"`
	// Engine bounds component executions.
	Engine Engine `toml:"engine" json:"engine"`
	// Aggregator times the operators' submitting.
	Aggregator Aggregator `toml:"aggregator" json:"aggregator"`

	// API hardening: who may call the API, and what each
	// service may keep.

	// DevMode accepts a service JSON posted directly (POST /services with
	// a service definition) whose manager is on a configured chain without
	// checking that the manager's getServiceURI() leads to the same JSON.
	// For local development only. Default false.
	DevMode bool `toml:"dev_mode" json:"dev_mode"`
	// DevEndpoints turns on WAVS's development routes of the API (POST
	// /dev/components, POST and GET /dev/services, POST
	// /dev/services/{hash}, POST /dev/triggers); off, they answer 404.
	// For local development only. Default false.
	DevEndpoints bool `toml:"dev_endpoints" json:"dev_endpoints"`
	// PublicReads lets GET /services, /services/{id} and
	// /services/{id}/results answer without the bearer token. Unset (nil):
	// true when Host is a loopback address or "localhost", false otherwise;
	// see [Wavs.ReadsArePublic].
	PublicReads *bool `toml:"public_reads" json:"public_reads,omitempty"`
	// AllowedHosts are Host header values the API answers besides the
	// addresses it listens on: "name" (any port) or "name:port", e.g.
	// "wavs.example.com" behind a reverse proxy.
	AllowedHosts []string `toml:"allowed_hosts" json:"allowed_hosts,omitempty"`
	// Quotas bound what each service keeps in the store.
	Quotas Quotas `toml:"quotas" json:"quotas"`

	// OutboundAllow are address ranges (CIDR, or single IPs) that
	// component HTTP, service URI fetches and component downloads may
	// reach although they are loopback, private, link-local or otherwise
	// special, e.g. ["10.1.0.0/16"]. Default none. The node's own API port
	// stays refused on this host's addresses whatever this says.
	OutboundAllow []string `toml:"outbound_allow" json:"outbound_allow,omitempty"`
	// OnlyPinned refuses to run any plugin without a plugins.<name>.sha256
	// pin. Default false.
	OnlyPinned bool `toml:"only_pinned" json:"only_pinned,omitempty"`
	// ServiceEnv grants WAVS_ENV_* variables to services: the key is a
	// service id (64 hex) or its manager as "evm:<chain id>:0x<address>",
	// the value the variable names its components may read. A service
	// whose env_keys name a variable not granted here is refused at
	// registration. Default: no grants.
	ServiceEnv map[string][]string `toml:"service_env" json:"service_env,omitempty"`
}

// Quotas is the [wavs.quotas] table: what each
// service may keep in the node's store.
type Quotas struct {
	// ResultsPerService is how many results the node keeps per service;
	// the oldest beyond it are pruned (never one still being submitted),
	// 1..10000000. Default 10000.
	ResultsPerService int `toml:"results_per_service" json:"results_per_service"`
	// ResultsMaxAgeDays prunes results older than this many days, 0..36500;
	// 0 keeps results whatever their age. Default 30.
	ResultsMaxAgeDays int `toml:"results_max_age_days" json:"results_max_age_days"`
	// KVMiBPerService bounds a service's KV data (keys and values), in MiB,
	// 1..65536; a write past it fails and the component is told why.
	// Default 64.
	KVMiBPerService int `toml:"kv_mib_per_service" json:"kv_mib_per_service"`
	// FSMiBPerService bounds the files a service whose component has the
	// file_system permission keeps in its folder (<data>/services/<id>/fs),
	// in MiB, 1..65536; a write past it fails in the component with
	// insufficient-space. Default 64.
	FSMiBPerService int `toml:"fs_mib_per_service" json:"fs_mib_per_service"`
	// FSFilesPerService bounds the files and folders in that folder,
	// 1..1000000. Default 10000.
	FSFilesPerService int `toml:"fs_files_per_service" json:"fs_files_per_service"`
}

// Defaults of [Quotas].
const (
	DefaultResultsPerService = 10000
	DefaultResultsMaxAgeDays = 30
	DefaultKVMiBPerService   = 64
	DefaultFSMiBPerService   = 64
	DefaultFSFilesPerService = 10000
)

// ReadsArePublic reports whether the API answers service and result reads
// without the bearer token: public_reads when set, else whether the API
// listens on loopback only.
func (w Wavs) ReadsArePublic() bool {
	if w.PublicReads != nil {
		return *w.PublicReads
	}
	return IsLoopbackHost(w.Host)
}

// IsLoopbackHost reports whether host ("localhost" or an IP address) is
// reachable from this machine only.
func IsLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// Aggregator is the [wavs.aggregator] table: how operators that reached a
// quorum together take turns to submit, and how often they re-send their
// signatures. All values are milliseconds.
type Aggregator struct {
	// SettleMs is the pause after a quorum short of the whole weight
	// before the first turn, so that the operators agree on who signed,
	// 0..60000. Default 500.
	SettleMs int `toml:"settle_ms" json:"settle_ms"`
	// ClaimWaitMs is each operator's turn while nobody ranked before it
	// has claimed the event: the next in the submit order takes over this
	// long after the one before it, 100..600000. Default 2000.
	ClaimWaitMs int `toml:"claim_wait_ms" json:"claim_wait_ms"`
	// FallbackMs is how long an operator waits after one ranked before it
	// claimed the event before it takes over (the claimant's transaction
	// has not landed by then), 100..3600000. Default 15000.
	FallbackMs int `toml:"fallback_ms" json:"fallback_ms"`
	// RebroadcastMs is the first pause before a pending signature is
	// published again (it doubles up to a minute), 100..600000. Default
	// 2000.
	RebroadcastMs int `toml:"rebroadcast_ms" json:"rebroadcast_ms"`
}

// Engine is the [wavs.engine] table: limits on running components.
type Engine struct {
	// MaxConcurrent bounds simultaneous executions; 0 means one per CPU.
	MaxConcurrent int `toml:"max_concurrent" json:"max_concurrent"`
	// TimeLimitSeconds is the wall-time limit of a workflow that sets no
	// time_limit_seconds of its own, 1..3600. Default 30.
	TimeLimitSeconds int `toml:"time_limit_seconds" json:"time_limit_seconds"`
	// MemoryLimitMiB bounds each instance's linear memory, 1..4096.
	// Default 256.
	MemoryLimitMiB int `toml:"memory_limit_mib" json:"memory_limit_mib"`
	// MaxOutputKiB bounds what a component may write as its result,
	// 1..65536. Default 1024.
	MaxOutputKiB int `toml:"max_output_kib" json:"max_output_kib"`

	// MaxTimeLimitSeconds is the ceiling of any workflow's
	// time_limit_seconds, 1..86400: a service asking more is refused at
	// registration. Default 300.
	MaxTimeLimitSeconds int `toml:"max_time_limit_seconds" json:"max_time_limit_seconds"`
	// MaxConcurrentPerService bounds the executions of one service at
	// once, 0..1024; 0 means half of max_concurrent, rounded up.
	MaxConcurrentPerService int `toml:"max_concurrent_per_service" json:"max_concurrent_per_service"`
	// MaxTableElements bounds a component's table elements, summed over
	// its tables, 1024..16777216 (8 bytes of host memory each). Default
	// 1048576.
	MaxTableElements int `toml:"max_table_elements" json:"max_table_elements"`
	// CompiledCacheMiB is the budget of compiled components kept in
	// memory, 16..65536. Default 512.
	CompiledCacheMiB int `toml:"compiled_cache_mib" json:"compiled_cache_mib"`
	// MaxConsecutiveFailures is how many executions of a service in a row
	// may fail with a fault (trap, memory, timeout, output, crash) before
	// the service is marked failed and its triggers skipped, 0..1000; 0
	// never marks it. Default 5.
	MaxConsecutiveFailures int `toml:"max_consecutive_failures" json:"max_consecutive_failures"`
}

// P2P is the [wavs.p2p] table (declared once, for the host and the
// transport plugin that reads it: internal/p2pconfig).
type P2P = p2pconfig.P2P

// LocalP2P configures mDNS discovery.
type LocalP2P = p2pconfig.Local

// RemoteP2P configures Kademlia DHT discovery.
type RemoteP2P = p2pconfig.Remote

// Defaults is the [default] table: settings shared by all services. (It
// cannot be called Default: that is the name of the function returning the
// default Config.)
type Defaults struct {
	Chains Chains `toml:"chains" json:"chains"`
}

// Chains holds the chains the node can reach, by family.
type Chains struct {
	// EVM is keyed by decimal chain id, e.g. "31337".
	EVM map[string]EVMChain `toml:"evm" json:"evm,omitempty"`
}

// EVMChain is one [default.chains.evm.<chain id>] table. It needs at least
// one websocket endpoint or an HTTP endpoint.
type EVMChain struct {
	// WSEndpoints are ws:// or wss:// URLs, tried in turn.
	WSEndpoints []string `toml:"ws_endpoints" json:"ws_endpoints,omitempty"`
	// HTTPEndpoint is an http:// or https:// URL.
	HTTPEndpoint string `toml:"http_endpoint" json:"http_endpoint,omitempty"`
}

// PluginConfig is one [plugins.<name>] table.
type PluginConfig struct {
	// SHA256 optionally pins the plugin binary: 64 lowercase hex characters.
	SHA256 string `toml:"sha256" json:"sha256,omitempty"`
	// Config is handed to the plugin as is; the plugin validates it.
	Config map[string]any `toml:"config" json:"config,omitempty"`
}

// Overrides are values from command-line flags; nil means not given.
// They take precedence over the environment and the file.
type Overrides struct {
	Host     *string
	Port     *int
	Data     *string
	LogLevel *string
}

// Default returns a configuration with every default set and no file, chains,
// p2p or plugins. Data is left as "~/.wavs"; [Load] expands it.
func Default() *Config {
	return &Config{
		Wavs: Wavs{
			Host:     DefaultHost,
			Port:     DefaultPort,
			Data:     DefaultData,
			LogLevel: DefaultLogLevel,
			Engine: Engine{
				TimeLimitSeconds:       DefaultTimeLimitSeconds,
				MemoryLimitMiB:         DefaultMemoryLimitMiB,
				MaxOutputKiB:           DefaultMaxOutputKiB,
				MaxTimeLimitSeconds:    DefaultMaxTimeLimitSeconds,
				MaxTableElements:       DefaultMaxTableElements,
				CompiledCacheMiB:       DefaultCompiledCacheMiB,
				MaxConsecutiveFailures: DefaultMaxConsecutiveFailures,
			},
			Aggregator: Aggregator{
				SettleMs:      DefaultSettleMs,
				FallbackMs:    DefaultFallbackMs,
				ClaimWaitMs:   DefaultClaimWaitMs,
				RebroadcastMs: DefaultRebroadcastMs,
			},
			Quotas: Quotas{
				ResultsPerService: DefaultResultsPerService,
				ResultsMaxAgeDays: DefaultResultsMaxAgeDays,
				KVMiBPerService:   DefaultKVMiBPerService,
				FSMiBPerService:   DefaultFSMiBPerService,
				FSFilesPerService: DefaultFSFilesPerService,
			},
		},
	}
}

// TransportPlugin names the transport plugin to run: wavs.transport if set,
// else transport-libp2p when [wavs.p2p] is present, else transport-none.
func (c *Config) TransportPlugin() string {
	switch {
	case c.Wavs.Transport != "":
		return c.Wavs.Transport
	case c.Wavs.P2P != nil:
		return TransportLibp2p
	default:
		return TransportNone
	}
}

// ChainKeys returns the configured chains as "<family>:<chain id>", e.g.
// "evm:31337", sorted.
func (c *Config) ChainKeys() []string {
	keys := make([]string, 0, len(c.Default.Chains.EVM))
	for id := range c.Default.Chains.EVM {
		keys = append(keys, "evm:"+id)
	}
	slices.Sort(keys)
	return keys
}

// PluginConfigJSON returns the JSON object handed to the plugin called name:
//
//	{"p2p": <wavs.p2p>, "chains": <default.chains>, "plugin": <plugins.<name>.config>}
//
// Each member is omitted when there is nothing to put in it. The [wavs]
// table is never included, so the bearer token cannot reach a plugin.
func (c *Config) PluginConfigJSON(name string) ([]byte, error) {
	var in struct {
		P2P    *P2P           `json:"p2p,omitempty"`
		Chains *Chains        `json:"chains,omitempty"`
		Plugin map[string]any `json:"plugin,omitempty"`
	}
	if p := c.Wavs.P2P; p != nil {
		cp := *p
		// A bootstrap server has no bootstrap nodes; say so with [] rather
		// than null so plugins need not treat null specially.
		if cp.Remote != nil && cp.Remote.BootstrapNodes == nil {
			r := *cp.Remote
			r.BootstrapNodes = []string{}
			cp.Remote = &r
		}
		cp.Admission = p.AdmissionMode()
		in.P2P = &cp
	}
	if len(c.Default.Chains.EVM) > 0 {
		in.Chains = &c.Default.Chains
	}
	if pc, ok := c.Plugins[name]; ok {
		in.Plugin = pc.Config
	}
	b, err := json.Marshal(in)
	if err != nil {
		return nil, fmt.Errorf("config for plugin %q: %w", name, err)
	}
	return b, nil
}

// Redacted returns a shallow copy of c that is safe to log: the bearer
// token, if set, is replaced by "<redacted>". The copy shares maps, slices
// and the p2p table with c.
func (c *Config) Redacted() *Config {
	if c == nil {
		return nil
	}
	r := *c
	r.Wavs = r.Wavs.redacted()
	return &r
}

// String returns the configuration as JSON with the bearer token redacted,
// for logging.
func (c *Config) String() string {
	if c == nil {
		return "<nil>"
	}
	return jsonString(c.Redacted())
}

// String returns the [wavs] table as JSON with the bearer token redacted.
// It exists so that printing a Config value (not a pointer) with %v cannot
// leak the token either.
func (w Wavs) String() string {
	return jsonString(w.redacted())
}

func (w Wavs) redacted() Wavs {
	if w.BearerToken != "" {
		w.BearerToken = redactedValue
	}
	return w
}

// jsonString marshals v, which must already be redacted. HTML escaping is
// off so that "<redacted>" reads as such in logs.
func jsonString(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only a plugin config holding nan or inf gets here; Validate
		// reports it properly.
		return fmt.Sprintf("<config: %v>", err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}
