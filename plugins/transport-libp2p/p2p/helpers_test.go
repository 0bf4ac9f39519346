package p2p_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/plugins/transport-libp2p/p2p"
	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/plugintest"
)

// testTopic is the topic the tests gossip on.
const testTopic = "wavs/p2ptest/topic/v1"

// configFor is a remote-mode config on 127.0.0.1 with a free port. own is
// the plugin's own table as JSON ("" for none); a fast discovery interval
// is added when own does not set one.
func configFor(t testing.TB, bootstrap []string, own string) json.RawMessage {
	t.Helper()
	if bootstrap == nil {
		bootstrap = []string{}
	}
	if own == "" {
		own = `{"discovery_interval":"200ms"}`
	}
	cfg := map[string]any{
		"p2p": map[string]any{
			"remote":         map[string]any{"listen_port": 0, "bootstrap_nodes": bootstrap},
			"listen_address": "127.0.0.1",
		},
		"plugin": json.RawMessage(own),
	}
	raw, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// instance is one running transport, seen through a real gRPC connection.
type instance struct {
	sdk.Transport
	impl *p2p.Transport
	id   string
	addr string
}

// start configures a new transport with config and dataDir ("" for a
// fresh temporary folder); it is shut down when the test ends.
func start(t *testing.T, name string, config json.RawMessage, dataDir string) *instance {
	t.Helper()
	if dataDir == "" {
		dataDir = t.TempDir()
	}
	impl := p2p.New(hclog.New(&hclog.LoggerOptions{Name: name, Level: hclog.Warn}))
	t.Cleanup(func() { _ = impl.Shutdown(context.Background()) })
	p := plugintest.ConnectTransport(t, impl)
	if err := p.Configure(ctxFor(t, 10*time.Second), sdk.ConfigureRequest{DataDir: dataDir, Config: config, HostVersion: "test"}); err != nil {
		t.Fatalf("%s: Configure: %v", name, err)
	}
	st, err := p.Status(ctxFor(t, 5*time.Second))
	if err != nil {
		t.Fatalf("%s: Status: %v", name, err)
	}
	if len(st.ListenAddresses) == 0 {
		t.Fatalf("%s: Status lists no listen address", name)
	}
	return &instance{Transport: p, impl: impl, id: st.LocalPeerID, addr: st.ListenAddresses[0]}
}

func ctxFor(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// waitFor polls cond every 100 ms until it holds or timeout passes; then
// it fails the test with cond's last explanation.
func waitFor(t *testing.T, timeout time.Duration, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, why := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %s", timeout, why)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitMesh waits until each instance is connected to all the others and
// sees them all on topic.
func waitMesh(t *testing.T, topic string, all ...*instance) {
	t.Helper()
	waitFor(t, 20*time.Second, func() (bool, string) {
		for _, in := range all {
			st, err := in.Status(context.Background())
			if err != nil {
				return false, fmt.Sprintf("Status: %v", err)
			}
			for _, other := range all {
				if other != in && !slices.Contains(st.PeerIDs, other.id) {
					return false, fmt.Sprintf("%s is not connected to %s (peers %q)", in.id, other.id, st.PeerIDs)
				}
			}
			if n := st.TopicPeerCounts[topic]; n != len(all)-1 {
				return false, fmt.Sprintf("%s: topic_peer_counts[%q] = %d, want %d", in.id, topic, n, len(all)-1)
			}
		}
		return true, ""
	})
}

// subscribe subscribes every instance to topic.
func subscribe(t *testing.T, topic string, all ...*instance) {
	t.Helper()
	for _, in := range all {
		if err := in.Subscribe(ctxFor(t, 5*time.Second), topic); err != nil {
			t.Fatalf("Subscribe(%q): %v", topic, err)
		}
	}
}

// inbound opens the Inbound stream of in for the rest of the test.
func inbound(t *testing.T, in *instance) <-chan sdk.Message {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ch, err := in.Inbound(ctx)
	if err != nil {
		t.Fatalf("Inbound: %v", err)
	}
	return ch
}

// collect gathers the messages that arrive on ch within d.
func collect(ch <-chan sdk.Message, d time.Duration) []sdk.Message {
	var got []sdk.Message
	timeout := time.After(d)
	for {
		select {
		case m, ok := <-ch:
			if !ok {
				return got
			}
			got = append(got, m)
		case <-timeout:
			return got
		}
	}
}

// settle publishes probes from "from" on topic until every receiver has
// taken one: right after peers first see each other's subscriptions,
// GossipSub may not yet forward a message, so the tests wait this out
// before they count deliveries. Probes are never counted by the tests.
func settle(t *testing.T, topic string, from *instance, receivers map[*instance]<-chan sdk.Message) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	pending := maps.Clone(receivers)
	for i := 0; len(pending) > 0; i++ {
		if time.Now().After(deadline) {
			t.Fatalf("probes on %q from %s did not reach %d receivers", topic, from.id, len(pending))
		}
		if err := from.Publish(ctxFor(t, 5*time.Second), topic, fmt.Appendf(nil, "%s%d", probePrefix, i)); err != nil {
			t.Fatalf("Publish(probe): %v", err)
		}
		for in, ch := range pending {
			for _, m := range collect(ch, 200*time.Millisecond) {
				if strings.HasPrefix(string(m.Data), probePrefix) {
					delete(pending, in)
				}
			}
		}
	}
}

// probePrefix starts the data of settle's probes.
const probePrefix = "probe-"

// countData counts the messages in got whose data is data.
func countData(got []sdk.Message, data string) int {
	n := 0
	for _, m := range got {
		if string(m.Data) == data {
			n++
		}
	}
	return n
}
