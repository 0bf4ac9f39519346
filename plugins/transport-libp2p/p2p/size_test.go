package p2p_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wavs-go/wavs/internal/gossip"
	"github.com/wavs-go/wavs/plugins/transport-libp2p/p2p"
	"github.com/wavs-go/wavs/sdk"
)

// largestGossip is the host's signature message over a result of the
// largest size a message carries.
func largestGossip(t *testing.T, serviceID string) []byte {
	t.Helper()
	env := sdk.Envelope{Payload: bytes.Repeat([]byte{0xab}, gossip.MaxPayload)}
	data, err := gossip.Encode(gossip.Message{
		ServiceID: serviceID, WorkflowID: strings.Repeat("w", 64), Envelope: env, Signature: make([]byte, 65),
	})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestDefaultSizeFitsLargestResult: the default max_message_bytes covers
// the largest message the host gossips.
func TestDefaultSizeFitsLargestResult(t *testing.T) {
	if p2p.DefaultMaxMessageBytes < gossip.MaxBytes {
		t.Errorf("DefaultMaxMessageBytes %d < gossip.MaxBytes %d", p2p.DefaultMaxMessageBytes, gossip.MaxBytes)
	}
	if n := len(largestGossip(t, strings.Repeat("a", 64))); n > p2p.DefaultMaxMessageBytes {
		t.Errorf("the largest gossip message is %d bytes, above DefaultMaxMessageBytes %d", n, p2p.DefaultMaxMessageBytes)
	}
}

// TestLargestResultGossiped: two nodes with the default limits gossip the
// signature message of a 1 MiB result (2 MiB of hex) on a service topic;
// one byte over the limit is refused by Publish.
func TestLargestResultGossiped(t *testing.T) {
	serviceID := strings.Repeat("c", 64)
	topic := sdk.ServiceTopic(serviceID)
	a := start(t, "a", configFor(t, nil, ""), "")
	b := start(t, "b", configFor(t, []string{a.addr}, ""), "")
	subscribe(t, topic, a, b)
	inB := inbound(t, b)
	waitMesh(t, topic, a, b)

	data := largestGossip(t, serviceID)
	deadline := time.Now().Add(15 * time.Second)
	got := false
	for !got && time.Now().Before(deadline) {
		// Right after the mesh forms GossipSub may not forward yet; the
		// same message again is a new one (its seqno differs).
		if err := a.Publish(ctxFor(t, 10*time.Second), topic, data); err != nil {
			t.Fatalf("Publish of %d bytes: %v", len(data), err)
		}
		for _, m := range collect(inB, time.Second) {
			if bytes.Equal(m.Data, data) {
				got = true
			}
		}
	}
	if !got {
		t.Fatalf("the %d-byte message never arrived", len(data))
	}

	over := append(bytes.Clone(data[:len(data)-1]), bytes.Repeat([]byte(" "), p2p.DefaultMaxMessageBytes-len(data)+2)...)
	over = append(over, '}')
	err := a.Publish(ctxFor(t, 10*time.Second), topic, over)
	if !errors.Is(err, sdk.ErrInvalidArgument) || !strings.Contains(err.Error(), "max_message_bytes") {
		t.Errorf("Publish of %d bytes (limit %d): %v, want ErrInvalidArgument naming max_message_bytes", len(over), p2p.DefaultMaxMessageBytes, err)
	}
}
