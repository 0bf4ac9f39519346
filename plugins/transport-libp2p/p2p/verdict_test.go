package p2p_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"

	"github.com/wavs-go/wavs/internal/gossip"
	"github.com/wavs-go/wavs/sdk"
)

// plainPeer is a go-libp2p-pubsub peer without the transport's validator,
// on 127.0.0.1, connected to addr and subscribed to topic.
func plainPeer(t *testing.T, addr, topic string) (host.Host, *pubsub.Topic, *pubsub.Subscription) {
	t.Helper()
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
	info, err := peer.AddrInfoFromString(addr)
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
	t.Cleanup(sub.Cancel)
	return h, tp, sub
}

// TestVerdictsDecideForwarding: peer A publishes through node B (the
// transport, whose host judges every message) to peer C, connected only
// to B. What B's host accepts reaches C; what it rejects does not, and A's
// score on B falls until A is graylisted; what it ignores does not reach
// C either.
func TestVerdictsDecideForwarding(t *testing.T) {
	id := strings.Repeat("ab", 32)
	topic := "wavs/" + id + "/topic/v1"
	b := start(t, "b", configFor(t, nil, ""), "")
	subscribe(t, topic, b)
	inB := inbound(t, b)
	ha, ta, _ := plainPeer(t, b.addr, topic)
	_, _, subC := plainPeer(t, b.addr, topic)

	// B's host: accept tx 1.., reject tx 200.., ignore tx 100..
	var judged atomic.Int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m := range inB {
			g, err := gossip.Decode(m.Data)
			v := sdk.VerdictAccept
			switch {
			case err != nil:
				v = sdk.VerdictReject
			case g.TxHash[0] >= 200:
				v = sdk.VerdictReject
			case g.TxHash[0] >= 100:
				v = sdk.VerdictIgnore
			}
			if m.ID == "" || m.ReceivedFrom != ha.ID().String() {
				t.Errorf("message id %q from %q: want an id and A as the forwarder", m.ID, m.ReceivedFrom)
			}
			judged.Add(1)
			if err := sdk.ReportVerdict(context.Background(), b.Transport, m.ID, v); err != nil {
				t.Errorf("Report: %v", err)
			}
		}
	}()

	gotC := make(chan byte, 256)
	go func() {
		for {
			m, err := subC.Next(context.Background())
			if err != nil {
				return
			}
			if g, err := gossip.Decode(m.Data); err == nil {
				gotC <- g.TxHash[0]
			}
		}
	}()
	ctx := ctxFor(t, 60*time.Second)
	// Until the mesh carries A's messages to C (the first ones go before
	// B's host has said anything).
	deadline := time.Now().Add(20 * time.Second)
	for i := 0; ; i++ {
		if time.Now().After(deadline) {
			t.Fatal("A's messages never reached C through B")
		}
		if err := ta.Publish(ctx, landedNotice(t, id, 1+i%50)); err != nil {
			t.Fatal(err)
		}
		select {
		case <-gotC:
		case <-time.After(300 * time.Millisecond):
			continue
		}
		break
	}
	drain := func(d time.Duration) []byte {
		var got []byte
		for end := time.After(d); ; {
			select {
			case n := <-gotC:
				if n >= 60 { // not a late probe
					got = append(got, n)
				}
			case <-end:
				return got
			}
		}
	}
	drain(time.Second)
	for _, n := range []int{60, 110, 61, 210, 62} {
		if err := ta.Publish(ctx, landedNotice(t, id, n)); err != nil {
			t.Fatal(err)
		}
	}
	got := drain(3 * time.Second)
	slices.Sort(got)
	if fmt.Sprint(got) != "[60 61 62]" {
		t.Errorf("C received %v; want only the accepted 60, 61, 62", got)
	}
	// B's own messages do not wait for its host.
	if err := b.Publish(ctx, topic, landedNotice(t, id, 70)); err != nil {
		t.Fatalf("B publishes while its host gives verdicts: %v", err)
	}
	if got := drain(2 * time.Second); fmt.Sprint(got) != "[70]" {
		t.Errorf("C received %v from B; want B's own message", got)
	}
	// A goes on sending what B rejects: its score falls below the
	// graylist threshold, and B ignores it from then on.
	for n := 200; n < 230; n++ {
		if err := ta.Publish(ctx, landedNotice(t, id, n)); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, 10*time.Second, func() (bool, string) {
		st, err := b.Status(ctx)
		if err != nil {
			return false, err.Error()
		}
		i := slices.IndexFunc(st.PeerScores, func(s sdk.PeerScore) bool { return s.PeerID == ha.ID().String() })
		if i < 0 {
			return false, fmt.Sprintf("no score for A: %+v", st.PeerScores)
		}
		return st.PeerScores[i].Graylisted && st.GraylistedPeers == 1, fmt.Sprintf("A's score %+v, %d graylisted", st.PeerScores[i], st.GraylistedPeers)
	})
	if got := drain(time.Second); len(got) != 0 {
		t.Errorf("C received %v from a peer B rejects", got)
	}
	n := judged.Load()
	if err := ta.Publish(ctx, landedNotice(t, id, 63)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	if judged.Load() != n {
		t.Errorf("B's host was asked about a graylisted peer's message")
	}
}
