package p2p_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/plugins/transport-libp2p/p2p"
	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/plugintest"
)

// TestConfigureRejects: bad config is refused with the sentinel the host
// expects and an error that names the key or value. Valid local-mode
// configs are tested in config_internal_test.go without starting a node:
// a configured local node would multicast on the machine's interfaces.
func TestConfigureRejects(t *testing.T) {
	const remote = `"remote":{"listen_port":0,"bootstrap_nodes":[]},"listen_address":"127.0.0.1"`
	for _, tc := range []struct {
		name, config, want string
		is                 error
	}{
		{"NoP2P", `{}`, `"p2p"`, sdk.ErrInvalidArgument},
		{"UnknownOwnKey", `{"p2p":{` + remote + `},"plugin":{"peers":3}}`, `"peers"`, sdk.ErrInvalidArgument},
		{"BadBootstrap", `{"p2p":{"remote":{"listen_port":0,"bootstrap_nodes":["/ip4/127.0.0.1/tcp/1"]},"listen_address":"127.0.0.1"}}`, "bootstrap_nodes[0]", sdk.ErrInvalidArgument},
		{"BadListenAddress", `{"p2p":{"remote":{"listen_port":0,"bootstrap_nodes":[]},"listen_address":"localhost"}}`, "listen_address", sdk.ErrInvalidArgument},
		{"BadPort", `{"p2p":{"remote":{"listen_port":70000,"bootstrap_nodes":[]},"listen_address":"127.0.0.1"}}`, "p2p.remote.listen_port = 70000: want 0..65535", sdk.ErrInvalidArgument},
		{"BadMaxMessage", `{"p2p":{` + remote + `},"plugin":{"max_message_bytes":0}}`, "max_message_bytes", sdk.ErrInvalidArgument},
		{"BadInterval", `{"p2p":{` + remote + `},"plugin":{"discovery_interval":"1ms"}}`, "discovery_interval", sdk.ErrInvalidArgument},
		{"NeitherMode", `{"p2p":{"listen_address":"127.0.0.1"}}`, `"local" and "remote"`, sdk.ErrInvalidArgument},
		{"BothModes", `{"p2p":{"local":{"listen_port":0},` + remote + `}}`, "not both", sdk.ErrInvalidArgument},
		{"LocalBadPort", `{"p2p":{"local":{"listen_port":70000},"listen_address":"127.0.0.1"}}`, "p2p.local.listen_port = 70000: want 0..65535", sdk.ErrInvalidArgument},
		{"LocalNegativePort", `{"p2p":{"local":{"listen_port":-1},"listen_address":"127.0.0.1"}}`, "p2p.local.listen_port = -1", sdk.ErrInvalidArgument},
		{"LocalBadListenAddress", `{"p2p":{"local":{"listen_port":0},"listen_address":"10.0.0"}}`, `p2p.listen_address = "10.0.0"`, sdk.ErrInvalidArgument},
		{"LocalUnknownKey", `{"p2p":{"local":{"listen_port":0,"bootstrap_nodes":[]},"listen_address":"127.0.0.1"}}`, `"bootstrap_nodes"`, sdk.ErrInvalidArgument},
	} {
		t.Run(tc.name, func(t *testing.T) {
			impl := p2p.New(hclog.NewNullLogger())
			t.Cleanup(func() { _ = impl.Shutdown(t.Context()) })
			p := plugintest.ConnectTransport(t, impl)
			err := p.Configure(ctxFor(t, 5*time.Second), sdk.ConfigureRequest{DataDir: t.TempDir(), Config: []byte(tc.config)})
			if !errors.Is(err, tc.is) {
				t.Fatalf("Configure = %v, want an error wrapping %v", err, tc.is)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not name %s", err, tc.want)
			}
		})
	}
}

// TestInfo checks the static description the host selects the plugin by.
func TestInfo(t *testing.T) {
	info := p2p.New(hclog.NewNullLogger()).Info()
	if info.Name != "transport-libp2p" || info.Kind != sdk.KindTransport || !info.HasCapability("transport:libp2p") {
		t.Errorf("Info = %+v", info)
	}
	if err := info.Validate(); err != nil {
		t.Errorf("Info.Validate: %v", err)
	}
}
