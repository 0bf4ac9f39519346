package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"

	"github.com/wavs-go/wavs/host/plugins"
	"github.com/wavs-go/wavs/internal/gossip"
)

// The gossip benchmarks measure publish → delivered on a second peer, one
// message in flight at a time, so ns/op is the one-way latency including
// the receive. BenchmarkGossipRawPubsub is go-libp2p-pubsub used directly
// in this process; BenchmarkGossipThroughPlugin is the node's path: two
// transport-libp2p processes under host/plugins supervisors, publishing
// through the Transport wrapper and reading the wrapper's Inbound channel.

const (
	// gossipTopic has the shape of a service topic (wavs/<service id>/topic/v1).
	gossipTopic = "wavs/" + gossipServiceID + "/topic/v1"
	// gossipSize is about a signature gossip message (envelope, signature,
	// reference block).
	gossipSize = 400
	// gossipDeadline bounds each delivery, the mesh and the probes.
	gossipDeadline = 5 * time.Second
	// meshDeadline bounds the time for the peers to see each other on the
	// topic and for a probe to get through.
	meshDeadline = 30 * time.Second
)

// gossipMessage returns the kind-th message of sequence i, shaped as the
// transport requires on a service topic (an operators' gossip message of
// the topic's service, strictly decoded; its signature is not checked on
// this path) and padded to gossipSize bytes by its payload. The kind is
// its byte kindAt, the first of the workflow id.
func gossipMessage(kind byte, i uint64) []byte {
	g := gossip.Message{ServiceID: gossipServiceID, WorkflowID: fmt.Sprintf("%c%020d", kind, i), Signature: make([]byte, 65)}
	base, err := gossip.Encode(g)
	if err != nil {
		panic(err)
	}
	g.Envelope.Payload = make([]byte, max(0, gossipSize-len(base))/2)
	data, err := gossip.Encode(g)
	if err != nil {
		panic(err)
	}
	return data
}

// kindAt is where gossipMessage puts the kind.
var kindAt = len(`{"v":1,"service_id":"` + gossipServiceID + `","workflow_id":"`)

// gossipServiceID is gossipTopic's service id.
const gossipServiceID = "00000000000000000000000000000000000000000000000000000000000000b0"

// Message kinds: probes (sent until the mesh carries one) and the timed
// messages.
const (
	kindProbe = 'p'
	kindBench = 'b'
)

// BenchmarkGossipRawPubsub is the baseline: two go-libp2p hosts in this
// process, TCP on 127.0.0.1, connected directly, a GossipSub router each.
func BenchmarkGossipRawPubsub(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	newHost := func() host.Host {
		h, err := libp2p.New(
			libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"),
			libp2p.Transport(tcp.NewTCPTransport),
			libp2p.DisableRelay(),
		)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = h.Close() })
		return h
	}
	ha, hb := newHost(), newHost()
	if err := hb.Connect(ctx, peer.AddrInfo{ID: ha.ID(), Addrs: ha.Addrs()}); err != nil {
		b.Fatal(err)
	}
	join := func(h host.Host) (*pubsub.Topic, *pubsub.Subscription) {
		ps, err := pubsub.NewGossipSub(ctx, h)
		if err != nil {
			b.Fatal(err)
		}
		tp, err := ps.Join(gossipTopic)
		if err != nil {
			b.Fatal(err)
		}
		sub, err := tp.Subscribe()
		if err != nil {
			b.Fatal(err)
		}
		return tp, sub
	}
	ta, subA := join(ha)
	tb, subB := join(hb)
	// A sees its own messages; drain them as the plugin's reader does.
	go func() {
		for {
			if _, err := subA.Next(ctx); err != nil {
				return
			}
		}
	}()

	// next returns the next message of kind (see gossipMessage) from a
	// peer on B, or an error after d.
	next := func(kind byte, d time.Duration) ([]byte, error) {
		nctx, ncancel := context.WithTimeout(ctx, d)
		defer ncancel()
		for {
			m, err := subB.Next(nctx)
			if err != nil {
				return nil, err
			}
			if m.ReceivedFrom != hb.ID() && len(m.Data) > kindAt && m.Data[kindAt] == kind {
				return m.Data, nil
			}
		}
	}

	deadline := time.Now().Add(meshDeadline)
	for len(ta.ListPeers()) != 1 || len(tb.ListPeers()) != 1 {
		if time.Now().After(deadline) {
			b.Fatalf("topic peers after %s: A %d, B %d; want 1 each", meshDeadline, len(ta.ListPeers()), len(tb.ListPeers()))
		}
		time.Sleep(20 * time.Millisecond)
	}
	timeGossip(b, deadline, func(m []byte) error { return ta.Publish(ctx, m) }, next)
}

