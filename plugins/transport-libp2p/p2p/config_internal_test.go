package p2p

import (
	"testing"

	"github.com/wavs-go/wavs/sdk"
)

// TestParseConfigModes: valid configs of both modes parse to the mode and
// listen address they set. Only the parser runs: starting a local-mode
// node here would multicast on the machine's real interfaces (see
// mdns_netns_test.go for the test that runs one inside namespaces).
func TestParseConfigModes(t *testing.T) {
	for _, tc := range []struct {
		name, config string
		mode         mode
		listen       string
		bootstrap    int
	}{
		{"Local", `{"p2p":{"local":{"listen_port":9000},"listen_address":"10.77.0.1"}}`, modeLocal, "/ip4/10.77.0.1/tcp/9000", 0},
		{"LocalDefaults", `{"p2p":{"local":{}}}`, modeLocal, "/ip4/" + defaultListenAddress + "/tcp/0", 0}, // parsed only, never bound
		{"LocalIPv6", `{"p2p":{"local":{"listen_port":65535},"listen_address":"fd00::1"}}`, modeLocal, "/ip6/fd00::1/tcp/65535", 0},
		{"Remote", `{"p2p":{"remote":{"listen_port":9000,"bootstrap_nodes":["/ip4/127.0.0.1/tcp/9001/p2p/12D3KooWGzSxQaGpBLYDRDsFpgGavQxCaWcuq6ggBvL3wpv1R2ex"]},"listen_address":"127.0.0.1"}}`, modeRemote, "/ip4/127.0.0.1/tcp/9000", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := parseConfig(sdk.ConfigureRequest{Config: []byte(tc.config)})
			if err != nil {
				t.Fatalf("parseConfig: %v", err)
			}
			if s.mode != tc.mode {
				t.Errorf("mode = %s, want %s", s.mode, tc.mode)
			}
			if got := s.listen.String(); got != tc.listen {
				t.Errorf("listen = %s, want %s", got, tc.listen)
			}
			if len(s.bootstrap) != tc.bootstrap {
				t.Errorf("%d bootstrap nodes, want %d", len(s.bootstrap), tc.bootstrap)
			}
		})
	}
}
