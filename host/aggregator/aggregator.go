// Package aggregator lands signed results on chain.
//
// A result bound for a service handler is queued in the store. For each
// one the aggregator reads the chain's head, takes referenceBlock = head −
// 1 (validate requires referenceBlock < block.number, and an eth_call at
// "latest" runs with block.number = head), reads the signers' weights and
// the quorum threshold at referenceBlock, checks signedWeight × den ≥ num ×
// totalWeight (exact, safe for any service manager's rounding), runs the
// manager's validate as a call, and only then sends the transaction. A
// submission that cannot go through yet (chain down, quorum not met, a
// revert) is retried on a timer with backoff, so neither a restart nor an
// outage loses one; a handler that already holds the event counts as
// landed.
//
// This node is a single operator: its own signature must meet the quorum.
// Operators exchanging signatures over the transport build on this.
package aggregator

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/host/plugins"
	"github.com/wavs-go/wavs/host/store"
	"github.com/wavs-go/wavs/sdk"
)

// Options tune an Aggregator.
type Options struct {
	Store      *store.Store
	Submitters []*plugins.Submitter
	Logger     hclog.Logger
	// RetryMin and RetryMax bound the backoff between attempts (default
	// 1 s and 5 min).
	RetryMin, RetryMax time.Duration
	// MaxAttempts gives up on a submission the chain keeps rejecting
	// (default 50). Attempts that failed because the chain or the plugin
	// was unreachable do not count.
	MaxAttempts int
	// CallTimeout bounds each plugin call (default 2 min: Submit waits
	// for the receipt).
	CallTimeout time.Duration
	// MaxInFlight bounds the submissions worked on at once (default 16);
	// the submit plugin orders their nonces.
	MaxInFlight int
}

// Aggregator is the node's submission queue.
type Aggregator struct {
	o    Options
	log  hclog.Logger
	kick chan struct{}

	mu       sync.Mutex
	managers map[string]sdk.Address // chain/handler → service manager
	inflight map[string]bool        // event ids being worked on

	slots chan struct{}
	wg    sync.WaitGroup
}

// New returns an aggregator; call Run to work the queue.
func New(o Options) *Aggregator {
	if o.Logger == nil {
		o.Logger = hclog.NewNullLogger()
	}
	if o.RetryMin == 0 {
		o.RetryMin = time.Second
	}
	if o.RetryMax == 0 {
		o.RetryMax = 5 * time.Minute
	}
	if o.MaxAttempts == 0 {
		o.MaxAttempts = 50
	}
	if o.CallTimeout == 0 {
		o.CallTimeout = 2 * time.Minute
	}
	if o.MaxInFlight == 0 {
		o.MaxInFlight = 16
	}
	return &Aggregator{
		o: o, log: o.Logger, kick: make(chan struct{}, 1),
		managers: map[string]sdk.Address{}, inflight: map[string]bool{},
		slots: make(chan struct{}, o.MaxInFlight),
	}
}

// Enqueue stores a submission and wakes the queue. Enqueueing an event
// that is already queued replaces nothing but its target.
func (a *Aggregator) Enqueue(ctx context.Context, sub store.Submission) error {
	if _, err := plugins.SubmitterFor(a.o.Submitters, sub.Chain); err != nil {
		return err
	}
	if err := a.o.Store.PutSubmission(ctx, sub); err != nil {
		return err
	}
	select {
	case a.kick <- struct{}{}:
	default:
	}
	return nil
}

// pollInterval is how often the queue looks for due retries.
const pollInterval = time.Second

// Run works the queue until ctx is done, then waits for the submissions
// in flight.
func (a *Aggregator) Run(ctx context.Context) {
	t := time.NewTicker(pollInterval)
	defer t.Stop()
	defer a.wg.Wait()
	for {
		a.drain(ctx)
		select {
		case <-ctx.Done():
			return
		case <-a.kick:
		case <-t.C:
		}
	}
}

