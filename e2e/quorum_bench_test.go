package e2e

import (
	"os"
	"slices"
	"testing"
	"time"

	"github.com/wavs-go/wavs/contracts/deploy"
)

// BenchmarkQuorumLatency fires triggers one after another at the
// three-operator cluster (quorum 2/3, anvil with instant mining) and
// measures, for each, the time from the trigger's log reaching a
// websocket subscriber to the first node recording the quorum reached
// (every node signs, gossips and verifies the others' signatures), and
// to the result's log. Run with -benchtime 100x for percentiles over 100
// triggers.
//
// The one-down runs stop one operator first: for the events it would
// have submitted (about a third), the next takes over after
// claim_wait_ms (1 s here), not fallback_ms (3 s), since the designated
// operator never claimed them.
func BenchmarkQuorumLatency(b *testing.B) {
	for _, pair := range pairs {
		b.Run(string(pair), func(b *testing.B) { quorumLatency(b, pair, false) })
		b.Run(string(pair)+"-one-down", func(b *testing.B) { quorumLatency(b, pair, true) })
	}
}

func quorumLatency(b *testing.B, pair deploy.Pair, oneDown bool) {
	c := startCluster(b, clusterOptions{pair: pair})
	c.meshed(b, 0, 1, 2)
	if oneDown {
		c.ops[2].stop(b)
	}
	fired, landed := chainTimes(b, c.chainSetup)
	run := func(v int) (quorum, land time.Duration) {
		c.fire(b, v, v+1)
		mined := <-fired
		var at time.Time
		select {
		case at = <-landed:
		case <-time.After(30 * time.Second):
			b.Fatalf("trigger %d: no result within 30s", v)
		}
		// The earliest quorum any node recorded for this trigger's result.
		var first time.Time
		want := int64(v * v)
		eventually(10*time.Second, func() bool {
			for i, op := range c.ops {
				if oneDown && i == 2 {
					continue
				}
				for _, r := range results(b, op.node, c.serviceID) {
					if (payloadNumber(r.Payload) == want || dataWithIDValue(r.Payload) == want) && r.QuorumAt != nil && (first.IsZero() || r.QuorumAt.Before(first)) {
						first = *r.QuorumAt
					}
				}
			}
			return !first.IsZero()
		})
		if first.IsZero() {
			b.Fatalf("trigger %d: no node recorded a quorum", v)
		}
		return first.Sub(mined), at.Sub(mined)
	}
	run(1) // warm-up: components compiled, gossip mesh in use
	quorum := make([]time.Duration, 0, b.N)
	land := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q, l := run(2 + i)
		quorum = append(quorum, q)
		land = append(land, l)
	}
	b.StopTimer()
	pct := func(ds []time.Duration, p float64) float64 {
		slices.Sort(ds)
		return float64(ds[min(len(ds)-1, int(p*float64(len(ds))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(quorum, 0.50), "quorum-p50-ms")
	b.ReportMetric(pct(quorum, 0.99), "quorum-p99-ms")
	b.ReportMetric(pct(land, 0.50), "landed-p50-ms")
	b.ReportMetric(pct(land, 0.99), "landed-p99-ms")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkQuorumThroughput fires b.N triggers from 4 accounts as fast as
// they are mined at the three-operator cluster and reports how many
// results per second land (one transaction each).
func BenchmarkQuorumThroughput(b *testing.B) { benchQuorum(b, firing{}) }

// BenchmarkQuorumBurst fires b.N triggers at once at three operators and
// reports how many results per second land: the cluster's capacity.
func BenchmarkQuorumBurst(b *testing.B) { benchQuorum(b, firing{burst: true}) }

// BenchmarkQuorumPaced fires b.N triggers at a set rate (WAVS_E2E_PACE
// triggers/s, 50 by default) at three operators: TriggerPaced's stream,
// for the cluster.
func BenchmarkQuorumPaced(b *testing.B) { benchQuorum(b, firing{rate: pace(b)}) }

func benchQuorum(b *testing.B, how firing) {
	for _, pair := range pairs {
		b.Run(string(pair), func(b *testing.B) {
			c := startCluster(b, clusterOptions{pair: pair, profile: os.Getenv(envProfileDir) != ""})
			c.meshed(b, 0, 1, 2)
			fired, landed := chainTimes(b, c.chainSetup)
			prof := startProfiles(b, c, 10)
			meter := meterCluster(b, c)
			b.ResetTimer()
			// Accounts 2, 3, 5 and 6: the others deploy, fire singly or pay.
			took := fireAndCount(b, c.chain, c.addrs.SimpleTrigger, []int{2, 3, 5, 6}, fired, landed, how)
			b.StopTimer()
			prof.stop(b, c)
			if b.N > 1 {
				meter.report(b, b.N, os.Getenv(envProfileDir), bins.wavs)
			}
			b.ReportMetric(float64(b.N)/took.Seconds(), "results/s")
			if n := c.handlerTxs(b); n != b.N {
				b.Errorf("%d handler transactions for %d triggers", n, b.N)
			}
		})
	}
}
