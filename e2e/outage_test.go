package e2e

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/wavs-go/wavs/contracts/anviltest"
	"github.com/wavs-go/wavs/contracts/deploy"
)

// TestChainOutage: three operators run a service with a contract trigger
// and a cron trigger on a chain that mines a block a second, under the
// default trigger confirmations. The chain goes down for 20 s and then
// for 60 s, each time right after contract triggers were sent (so that
// the nodes have not even confirmed them yet); cron keeps firing
// meanwhile. Every event lands once, with no reverted transaction: the
// nodes pick the triggers up where they left off, and the queued results
// (many, after 60 s of cron) land one transaction each.
func TestChainOutage(t *testing.T) {
	const every = 4 // cron period, seconds
	start := (time.Now().Unix()/every + 1) * every
	start += 40 // the cluster is up and meshed by then
	end := start + 110
	// The service JSON's cron times are unix nanoseconds, as in WAVS.
	cron := fmt.Sprintf(`{"cron": {"schedule": "@every %ds", "start_time": %d, "end_time": %d}}`, every, start*1e9, end*1e9)
	c := startCluster(t, clusterOptions{
		pair:          deploy.PairWAVS,
		more:          []string{cron},
		anvil:         anviltest.Options{State: filepath.Join(t.TempDir(), "anvil-state.json")},
		triggerConfig: "confirmations = 2",
	})
	c.meshed(t, 0, 1, 2)
	if wait := time.Until(time.Unix(start, 0)); wait < 0 {
		t.Fatalf("the cluster was up %v after the cron's start time; the test needs it before", -wait)
	} else {
		time.Sleep(wait)
	}
	liveChain(t, c.chainSetup)

	trigger := 1
	fireN := func(n int) {
		c.fire(t, trigger, trigger+n)
		trigger += n
	}
	fireN(3)
	for _, down := range []time.Duration{20 * time.Second, 60 * time.Second} {
		fireN(3)
		if err := c.chain.Stop(); err != nil {
			t.Fatal(err)
		}
		t.Logf("chain down for %v", down)
		time.Sleep(down)
		if err := c.chain.Resume(t.Context()); err != nil {
			t.Fatal(err)
		}
		liveChain(t, c.chainSetup)
		t.Logf("chain back")
	}
	fireN(3)
	if wait := time.Until(time.Unix(end, 0)); wait > 0 {
		time.Sleep(wait)
	}

	// Every event: the contract triggers 1..trigger-1 and every cron tick
	// from start to end.
	want := map[int64]string{}
	for i := int64(1); i < int64(trigger); i++ {
		want[i*i] = fmt.Sprintf("contract trigger %d", i)
	}
	for s := start; s <= end; s += every {
		want[s*s] = fmt.Sprintf("cron tick %d", s)
	}
	var got map[string]int64
	done := eventually(3*time.Minute, func() bool {
		got = c.handled(t) // fails on a reverted transaction or an event landed twice
		return len(got) >= len(want)
	})
	landed := map[int64]bool{}
	for _, v := range got {
		landed[v] = true
	}
	for v, what := range want {
		if !landed[v] {
			t.Errorf("%s did not land", what)
		}
	}
	if !done || len(got) != len(want) {
		for i, op := range c.ops {
			t.Logf("node %d: %+v", i, op.aggregator(t))
		}
		t.Fatalf("%d events landed, want %d", len(got), len(want))
	}
	if n := c.handlerTxs(t); n != len(want) {
		t.Errorf("%d handler transactions for %d events", n, len(want))
	}
	t.Logf("%d events (%d contract triggers, %d cron ticks) landed once each across two outages", len(want), trigger-1, len(want)-trigger+1)
}

// liveChain makes the chain mine a block a second, as a live one does.
func liveChain(t testing.TB, c *chainSetup) {
	t.Helper()
	if err := c.chain.RPC.CallContext(t.Context(), nil, "evm_setIntervalMining", 1); err != nil {
		t.Fatal(err)
	}
}
