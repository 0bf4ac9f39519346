package p2p_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/plugins/transport-libp2p/p2p"
	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/plugintest"
)

// TestConformance runs the SDK's transport suite against a lone bootstrap
// node on 127.0.0.1.
func TestConformance(t *testing.T) {
	// The suite shuts every instance down after its test.
	plugintest.TransportSuite(t, func(t *testing.T) sdk.Transport {
		return p2p.New(hclog.NewNullLogger())
	}, plugintest.TransportOptions{
		Config: []byte(`{"p2p":{"remote":{"listen_port":0,"bootstrap_nodes":[]},"listen_address":"127.0.0.1"}}`),
	})
}

// TestThreeNodesGossip: B and C know only the bootstrap node A, find each
// other through the DHT, and a message B publishes reaches A and C once
// each and never B.
func TestThreeNodesGossip(t *testing.T) {
	a := start(t, "a", configFor(t, nil, ""), "")
	b := start(t, "b", configFor(t, []string{a.addr}, ""), "")
	c := start(t, "c", configFor(t, []string{a.addr}, ""), "")
	subscribe(t, testTopic, a, b, c)
	inA, inB, inC := inbound(t, a), inbound(t, b), inbound(t, c)
	waitMesh(t, testTopic, a, b, c)
	settle(t, testTopic, b, map[*instance]<-chan sdk.Message{a: inA, c: inC})

	const payload = "hello from b"
	if err := b.Publish(ctxFor(t, 5*time.Second), testTopic, []byte(payload)); err != nil {
		t.Fatalf("B: Publish: %v", err)
	}
	for _, r := range []struct {
		name string
		ch   <-chan sdk.Message
		want int
	}{{"A", inA, 1}, {"B", inB, 0}, {"C", inC, 1}} {
		got := collect(r.ch, 2*time.Second)
		if n := countData(got, payload); n != r.want {
			t.Errorf("%s received the message %d times, want %d (got %+v)", r.name, n, r.want, got)
		}
		for _, m := range got {
			if m.From == b.id && r.name == "B" {
				t.Errorf("B received its own message %q", m.Data)
			}
			if strings.HasPrefix(string(m.Data), probePrefix) {
				continue
			}
			if m.Topic != testTopic || m.From != b.id || m.ReceivedAt.IsZero() {
				t.Errorf("%s: message %+v: want topic %q, from %s and a receive time", r.name, m, testTopic, b.id)
			}
		}
	}
}

// TestIdentityPersists: a restart on the same data folder keeps the peer
// id; the key file is private to the owner; another folder gives another
// id.
func TestIdentityPersists(t *testing.T) {
	dir := t.TempDir()
	first := start(t, "first", configFor(t, nil, ""), dir)
	if err := first.impl.Shutdown(t.Context()); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	info, err := os.Stat(filepath.Join(dir, "identity.key"))
	if err != nil {
		t.Fatalf("key file: %v", err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Errorf("key file mode = %o, want 600", mode)
	}
	second := start(t, "second", configFor(t, nil, ""), dir)
	if second.id != first.id {
		t.Errorf("peer id after restart = %s, want %s", second.id, first.id)
	}
	if other := start(t, "other", configFor(t, nil, ""), ""); other.id == first.id {
		t.Errorf("a fresh data folder got the same peer id %s", other.id)
	}
}

// TestValidatorDropsOversized: a receiver with a small max_message_bytes
// drops a larger message from a peer whose limit allows it, and still
// takes the next small one; publishing over the local limit is refused.
func TestValidatorDropsOversized(t *testing.T) {
	a := start(t, "a", configFor(t, nil, `{"max_message_bytes":1024,"discovery_interval":"200ms"}`), "")
	b := start(t, "b", configFor(t, []string{a.addr}, ""), "")
	subscribe(t, testTopic, a, b)
	inA := inbound(t, a)
	waitMesh(t, testTopic, a, b)
	settle(t, testTopic, b, map[*instance]<-chan sdk.Message{a: inA})

	big := strings.Repeat("x", 4096)
	if err := b.Publish(ctxFor(t, 5*time.Second), testTopic, []byte(big)); err != nil {
		t.Fatalf("B: Publish(4096 bytes): %v", err)
	}
	if err := b.Publish(ctxFor(t, 5*time.Second), testTopic, []byte("small")); err != nil {
		t.Fatalf("B: Publish(small): %v", err)
	}
	got := collect(inA, 2*time.Second)
	if countData(got, big) != 0 {
		t.Error("A received a 4096-byte message over its 1024-byte limit")
	}
	if countData(got, "small") != 1 {
		t.Errorf("A did not receive the small message after the big one (got %d messages)", len(got))
	}
	if err := a.Publish(ctxFor(t, 5*time.Second), testTopic, []byte(big)); !errors.Is(err, sdk.ErrInvalidArgument) {
		t.Errorf("A: Publish over its own limit = %v, want sdk.ErrInvalidArgument", err)
	}
}

// TestUnsubscribeStopsDelivery: after A leaves a topic, B's messages on
// it no longer reach A, while A's other topic still delivers; A can join
// the topic again.
func TestUnsubscribeStopsDelivery(t *testing.T) {
	const other = "wavs/p2ptest-other/topic/v1"
	a := start(t, "a", configFor(t, nil, ""), "")
	b := start(t, "b", configFor(t, []string{a.addr}, ""), "")
	subscribe(t, testTopic, a, b)
	subscribe(t, other, a, b)
	inA := inbound(t, a)
	waitMesh(t, testTopic, a, b)
	waitMesh(t, other, a, b)
	settle(t, testTopic, b, map[*instance]<-chan sdk.Message{a: inA})
	settle(t, other, b, map[*instance]<-chan sdk.Message{a: inA})

	if err := b.Publish(ctxFor(t, 5*time.Second), testTopic, []byte("before")); err != nil {
		t.Fatalf("B: Publish: %v", err)
	}
	if got := collect(inA, time.Second); countData(got, "before") != 1 {
		t.Fatalf("A did not receive the message sent before Unsubscribe (got %+v)", got)
	}
	if err := a.Unsubscribe(ctxFor(t, 5*time.Second), testTopic); err != nil {
		t.Fatalf("A: Unsubscribe: %v", err)
	}
	if err := b.Publish(ctxFor(t, 5*time.Second), testTopic, []byte("after")); err != nil {
		t.Fatalf("B: Publish after A left: %v", err)
	}
	if err := b.Publish(ctxFor(t, 5*time.Second), other, []byte("other topic")); err != nil {
		t.Fatalf("B: Publish on the other topic: %v", err)
	}
	got := collect(inA, 1500*time.Millisecond)
	if countData(got, "after") != 0 {
		t.Error("A received a message on a topic it had left")
	}
	if countData(got, "other topic") != 1 {
		t.Errorf("A did not receive the message on its other topic (got %+v)", got)
	}
	if err := a.Publish(ctxFor(t, 5*time.Second), testTopic, []byte("x")); !errors.Is(err, sdk.ErrNotFound) {
		t.Errorf("A: Publish on the left topic = %v, want sdk.ErrNotFound", err)
	}
	if err := a.Subscribe(ctxFor(t, 5*time.Second), testTopic); err != nil {
		t.Errorf("A: Subscribe again after Unsubscribe: %v", err)
	}
}
