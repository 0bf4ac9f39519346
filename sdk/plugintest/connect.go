// Package plugintest runs a wavs plugin in-process, behind a real gRPC
// connection, and checks it against the conformance suite of its kind.
//
// A third-party plugin runs the suite from its own tests:
//
//	func TestConformance(t *testing.T) {
//		plugintest.TransportSuite(t, func(t *testing.T) sdk.Transport {
//			return mytransport.New(hclog.NewNullLogger())
//		}, plugintest.TransportOptions{})
//	}
package plugintest

import (
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"

	"github.com/wavs-go/wavs/sdk"
)

// Connect serves impl over an in-process gRPC connection (go-plugin's
// TestPluginGRPCConn) and returns the host's view of it: every call
// crosses the same conversions and wire types as with a plugin process.
// The connection is closed when the test ends.
func Connect(t testing.TB, impl sdk.Plugin) sdk.Plugin {
	t.Helper()
	plugins, err := sdk.ServerPlugins(impl)
	if err != nil {
		t.Fatalf("plugintest: %v", err)
	}
	client, _ := plugin.TestPluginGRPCConn(t, false, plugins)
	// Closing the client stops the server through go-plugin's controller;
	// stopping it here as well would race with that.
	t.Cleanup(func() { _ = client.Close() })
	p, err := sdk.Dispense(client, impl.Info().Kind, hclog.NewNullLogger())
	if err != nil {
		t.Fatalf("plugintest: %v", err)
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
