package e2e

import (
	"testing"
	"time"

	"github.com/wavs-go/wavs/contracts/deploy"
)

// TestBlockIntervalOperatorsAtDifferentHeights: three operators register a
// block_interval service without a start_block at heads that differ mod
// n_blocks. The schedule is anchored at block 0, so all fire on the same
// blocks; the firings from before an operator registered are caught up
// (within catchup_blocks), so those short of the quorum then complete.
// Every qualifying block lands once.
func TestBlockIntervalOperatorsAtDifferentHeights(t *testing.T) {
	const n = 3
	c := startCluster(t, clusterOptions{
		pair:    deploy.PairRepo,
		trigger: `{"block_interval": {"chain": "evm:31337", "n_blocks": 3, "start_block": null, "end_block": null}}`,
		lazy:    true,
	})
	heads := map[uint64]bool{}
	for i := range c.ops {
		if i > 0 {
			// Register at a head of another phase than the one before.
			if err := c.chain.Mine(t.Context(), 1+i); err != nil {
				t.Fatal(err)
			}
		}
		head, err := c.chain.Client.BlockNumber(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		heads[head%n] = true
		c.startOperator(t, i)
	}
	if len(heads) < 2 {
		t.Fatalf("the operators registered at heads of %d phase(s) mod %d; the test wants different ones", len(heads), n)
	}
	c.meshed(t, 0, 1, 2)
	for range 10 {
		if err := c.chain.Mine(t.Context(), 1); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	// Wait until the chain and the nodes are quiet: landings make blocks,
	// and a block of the schedule fires again.
	var head uint64
	quiet := eventually(2*time.Minute, func() bool {
		h, err := c.chain.Client.BlockNumber(t.Context())
		if err != nil {
			return false
		}
		if h != head {
			head = h
			return false
		}
		for _, op := range c.ops {
			if op.aggregator(t).Pending != 0 {
				return false
			}
		}
		time.Sleep(2 * time.Second)
		h2, err := c.chain.Client.BlockNumber(t.Context())
		return err == nil && h2 == head
	})
	if !quiet {
		for i, op := range c.ops {
			t.Logf("node %d: %+v", i, op.aggregator(t))
		}
		t.Fatalf("still busy at block %d", head)
	}
	got := c.handled(t) // fails on an event landed twice
	landed := map[int64]bool{}
	for _, v := range got {
		landed[v] = true
	}
	fired := 0
	for b := uint64(n); b <= head; b += n {
		fired++
		if !landed[int64(b*b)] {
			t.Errorf("block %d (of the schedule, head %d) has no result on chain", b, head)
		}
	}
	if len(got) != fired {
		t.Errorf("%d results on chain for %d scheduled blocks up to %d", len(got), fired, head)
	}
	if n := c.handlerTxs(t); n != fired {
		t.Errorf("%d handler transactions for %d firings", n, fired)
	}
	t.Logf("%d firings up to block %d, each landed once", fired, head)
}