// BenchmarkGossipThroughPlugin is the node's path: the host-side Transport
// wrapper → gRPC → transport-libp2p process A → GossipSub over TCP on
// 127.0.0.1 → process B → B's Inbound gRPC stream → the wrapper's pump →
// B's Inbound channel.
func BenchmarkGossipThroughPlugin(b *testing.B) {
	ctx := context.Background()
	ta := startTransport(b, "a", nil)
	st, err := ta.Status(ctx)
	if err != nil || len(st.ListenAddresses) == 0 {
		b.Fatalf("A status: %+v %v", st, err)
	}
	tb := startTransport(b, "b", []string{st.ListenAddresses[0]})
	for _, t := range []*plugins.Transport{ta, tb} {
		if err := t.Subscribe(ctx, gossipTopic); err != nil {
			b.Fatal(err)
		}
	}

	// next returns the next message of kind on B's Inbound channel, or
	// an error after d.
	timer := time.NewTimer(gossipDeadline)
	defer timer.Stop()
	// inbound sums, over the timed messages, the time from B's plugin
	// taking the message off its subscription (sdk.Message.ReceivedAt, set
	// in the plugin process; one clock on one machine) to the message on
	// B's Inbound channel in this process.
	var inbound time.Duration
	next := func(kind byte, d time.Duration) ([]byte, error) {
		timer.Reset(d)
		defer timer.Stop()
		for {
			select {
			case m := <-tb.Inbound():
				if m.Topic == gossipTopic && len(m.Data) > kindAt && m.Data[kindAt] == kind {
					if kind == kindBench {
						inbound += time.Since(m.ReceivedAt)
					}
					return m.Data, nil
				}
			case <-timer.C:
				return nil, fmt.Errorf("nothing within %s", d)
			}
		}
	}

	deadline := time.Now().Add(meshDeadline)
	for {
		sa, errA := ta.Status(ctx)
		sb, errB := tb.Status(ctx)
		if errA == nil && errB == nil && sa.TopicPeerCounts[gossipTopic] == 1 && sb.TopicPeerCounts[gossipTopic] == 1 {
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("topic peers after %s: A %v %v, B %v %v; want 1 each", meshDeadline, sa.TopicPeerCounts, errA, sb.TopicPeerCounts, errB)
		}
		time.Sleep(50 * time.Millisecond)
	}
	timeGossip(b, deadline, func(m []byte) error { return ta.Publish(ctx, gossipTopic, m) }, next)
	if b.N > 0 {
		b.ReportMetric(float64(inbound.Nanoseconds())/float64(b.N), "inbound-ns/op")
	}
}

// timeGossip sends probes until one gets through (GossipSub drops what
// is published before the mesh forms), then times each message from
// publish until next returns it, one in flight at a time. It also
// reports the mean time publish took to return (publish-ns/op).
func timeGossip(b *testing.B, deadline time.Time, publish func([]byte) error, next func(kind byte, d time.Duration) ([]byte, error)) {
	b.Helper()
	for i := uint64(0); ; i++ {
		if time.Now().After(deadline) {
			b.Fatalf("no probe reached B within %s", meshDeadline)
		}
		if err := publish(gossipMessage(kindProbe, i)); err != nil {
			b.Fatal(err)
		}
		if _, err := next(kindProbe, 200*time.Millisecond); err == nil {
			break
		}
	}
	var i uint64
	var publishing time.Duration
	for b.Loop() {
		i++
		msg := gossipMessage(kindBench, i)
		start := time.Now()
		if err := publish(msg); err != nil {
			b.Fatal(err)
		}
		publishing += time.Since(start)
		for {
			got, err := next(kindBench, gossipDeadline)
			if err != nil {
				b.Fatalf("message %d not delivered within %s: %v", i, gossipDeadline, err)
			}
			if bytes.Equal(got, msg) {
				break
			}
		}
	}
	if b.N > 0 {
		b.ReportMetric(float64(publishing.Nanoseconds())/float64(b.N), "publish-ns/op")
	}
}

// startTransport runs one transport-libp2p process the way the node does
// (a supervisor with the Transport wrapper), in remote mode on 127.0.0.1
// with bootstrap as its bootstrap nodes. The plugin's own settings are
// the defaults, as in a wavs.toml without [plugins.transport-libp2p].
func startTransport(b *testing.B, name string, bootstrap []string) *plugins.Transport {
	b.Helper()
	found, problems, err := plugins.Discover(context.Background(), pluginDir(b, "transport-libp2p"))
	if err != nil || len(problems) > 0 || len(found) != 1 {
		b.Fatalf("discover transport-libp2p: %v %v", err, problems)
	}
	if bootstrap == nil {
		bootstrap = []string{}
	}
	// The shape host/config's PluginConfigJSON gives the plugin.
	cfg, err := json.Marshal(map[string]any{
		"p2p": map[string]any{
			"listen_address": "127.0.0.1",
			"remote":         map[string]any{"listen_port": 0, "bootstrap_nodes": bootstrap},
		},
	})
	if err != nil {
		b.Fatal(err)
	}
	sup := plugins.NewSupervisor(found[0], plugins.Options{DataDir: filepath.Join(b.TempDir(), name), ConfigJSON: cfg})
	t := plugins.NewTransport(sup)
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(func() {
		cancel()
		<-sup.Done()
	})
	if err := sup.Start(ctx); err != nil {
		b.Fatal(err)
	}
	return t
}
