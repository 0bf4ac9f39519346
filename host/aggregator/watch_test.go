package aggregator

import (
	"testing"
	"time"

	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/host/store"
	"github.com/wavs-go/wavs/sdk"
)

// signAt is sign for a trigger in block n of the submit chain, as it was
// when the trigger fired (hash generation gen).
func (o *operator) signAt(t *testing.T, i int, payload []byte, n uint64, gen byte) [20]byte {
	t.Helper()
	eid, err := service.NewEventID(testService, testWorkflow, []byte{byte(i)})
	if err != nil {
		t.Fatal(err)
	}
	sig, err := o.key.SignEnvelope(sdk.Envelope{EventID: eid, Payload: payload})
	if err != nil {
		t.Fatal(err)
	}
	id := service.EventID(eid)
	ctx := t.Context()
	if _, err := o.store.AddResult(ctx, store.ResultRecord{EventID: id, ServiceID: testService, WorkflowID: testWorkflow, Payload: payload, Signer: o.key.Address(), Signature: sig, Status: StatusSigned}); err != nil {
		t.Fatal(err)
	}
	sub := store.Submission{
		EventID: id, ServiceID: testService, WorkflowID: testWorkflow, Chain: testChain, Handler: testHandler,
		TriggerChain: testChain, TriggerBlock: n, TriggerHash: fakeBlockHash(n, gen),
	}
	if err := o.agg.Enqueue(ctx, sub); err != nil {
		t.Fatal(err)
	}
	return eid
}

func allStatus(t *testing.T, ops []*operator, eid [20]byte, want store.ResultStatus) bool {
	for _, o := range ops {
		if o.status(t, eid) != want {
			return false
		}
	}
	return true
}

// TestReorgUndoesLanding: a reorg that takes the landing's block but not
// the trigger's makes the operators land the event again, with one new
// transaction; the landings are watched until final, then forgotten.
func TestReorgUndoesLanding(t *testing.T) {
	chain, ops := cluster(t, 3)
	chain.finality = 64
	for _, o := range ops {
		o.start(t)
	}
	var eid [20]byte
	for _, o := range ops {
		eid = o.signAt(t, 1, []byte{7}, 5, 0)
	}
	waitFor(t, "the event to land", func() bool { return allStatus(t, ops, eid, StatusSubmitted) })
	first := mustResult(t, ops[0], eid)
	for _, o := range ops {
		if st := o.agg.Stats(t.Context()); st.Watching != 1 {
			t.Fatalf("watching %d landings, want 1", st.Watching)
		}
	}

	chain.mu.Lock()
	depth := chain.head - first.BlockNumber + 1
	chain.mu.Unlock()
	chain.reorg(depth)
	if n := chain.eventTxs(eid); n != 0 {
		t.Fatalf("after the reorg the event still has %d transactions", n)
	}
	waitFor(t, "the event to land again", func() bool {
		if chain.eventTxs(eid) != 1 || !allStatus(t, ops, eid, StatusSubmitted) {
			return false
		}
		for _, o := range ops {
			if mustResult(t, o, eid).TxHash == first.TxHash {
				return false
			}
		}
		return true
	})
	var undone uint64
	for _, o := range ops {
		undone += o.agg.Stats(t.Context()).LandingsUndone
	}
	if undone != 3 {
		t.Errorf("%d operators saw the landing undone, want 3", undone)
	}
	if n := chain.txCount(); n != 1 {
		t.Errorf("%d transactions on the chain, want the one new landing", n)
	}

	chain.mine(64)
	waitFor(t, "the landing to be final everywhere", func() bool {
		for _, o := range ops {
			if !mustResult(t, o, eid).Final || o.agg.Stats(t.Context()).Watching != 0 {
				return false
			}
		}
		return true
	})
	if n := chain.eventTxs(eid); n != 1 {
		t.Errorf("event landed %d times, want 1", n)
	}
}

