// Package client is for hosts that load wavs plugins: it launches a plugin
// executable over go-plugin's gRPC transport and hands back the Go
// interface of the plugin's kind (sdk.Trigger, sdk.Submitter or
// sdk.Transport), with errors that keep their sdk sentinels across the
// boundary.
//
// Plugin authors do not need it: they import package sdk, implement the
// interface of their kind and call sdk.ServeTrigger, sdk.ServeSubmitter
// or sdk.ServeTransport from main.
package client

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/internal/glue"
)

// Handshake is the go-plugin handshake between a wavs host and its
// plugins, at sdk.ProtocolVersion. The cookie only tells a plugin that a
// host started it; it is not a security measure. A host keeps
// Handshake.MagicCookieKey out of the environment it passes on.
var Handshake = glue.Handshake(sdk.ProtocolVersion)

// EnvLogLevel, "WAVS_PLUGIN_LOG_LEVEL", names the environment variable a host sets to tell a plugin
// its log level (trace, debug, info, warn, error); the sdk's Serve
// functions apply it.
const EnvLogLevel = glue.EnvLogLevel

// MaxMessageBytes, 64 MiB, is the largest gRPC message either side
// accepts (gRPC's default is 4 MiB, too small for a component's payload with signatures).
const MaxMessageBytes = glue.MaxMessageBytes

// Options are what a host needs to launch one plugin process.
type Options struct {
	// Cmd starts the plugin. Its Env is passed on; the host's own
	// environment is not inherited unless Cmd.Env includes it.
	Cmd *exec.Cmd
	// Logger receives the plugin's log lines.
	Logger hclog.Logger
	// SHA256, if set, is the checksum the executable must have.
	SHA256 []byte
	// StartTimeout bounds the handshake (default 1 minute).
	StartTimeout time.Duration
	// OnCall, if set, is told of every call the host makes to the plugin
	// once it returns: its method (the last part of the gRPC method
	// name, "Quorum", "Publish") and its error. It must not block.
	OnCall func(method string, err error)
}

// New returns a go-plugin client configured for the wavs protocol: gRPC
// only, raised message limits, the plugin's stderr logs forwarded to
// Logger. go-plugin clients cannot be restarted: make a new one each time.
// Call its Client method to launch the process, then Dispense.
func New(o Options) *plugin.Client {
	cfg := &plugin.ClientConfig{
		HandshakeConfig:  Handshake,
		Plugins:          Plugins(),
		Cmd:              o.Cmd,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		Logger:           o.Logger,
		StartTimeout:     o.StartTimeout,
		SkipHostEnv:      true,
		GRPCDialOptions:  DialOptions(),
	}
	if o.OnCall != nil {
		onCall := o.OnCall
		cfg.GRPCDialOptions = append(cfg.GRPCDialOptions, grpc.WithChainUnaryInterceptor(
			func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
				err := invoker(ctx, method, req, reply, cc, opts...)
				onCall(method[strings.LastIndexByte(method, '/')+1:], err)
				return err
			}))
	}
	if len(o.SHA256) > 0 {
		cfg.SecureConfig = &plugin.SecureConfig{Checksum: o.SHA256, Hash: sha256.New()}
	}
	return plugin.NewClient(cfg)
}

// Plugins is the go-plugin plugin set a host dispenses from: one entry
// per sdk.Kind, named by the kind.
func Plugins() plugin.PluginSet { return glue.ClientPlugins() }

// DialOptions are the gRPC dial options a host uses for a plugin.
func DialOptions() []grpc.DialOption { return glue.DialOptions() }

// Dispense returns the host-side client of a launched plugin as the Go
// interface of its kind (sdk.Transport, sdk.Trigger or sdk.Submitter).
// It asks the plugin for its Info and fails if the plugin is of another
// kind. Streams it opens log their ends and malformed items to log (nil:
// not logged).
func Dispense(rpc plugin.ClientProtocol, kind sdk.Kind, log hclog.Logger) (sdk.Plugin, error) {
	raw, err := glue.Dispense(rpc, string(kind), log)
	if err != nil {
		return nil, err
	}
	p, ok := raw.(sdk.Plugin)
	if !ok {
		return nil, fmt.Errorf("dispense %s plugin: got %T", kind, raw)
	}
	return p, nil
}
