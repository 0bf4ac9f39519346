package e2e

import (
	"context"
	"crypto/rand"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	lcrypto "github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"

	"github.com/wavs-go/wavs/contracts/deploy"
	"github.com/wavs-go/wavs/host/aggregator"
	"github.com/wavs-go/wavs/sdk"
)

// openAdmission is the cluster config of the flood tests: any peer may
// join the service's topic ([wavs.p2p] admission = "open"), so the
// flooder reaches the operators and the scoring and budgets are what stop
// it (with the default, operators only, it never gets in).
func openAdmission(cfg string) string { return withAdmission(cfg, "open") }

// floodStatus is the part of GET /p2p/status the flood tests read.
type floodStatus struct {
	GraylistedPeers int          `json:"graylisted_peers"`
	PeerScores      []floodScore `json:"peer_scores"`
}

type floodScore struct {
	PeerID     string  `json:"peer_id"`
	Score      float64 `json:"score"`
	Graylisted bool    `json:"graylisted"`
}

// flooder is a go-libp2p peer with one connection to each operator that
// publishes made-up signatures on the service's topic, each message
// authored by a fresh libp2p key and signed by a fresh signing key.
type flooder struct {
	id   peer.ID
	sent atomic.Int64
	stop context.CancelFunc
	done chan struct{}
}

func startFlooder(t testing.TB, c *quorumCluster, perSecond int) *flooder {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"), libp2p.Transport(tcp.NewTCPTransport), libp2p.DisableRelay())
	if err != nil {
		t.Fatal(err)
	}
	f := &flooder{id: h.ID(), stop: cancel, done: make(chan struct{})}
	t.Cleanup(func() { f.halt(); h.Close() })
	ps, err := pubsub.NewGossipSub(ctx, h)
	if err != nil {
		t.Fatal(err)
	}
	for i, op := range c.ops {
		var st p2pStatus
		op.get("/p2p/status", &st)
		addr := st.ListenAddresses[0]
		if !strings.Contains(addr, "/p2p/") {
			addr += "/p2p/" + op.peerID
		}
		info, err := peer.AddrInfoFromString(addr)
		if err != nil {
			t.Fatal(err)
		}
		if err := h.Connect(ctx, *info); err != nil {
			t.Fatalf("flooder: connect to node %d: %v", i, err)
		}
	}
	tp, err := ps.Join(c.topic)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tp.Subscribe(); err != nil {
		t.Fatal(err)
	}
	// Wait until each node sees the flooder on the topic.
	eventually(20*time.Second, func() bool { return len(tp.ListPeers()) >= len(c.ops) })
	go func() {
		defer close(f.done)
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for i := 0; ; {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			for range perSecond / 100 {
				i++
				priv, _, err := lcrypto.GenerateEd25519Key(rand.Reader)
				if err != nil {
					continue
				}
				pid, _ := peer.IDFromPrivateKey(priv)
				env := sdk.Envelope{Payload: []byte(fmt.Sprint(i))}
				rand.Read(env.EventID[:])
				data, err := aggregator.EncodeGossip(aggregator.Gossip{
					ServiceID: c.serviceID, WorkflowID: "square", Envelope: env,
					Signature: sign(signingKey(t, newSigningKey(t)), env),
				})
				if err != nil {
					continue
				}
				if tp.Publish(ctx, data, pubsub.WithSecretKeyAndPeerId(priv, pid)) == nil {
					f.sent.Add(1)
				}
			}
		}
	}()
	return f
}

func (f *flooder) halt() {
	f.stop()
	<-f.done
}

// floodResult is what one run measured.
type floodResult struct {
	baseline, flood []time.Duration // trigger → landed
	lookups         []uint64        // per node: chain reads of unknown signers
	graylistedAfter time.Duration   // flood start → every node graylisted the flooder
	sent            int64
}

func p50(ds []time.Duration) time.Duration { return pctOf(ds, 0.5) }

func pctOf(ds []time.Duration, p float64) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(p*float64(len(s))))]
}

