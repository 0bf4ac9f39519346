package sdk

import (
	"context"
	"fmt"
	"os/exec"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	pb "github.com/wavs-go/wavs/sdk/internal/pluginpb"
)

// Handshake is the go-plugin handshake between the wavs host and its
// plugins. The cookie only tells a plugin it was started by a host; it is
// not a security measure.
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  ProtocolVersion,
	MagicCookieKey:   "WAVS_PLUGIN_MAGIC_COOKIE",
	MagicCookieValue: "5d3c8a1e-wavs-plugin-v1",
}

// MaxMessageBytes is the largest gRPC message either side accepts (gRPC's
// default is 4 MiB, too small for a component's payload with signatures).
const MaxMessageBytes = 64 << 20

// infoTimeout bounds the Info call made when a client is dispensed.
const infoTimeout = 10 * time.Second

// grpcPlugin is the go-plugin glue for one kind. Impl is set on the
// plugin side and nil on the host side.
type grpcPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	kind     Kind
	impl     Plugin
	shutdown func(context.Context) error
}

func (p *grpcPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	pb.RegisterBaseServiceServer(s, &baseServer{impl: p.impl, shutdown: p.shutdown})
	switch p.kind {
	case KindTransport:
		pb.RegisterTransportServiceServer(s, &transportServer{impl: p.impl.(Transport)})
		if a, ok := p.impl.(AdmissionTransport); ok {
			pb.RegisterTransportAdmissionServiceServer(s, &admissionServer{impl: a})
		}
	case KindTrigger:
		pb.RegisterTriggerServiceServer(s, &triggerServer{impl: p.impl.(Trigger)})
	case KindSubmit:
		pb.RegisterSubmitServiceServer(s, &submitServer{impl: p.impl.(Submitter)})
	default:
		return fmt.Errorf("plugin kind %q is not one of %v", p.kind, Kinds)
	}
	return nil
}

func (p *grpcPlugin) GRPCClient(ctx context.Context, _ *plugin.GRPCBroker, conn *grpc.ClientConn) (any, error) {
	ctx, cancel := context.WithTimeout(ctx, infoTimeout)
	defer cancel()
	base, err := newBaseClient(ctx, conn)
	if err != nil {
		return nil, err
	}
	if base.info.Kind != p.kind {
		return nil, fmt.Errorf("plugin %q says it is a %q plugin, dispensed as %q", base.info.Name, base.info.Kind, p.kind)
	}
	switch p.kind {
	case KindTransport:
		return &transportClient{baseClient: base, pb: pb.NewTransportServiceClient(conn), admission: pb.NewTransportAdmissionServiceClient(conn)}, nil
	case KindTrigger:
		return &triggerClient{baseClient: base, pb: pb.NewTriggerServiceClient(conn)}, nil
	case KindSubmit:
		return &submitClient{baseClient: base, pb: pb.NewSubmitServiceClient(conn)}, nil
	}
	return nil, fmt.Errorf("plugin kind %q is not one of %v", p.kind, Kinds)
}

// ServerPlugins is the go-plugin plugin set that serves impl. It checks
// that impl implements the interface of the kind its Info names.
func ServerPlugins(impl Plugin) (plugin.PluginSet, error) {
	info := impl.Info()
	var ok bool
	switch info.Kind {
	case KindTransport:
		_, ok = impl.(Transport)
	case KindTrigger:
		_, ok = impl.(Trigger)
	case KindSubmit:
		_, ok = impl.(Submitter)
	default:
		return nil, fmt.Errorf("plugin %q: kind %q is not one of %v", info.Name, info.Kind, Kinds)
	}
	if !ok {
		return nil, fmt.Errorf("plugin %q: Info says kind %q but %T does not implement that interface", info.Name, info.Kind, impl)
	}
	return plugin.PluginSet{string(info.Kind): &grpcPlugin{kind: info.Kind, impl: impl}}, nil
}

// ClientPlugins is the go-plugin plugin set a host dispenses from.
func ClientPlugins() plugin.PluginSet {
	set := plugin.PluginSet{}
	for _, k := range Kinds {
		set[string(k)] = &grpcPlugin{kind: k}
	}
	return set
}

// ServerOptions are the gRPC server options of a plugin process.
func ServerOptions() []grpc.ServerOption {
	return []grpc.ServerOption{grpc.MaxRecvMsgSize(MaxMessageBytes), grpc.MaxSendMsgSize(MaxMessageBytes)}
}

// DialOptions are the gRPC dial options a host uses for a plugin.
func DialOptions() []grpc.DialOption {
	return []grpc.DialOption{
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(MaxMessageBytes), grpc.MaxCallSendMsgSize(MaxMessageBytes)),
	}
}

// ClientOptions are what a host needs to launch one plugin process.
type ClientOptions struct {
	// Cmd starts the plugin. Its Env is passed on; the host's own
	// environment is not inherited unless Cmd.Env includes it.
	Cmd *exec.Cmd
	// Logger receives the plugin's log lines.
	Logger hclog.Logger
	// SHA256, if set, is the checksum the executable must have.
	SHA256 []byte
	// StartTimeout bounds the handshake (default 1 minute).
	StartTimeout time.Duration
}

// NewClient returns a go-plugin client configured for the wavs protocol:
// gRPC only, raised message limits, the plugin's stderr logs forwarded to
// Logger. go-plugin clients cannot be restarted: make a new one each time.
func NewClient(o ClientOptions) *plugin.Client {
	cfg := &plugin.ClientConfig{
		HandshakeConfig:  Handshake,
		Plugins:          ClientPlugins(),
		Cmd:              o.Cmd,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		Logger:           o.Logger,
		StartTimeout:     o.StartTimeout,
		SkipHostEnv:      true,
		GRPCDialOptions:  DialOptions(),
	}
	if len(o.SHA256) > 0 {
		cfg.SecureConfig = &plugin.SecureConfig{Checksum: o.SHA256, Hash: sha256New()}
	}
	return plugin.NewClient(cfg)
}

// Dispense returns the host-side client of a launched plugin as the Go
// interface of its kind (Transport, Trigger or Submitter). Streams it
// opens log their ends and malformed items to log.
func Dispense(rpc plugin.ClientProtocol, kind Kind, log hclog.Logger) (Plugin, error) {
	if !kind.Valid() {
		return nil, fmt.Errorf("dispense: kind %q is not one of %v", kind, Kinds)
	}
	raw, err := rpc.Dispense(string(kind))
	if err != nil {
		return nil, fmt.Errorf("dispense %s plugin: %w", kind, err)
	}
	p, ok := raw.(Plugin)
	if !ok {
		return nil, fmt.Errorf("dispense %s plugin: got %T", kind, raw)
	}
	if l, ok := raw.(interface{ setLogger(hclog.Logger) }); ok && log != nil {
		l.setLogger(log)
	}
	return p, nil
}