// drain starts every due submission that is not in flight, at most
// MaxInFlight at a time.
func (a *Aggregator) drain(ctx context.Context) {
	subs, err := a.o.Store.Submissions(ctx)
	if err != nil {
		if ctx.Err() == nil {
			a.log.Error("list submissions", "error", err)
		}
		return
	}
	now := time.Now()
	for _, sub := range subs {
		if ctx.Err() != nil {
			return
		}
		if sub.NextTry.After(now) {
			continue
		}
		a.mu.Lock()
		busy := a.inflight[sub.EventID]
		a.inflight[sub.EventID] = true
		a.mu.Unlock()
		if busy {
			continue
		}
		select {
		case a.slots <- struct{}{}:
		case <-ctx.Done():
			return
		}
		a.wg.Add(1)
		go func(sub store.Submission) {
			defer a.wg.Done()
			a.process(ctx, sub)
			a.mu.Lock()
			delete(a.inflight, sub.EventID)
			a.mu.Unlock()
			<-a.slots
		}(sub)
	}
}

// errRetry marks a failure worth trying again without counting an attempt.
var errRetry = errors.New("not ready")

func (a *Aggregator) process(ctx context.Context, sub store.Submission) {
	log := a.log.With("event_id", "0x"+sub.EventID, "service", sub.ServiceID, "chain", sub.Chain)
	res, ok, err := a.o.Store.GetResult(ctx, sub.EventID)
	if err != nil {
		log.Error("read result", "error", err)
		return
	}
	if !ok || res.Status == StatusSubmitted {
		_ = a.o.Store.DeleteSubmission(ctx, sub.EventID)
		return
	}
	receipt, err := a.submit(ctx, sub, res)
	if err != nil {
		if ctx.Err() != nil {
			return
		}
		counted := !errors.Is(err, errRetry) && !errors.Is(err, sdk.ErrUnavailable)
		if counted {
			sub.Attempts++
		}
		sub.LastError = err.Error()
		res.Error = err.Error()
		if sub.Attempts >= a.o.MaxAttempts {
			log.Error("giving up on submission", "attempts", sub.Attempts, "error", err)
			res.Status = StatusFailed
			_ = a.o.Store.PutResult(ctx, res)
			_ = a.o.Store.DeleteSubmission(ctx, sub.EventID)
			return
		}
		sub.NextTry = time.Now().Add(a.backoff(sub.Attempts))
		log.Warn("submission not landed yet; will retry", "error", err, "attempts", sub.Attempts, "next_try", sub.NextTry.Format(time.RFC3339))
		_ = a.o.Store.PutResult(ctx, res)
		if err := a.o.Store.PutSubmission(ctx, sub); err != nil {
			log.Error("store submission", "error", err)
		}
		return
	}
	res.Status, res.Error = StatusSubmitted, ""
	res.TxHash, res.BlockNumber = receipt.TxHash.Hex(), receipt.BlockNumber
	if receipt.AlreadyHandled {
		res.TxHash = ""
	}
	if err := a.o.Store.PutResult(ctx, res); err != nil {
		log.Error("store result", "error", err)
		return
	}
	if err := a.o.Store.DeleteSubmission(ctx, sub.EventID); err != nil {
		log.Error("delete submission", "error", err)
	}
	if receipt.AlreadyHandled {
		log.Info("result was already on chain")
	} else {
		log.Info("result landed", "tx", res.TxHash, "block", res.BlockNumber)
	}
}

// Result statuses set here.
const (
	StatusSubmitted = "submitted"
	StatusFailed    = "failed"
)

func (a *Aggregator) backoff(attempts int) time.Duration {
	d := a.o.RetryMin
	for i := 0; i < attempts && d < a.o.RetryMax; i++ {
		d *= 2
	}
	return min(d, a.o.RetryMax)
}

