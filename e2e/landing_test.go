package e2e

import (
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/wavs-go/wavs/contracts/deploy"
)

// TestQuorumShortOfWeightWaits: weights 33/33/34 at 2/3 with only the two
// 33s running. 66 of 100 does not pass validate (both managers compare
// exactly), so no transaction is sent and the events wait, their progress
// shown on GET /aggregator and by `wavs pending list`. The third operator
// comes back: each event lands once.
func TestQuorumShortOfWeightWaits(t *testing.T) {
	for _, pair := range pairs {
		t.Run(string(pair), func(t *testing.T) { quorumShortOfWeight(t, pair) })
	}
}

func quorumShortOfWeight(t *testing.T, pair deploy.Pair) {
	const triggers = 5
	c := startCluster(t, clusterOptions{pair: pair, weights: []int64{33, 33, 34}})
	// One trigger with everybody up, so that the third node has a cursor
	// to resume from when it comes back.
	c.meshed(t, 0, 1, 2)
	c.fire(t, 1, 2)
	c.landed(t, 2, time.Minute)
	c.ops[2].stop(t)
	c.fire(t, 2, 2+triggers)

	op := c.ops[0]
	var st aggregatorStatus
	short := func() bool {
		if op.get("/aggregator", &st) != 200 || st.Pending != triggers || len(st.PendingEvents) != triggers {
			return false
		}
		for _, p := range st.PendingEvents {
			if p.SignedWeight != "66" || len(p.Signers) != 2 || !strings.Contains(p.Verdict, "InsufficientQuorum") {
				return false
			}
		}
		return true
	}
	if !eventually(30*time.Second, short) {
		t.Fatalf("node 0 /aggregator = %+v; want %d events pending with 66 signed and validate's InsufficientQuorum", st, triggers)
	}
	switch pair {
	case deploy.PairRepo: // its views show the total
		if st.PendingEvents[0].TotalWeight != "100" {
			t.Errorf("pending %+v: want the total 100 shown", st.PendingEvents[0])
		}
	case deploy.PairWAVS: // only validate's word
		if st.PendingEvents[0].TotalWeight != "" {
			t.Errorf("pending %+v: an interface-only manager shows no total", st.PendingEvents[0])
		}
	}
	time.Sleep(4 * time.Second) // past a fallback turn
	if n := c.handlerTxs(t); n != 1 {
		t.Fatalf("%d transactions with 66 of 100 signed", n-1)
	}
	run := cli(t, nil, "", "pending", "list", "--node", op.url)
	if run.code != 0 || !strings.Contains(run.stdout, "5 pending") || !strings.Contains(run.stdout, "InsufficientQuorum") {
		t.Errorf("wavs pending list: exit %d\n%s%s", run.code, run.stdout, run.stderr)
	}
	for _, r := range results(t, op.node, c.serviceID) {
		if r.Status == "submitted" {
			continue // the first trigger's
		}
		if r.Status != "signed" || r.Quorum == nil || r.Quorum.SignedWeight != "66" {
			t.Errorf("result %+v (quorum %+v): want it signed, 66 counted", r, r.Quorum)
		}
	}

	third := c.ops[2]
	third.node = startNode(t, third.opts)
	c.meshed(t, 0, 1, 2)
	c.landed(t, 2+triggers, time.Minute)
	for i, o := range c.ops {
		if !eventually(30*time.Second, func() bool { return o.aggregator(t).Pending == 0 }) {
			t.Errorf("node %d still has submissions pending: %+v", i, o.aggregator(t))
		}
	}
	if n := c.handlerTxs(t); n != 1+triggers {
		t.Errorf("%d transactions for %d triggers", n, 1+triggers)
	}
}

// TestAbsoluteThresholdWaits: a POA-style manager that also wants an
// absolute signed weight (300, all three operators) above its fraction
// (2/3, two of them). With two running the node waits: no transaction at
// all, so none that reverts. The owner lowers the threshold to 200: each
// event lands once.
func TestAbsoluteThresholdWaits(t *testing.T) {
	const triggers = 3
	c := startCluster(t, clusterOptions{pair: deploy.PairWAVS, threshold: big.NewInt(300)})
	c.ops[2].stop(t)
	c.meshed(t, 0, 1)
	c.fire(t, 1, 1+triggers)
	var st aggregatorStatus
	if !eventually(30*time.Second, func() bool {
		if c.ops[0].get("/aggregator", &st) != 200 || len(st.PendingEvents) != triggers {
			return false
		}
		for _, p := range st.PendingEvents {
			if !strings.Contains(p.Verdict, "InsufficientSignedStake") {
				return false
			}
		}
		return true
	}) {
		t.Fatalf("node 0 /aggregator = %+v; want %d events pending on InsufficientSignedStake", st, triggers)
	}
	time.Sleep(4 * time.Second) // past a fallback turn
	if ok, reverted := c.landings(t); len(ok) != 0 || reverted != 0 {
		t.Fatalf("%d transactions landed and %d reverted below the absolute threshold", len(ok), reverted)
	}
	owner, err := deploy.NewSender(t.Context(), c.chain.Client, c.chain.Keys[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := deploy.SetThresholdWeight(t.Context(), owner, c.addrs.ServiceManager, big.NewInt(200)); err != nil {
		t.Fatal(err)
	}
	// The reference block is the one before the head: the change counts
	// once another block is on top of it (a live chain makes one anyway).
	if err := c.chain.Mine(t.Context(), 1); err != nil {
		t.Fatal(err)
	}
	c.landed(t, 1+triggers, time.Minute)
	if n := c.handlerTxs(t); n != triggers {
		t.Errorf("%d transactions for %d triggers", n, triggers)
	}
}
