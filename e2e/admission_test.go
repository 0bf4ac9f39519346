package e2e

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/plugins/transport-libp2p/p2p"
	"github.com/wavs-go/wavs/sdk"
)

// withAdmission sets [wavs.p2p] admission in a clusterTOML config ("":
// leave the default).
func withAdmission(cfg, mode string) string {
	if mode == "" {
		return cfg
	}
	return strings.Replace(cfg, "[wavs.p2p]\n", "[wavs.p2p]\nadmission = \""+mode+"\"\n", 1)
}

// attest gives tr an admission attestation for topic signed by key, as a
// host does with a service's signing key.
func attest(t testing.TB, tr *p2p.Transport, topic string, key *ecdsa.PrivateKey) {
	t.Helper()
	st, err := tr.Status(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	k := signingKey(t, key)
	sig, err := k.SignAdmission(st.LocalPeerID, topic)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.SetAdmission(t.Context(), sdk.Admission{Attestations: []sdk.Attestation{{Topic: topic, Signer: k.Address(), Signature: sig}}}); err != nil {
		t.Fatal(err)
	}
}

// listener is a real libp2p peer (open mode, a key of its own that is no
// operator's) that connects to bootstrap, subscribes topic and counts
// what it receives.
type listener struct {
	tr       *p2p.Transport
	id       string
	received atomic.Int64
}

func startListener(t testing.TB, bootstrap, topic string) *listener {
	t.Helper()
	l := &listener{tr: p2p.New(hclog.NewNullLogger())}
	t.Cleanup(func() { _ = l.tr.Shutdown(context.Background()) })
	cfg, _ := json.Marshal(map[string]any{
		"p2p":    map[string]any{"listen_address": "127.0.0.1", "remote": map[string]any{"listen_port": 0, "bootstrap_nodes": []string{bootstrap}}},
		"plugin": map[string]any{"discovery_interval": "500ms"},
	})
	ctx := t.Context()
	if err := l.tr.Configure(ctx, sdk.ConfigureRequest{DataDir: t.TempDir(), Config: cfg, HostVersion: "listener"}); err != nil {
		t.Fatal(err)
	}
	if err := l.tr.Subscribe(ctx, topic); err != nil {
		t.Fatal(err)
	}
	attest(t, l.tr, topic, newSigningKey(t))
	st, err := l.tr.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	l.id = st.LocalPeerID
	in, err := l.tr.Inbound(ctx)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for range in {
			l.received.Add(1)
		}
	}()
	return l
}

// admissionStatus is the admission part of GET /p2p/status.
type admissionStatus struct {
	PeerIDs         []string       `json:"peer_ids"`
	TopicPeerCounts map[string]int `json:"topic_peer_counts"`
	Admission       string         `json:"admission"`
	Peers           []struct {
		PeerID   string   `json:"peer_id"`
		Operator bool     `json:"operator"`
		Services []string `json:"services"`
	} `json:"peers"`
}

// TestP2PAdmission: with the default admission ("operators") a peer that
// connects to an operator's node and subscribes the service's topic
// never joins it and reads none of the signatures while the three
// operators land results, and /p2p/status shows the operators verified;
// with admission = "open" the same peer reads them.
func TestP2PAdmission(t *testing.T) {
	t.Run("operators", func(t *testing.T) {
		c := startCluster(t, clusterOptions{})
		c.meshed(t, 0, 1, 2)
		l := startListener(t, c.bootstrap, c.topic)
		var st admissionStatus
		if !eventually(20*time.Second, func() bool {
			c.ops[0].get("/p2p/status", &st)
			return slices.Contains(st.PeerIDs, l.id)
		}) {
			t.Fatalf("the outsider never connected to node 0: %+v", st)
		}
		c.fire(t, 1, 11)
		c.landed(t, 11, 2*time.Minute)
		time.Sleep(2 * time.Second) // rebroadcasts, claims, landed notices
		if n := l.received.Load(); n != 0 {
			t.Errorf("the outsider received %d messages on the service topic", n)
		}
		for i, op := range c.ops {
			var st admissionStatus
			op.get("/p2p/status", &st)
			if st.Admission != "operators" || st.TopicPeerCounts[c.topic] != 2 {
				t.Errorf("node %d: admission %q, %d topic peers; want operators and 2: %+v", i, st.Admission, st.TopicPeerCounts[c.topic], st)
			}
			ops := 0
			for _, p := range st.Peers {
				switch {
				case p.PeerID == l.id && (p.Operator || len(p.Services) > 0):
					t.Errorf("node %d counts the outsider as an operator: %+v", i, p)
				case p.Operator && slices.Equal(p.Services, []string{c.serviceID}):
					ops++
				}
			}
			if ops != 2 {
				t.Errorf("node %d shows %d verified operators of the service, want 2: %+v", i, ops, st.Peers)
			}
		}
	})
	t.Run("open", func(t *testing.T) {
		c := startCluster(t, clusterOptions{admission: "open"})
		c.meshed(t, 0, 1, 2)
		l := startListener(t, c.bootstrap, c.topic)
		eventually(20*time.Second, func() bool {
			var st admissionStatus
			c.ops[0].get("/p2p/status", &st)
			return st.TopicPeerCounts[c.topic] >= 3
		})
		c.fire(t, 1, 6)
		c.landed(t, 6, 2*time.Minute)
		if !eventually(10*time.Second, func() bool { return l.received.Load() > 0 }) {
			t.Error("in open mode the peer received nothing on the service topic")
		}
	})
}
