package watch

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/contracts/deploy"
	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/plugintest"
)

// TestConformance runs the SDK's trigger suite with a SimpleTrigger event
// trigger, fired by addTrigger transactions. The suite shuts every
// instance down. The plugin re-reads the chain from the cursor after a
// restart rather than keep events, so it does not claim Persistent.
func TestConformance(t *testing.T) {
	f := newFixture(t)
	plugintest.TriggerSuite(t, func(t *testing.T) sdk.Trigger {
		return New(hclog.NewNullLogger())
	}, plugintest.TriggerOptions{
		Config: f.config(true, ""),
		Spec:   func(id string) sdk.TriggerSpec { return f.spec(id, "") },
		// One transaction fires every instance watching the contract.
		Fire: func(t *testing.T, _ sdk.Trigger, _ sdk.TriggerSpec) { f.fire(t, 1) },
	})
}

// checkEvents checks that evs are exactly want, in order, with the data of
// the logs.
func (f *fixture) checkEvents(t *testing.T, evs []sdk.TriggerEvent, want []emitted) {
	t.Helper()
	if len(evs) != len(want) {
		t.Fatalf("got %d events %v, want %d", len(evs), cursors(evs), len(want))
	}
	for i, ev := range evs {
		if ev.Cursor != want[i].cursor {
			t.Fatalf("event %d has cursor %s, want %s (all: %v)", i, ev.Cursor, want[i].cursor, cursors(evs))
		}
		if id := f.triggerID(t, ev); id != want[i].id {
			t.Fatalf("event %d carries trigger id %d, want %d", i, id, want[i].id)
		}
		lg := ev.Data.(*sdk.EvmLog)
		if lg.Chain != chainKey || lg.Address != sdk.Address(f.trigger) || len(lg.Topics) != 1 || lg.Topics[0] != sdk.Hash(f.topic0) {
			t.Fatalf("event %d: log %+v does not match the trigger", i, lg)
		}
		if lg.BlockHash == (sdk.Hash{}) || lg.TxHash == (sdk.Hash{}) {
			t.Fatalf("event %d: log without block or tx hash", i)
		}
		if lg.BlockTimestamp != want[i].time {
			t.Fatalf("event %d: block timestamp %d, want the block's %d", i, lg.BlockTimestamp, want[i].time)
		}
	}
}

// TestBackfill: a trigger added with the cursor of the 2nd of 5 past events
// gets events 3, 4 and 5, in order, then live ones.
func TestBackfill(t *testing.T) {
	f := newFixture(t)
	past := f.fire(t, 5)
	w := newWatcher(t, f.config(true, `{"backfill_blocks_per_query": 2}`), nil)
	evs := collect(t, w)
	if err := w.AddTrigger(testCtx(t, 5*time.Second), f.spec("t", past[1].cursor)); err != nil {
		t.Fatal(err)
	}
	f.checkEvents(t, evs.wait(t, 3, 10*time.Second), past[2:])
	live := f.fire(t, 2)
	f.checkEvents(t, evs.wait(t, 5, 10*time.Second), append(past[2:], live...))
	evs.quiet(t, 5, 300*time.Millisecond)
}

// TestNoCursorCatchesUp: a trigger without a cursor emits the logs of the
// last catchup_blocks blocks, then the live ones; with catchup_blocks 0
// it starts at the head.
func TestNoCursorCatchesUp(t *testing.T) {
	f := newFixture(t)
	past := f.fire(t, 3) // one block each
	cases := []struct {
		name    string
		own     string
		history []emitted
	}{
		{"default window", "", past},
		{"window of two blocks", `{"catchup_blocks": 2}`, past[1:]},
		{"no window", `{"catchup_blocks": 0}`, nil},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWatcher(t, f.config(true, tc.own), nil)
			evs := collect(t, w)
			if err := w.AddTrigger(testCtx(t, 5*time.Second), f.spec(fmt.Sprintf("t%d", i), "")); err != nil {
				t.Fatal(err)
			}
			if len(tc.history) > 0 {
				f.checkEvents(t, evs.wait(t, len(tc.history), 10*time.Second), tc.history)
			}
			evs.quiet(t, len(tc.history), 300*time.Millisecond)
		})
	}
}

