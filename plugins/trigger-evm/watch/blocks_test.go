package watch

import (
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
