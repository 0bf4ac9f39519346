package e2e

import (
	"context"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/wavs-go/wavs/contracts/anviltest"
	"github.com/wavs-go/wavs/contracts/bindings"
	"github.com/wavs-go/wavs/contracts/deploy"
)

// chainTimes timestamps, as they reach a websocket subscriber, each
// NewTrigger log of the trigger contract (fired) and each successful
// transaction to the handler (landed: read from every new block, since
// the WAVS pair's handler emits no log). Both ends are seen the same way,
// for either contract pair.
func chainTimes(b testing.TB, c *chainSetup) (fired, landed <-chan time.Time) {
	b.Helper()
	ws, err := ethclient.DialContext(b.Context(), c.chain.WSURL)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(ws.Close)
	logs := make(chan types.Log, 1024)
	sub, err := ws.SubscribeFilterLogs(b.Context(), ethereum.FilterQuery{Addresses: []common.Address{c.addrs.SimpleTrigger}}, logs)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(sub.Unsubscribe)
	heads := make(chan *types.Header, 1024)
	hsub, err := ws.SubscribeNewHead(b.Context(), heads)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(hsub.Unsubscribe)
	st := bindings.NewSimpleTrigger()
	f, l := make(chan time.Time, 1<<16), make(chan time.Time, 1<<16)
	go func() {
		for lg := range logs {
			now := time.Now()
			if _, err := st.UnpackNewTriggerEvent(&lg); err == nil {
				f <- now
			}
		}
	}()
	go func() {
		for h := range heads {
			now := time.Now()
			// Read over HTTP, not over ws: reads on the subscriptions'
			// connection delayed its next notifications by up to ~40 ms
			// (the trigger's log and the landing's head then came
			// together), which the latency figures measured as the nodes'.
			block, err := c.chain.Client.BlockByHash(context.Background(), h.Hash())
			if err != nil {
				continue
			}
			for _, tx := range block.Transactions() {
				if to := tx.To(); to == nil || *to != c.addrs.ServiceHandler {
					continue
				}
				if r, err := c.chain.Client.TransactionReceipt(context.Background(), tx.Hash()); err == nil && r.Status == 1 {
					l <- now
				}
			}
		}
	}()
	return f, l
}

// BenchmarkTriggerToResult fires triggers one after another and measures,
// for each, the time from the trigger's log (mined) to the block holding
// the result's transaction, on anvil with instant mining, one operator,
// for each contract pair. Run with -benchtime 200x for percentiles over
// 200 triggers.
func BenchmarkTriggerToResult(b *testing.B) {
	for _, pair := range pairs {
		b.Run(string(pair), func(b *testing.B) { triggerToResult(b, pair) })
	}
}

func triggerToResult(b *testing.B, pair deploy.Pair) {
	c := setupChain(b, pair)
	n := startNode(b, c.nodeOptions(""))
	c.registerByManager(b, n)
	fired, landed := chainTimes(b, c)
	s, err := deploy.NewSender(b.Context(), c.chain.Client, c.chain.Keys[2])
	if err != nil {
		b.Fatal(err)
	}
	// One at a time: trigger i's result lands before trigger i+1 fires.
	run := func(i int) time.Duration {
		if _, _, err := deploy.AddTrigger(b.Context(), s, c.addrs.SimpleTrigger, []byte(strconv.Itoa(i+1))); err != nil {
			b.Fatal(err)
		}
		mined := <-fired
		select {
		case at := <-landed:
			return at.Sub(mined)
		case <-time.After(30 * time.Second):
			b.Fatalf("trigger %d: no result within 30s", i)
			return 0
		}
	}
	run(-1) // warm-up: the first execution loads the compiled component
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		lat = append(lat, run(i))
	}
	b.StopTimer()
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkTriggerThroughput fires b.N triggers from 4 accounts, each
// sending its next once the last is mined, and reports how many results
// per second land, for each contract pair.
func BenchmarkTriggerThroughput(b *testing.B) { benchTriggers(b, firing{}) }

// BenchmarkTriggerBurst fires b.N triggers at once and reports how many
// results per second land: one operator's capacity.
func BenchmarkTriggerBurst(b *testing.B) { benchTriggers(b, firing{burst: true}) }

// BenchmarkTriggerPaced fires b.N triggers at a set rate
// (WAVS_E2E_PACE triggers/s, 50 by default), whatever becomes of them,
// and reports how many results per second land, and how far behind its
// time the last trigger was mined and its result landed: whether the
// chain and one operator keep up with that rate.
func BenchmarkTriggerPaced(b *testing.B) { benchTriggers(b, firing{rate: pace(b)}) }

func benchTriggers(b *testing.B, how firing) {
	for _, pair := range pairs {
		b.Run(string(pair), func(b *testing.B) {
			c := setupChain(b, pair)
			n := startNode(b, c.nodeOptions(""))
			c.registerByManager(b, n)
			fired, landed := chainTimes(b, c)
			meter := meterNodes(b, c.chain, n)
			b.ResetTimer()
			took := fireAndCount(b, c.chain, c.addrs.SimpleTrigger, []int{2, 3, 4, 5}, fired, landed, how)
			b.StopTimer()
			if b.N > 1 {
				meter.report(b, b.N, "", bins.wavs)
			}
			b.ReportMetric(float64(b.N)/took.Seconds(), "results/s")
			if n := c.handlerTxs(b); n != b.N {
				b.Errorf("%d handler transactions for %d triggers", n, b.N)
			}
		})
	}
}