// TestRestart: instance A acks some events and stops while events are
// being emitted; instance B, added with A's last acked cursor, gets every
// later event exactly once.
func TestRestart(t *testing.T) {
	const total = 50
	f := newFixture(t)
	a := newWatcher(t, f.config(true, ""), nil)
	ctx := testCtx(t, 60*time.Second)
	if err := a.AddTrigger(ctx, f.spec("t", "")); err != nil {
		t.Fatal(err)
	}
	aEvents, err := a.Events(ctx)
	if err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	var all []emitted
	emitting := make(chan struct{})
	go func() {
		defer close(emitting)
		for range total {
			if t.Failed() {
				return
			}
			e := f.fire(t, 1)
			mu.Lock()
			all = append(all, e...)
			mu.Unlock()
		}
	}()

	var acked string
	for n := 0; n < 10; n++ {
		select {
		case ev := <-aEvents:
			if err := a.Ack(ctx, "t", ev.Cursor); err != nil {
				t.Fatal(err)
			}
			acked = ev.Cursor
		case <-time.After(10 * time.Second):
			t.Fatalf("A: only %d events", n)
		}
	}
	mu.Lock()
	atStop := len(all)
	mu.Unlock()
	shutdown(t, a)
	if atStop == total {
		t.Fatal("every event was emitted before A stopped; the test proves nothing")
	}

	b := newWatcher(t, f.config(true, ""), nil)
	evs := collect(t, b)
	if err := b.AddTrigger(ctx, f.spec("t", acked)); err != nil {
		t.Fatal(err)
	}
	<-emitting
	mu.Lock()
	var want []emitted
	for _, e := range all {
		if e.cursor > acked {
			want = append(want, e)
		}
	}
	mu.Unlock()
	if len(all) != total || len(want) == 0 {
		t.Fatalf("emitted %d events, %d after the cursor %s", len(all), len(want), acked)
	}
	f.checkEvents(t, evs.wait(t, len(want), 20*time.Second), want)
	evs.quiet(t, len(want), 500*time.Millisecond)
	t.Logf("A acked up to %s and stopped after %d of %d events; B got the %d after the cursor, each once", acked, atStop, total, len(want))
}

// TestReconnect: the ws connection is cut and the plugin cannot connect
// again for a while; the events emitted meanwhile arrive after the
// reconnect, each once.
func TestReconnect(t *testing.T) {
	f := newFixture(t)
	g := newGate()
	w := newWatcher(t, f.config(true, `{"reconnect_max_seconds": 1}`), g.dial)
	evs := collect(t, w)
	if err := w.AddTrigger(testCtx(t, 5*time.Second), f.spec("t", "")); err != nil {
		t.Fatal(err)
	}
	var want []emitted
	want = append(want, f.fire(t, 2)...)
	evs.wait(t, 2, 10*time.Second)

	c := w.chains[chainKey]
	s, _, _, _ := c.state()
	if s == nil || !s.ws {
		t.Fatalf("no ws session: %v", s)
	}
	g.shut()
	s.rpc.Close() // the connection drops
	eventually(t, 5*time.Second, "Health reports the chain down", func() bool {
		return !w.Health(context.Background()).Healthy
	})
	want = append(want, f.fire(t, 3)...) // while the plugin is disconnected
	g.release()
	eventually(t, 10*time.Second, "Health reports the chain up again", func() bool {
		return w.Health(context.Background()).Healthy
	})
	want = append(want, f.fire(t, 1)...)
	f.checkEvents(t, evs.wait(t, len(want), 10*time.Second), want)
	evs.quiet(t, len(want), 300*time.Millisecond)
}

// TestConfirmations: with confirmations = 2 an event waits for two more
// blocks.
func TestConfirmations(t *testing.T) {
	f := newFixture(t)
	w := newWatcher(t, f.config(true, `{"confirmations": 2}`), nil)
	evs := collect(t, w)
	if err := w.AddTrigger(testCtx(t, 5*time.Second), f.spec("t", "")); err != nil {
		t.Fatal(err)
	}
	want := f.fire(t, 1)
	evs.quiet(t, 0, 500*time.Millisecond)
	f.mine(t, 1)
	evs.quiet(t, 0, 500*time.Millisecond)
	f.mine(t, 1)
	f.checkEvents(t, evs.wait(t, 1, 5*time.Second), want)
}

// TestDefaultConfirmationsAndTags: without a confirmations key an event
// waits for two blocks on top of it; with "safe" it waits until the chain
// tags its block safe (anvil: 32 blocks below the head).
func TestDefaultConfirmationsAndTags(t *testing.T) {
	cases := []struct {
		own      string
		before   int // blocks mined after the log without an event
		andThen  int // blocks after which it is emitted
		scenario string
	}{
		{`{}`, 1, 1, "default: two confirmations"},
		{`{"confirmations": "safe"}`, 31, 1, "the safe tag"},
	}
	for _, tc := range cases {
		t.Run(tc.scenario, func(t *testing.T) {
			f := newFixture(t)
			cfg := json.RawMessage(fmt.Sprintf(`{"chains":{"evm":{"31337":{"ws_endpoints":[%q]}}},"plugin":%s}`, f.chain.WSURL, tc.own))
			w := newWatcher(t, cfg, nil)
			evs := collect(t, w)
			if err := w.AddTrigger(testCtx(t, 5*time.Second), f.spec("t", "")); err != nil {
				t.Fatal(err)
			}
			want := f.fire(t, 1)
			f.mine(t, tc.before)
			evs.quiet(t, 0, 500*time.Millisecond)
			f.mine(t, tc.andThen)
			f.checkEvents(t, evs.wait(t, 1, 5*time.Second), want)
		})
	}
}

