package p2p_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"

	"github.com/wavs-go/wavs/internal/gossip"
	"github.com/wavs-go/wavs/sdk"
)

// landedNotice is a well-formed message of the service id's topic: a
// landed notice (unsigned) naming transaction n.
func landedNotice(t testing.TB, id string, n int) []byte {
	t.Helper()
	data, err := gossip.Encode(gossip.Message{ServiceID: id, WorkflowID: "wf", Landed: true, TxHash: sdk.Hash{byte(n), byte(n >> 8), 1}})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestServiceTopicDropsMalformed: a peer that does not validate (plain
// go-libp2p-pubsub, on 127.0.0.1) publishes junk, messages without a
// version and messages naming another service on a service's topic; the
// transport delivers none of them, and still delivers the well-formed
// ones. Publishing junk through the transport itself is refused.
func TestServiceTopicDropsMalformed(t *testing.T) {
	id := strings.Repeat("ab", 32)
	topic := "wavs/" + id + "/topic/v1"
	a := start(t, "a", configFor(t, nil, ""), "")
	subscribe(t, topic, a)
	inA := inbound(t, a)

	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"), libp2p.Transport(tcp.NewTCPTransport), libp2p.DisableRelay())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	ps, err := pubsub.NewGossipSub(ctx, h)
	if err != nil {
		t.Fatal(err)
	}
	info, err := peer.AddrInfoFromString(a.addr)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Connect(ctx, *info); err != nil {
		t.Fatal(err)
	}
	tp, err := ps.Join(topic)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := tp.Subscribe()
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Cancel()

	good := func(n int) []byte { return landedNotice(t, id, n) }
	// Probe until the mesh carries a good message.
	deadline := time.Now().Add(20 * time.Second)
	for i := 0; ; i++ {
		if time.Now().After(deadline) {
			t.Fatal("no well-formed message reached the transport")
		}
		if err := tp.Publish(ctx, good(-1)); err != nil {
			t.Fatal(err)
		}
		if len(collect(inA, 200*time.Millisecond)) > 0 {
			break
		}
	}
	bad := []string{
		"not json",
		`["v", 1]`,
		fmt.Sprintf(`{"service_id":%q}`, id),
		fmt.Sprintf(`{"v":1,"service_id":%q}`, strings.Repeat("cd", 32)),
		`{"v":1}`,
		fmt.Sprintf(`{"v":1,"service_id":%q,"n":1}`, id), // not a gossip message
	}
	for _, m := range bad {
		if err := tp.Publish(ctx, []byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tp.Publish(ctx, good(1)); err != nil {
		t.Fatal(err)
	}
	got := collect(inA, 2*time.Second)
	if len(got) != 1 || string(got[0].Data) != string(good(1)) {
		var texts []string
		for _, m := range got {
			texts = append(texts, string(m.Data))
		}
		t.Errorf("delivered %q; want only the well-formed message", texts)
	}
	for _, m := range bad {
		if err := a.Publish(ctxFor(t, 5*time.Second), topic, []byte(m)); !errors.Is(err, sdk.ErrInvalidArgument) {
			t.Errorf("Publish(%q) = %v, want sdk.ErrInvalidArgument", m, err)
		}
	}
	// Other topics carry anything.
	if err := a.Publish(ctxFor(t, 5*time.Second), testTopic, []byte("not json")); err != nil && !errors.Is(err, sdk.ErrNotFound) {
		t.Errorf("Publish on a topic that is not a service's: %v", err)
	}
}
