package aggregator

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/host/store"
	"github.com/wavs-go/wavs/sdk"
)

// countingNet counts what is published.
type countingNet struct{ sent atomic.Int32 }

func (n *countingNet) Publish(context.Context, string, []byte) error {
	n.sent.Add(1)
	return nil
}

func (n *countingNet) Inbound() <-chan sdk.Message { return nil }

// TestNoRebroadcastWhileClaimed: a signature due to be sent again is not
// while another operator's claim of the event is fresh, and is once the
// claim has run out; this node's own claim does not hold it back.
func TestNoRebroadcastWhileClaimed(t *testing.T) {
	net := &countingNet{}
	const fallback = time.Minute
	a := New(Options{Network: net, FallbackDelay: fallback, RebroadcastMin: time.Millisecond, RebroadcastMax: time.Millisecond})
	own, other := sdk.Address{1}, sdk.Address{2}
	res := store.ResultRecord{EventID: service.EventID{7}, ServiceID: testService, WorkflowID: testWorkflow, Payload: []byte("p"), Signer: own, Signature: make([]byte, 65)}
	due := func() {
		a.mu.Lock()
		a.eventState(res.EventID).next = time.Now().Add(-time.Second)
		a.mu.Unlock()
	}
	claim := func(who sdk.Address, at time.Time) {
		a.mu.Lock()
		a.eventState(res.EventID).claims = map[sdk.Address]time.Time{who: at}
		a.mu.Unlock()
	}
	steps := []struct {
		name string
		set  func()
		want int32
	}{
		{"first", func() {}, 1},
		{"due, unclaimed", due, 2},
		{"due, claimed by another now", func() { due(); claim(other, time.Now()) }, 2},
		{"due, another's claim run out", func() { due(); claim(other, time.Now().Add(-fallback-time.Second)) }, 3},
		{"due, claimed by this node", func() { due(); claim(own, time.Now()) }, 4},
	}
	for _, s := range steps {
		s.set()
		a.publish(context.Background(), res, a.log)
		if got := net.sent.Load(); got != s.want {
			t.Fatalf("%s: %d sent in all, want %d", s.name, got, s.want)
		}
		// The event's next attempt is never in the past: a held-back
		// publishing moves to when the claim runs out, else the event
		// would be due again at once, and again, until the claim ran out.
		if next := a.sooner(res.EventID, time.Now().Add(time.Hour)); !next.After(time.Now()) {
			t.Fatalf("%s: the event's next try is %v, already past", s.name, next)
		}
	}
	// Held back by a claim made now: due again when the claim runs out.
	due()
	claimedAt := time.Now()
	claim(other, claimedAt)
	a.publish(context.Background(), res, a.log)
	if next := a.sooner(res.EventID, time.Now().Add(time.Hour)); !next.Equal(claimedAt.Add(fallback)) {
		t.Errorf("held back by a claim at %v: next try %v, want the claim's end %v", claimedAt, next, claimedAt.Add(fallback))
	}
}