func (a *Aggregator) submit(ctx context.Context, sub store.Submission, res store.ResultRecord) (sdk.Receipt, error) {
	p, err := plugins.SubmitterFor(a.o.Submitters, sub.Chain)
	if err != nil {
		return sdk.Receipt{}, err
	}
	handler, err := parseAddress(sub.Handler)
	if err != nil {
		return sdk.Receipt{}, fmt.Errorf("handler: %w", err)
	}
	signerAddr, err := parseAddress(res.Signer)
	if err != nil {
		return sdk.Receipt{}, fmt.Errorf("signer: %w", err)
	}
	var env sdk.Envelope
	eid, err := hex.DecodeString(res.EventID)
	if err != nil || len(eid) != 20 {
		return sdk.Receipt{}, fmt.Errorf("event id %q is not 20 bytes of hex", res.EventID)
	}
	copy(env.EventID[:], eid)
	env.Payload = res.Payload

	cctx, cancel := context.WithTimeout(ctx, a.o.CallTimeout)
	defer cancel()
	head, err := p.LatestBlock(cctx, sub.Chain)
	if err != nil {
		return sdk.Receipt{}, fmt.Errorf("latest block: %w", err)
	}
	if head.Number < 1 {
		return sdk.Receipt{}, fmt.Errorf("%w: chain %s is at block 0; a reference block needs one more", errRetry, sub.Chain)
	}
	ref := head.Number - 1
	manager, err := a.manager(cctx, p, sub.Chain, handler)
	if err != nil {
		return sdk.Receipt{}, err
	}
	q, err := p.Quorum(cctx, sdk.QuorumQuery{Chain: sub.Chain, Manager: manager, Block: ref, Signers: []sdk.Address{signerAddr}})
	if err != nil {
		return sdk.Receipt{}, fmt.Errorf("quorum at block %d: %w", ref, err)
	}
	if err := meetsQuorum(q, []*big.Int{weightOf(q, 0)}); err != nil {
		return sdk.Receipt{}, fmt.Errorf("at block %d: %w", ref, err)
	}
	submission := sdk.Submission{
		Chain: sub.Chain, Handler: handler, Envelope: env,
		Signatures: sdk.SignatureData{Signers: []sdk.Address{signerAddr}, Signatures: [][]byte{res.Signature}, ReferenceBlock: uint32(ref)},
	}
	v, err := p.Validate(cctx, submission)
	if err != nil {
		return sdk.Receipt{}, fmt.Errorf("validate: %w", err)
	}
	if !v.Valid {
		return sdk.Receipt{}, fmt.Errorf("the service manager rejects the signatures: %s", v.Reason)
	}
	receipt, err := p.Submit(cctx, submission)
	if err != nil {
		return sdk.Receipt{}, fmt.Errorf("submit: %w", err)
	}
	return receipt, nil
}

// manager returns (and remembers) the service manager of a handler.
func (a *Aggregator) manager(ctx context.Context, p *plugins.Submitter, chain string, handler sdk.Address) (sdk.Address, error) {
	key := chain + "/" + handler.Hex()
	a.mu.Lock()
	m, ok := a.managers[key]
	a.mu.Unlock()
	if ok {
		return m, nil
	}
	m, err := p.ServiceManager(ctx, chain, handler)
	if err != nil {
		return m, fmt.Errorf("service manager of handler %s: %w", handler.Hex(), err)
	}
	a.mu.Lock()
	a.managers[key] = m
	a.mu.Unlock()
	return m, nil
}

func weightOf(q sdk.Quorum, i int) *big.Int {
	if i < len(q.Weights) && q.Weights[i] != nil {
		return q.Weights[i]
	}
	return new(big.Int)
}

// meetsQuorum checks signedWeight × den ≥ num × totalWeight, counting each
// weight given once.
func meetsQuorum(q sdk.Quorum, weights []*big.Int) error {
	if q.ThresholdDenominator == 0 {
		return fmt.Errorf("%w: the service manager reports a quorum denominator of 0", errRetry)
	}
	total := q.TotalWeight
	if total == nil || total.Sign() == 0 {
		return fmt.Errorf("%w: the service manager has no operator weight", errRetry)
	}
	signed := new(big.Int)
	for _, w := range weights {
		signed.Add(signed, w)
	}
	lhs := new(big.Int).Mul(signed, new(big.Int).SetUint64(q.ThresholdDenominator))
	rhs := new(big.Int).Mul(total, new(big.Int).SetUint64(q.ThresholdNumerator))
	if lhs.Cmp(rhs) < 0 {
		return fmt.Errorf("%w: insufficient quorum: signed weight %s of total %s, needs %d/%d", errRetry, signed, total, q.ThresholdNumerator, q.ThresholdDenominator)
	}
	return nil
}

func parseAddress(s string) (sdk.Address, error) {
	var a sdk.Address
	b, err := hex.DecodeString(strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X"))
	if err != nil || len(b) != 20 {
		return a, fmt.Errorf("%q is not a 20-byte hex address", s)
	}
	copy(a[:], b)
	return a, nil
}
