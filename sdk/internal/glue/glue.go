// Package glue is what a plugin process and a host share about the
// go-plugin transport (the handshake, message limits, gRPC options), and
// the hooks through which package sdk lends its unexported gRPC glue to
// sdk/client (hosts) and sdk/plugintest (tests), so that none of it shows
// in the API plugin authors read.
//
// This package cannot import sdk (sdk imports it), so the hooks speak in
// go-plugin types and any; package sdk sets them when it is initialized.
// Every importer of this package also imports sdk, which Go initializes
// first, so the hooks are set before any of them runs.
package glue

import (
	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// The go-plugin magic cookie. It only tells a plugin that a host started
// it; it is not a security measure.
const (
	MagicCookieKey   = "WAVS_PLUGIN_MAGIC_COOKIE"
	MagicCookieValue = "5d3c8a1e-wavs-plugin-v1"
)

// EnvLogLevel names the environment variable a host sets to tell a plugin
// its log level (trace, debug, info, warn, error).
const EnvLogLevel = "WAVS_PLUGIN_LOG_LEVEL"

// MaxMessageBytes is the largest gRPC message either side accepts (gRPC's
// default is 4 MiB, too small for a component's payload with signatures).
const MaxMessageBytes = 64 << 20

// Handshake is the go-plugin handshake of the given protocol version.
func Handshake(protocolVersion uint) plugin.HandshakeConfig {
	return plugin.HandshakeConfig{
		ProtocolVersion:  protocolVersion,
		MagicCookieKey:   MagicCookieKey,
		MagicCookieValue: MagicCookieValue,
	}
}

// streamWorkers is how many goroutines of a plugin's gRPC server serve
// calls, kept from one call to the next. Without them each call starts a
// goroutine whose stack grows, copied each time, to what the call needs
// (a signature check, a JSON decode): an eighth of a busy transport
// plugin's CPU. A stream (Events, Inbound) holds its worker while it is
// open, and a call that finds every worker busy gets a goroutine of its
// own as before.
const streamWorkers = 8

// ServerOptions are the gRPC server options of a plugin process.
func ServerOptions() []grpc.ServerOption {
	return []grpc.ServerOption{grpc.MaxRecvMsgSize(MaxMessageBytes), grpc.MaxSendMsgSize(MaxMessageBytes), grpc.NumStreamWorkers(streamWorkers)}
}

// DialOptions are the gRPC dial options a host uses for a plugin.
func DialOptions() []grpc.DialOption {
	return []grpc.DialOption{
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(MaxMessageBytes), grpc.MaxCallSendMsgSize(MaxMessageBytes)),
	}
}

// Hooks are package sdk's implementations, set by its init.
type Hooks struct {
	// ServerPlugins is the go-plugin plugin set that serves impl, an
	// sdk.Plugin; it checks that impl implements the interface of the
	// kind its Info names.
	ServerPlugins func(impl any) (plugin.PluginSet, error)
	// ClientPlugins is the go-plugin plugin set a host dispenses from,
	// one entry per kind. Its GRPCClient returns an sdk.Plugin.
	ClientPlugins func() plugin.PluginSet
	// Dispense returns the host-side client of a launched plugin, an
	// sdk.Plugin of the given kind whose streams log to log.
	Dispense func(rpc plugin.ClientProtocol, kind string, log hclog.Logger) (any, error)
}

var hooks Hooks

// Register sets the hooks; package sdk calls it once, from init.
func Register(h Hooks) { hooks = h }

func get() Hooks {
	if hooks.ServerPlugins == nil || hooks.ClientPlugins == nil || hooks.Dispense == nil {
		// Only a package that imports glue without importing sdk gets here.
		panic("sdk/internal/glue: used before package sdk registered its hooks")
	}
	return hooks
}

// ServerPlugins calls the registered hook (see Hooks).
func ServerPlugins(impl any) (plugin.PluginSet, error) { return get().ServerPlugins(impl) }

// ClientPlugins calls the registered hook (see Hooks).
func ClientPlugins() plugin.PluginSet { return get().ClientPlugins() }

// Dispense calls the registered hook (see Hooks).
func Dispense(rpc plugin.ClientProtocol, kind string, log hclog.Logger) (any, error) {
	return get().Dispense(rpc, kind, log)
}