// firing is how fireAndCount sends its triggers: by default each sender
// sends its next once the last is mined; with burst all at once; with a
// rate, trigger i at i/rate seconds from the start.
type firing struct {
	burst bool
	rate  float64
}

// envPace sets the rate of the paced benchmarks, in triggers per second.
const envPace = "WAVS_E2E_PACE"

// pace is the paced benchmarks' rate: WAVS_E2E_PACE, or 50 triggers/s
// (about one operator's steady rate on a 2-core machine).
func pace(b *testing.B) float64 {
	v := os.Getenv(envPace)
	if v == "" {
		return 50
	}
	r, err := strconv.ParseFloat(v, 64)
	if err != nil || r <= 0 || r > 10000 {
		b.Fatalf("%s=%q: want a rate in triggers per second, above 0 and at most 10000", envPace, v)
	}
	return r
}

// fireAndCount fires b.N triggers (data 1..b.N) from the chain's accounts
// keys, one sender each, and returns how long it took until b.N results
// landed. Each sender sends its next trigger once the last is mined (a
// steady stream, bounded by the senders), or, with how.burst, all at once
// (the nodes' capacity: the chain holds every trigger within a second or
// two, and the nodes work through the backlog), or, with how.rate, each
// at its time (an open stream, set by the rate alone).
func fireAndCount(b *testing.B, chain *anviltest.Chain, trigger common.Address, keys []int, fired, landed <-chan time.Time, how firing) time.Duration {
	b.Helper()
	ctx, cancel := context.WithTimeout(b.Context(), 10*time.Minute)
	defer cancel()
	start := time.Now()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		sends []time.Duration // each steady trigger: sent to mined
	)
	for w, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := deploy.NewSender(ctx, chain.Client, chain.Keys[k])
			if err != nil {
				b.Error(err)
				return
			}
			if !how.burst && how.rate == 0 {
				for i := w; i < b.N; i += len(keys) {
					t0 := time.Now()
					if _, _, err := deploy.AddTrigger(ctx, s, trigger, []byte(strconv.Itoa(i+1))); err != nil {
						b.Error(err)
						return
					}
					mu.Lock()
					sends = append(sends, time.Since(t0))
					mu.Unlock()
				}
				return
			}
			// A burst, or a paced stream: sent without waiting for each
			// receipt, whatever the nodes do.
			st := bindings.NewSimpleTrigger()
			var txs []*types.Transaction
			for i := w; i < b.N; i += len(keys) {
				if how.rate > 0 {
					at := start.Add(time.Duration(float64(i) / how.rate * float64(time.Second)))
					select {
					case <-time.After(time.Until(at)):
					case <-ctx.Done():
						return
					}
				}
				tx, err := s.Transact(ctx, "addTrigger", trigger, st.PackAddTrigger([]byte(strconv.Itoa(i+1))))
				if err != nil {
					b.Error(err)
					return
				}
				txs = append(txs, tx)
			}
			if _, err := s.Wait(ctx, txs...); err != nil {
				b.Error(err)
			}
		}()
	}
	for got := 0; got < b.N; got++ {
		select {
		case <-landed:
		case <-ctx.Done():
			b.Fatalf("%d of %d results landed", got, b.N)
		}
	}
	took := time.Since(start)
	wg.Wait()
	if len(sends) > 0 {
		reportSenders(b, sends)
	}
	if how.rate > 0 {
		// How far behind the last trigger's time the last result landed:
		// about one landing's latency when the nodes keep up, growing
		// with the run when they do not; and how far behind it the chain
		// mined the last trigger (the senders and the chain falling behind
		// the rate, not the nodes).
		last := time.Duration(float64(b.N-1) / how.rate * float64(time.Second))
		b.ReportMetric(float64((took - last).Milliseconds()), "lag-ms")
		var mined time.Time
		wait := time.After(2 * time.Second)
	drain:
		for range b.N {
			select {
			case at := <-fired:
				mined = at
			case <-wait:
				break drain
			}
		}
		if !mined.IsZero() {
			b.ReportMetric(float64((mined.Sub(start) - last).Milliseconds()), "mined-lag-ms")
		}
	}
	return took
}

// reportSenders reports what paced a steady stream's senders: the
// median time from sending a trigger to finding it mined, and the share
// of triggers whose first look for the receipt came too early, so that
// the sender waited for its next look (deploy.WaitReceipt looks every
// 100 ms). One operator's steady rate is set mostly by that share, which
// grows with the load on the machine (the chain mines later).
func reportSenders(b *testing.B, sends []time.Duration) {
	slices.Sort(sends)
	late := 0
	for _, d := range sends {
		if d >= 50*time.Millisecond {
			late++
		}
	}
	b.ReportMetric(float64(sends[len(sends)/2].Microseconds())/1000, "send-p50-ms")
	b.ReportMetric(100*float64(late)/float64(len(sends)), "sends-polled-again-%")
}
