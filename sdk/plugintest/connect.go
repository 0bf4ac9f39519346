package plugintest

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/internal/glue"
)

// Connect serves impl over an in-process gRPC connection on a unix socket,
// with the services, message limits and conversions of a plugin process,
// and returns the host's view of it. The connection is closed when the
// test ends.
func Connect(t testing.TB, impl sdk.Plugin) sdk.Plugin {
	t.Helper()
	kind := impl.Info().Kind
	plugins, err := glue.ServerPlugins(impl)
	if err != nil {
		t.Fatalf("plugintest: %v", err)
	}
	// A short folder: unix socket paths are limited to about 100 bytes.
	dir, err := os.MkdirTemp("", "wavs-pt-")
	if err != nil {
		t.Fatalf("plugintest: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	sock := filepath.Join(dir, "plugin.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatalf("plugintest: %v", err)
	}
	srv := grpc.NewServer(glue.ServerOptions()...)
	if err := plugins[string(kind)].(plugin.GRPCPlugin).GRPCServer(nil, srv); err != nil {
		t.Fatalf("plugintest: %v", err)
	}
	go func() { _ = srv.Serve(ln) }()

	conn, err := grpc.NewClient("unix://"+sock, append(glue.DialOptions(), grpc.WithTransportCredentials(insecure.NewCredentials()))...)
	if err != nil {
		t.Fatalf("plugintest: %v", err)
	}
	t.Cleanup(func() {
		_ = conn.Close()
		srv.Stop()
	})
	raw, err := glue.ClientPlugins()[string(kind)].(plugin.GRPCPlugin).GRPCClient(context.Background(), nil, conn)
	if err != nil {
		t.Fatalf("plugintest: %v", err)
	}
	p, ok := raw.(sdk.Plugin)
	if !ok {
		t.Fatalf("plugintest: client is %T", raw)
	}
	return p
}

// ConnectTransport is Connect for a transport.
func ConnectTransport(t testing.TB, impl sdk.Transport) sdk.Transport {
	t.Helper()
	return Connect(t, impl).(sdk.Transport)
}

// ConnectTrigger is Connect for a trigger plugin.
func ConnectTrigger(t testing.TB, impl sdk.Trigger) sdk.Trigger {
	t.Helper()
	return Connect(t, impl).(sdk.Trigger)
}

// ConnectSubmitter is Connect for a submit plugin.
func ConnectSubmitter(t testing.TB, impl sdk.Submitter) sdk.Submitter {
	t.Helper()
	return Connect(t, impl).(sdk.Submitter)
}
