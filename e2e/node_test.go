package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wavs-go/wavs/sdk"
)

// p2pStatus is GET /p2p/status.
type p2pStatus struct {
	Enabled           *bool          `json:"enabled"`
	LocalPeerID       *string        `json:"local_peer_id"`
	ListenAddresses   []string       `json:"listen_addresses"`
	ExternalAddresses []string       `json:"external_addresses"`
	ConnectedPeers    *int           `json:"connected_peers"`
	PeerIDs           []string       `json:"peer_ids"`
	SubscribedTopics  []string       `json:"subscribed_topics"`
	TopicPeerCounts   map[string]int `json:"topic_peer_counts"`
	Admission         string         `json:"admission"`
	Peers             []struct {
		PeerID string   `json:"peer_id"`
		Topics []string `json:"topics"`
	} `json:"peers"`
}

func TestSingleOperatorNodeAnswers(t *testing.T) {
	n := startNode(t, nodeOptions{plugins: []string{"transport-none"}})

	var st p2pStatus
	if code := n.get("/p2p/status", &st); code != 200 {
		t.Fatalf("GET /p2p/status: %d", code)
	}
	if st.Enabled == nil || *st.Enabled {
		t.Errorf("enabled = %v, want false", st.Enabled)
	}
	if st.ConnectedPeers == nil || *st.ConnectedPeers != 0 || st.LocalPeerID == nil || *st.LocalPeerID != "" {
		t.Errorf("connected_peers/local_peer_id = %v/%v, want 0 and \"\"", st.ConnectedPeers, st.LocalPeerID)
	}
	for name, list := range map[string][]string{"listen_addresses": st.ListenAddresses, "external_addresses": st.ExternalAddresses, "peer_ids": st.PeerIDs, "subscribed_topics": st.SubscribedTopics} {
		if list == nil || len(list) != 0 {
			t.Errorf("%s = %v, want []", name, list)
		}
	}
	if st.TopicPeerCounts == nil {
		t.Error("topic_peer_counts missing")
	}

	var h struct{ Status string }
	if code := n.get("/health", &h); code != 200 || h.Status != "ok" {
		t.Errorf("GET /health = %d %+v, want 200 ok", code, h)
	}
	i := n.info()
	if i.ProtocolVersion != sdk.ProtocolVersion || len(i.Plugins) != 1 || i.Plugins[0].Name != "transport-none" || i.Plugins[0].State != "running" || !i.Plugins[0].Healthy {
		t.Errorf("GET /info = %+v, want transport-none running", i)
	}
	if i.OperatorAddress != "" {
		t.Errorf("operator_address = %q with no key set", i.OperatorAddress)
	}

	// The plugin's own log lines reach the host's log under its name.
	if !strings.Contains(n.log.String(), "[DEBUG] wavs.transport-none.wavs-plugin-transport-none: serving:") {
		t.Errorf("plugin log line missing from the host log:\n%s", n.log)
	}

	var e struct{ Error string }
	if code := n.get("/nope", &e); code != 404 || e.Error == "" {
		t.Errorf("GET /nope = %d %+v, want 404 with an error", code, e)
	}
	if code := n.do("POST", "/health", "", &e); code != 405 || !strings.Contains(e.Error, "GET") {
		t.Errorf("POST /health = %d %+v, want 405 naming GET", code, e)
	}
}

func TestOperatorAddressFromEnv(t *testing.T) {
	// The first anvil development key: public, for tests only.
	const key = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
	n := startNode(t, nodeOptions{plugins: []string{"transport-none"}, env: []string{"WAVS_SIGNING_KEY=" + key}})
	if got := n.info().OperatorAddress; got != "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266" {
		t.Errorf("operator_address = %q", got)
	}
	if strings.Contains(n.log.String(), key) {
		t.Error("the signing key appears in the log")
	}
	// The plugin process never sees the host's signing key.
	for name, pid := range n.pluginPIDs() {
		environ, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", pid))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(environ), "WAVS_SIGNING_KEY") || strings.Contains(string(environ), key) {
			t.Errorf("plugin %s has the signing key in its environment", name)
		}
		if !strings.Contains(string(environ), "PATH=") {
			t.Errorf("plugin %s did not get the rest of the environment", name)
		}
	}
}

