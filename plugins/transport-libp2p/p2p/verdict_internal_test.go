package p2p

import (
	"context"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	pubsubpb "github.com/libp2p/go-libp2p-pubsub/pb"
	"github.com/libp2p/go-libp2p/core/peer"
)

// TestPendingBytesBounded: large messages from one peer waiting for a
// busy host are bounded by their bytes, not only their count: past
// maxPendingBytesPerPeer the rest are ignored at once, while another
// peer's still go to the host.
func TestPendingBytesBounded(t *testing.T) {
	tr := New(hclog.NewNullLogger())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	topic := "wavs/t"
	big := func() *pubsub.Message {
		return &pubsub.Message{Message: &pubsubpb.Message{Topic: &topic, Data: make([]byte, 3<<20)}}
	}
	const sent = 10
	fits := maxPendingBytesPerPeer / (3 << 20)
	results := make(chan pubsub.ValidationResult, sent+1)
	for range sent {
		go func() { results <- tr.askHost(ctx, peer.ID("flooder"), big(), false) }()
	}
	deadline := time.After(verdictWait / 2)
	ignored := 0
	for ignored < sent-fits {
		select {
		case r := <-results:
			if r != pubsub.ValidationIgnore {
				t.Fatalf("a message over the bound got %v", r)
			}
			ignored++
		case <-deadline:
			t.Fatalf("%d of %d messages ignored at once, want %d (%d fit in %d bytes)", ignored, sent, sent-fits, fits, maxPendingBytesPerPeer)
		}
	}
	// Another peer is not held back by the flooder's bytes: its message
	// reaches the host.
	go func() { results <- tr.askHost(ctx, peer.ID("honest"), big(), false) }()
	for timeout := time.After(verdictWait / 2); ; {
		select {
		case r := <-results:
			t.Fatalf("a message was refused at once after the flooder's (%v)", r)
		case m := <-tr.msgs:
			if m.ReceivedFrom == peer.ID("honest").String() {
				return
			}
		case <-timeout:
			t.Fatal("the other peer's message never reached the host")
		}
	}
}