// TestReorgRepoolsLanding: a reorg that puts the landing's transaction
// back in the pool is waited for: nothing is sent again, and once the
// transaction is mined again the landing is watched to final.
func TestReorgRepoolsLanding(t *testing.T) {
	chain, ops := cluster(t, 3)
	chain.finality, chain.repool = 64, true
	for _, o := range ops {
		o.start(t)
	}
	var eid [20]byte
	for _, o := range ops {
		eid = o.signAt(t, 5, []byte{3}, 5, 0)
	}
	waitFor(t, "the event to land", func() bool { return allStatus(t, ops, eid, StatusSubmitted) })
	first := mustResult(t, ops[0], eid)
	chain.mu.Lock()
	depth := chain.head - first.BlockNumber + 1
	chain.mu.Unlock()
	chain.reorg(depth)
	time.Sleep(10 * ops[0].agg.o.WatchInterval) // many looks at the pending transaction
	if n := chain.txCount(); n != 0 {
		t.Fatalf("%d transactions sent while the landing waited in the pool", n)
	}
	for _, o := range ops {
		if st := o.agg.Stats(t.Context()); st.LandingsUndone != 0 || st.Watching != 1 || o.status(t, eid) != StatusSubmitted {
			t.Fatalf("stats %+v, status %s: want the landing still watched, not undone", st, o.status(t, eid))
		}
	}
	chain.minePool()
	chain.mine(64)
	waitFor(t, "the landing to be final everywhere", func() bool {
		for _, o := range ops {
			if r := mustResult(t, o, eid); !r.Final || r.TxHash != first.TxHash || o.agg.Stats(t.Context()).Watching != 0 {
				return false
			}
		}
		return true
	})
	if n := chain.eventTxs(eid); n != 1 {
		t.Errorf("event landed %d times, want 1", n)
	}
}

// TestReorgTakesTheTrigger: a reorg that takes the trigger's block with
// the landing leaves the result unsent: its event no longer happened.
func TestReorgTakesTheTrigger(t *testing.T) {
	chain, ops := cluster(t, 3)
	chain.finality = 64
	for _, o := range ops {
		o.start(t)
	}
	var eid [20]byte
	for _, o := range ops {
		eid = o.signAt(t, 2, []byte{9}, 5, 0)
	}
	waitFor(t, "the event to land", func() bool { return allStatus(t, ops, eid, StatusSubmitted) })
	chain.mu.Lock()
	depth := chain.head - 5 + 1
	chain.mu.Unlock()
	chain.reorg(depth)
	waitFor(t, "every operator to mark the result reorged and stop watching", func() bool {
		for _, o := range ops {
			if st := o.agg.Stats(t.Context()); st.TriggersReorged != 1 || st.Watching != 0 || st.Pending != 0 {
				return false
			}
		}
		return allStatus(t, ops, eid, StatusReorged)
	})
	if n := chain.txCount(); n != 0 {
		t.Errorf("%d transactions after the trigger was reorged away, want 0", n)
	}
}

// TestTriggerReorgedBeforeItsTurn: a result whose trigger's block was
// replaced before it landed is never sent.
func TestTriggerReorgedBeforeItsTurn(t *testing.T) {
	chain, ops := cluster(t, 1)
	ops[0].agg.o.Network = nil
	chain.reorg(chain.head - 5 + 1) // block 5 now has generation 1
	ops[0].start(t)
	eid := ops[0].signAt(t, 3, []byte{1}, 5, 0)
	waitFor(t, "the result to be marked reorged", func() bool { return ops[0].status(t, eid) == StatusReorged })
	if n := chain.txCount(); n != 0 {
		t.Errorf("%d transactions for a trigger no longer on the chain", n)
	}
	// The same trigger as the chain has it now lands.
	eid2 := ops[0].signAt(t, 4, []byte{1}, 5, 1)
	waitFor(t, "a standing trigger's result to land", func() bool { return ops[0].status(t, eid2) == StatusSubmitted })
}