func TestKilledPluginIsRestarted(t *testing.T) {
	n := startNode(t, nodeOptions{plugins: []string{"transport-none"}})
	before := n.pluginPIDs()["transport-none"]
	if err := syscall.Kill(before, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killed := time.Now()

	back := eventually(10*time.Second, func() bool {
		var st p2pStatus
		code := n.get("/p2p/status", &st)
		if code != 200 {
			return false
		}
		i := n.info()
		return i.Plugins[0].Restarts >= 1 && i.Plugins[0].PID != before && i.Plugins[0].State == "running"
	})
	if !back {
		t.Fatalf("transport-none not back within 10s of kill -9: %+v", n.info())
	}
	t.Logf("/p2p/status answered again %v after kill -9", time.Since(killed).Round(time.Millisecond))
	select {
	case <-n.done:
		t.Fatalf("wavs exited after its plugin died: %v", n.err)
	default:
	}
	if !strings.Contains(n.log.String(), "restarting") {
		t.Error("the host log does not mention the restart")
	}
	if alive(before) {
		t.Errorf("killed plugin %d still alive", before)
	}
}

func TestNoOrphansWhenHostStops(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGKILL} {
		t.Run(sig.String(), func(t *testing.T) {
			n := startNode(t, nodeOptions{plugins: []string{"transport-none", "trigger-ticker"}})
			pids := n.pluginPIDs()
			if len(pids) != 2 {
				t.Fatalf("plugins = %v, want transport-none and trigger-ticker", pids)
			}
			n.signal(sig)
			err := n.wait(15 * time.Second)
			if sig != syscall.SIGKILL && err != nil {
				t.Errorf("wavs exit after %v: %v, want 0", sig, err)
			}
			gone := eventually(5*time.Second, func() bool {
				for _, pid := range pids {
					if alive(pid) {
						return false
					}
				}
				return true
			})
			if !gone {
				for name, pid := range pids {
					if alive(pid) {
						t.Errorf("plugin %s (pid %d) still running after the host got %v", name, pid, sig)
						_ = syscall.Kill(pid, syscall.SIGKILL)
					}
				}
			}
		})
	}
}

func TestExamplePluginLoaded(t *testing.T) {
	n := startNode(t, nodeOptions{plugins: []string{"transport-none", "trigger-ticker"}})
	for _, p := range n.info().Plugins {
		if p.Name == "trigger-ticker" {
			if p.Kind != "trigger" || p.State != "running" || !p.Healthy || p.Version == "" {
				t.Errorf("trigger-ticker = %+v, want a running, healthy trigger plugin", p)
			}
			return
		}
	}
	t.Fatalf("trigger-ticker not loaded: %+v", n.info())
}

func TestRestartEndpointNeedsToken(t *testing.T) {
	n := startNode(t, nodeOptions{
		plugins: []string{"transport-none"},
		env:     []string{"WAVS_BEARER_TOKEN=s3cret-token"},
	})
	var e struct{ Error string }
	if code := n.do("POST", "/plugins/transport-none/restart", "", &e); code != 401 {
		t.Errorf("restart without token = %d, want 401", code)
	}
	if code := n.do("POST", "/plugins/transport-none/restart", "wrong", &e); code != 401 {
		t.Errorf("restart with a wrong token = %d, want 401", code)
	}
	if code := n.do("POST", "/plugins/nope/restart", "s3cret-token", &e); code != 404 {
		t.Errorf("restart of an unknown plugin = %d, want 404", code)
	}
	if code := n.do("POST", "/plugins/transport-none/restart", "s3cret-token", nil); code != 202 {
		t.Fatalf("restart with the token = %d, want 202", code)
	}
	if !eventually(10*time.Second, func() bool { p := n.info().Plugins[0]; return p.Restarts == 1 && p.State == "running" }) {
		t.Fatalf("plugin not restarted: %+v", n.info())
	}
	if strings.Contains(n.log.String(), "s3cret-token") {
		t.Error("the bearer token appears in the log")
	}
}