// TestHTTPPolling: with only an http_endpoint the plugin polls.
func TestHTTPPolling(t *testing.T) {
	f := newFixture(t)
	w := newWatcher(t, f.config(false, ""), nil)
	evs := collect(t, w)
	if err := w.AddTrigger(testCtx(t, 5*time.Second), f.spec("t", "")); err != nil {
		t.Fatal(err)
	}
	want := f.fire(t, 3)
	f.checkEvents(t, evs.wait(t, 3, 10*time.Second), want)
	if h := w.Health(context.Background()); !h.Healthy {
		t.Errorf("Health: %s", h.Message)
	}
}

// TestReorgBeforeConfirmation: with confirmations = 2, a log whose block is
// dropped (evm_revert to a snapshot taken before it) and replaced by blocks
// without it is never emitted; a later log is.
func TestReorgBeforeConfirmation(t *testing.T) {
	f := newFixture(t)
	w := newWatcher(t, f.config(true, `{"confirmations": 2}`), nil)
	evs := collect(t, w)
	ctx := testCtx(t, 30*time.Second)
	if err := w.AddTrigger(ctx, f.spec("t", "")); err != nil {
		t.Fatal(err)
	}
	var snap string
	if err := f.chain.RPC.CallContext(ctx, &snap, "evm_snapshot"); err != nil {
		t.Fatal(err)
	}
	dropped := f.fire(t, 1)
	f.mine(t, 1) // one confirmation: not enough
	var reverted bool
	if err := f.chain.RPC.CallContext(ctx, &reverted, "evm_revert", snap); err != nil || !reverted {
		t.Fatalf("evm_revert: %v %v", reverted, err)
	}
	// The sender counted the dropped transaction's nonce: start afresh.
	s, err := deploy.NewSender(ctx, f.chain.Client, f.chain.Keys[0])
	if err != nil {
		t.Fatal(err)
	}
	f.sender = s
	f.mine(t, 3) // the dropped log's block number is now two blocks deep
	evs.quiet(t, 0, 500*time.Millisecond)
	want := f.fire(t, 1)
	f.mine(t, 2)
	got := evs.wait(t, 1, 5*time.Second)
	if got[0].Cursor == dropped[0].cursor && f.triggerID(t, got[0]) == dropped[0].id {
		t.Fatalf("the dropped log %s was emitted", dropped[0].cursor)
	}
	f.checkEvents(t, got, want)
	evs.quiet(t, 1, 300*time.Millisecond)
}

// TestPendingDedupAndRemoved: a log is emitted once however often it is
// seen, logs go out in chain order, nothing at or before the start is
// emitted, and a log removed before its flush is not emitted.
func TestPendingDedupAndRemoved(t *testing.T) {
	q := sdk.NewEventQueue(100)
	l := &logWatch{
		id: "t", src: &sdk.EvmContractEvent{Chain: chainKey}, queue: q, set: defaultSettings(),
		log: hclog.NewNullLogger(), last: logPos{block: 5, index: 1}, known: true, pending: map[logPos]types.Log{},
	}
	mk := func(block uint64, index uint, hash byte, removed bool) types.Log {
		return types.Log{BlockNumber: block, Index: index, BlockHash: common.Hash{31: hash}, Removed: removed}
	}
	for _, lg := range []types.Log{
		mk(5, 0, 1, false), // before the start
		mk(5, 1, 1, false), // the start itself
		mk(7, 0, 2, false),
		mk(6, 3, 3, false),
		mk(7, 0, 2, false), // seen twice
		mk(8, 0, 4, false),
		mk(8, 0, 4, true), // removed by a reorg
		mk(8, 0, 5, true), // a removal of another block's log: ignored
	} {
		l.add(lg)
	}
	l.add(mk(8, 1, 6, false))
	l.add(mk(8, 1, 7, true)) // removal for another block hash at the same position
	ctx := testCtx(t, 5*time.Second)
	if err := l.flush(ctx, 100); err != nil {
		t.Fatal(err)
	}
	l.add(mk(6, 3, 3, false)) // again, after it was emitted
	if err := l.flush(ctx, 100); err != nil {
		t.Fatal(err)
	}
	var got []string
	stream := q.Stream(ctx)
	for range q.Len() {
		got = append(got, (<-stream).Cursor)
	}
	want := []string{logCursor(logPos{6, 3}), logCursor(logPos{7, 0}), logCursor(logPos{8, 1})}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("emitted %v, want %v", got, want)
	}
}