// TestOutageThenOneTransactionEach: events signed while the chain is down
// (and one whose quorum was met just before) land with one transaction
// each once it is back, however long it was gone: the turns start afresh
// from the recovery, never all due at once.
func TestOutageThenOneTransactionEach(t *testing.T) {
	chain, ops := cluster(t, 3)
	chain.replays = true // a second transaction would land a second time
	chain.mineDelay = 150 * time.Millisecond
	for _, o := range ops {
		o.start(t)
	}
	var ids [][20]byte
	for _, o := range ops {
		ids = append(ids[:0], o.sign(t, 0, []byte{0}))
	}
	waitFor(t, "the first event to land", func() bool { return allStatus(t, ops, ids[0], StatusSubmitted) })
	// The quorum is met during the outage (reads answer), and every turn
	// passes while nothing can be sent.
	chain.mu.Lock()
	chain.sendDown = true
	chain.mu.Unlock()
	const events = 6
	for i := 1; i < events; i++ {
		var eid [20]byte
		for _, o := range ops {
			eid = o.sign(t, i, []byte{byte(i)})
		}
		ids = append(ids, eid)
	}
	time.Sleep(3 * ops[0].agg.o.FallbackDelay) // longer than every turn
	chain.mu.Lock()
	chain.sendDown = false
	chain.mu.Unlock()
	waitFor(t, "every event to land", func() bool {
		for _, id := range ids {
			if !allStatus(t, ops, id, StatusSubmitted) {
				return false
			}
		}
		return true
	})
	for i, id := range ids {
		if n := chain.eventTxs(id); n != 1 {
			t.Errorf("event %d (%x) landed %d times", i, id[:4], n)
		}
	}
	if n := chain.txCount(); n != events {
		t.Errorf("%d transactions for %d events", n, events)
	}
}

// TestStaleLookLeavesTheNewLanding: a look at an event's old landing
// that ends after the event landed again (its transaction found gone by
// then) touches neither the new landing's result nor its watch, and
// queues nothing: watches are keyed by event id, so only the watched
// transaction tells the two apart.
func TestStaleLookLeavesTheNewLanding(t *testing.T) {
	chain, ops := cluster(t, 1)
	chain.finality = 64
	o := ops[0]
	o.start(t)
	eid := o.signAt(t, 1, []byte{7}, 5, 0)
	waitFor(t, "the event to land", func() bool { return o.status(t, eid) == StatusSubmitted })
	id := service.EventID(eid)
	landed := mustResult(t, o, eid)
	w, ok, err := o.store.GetWatch(t.Context(), id)
	if err != nil || !ok {
		t.Fatalf("the landing's watch: %v, %v", ok, err)
	}
	// The look of an older landing, by a transaction the chain no longer
	// has, one miss short of undone.
	stale := w
	stale.TxHash, stale.Misses = sdk.Hash{0xde, 0xad}, goneLooks-1
	o.agg.checkWatch(t.Context(), stale)
	stale.Misses = 0
	o.agg.checkWatch(t.Context(), stale) // a miss that only rewatches

	if got := mustResult(t, o, eid); got.Status != StatusSubmitted || got.TxHash != landed.TxHash {
		t.Errorf("the landing's result after a stale look: %s, tx %s; want submitted, tx %s", got.Status, got.TxHash, landed.TxHash)
	}
	if now, ok, _ := o.store.GetWatch(t.Context(), id); !ok || now.TxHash != w.TxHash || now.Misses != 0 {
		t.Errorf("the landing's watch after a stale look: %+v (found %v); want that of tx %s", now, ok, w.TxHash)
	}
	if _, queued, _ := o.store.GetSubmission(t.Context(), id); queued {
		t.Error("a stale look queued the landed event again")
	}
	if st := o.agg.Stats(t.Context()); st.LandingsUndone != 0 || st.Watching != 1 {
		t.Errorf("stats after a stale look: %d undone, %d watched; want 0 and 1", st.LandingsUndone, st.Watching)
	}
	if n := chain.eventTxs(eid); n != 1 {
		t.Errorf("event landed %d times, want once", n)
	}
}