// floodRun runs three operators on anvil (open admission), lands n
// triggers one after another without a flood, then n more while a peer
// floods perSecond made-up signatures with a fresh author each.
func floodRun(t testing.TB, pair deploy.Pair, n, perSecond int) floodResult {
	c := startCluster(t, clusterOptions{pair: pair, config: openAdmission})
	c.meshed(t, 0, 1, 2)
	fired, landed := chainTimes(t, c.chainSetup)
	next := 1
	run := func() time.Duration {
		v := next
		next++
		c.fire(t, v, v+1)
		mined := <-fired
		select {
		case at := <-landed:
			return at.Sub(mined)
		case <-time.After(60 * time.Second):
			t.Fatalf("trigger %d: no result within 60s", v)
		}
		return 0
	}
	run() // warm-up
	var r floodResult
	for range n {
		r.baseline = append(r.baseline, run())
	}
	f := startFlooder(t, c, perSecond)
	start := time.Now()
	graylisted := make(chan time.Duration, 1)
	go func() {
		for time.Since(start) < time.Minute {
			all := true
			for _, op := range c.ops {
				var st floodStatus
				op.get("/p2p/status", &st)
				if !slices.ContainsFunc(st.PeerScores, func(s floodScore) bool { return s.PeerID == f.id.String() && s.Graylisted }) {
					all = false
				}
			}
			if all {
				graylisted <- time.Since(start)
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		graylisted <- -1
	}()
	for range n {
		r.flood = append(r.flood, run())
	}
	r.graylistedAfter = <-graylisted
	f.halt()
	r.sent = f.sent.Load()
	c.landed(t, next, time.Minute)
	if txs := c.handlerTxs(t); txs != next-1 {
		t.Errorf("%d handler transactions for %d triggers: want each result landed once", txs, next-1)
	}
	for _, op := range c.ops {
		var st struct {
			Lookups uint64 `json:"signer_lookups"`
		}
		op.get("/aggregator", &st)
		r.lookups = append(r.lookups, st.Lookups)
	}
	return r
}

// TestFloodOfMadeUpSigners: a peer connected to each of three operators
// publishes 1000 made-up signatures a second, each under a fresh libp2p
// author key and a fresh signing key, while triggers fire. Every result
// lands once, the median trigger → landed stays within twice the same
// cluster's median without the flood, every node graylists the flooder
// within seconds, and the chain reads it causes stay within the budgets.
func TestFloodOfMadeUpSigners(t *testing.T) {
	const n = 15
	r := floodRun(t, deploy.PairWAVS, n, 1000)
	base, flood := p50(r.baseline), p50(r.flood)
	t.Logf("sent %d; landed p50 %v without, %v with the flood (p99 %v, %v); graylisted by all after %v; lookups per node %v",
		r.sent, base, flood, pctOf(r.baseline, .99), pctOf(r.flood, .99), r.graylistedAfter, r.lookups)
	if r.sent < 1000 {
		t.Errorf("the flooder sent %d messages", r.sent)
	}
	if flood > 2*base {
		t.Errorf("landed p50 %v under the flood, %v without: want at most twice", flood, base)
	}
	if r.graylistedAfter < 0 || r.graylistedAfter > 10*time.Second {
		t.Errorf("the flooder was graylisted by every node after %v; want within 10s", r.graylistedAfter)
	}
	for i, l := range r.lookups {
		if l > 200 {
			t.Errorf("node %d read %d unknown signers from the chain", i, l)
		}
	}
}

// BenchmarkFloodLatency reports trigger → landed at the three-operator
// cluster without and with a flood of 1000 made-up signatures a second
// (fresh author per message), their ratio, and the chain reads of unknown
// signers per node. b.N is the triggers of each half.
func BenchmarkFloodLatency(b *testing.B) {
	r := floodRun(b, deploy.PairWAVS, max(b.N, 5), 1000)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(p50(r.baseline)), "base-p50-ms")
	b.ReportMetric(ms(pctOf(r.baseline, .99)), "base-p99-ms")
	b.ReportMetric(ms(p50(r.flood)), "flood-p50-ms")
	b.ReportMetric(ms(pctOf(r.flood, .99)), "flood-p99-ms")
	b.ReportMetric(float64(p50(r.flood))/float64(p50(r.baseline)), "p50-ratio")
	var reads uint64
	for _, l := range r.lookups {
		reads += l
	}
	b.ReportMetric(float64(reads)/float64(len(r.lookups)), "lookups/node")
	b.ReportMetric(r.graylistedAfter.Seconds(), "graylisted-s")
	b.ReportMetric(0, "ns/op")
}
