package aggregator

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wavs-go/wavs/host/store"
	"github.com/wavs-go/wavs/sdk"
)

// recorder is a Chain that notes the name of every call, in order, before
// passing it on.
type recorder struct {
	Chain
	mu    sync.Mutex
	calls []string
}

func (r *recorder) note(name string) {
	r.mu.Lock()
	r.calls = append(r.calls, name)
	r.mu.Unlock()
}

func (r *recorder) seen() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.calls)
}

func (r *recorder) LatestBlock(ctx context.Context, chain string) (sdk.BlockRef, error) {
	r.note("LatestBlock")
	return r.Chain.LatestBlock(ctx, chain)
}

func (r *recorder) ServiceManager(ctx context.Context, chain, handler string) (string, error) {
	r.note("ServiceManager")
	return r.Chain.ServiceManager(ctx, chain, handler)
}

func (r *recorder) Quorum(ctx context.Context, q sdk.QuorumQuery) (sdk.Quorum, error) {
	r.note("Quorum")
	return r.Chain.Quorum(ctx, q)
}

func (r *recorder) Validate(ctx context.Context, s sdk.Submission) (sdk.Validation, error) {
	r.note("Validate")
	return r.Chain.Validate(ctx, s)
}

func (r *recorder) Submit(ctx context.Context, s sdk.Submission) (sdk.Receipt, error) {
	r.note("Submit")
	if len(s.Signatures.Signers) == 0 {
		r.note("Submit-without-signatures")
	}
	return r.Chain.Submit(ctx, s)
}

func (r *recorder) FindLanding(ctx context.Context, q sdk.LandingQuery) (sdk.Landing, error) {
	if q.TxHash != (sdk.Hash{}) {
		r.note("FindLanding(tx)")
	} else {
		r.note("FindLanding(scan)")
	}
	return r.Chain.FindLanding(ctx, q)
}

func (r *recorder) BlockAt(ctx context.Context, chain string, number uint64) (sdk.BlockRef, error) {
	r.note("BlockAt")
	return r.Chain.BlockAt(ctx, chain, number)
}

// TestSubmitterCallOrder is the order of submit-plugin calls that
// sdk.Submitter documents, as a single operator's aggregator makes them
// for one result: the test vector of that documentation.
func TestSubmitterCallOrder(t *testing.T) {
	chain := newFakeChain()
	key := newKey(t)
	chain.weights[key.Address()] = 1
	rec := &recorder{Chain: chain}
	st, err := store.Open(filepath.Join(t.TempDir(), "wavs.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	o := &operator{key: key, store: st}
	o.agg = New(Options{
		Store:    st,
		ChainFor: func(string, string) (Chain, error) { return rec, nil },
		Routes: func(s, w string) (Route, bool) {
			return Route{Chain: testChain, Handler: testHandler, Key: key}, s == testService && w == testWorkflow
		},
		RetryMin:      50 * time.Millisecond,
		WatchInterval: 100 * time.Millisecond,
		Logger:        testLogger("order"),
	})
	o.start(t)
	eid := o.sign(t, 1, []byte("payload"))
	waitFor(t, "the result to land", func() bool { return mustResult(t, o, eid).TxHash != (sdk.Hash{}) })
	waitFor(t, "the landing to be looked at again", func() bool { return slices.Contains(rec.seen(), "FindLanding(tx)") })
	o.halt()

	calls := rec.seen()
	t.Logf("calls: %s", strings.Join(calls, " → "))
	if slices.Contains(calls, "Submit-without-signatures") {
		t.Fatal("a Submit without signatures was sent")
	}
	// The documented order: the manager of the handler, the head for the
	// reference, the weights at it, validate with exactly what is sent,
	// one Submit, then the landing followed by its transaction.
	want := []string{"ServiceManager", "LatestBlock", "Quorum", "Validate", "Submit", "FindLanding(tx)"}
	i := 0
	for _, c := range calls {
		if i < len(want) && c == want[i] {
			i++
		}
	}
	if i != len(want) {
		t.Errorf("calls %v do not follow %v in order (matched %d)", calls, want, i)
	}
	if n := count(calls, "Submit"); n != 1 {
		t.Errorf("%d Submit calls, want 1", n)
	}
	if first := slices.Index(calls, "Submit"); first >= 0 && slices.Index(calls, "Validate") > first {
		t.Errorf("Validate after Submit: %v", calls)
	}
}

func count(list []string, s string) int {
	n := 0
	for _, v := range list {
		if v == s {
			n++
		}
	}
	return n
}
