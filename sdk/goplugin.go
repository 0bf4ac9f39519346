package sdk

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"github.com/wavs-go/wavs/sdk/internal/glue"
	pb "github.com/wavs-go/wavs/sdk/internal/pluginpb"
)

// handshake is the go-plugin handshake between the wavs host and its
// plugins (sdk/client.Handshake on the host's side).
var handshake = glue.Handshake(ProtocolVersion)

// infoTimeout bounds the Info call made when a client is dispensed.
const infoTimeout = 10 * time.Second

// The host-side glue (clientPlugins, dispense) lives here, next to the
// client implementations it builds, but only sdk/client shows it: package
// sdk lends it through sdk/internal/glue.
func init() {
	glue.Register(glue.Hooks{
		ServerPlugins: func(impl any) (plugin.PluginSet, error) {
			p, ok := impl.(Plugin)
			if !ok {
				return nil, fmt.Errorf("%T is not an sdk.Plugin", impl)
			}
			return serverPlugins(p)
		},
		ClientPlugins: clientPlugins,
		Dispense: func(rpc plugin.ClientProtocol, kind string, log hclog.Logger) (any, error) {
			p, err := dispense(rpc, Kind(kind), log)
			if err != nil {
				return nil, err
			}
			return p, nil
		},
	})
}

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

// serverPlugins is the go-plugin plugin set that serves impl. It checks
// that impl implements the interface of the kind its Info names.
func serverPlugins(impl Plugin) (plugin.PluginSet, error) {
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

// clientPlugins is the go-plugin plugin set a host dispenses from.
func clientPlugins() plugin.PluginSet {
	set := plugin.PluginSet{}
	for _, k := range Kinds {
		set[string(k)] = &grpcPlugin{kind: k}
	}
	return set
}

// dispense returns the host-side client of a launched plugin as the Go
// interface of its kind (Transport, Trigger or Submitter). Streams it
// opens log their ends and malformed items to log.
func dispense(rpc plugin.ClientProtocol, kind Kind, log hclog.Logger) (Plugin, error) {
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
