package p2p_test

import (
	"strings"
	"testing"
	"time"

	"github.com/wavs-go/wavs/internal/gossip"
	"github.com/wavs-go/wavs/sdk"
)

// TestBurstKeepsEveryMessage: an operator's burst (hundreds of
// signatures at once, as a block full of triggers makes) while the host
// is busy is all delivered once the host reads again, none dropped; and a
// claim sent after the burst overtakes the signatures still queued in the
// transport.
func TestBurstKeepsEveryMessage(t *testing.T) {
	id := strings.Repeat("cd", 32)
	topic := "wavs/" + id + "/topic/v1"
	b := start(t, "b", configFor(t, nil, ""), "")
	subscribe(t, topic, b)
	inB := inbound(t, b)
	_, ta, _ := plainPeer(t, b.addr, topic)
	ctx := ctxFor(t, 60*time.Second)

	sig := func(n int) []byte {
		data, err := gossip.Encode(gossip.Message{ServiceID: id, WorkflowID: "wf", Envelope: sdk.Envelope{EventID: [20]byte{byte(n), byte(n >> 8)}, Payload: []byte{1}}, Signature: make([]byte, 65)})
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	// Until the mesh carries A's messages to B's host, which then gives
	// verdicts (accepting everything).
	deadline := time.Now().Add(20 * time.Second)
	for n := 0; ; n++ {
		if time.Now().After(deadline) {
			t.Fatal("A's messages never reached B's host")
		}
		if err := ta.Publish(ctx, landedNotice(t, id, n)); err != nil {
			t.Fatal(err)
		}
		select {
		case m := <-inB:
			if err := sdk.ReportVerdict(ctx, b.Transport, m.ID, sdk.VerdictAccept); err != nil {
				t.Fatal(err)
			}
		case <-time.After(300 * time.Millisecond):
			continue
		}
		break
	}
	for drained := false; !drained; {
		select {
		case m := <-inB:
			_ = sdk.ReportVerdict(ctx, b.Transport, m.ID, sdk.VerdictAccept)
		case <-time.After(500 * time.Millisecond):
			drained = true
		}
	}

	// The host is busy: A sends a burst of signatures, then a claim.
	const burst = 400
	for n := 1000; n < 1000+burst; n++ {
		if err := ta.Publish(ctx, sig(n)); err != nil {
			t.Fatal(err)
		}
		if n%20 == 0 {
			time.Sleep(5 * time.Millisecond) // A's own queue to B is bounded
		}
	}
	claim, err := gossip.Encode(gossip.Message{ServiceID: id, WorkflowID: "wf", Envelope: sdk.Envelope{EventID: [20]byte{9}}, Claim: true, Signature: make([]byte, 65)})
	if err != nil {
		t.Fatal(err)
	}
	if err := ta.Publish(ctx, claim); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)

	// The host reads again.
	sigs, claimAt, read := 0, -1, 0
	for end := time.After(10 * time.Second); sigs < burst || claimAt < 0; {
		select {
		case m := <-inB:
			g, err := gossip.Decode(m.Data)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case g.Claim:
				claimAt = read
			case !g.Landed:
				sigs++
			}
			read++
			if err := sdk.ReportVerdict(ctx, b.Transport, m.ID, sdk.VerdictAccept); err != nil {
				t.Fatal(err)
			}
		case <-end:
			t.Fatalf("the host got %d of %d signatures (claim at %d) within 10 s: the rest were dropped", sigs, burst, claimAt)
		}
	}
	// The stream to the host already holds what its window takes (a few
	// hundred messages); the claim overtakes the signatures still queued
	// in the transport.
	if claimAt >= burst-20 {
		t.Errorf("the claim came %d messages after the host read again, behind the %d signatures queued before it", claimAt, burst)
	}
}
