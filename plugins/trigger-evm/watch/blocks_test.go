package watch

import (
	"fmt"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/wavs-go/wavs/sdk"
)

// TestBlockInterval: n_blocks 3 fires on start, start+3, start+6, with the
// blocks' hashes; a trigger added again with the cursor of the first fire
// fires the two it missed.
func TestBlockInterval(t *testing.T) {
	f := newFixture(t)
	w := newWatcher(t, f.config(true, ""), nil)
	evs := collect(t, w)
	start := f.head(t) + 2
	src := &sdk.BlockInterval{Chain: chainKey, NBlocks: 3, StartBlock: start}
	ctx := testCtx(t, 30*time.Second)
	if err := w.AddTrigger(ctx, sdk.TriggerSpec{ID: "b", Source: src}); err != nil {
		t.Fatal(err)
	}
	f.mine(t, 8) // head+1 … head+8 = start+6
	got := evs.wait(t, 3, 10*time.Second)
	for i, ev := range got {
		want := start + 3*uint64(i)
		tick, ok := ev.Data.(*sdk.BlockTick)
		if !ok || tick.BlockNumber != want || ev.Cursor != numberCursor(want) || tick.Chain != chainKey {
			t.Fatalf("event %d: %s %+v, want block %d", i, ev.Cursor, ev.Data, want)
		}
		var blk rawHead
		if err := f.chain.RPC.CallContext(ctx, &blk, "eth_getBlockByNumber", hexutil.Uint64(want), false); err != nil {
			t.Fatal(err)
		}
		if tick.BlockHash != sdk.Hash(blk.Hash) {
			t.Fatalf("event %d: block hash %x, want %x", i, tick.BlockHash, blk.Hash)
		}
	}
	evs.quiet(t, 3, 300*time.Millisecond)

	// Resume after the first fire: the two later ones are fired again.
	if err := w.AddTrigger(ctx, sdk.TriggerSpec{ID: "resumed", Source: src, Cursor: got[0].Cursor}); err != nil {
		t.Fatal(err)
	}
	all := evs.wait(t, 5, 10*time.Second)
	if all[3].TriggerID != "resumed" || all[3].Cursor != got[1].Cursor || all[4].Cursor != got[2].Cursor {
		t.Fatalf("resumed trigger fired %v, want %s and %s", cursors(all[3:]), got[1].Cursor, got[2].Cursor)
	}
	evs.quiet(t, 5, 300*time.Millisecond)
}

// TestBlockIntervalEnd: a trigger stops after end_block.
func TestBlockIntervalEnd(t *testing.T) {
	f := newFixture(t)
	w := newWatcher(t, f.config(true, ""), nil)
	evs := collect(t, w)
	start := f.head(t) + 1
	src := &sdk.BlockInterval{Chain: chainKey, NBlocks: 2, StartBlock: start, EndBlock: start + 2}
	if err := w.AddTrigger(testCtx(t, 5*time.Second), sdk.TriggerSpec{ID: "b", Source: src}); err != nil {
		t.Fatal(err)
	}
	f.mine(t, 6)
	got := evs.wait(t, 2, 10*time.Second)
	if got[0].Cursor != numberCursor(start) || got[1].Cursor != numberCursor(start+2) {
		t.Fatalf("fired %v, want blocks %d and %d", cursors(got), start, start+2)
	}
	evs.quiet(t, 2, 300*time.Millisecond)
}

// TestBlockIntervalAnchoredAtZero: without a start_block, triggers added
// at different heads (operators registering at different times) fire on
// the same blocks: those with b % n == 0.
func TestBlockIntervalAnchoredAtZero(t *testing.T) {
	f := newFixture(t)
	w := newWatcher(t, f.config(true, `{"catchup_blocks": 0}`), nil)
	evs := collect(t, w)
	ctx := testCtx(t, 30*time.Second)
	src := &sdk.BlockInterval{Chain: chainKey, NBlocks: 4}
	first := f.head(t)
	if err := w.AddTrigger(ctx, sdk.TriggerSpec{ID: "early", Source: src}); err != nil {
		t.Fatal(err)
	}
	f.mine(t, 3)
	if err := w.AddTrigger(ctx, sdk.TriggerSpec{ID: "late", Source: src}); err != nil {
		t.Fatal(err)
	}
	head := f.head(t)
	f.mine(t, 9)
	multiples := func(after, upTo uint64) int { return int(upTo/4 - after/4) }
	want := multiples(first, head+9) + multiples(head, head+9)
	fired := map[string][]uint64{}
	for _, ev := range evs.wait(t, want, 10*time.Second) {
		fired[ev.TriggerID] = append(fired[ev.TriggerID], ev.Data.(*sdk.BlockTick).BlockNumber)
	}
	evs.quiet(t, len(fired["early"])+len(fired["late"]), 300*time.Millisecond)
	for _, id := range []string{"early", "late"} {
		for _, b := range fired[id] {
			if b%4 != 0 {
				t.Errorf("%s fired block %d, not a multiple of n_blocks 4", id, b)
			}
		}
	}
	var later []uint64
	for _, b := range fired["early"] {
		if b > head {
			later = append(later, b)
		}
	}
	if len(later) < 2 || fmt.Sprint(later) != fmt.Sprint(fired["late"]) {
		t.Errorf("after block %d the early trigger fired %v and the late one %v: want the same blocks", head, later, fired["late"])
	}
}

// TestBlockIntervalCatchesUp: a trigger without a cursor fires the
// qualifying blocks of the last catchup_blocks first.
func TestBlockIntervalCatchesUp(t *testing.T) {
	f := newFixture(t)
	f.mine(t, 12)
	head := f.head(t)
	w := newWatcher(t, f.config(true, `{"catchup_blocks": 10}`), nil)
	evs := collect(t, w)
	src := &sdk.BlockInterval{Chain: chainKey, NBlocks: 5}
	if err := w.AddTrigger(testCtx(t, 10*time.Second), sdk.TriggerSpec{ID: "b", Source: src}); err != nil {
		t.Fatal(err)
	}
	var want []uint64
	for b := head - 9; b <= head; b++ {
		if b%5 == 0 {
			want = append(want, b)
		}
	}
	var got []uint64
	for _, ev := range evs.wait(t, len(want), 10*time.Second) {
		got = append(got, ev.Data.(*sdk.BlockTick).BlockNumber)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("fired %v from head %d with a window of 10, want %v", got, head, want)
	}
	evs.quiet(t, len(want), 300*time.Millisecond)
}