// runFails runs wavs to completion and returns its combined output; it
// fails the test if wavs exits 0.
func runFails(t *testing.T, o nodeOptions) string {
	t.Helper()
	n := launch(t, o)
	err := n.wait(30 * time.Second)
	if err == nil {
		t.Fatalf("wavs exited 0, want an error\n%s", n.log)
	}
	return n.log.String()
}

func TestStartupErrors(t *testing.T) {
	cases := []struct {
		name string
		o    nodeOptions
		want []string
	}{
		{
			name: "p2p without the libp2p plugin",
			o:    nodeOptions{plugins: []string{"transport-none"}, config: "[wavs.p2p]\nremote = { listen_port = 0, bootstrap_nodes = [] }\n"},
			want: []string{"transport-libp2p", "wavs-plugin-transport-libp2p", "[wavs.p2p]"},
		},
		{
			name: "no transport at all",
			o:    nodeOptions{plugins: []string{"trigger-ticker"}},
			want: []string{"transport-none", "single-operator"},
		},
		{
			name: "unknown config key",
			o:    nodeOptions{plugins: []string{"transport-none"}, config: "[wavs]\nprot = 8000\n"},
			want: []string{"wavs.prot", ":2:", "port"},
		},
		{
			name: "pinned checksum differs",
			o:    nodeOptions{plugins: []string{"transport-none"}, config: "[plugins.transport-none]\nsha256 = \"" + strings.Repeat("ab", 32) + "\"\n"},
			want: []string{"plugins.transport-none.sha256", "refusing"},
		},
		{
			name: "plugin rejects its config",
			o:    nodeOptions{plugins: []string{"transport-none"}, config: "[plugins.transport-none.config]\npeers = 3\n"},
			want: []string{"transport-none", "configure", "peers"},
		},
		{
			name: "bad port flag",
			o:    nodeOptions{plugins: []string{"transport-none"}, args: []string{"--port", "http"}},
			want: []string{"-port", "1..65535"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := runFails(t, c.o)
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("output does not mention %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestPluginsCommand(t *testing.T) {
	dir := pluginDir(t, "transport-none", "trigger-evm", "trigger-ticker")
	out, err := exec.Command(bins.wavs, "plugins", "--json", dir).Output()
	if err != nil {
		t.Fatalf("wavs plugins: %v", err)
	}
	var listing struct {
		Plugins []struct {
			Name, Kind, SHA256 string
			Capabilities       []string
		}
		Overlaps []struct {
			Capability, Chosen string
			Plugins            []string
		}
	}
	if err := json.Unmarshal(out, &listing); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	rows := listing.Plugins
	if len(rows) != 3 || rows[0].Name != "transport-none" || rows[0].Kind != "transport" ||
		rows[2].Name != "trigger-ticker" || rows[2].Kind != "trigger" || len(rows[2].SHA256) != 64 {
		t.Errorf("wavs plugins --json = %+v", rows)
	}
	// Both trigger plugins serve cron: the listing says so, and which one
	// a workflow gets unless it names another.
	if len(listing.Overlaps) != 1 || listing.Overlaps[0].Capability != "trigger:cron" || listing.Overlaps[0].Chosen != "trigger-evm" {
		t.Errorf("overlaps = %+v, want trigger:cron chosen trigger-evm", listing.Overlaps)
	}

	table, err := exec.Command(bins.wavs, "plugins", dir).Output()
	if err != nil || !bytes.Contains(table, []byte("trigger:cron")) || !bytes.Contains(table, []byte("overlap: trigger kind cron is served by trigger-evm, trigger-ticker")) {
		t.Errorf("wavs plugins table: %v\n%s", err, table)
	}
}
