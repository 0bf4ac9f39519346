// Package aggregator lands signed results on chain, alone or together
// with the service's other operators.
//
// A result bound for a service handler is queued in the store. For each
// one the aggregator reads the chain's head, takes referenceBlock = head −
// 1 (validate requires referenceBlock < block.number, and an eth_call at
// "latest" runs with block.number = head), reads the signers' weights and
// the quorum threshold at referenceBlock, checks signedWeight × den ≥ num ×
// totalWeight (exact, safe for any service manager's rounding), runs the
// manager's validate as a call, and only then sends the transaction. A
// submission that cannot go through yet (chain down, a revert) is retried
// on a timer with backoff, so neither a restart nor an outage loses one;
// a handler that already holds the event counts as landed.
//
// # Operators together
//
// Without a Network the node is a single operator: its own signature must
// meet the quorum. With one, each operator publishes its signature on the
// service's topic (and again on a timer, with backoff, until the event
// lands, so that peers that joined late or lost a message catch up), and
// takes its peers' signatures in: a signature counts only once its signer
// is recovered from it and has weight in the service manager at the
// reference block, and each signer counts once. Signatures are kept per
// envelope (only identical envelopes can be submitted together); an
// operator that signs two different envelopes for one event is recorded
// as evidence and counts for neither.
//
// Once the signatures over this node's envelope meet the quorum, every
// operator ranks the signers the same way (SubmitOrder) and the first
// submits at once; the operator in place r waits r × FallbackDelay and
// submits only if the result is not on chain by then, so normally exactly
// one transaction is sent. While the signers hold less than the whole
// weight, the turns start SettleDelay after the quorum, so that the
// operators' views of who signed agree before anyone acts on them.
// Signatures that arrive after the event landed are dropped.
package aggregator

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"golang.org/x/time/rate"

	"github.com/wavs-go/wavs/host/plugins"
	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/host/store"
	"github.com/wavs-go/wavs/sdk"
)

// Chain is what the aggregator asks of a chain's submit plugin.
type Chain interface {
	LatestBlock(ctx context.Context, chain string) (sdk.BlockRef, error)
	ServiceManager(ctx context.Context, chain string, handler sdk.Address) (sdk.Address, error)
	Quorum(ctx context.Context, q sdk.QuorumQuery) (sdk.Quorum, error)
	Validate(ctx context.Context, sub sdk.Submission) (sdk.Validation, error)
	Submit(ctx context.Context, sub sdk.Submission) (sdk.Receipt, error)
}

// Network is the transport operators exchange signatures on.
type Network interface {
	Publish(ctx context.Context, topic string, data []byte) error
	Inbound() <-chan sdk.Message
}

// Route is where a workflow's results land.
type Route struct {
	Chain   string
	Handler sdk.Address
}

// Options tune an Aggregator.
type Options struct {
	Store      *store.Store
	Submitters []*plugins.Submitter
	// ChainFor picks the plugin for a chain (default: from Submitters by
	// capability).
	ChainFor func(chain string) (Chain, error)
	Logger   hclog.Logger
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

	// Network, if set, makes the node one of several operators.
	Network Network
	// Routes tells where a registered service's workflow submits; a
	// signature for anything else is rejected.
	Routes func(serviceID, workflowID string) (Route, bool)
	// SettleDelay is how long after a quorum short of the whole weight
	// the submitting turns start (default 500 ms; negative for none).
	SettleDelay time.Duration
	// FallbackDelay is each operator's turn: the one in place r of the
	// submit order submits r × FallbackDelay after the first (default
	// 15 s; longer than a block and a receipt).
	FallbackDelay time.Duration
	// RebroadcastMin and RebroadcastMax bound the pause before an
	// operator publishes its pending signature again (default 2 s, then
	// doubling up to 1 min).
	RebroadcastMin, RebroadcastMax time.Duration
	// SignatureTTL is how long peers' signatures for events this node
	// never submitted are kept (default 24 h).
	SignatureTTL time.Duration
	// MemberTTL is how long the operators' weights, the total and the
	// threshold read from the chain are reused to decide whether a
	// signature counts and whether the quorum is met (default 30 s); the
	// submitting operator always reads them again at its reference
	// block.
	MemberTTL time.Duration
}

// Aggregator is the node's submission queue.
type Aggregator struct {
	o    Options
	log  hclog.Logger
	kick chan struct{}

	mu       sync.Mutex
	managers map[string]sdk.Address   // chain/handler → service manager
	inflight map[string]bool          // event ids being worked on
	kicked   map[string]bool          // event ids to work on now
	bcast    map[string]*broadcast    // own signatures' publishing
	members  map[memberKey]member     // signers' weights, as recently read
	views    map[string]managerView   // managers' totals and thresholds, as recently read
	lookups  map[string]*rate.Limiter // per peer: reads of signers not known
	stats    Stats

	// landMu orders taking a peer's signature in against forgetting a
	// landed event's signatures.
	landMu sync.Mutex

	slots chan struct{}
	wg    sync.WaitGroup
}

// New returns an aggregator; call Run to work the queue.
func New(o Options) *Aggregator {
	if o.Logger == nil {
		o.Logger = hclog.NewNullLogger()
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&o.RetryMin, time.Second)
	def(&o.RetryMax, 5*time.Minute)
	def(&o.CallTimeout, 2*time.Minute)
	def(&o.SettleDelay, 500*time.Millisecond)
	def(&o.FallbackDelay, 15*time.Second)
	def(&o.RebroadcastMin, 2*time.Second)
	def(&o.RebroadcastMax, time.Minute)
	def(&o.SignatureTTL, 24*time.Hour)
	def(&o.MemberTTL, 30*time.Second)
	o.SettleDelay = max(o.SettleDelay, 0)
	if o.MaxAttempts == 0 {
		o.MaxAttempts = 50
	}
	if o.MaxInFlight == 0 {
		o.MaxInFlight = 16
	}
	if o.ChainFor == nil {
		list := o.Submitters
		o.ChainFor = func(chain string) (Chain, error) { return plugins.SubmitterFor(list, chain) }
	}
	if o.Routes == nil {
		o.Routes = func(string, string) (Route, bool) { return Route{}, false }
	}
	a := &Aggregator{
		o: o, log: o.Logger, kick: make(chan struct{}, 1),
		managers: map[string]sdk.Address{}, inflight: map[string]bool{}, kicked: map[string]bool{},
		bcast: map[string]*broadcast{}, members: map[memberKey]member{}, views: map[string]managerView{}, lookups: map[string]*rate.Limiter{},
		slots: make(chan struct{}, o.MaxInFlight),
	}
	a.stats.Mode = "single-operator"
	if o.Network != nil {
		a.stats.Mode = "operators"
	}
	a.stats.Rejected = map[string]uint64{}
	return a
}

// Enqueue stores a submission and wakes the queue. Enqueueing an event
// that is already queued replaces nothing but its target.
func (a *Aggregator) Enqueue(ctx context.Context, sub store.Submission) error {
	if _, err := a.o.ChainFor(sub.Chain); err != nil {
		return err
	}
	old, ok, err := a.o.Store.GetSubmission(ctx, sub.EventID)
	if err != nil {
		return err
	}
	if ok {
		sub.QuorumAt, sub.CreatedAt = old.QuorumAt, old.CreatedAt
	}
	if err := a.o.Store.PutSubmission(ctx, sub); err != nil {
		return err
	}
	a.wake(sub.EventID)
	return nil
}

// wake marks an event to be worked on now and wakes the queue.
func (a *Aggregator) wake(eventID string) {
	a.mu.Lock()
	a.kicked[eventID] = true
	a.mu.Unlock()
	select {
	case a.kick <- struct{}{}:
	default:
	}
}

// pollInterval bounds the pause between looks at the queue; the queue is
// otherwise worked when an event is woken or the earliest retry is due.
const pollInterval = time.Second

// pruneInterval is how often old peer signatures are pruned.
const pruneInterval = 10 * time.Minute

// Run works the queue (and, with a Network, takes in the peers'
// signatures) until ctx is done, then waits for the work in flight.
func (a *Aggregator) Run(ctx context.Context) {
	t := time.NewTimer(pollInterval)
	defer t.Stop()
	prune := time.NewTicker(pruneInterval)
	defer prune.Stop()
	defer a.wg.Wait()
	if a.o.Network != nil {
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			a.listen(ctx)
		}()
	}
	a.prune(ctx)
	for {
		next := a.drain(ctx)
		wait := pollInterval
		if !next.IsZero() {
			wait = max(0, min(wait, time.Until(next)))
		}
		t.Reset(wait)
		select {
		case <-ctx.Done():
			return
		case <-a.kick:
		case <-t.C:
		case <-prune.C:
			a.prune(ctx)
		}
	}
}

func (a *Aggregator) prune(ctx context.Context) {
	n, err := a.o.Store.PrunePeerSignatures(ctx, time.Now().Add(-a.o.SignatureTTL))
	if err != nil && ctx.Err() == nil {
		a.log.Error("prune peer signatures", "error", err)
	} else if n > 0 {
		a.log.Info("pruned old peer signatures", "count", n, "older_than", a.o.SignatureTTL)
	}
}

// drain starts every due submission that is not in flight, at most
// MaxInFlight at a time, and returns when the next one not started is due
// (zero: none).
func (a *Aggregator) drain(ctx context.Context) (next time.Time) {
	subs, err := a.o.Store.Submissions(ctx)
	if err != nil {
		if ctx.Err() == nil {
			a.log.Error("list submissions", "error", err)
		}
		return next
	}
	now := time.Now()
	for _, sub := range subs {
		if ctx.Err() != nil {
			return next
		}
		a.mu.Lock()
		due := !sub.NextTry.After(now) || a.kicked[sub.EventID]
		busy := a.inflight[sub.EventID]
		if due && !busy {
			a.inflight[sub.EventID] = true
			delete(a.kicked, sub.EventID)
		}
		a.mu.Unlock()
		if !due || busy {
			if !due && (next.IsZero() || sub.NextTry.Before(next)) {
				next = sub.NextTry
			}
			continue
		}
		select {
		case a.slots <- struct{}{}:
		case <-ctx.Done():
			return next
		}
		a.wg.Add(1)
		go func(sub store.Submission) {
			defer a.wg.Done()
			a.process(ctx, sub)
			a.mu.Lock()
			delete(a.inflight, sub.EventID)
			a.mu.Unlock()
			<-a.slots
			// Its next try (or a wake-up that came meanwhile) is for Run
			// to time.
			select {
			case a.kick <- struct{}{}:
			default:
			}
		}(sub)
	}
	return next
}

// errRetry marks a failure worth trying again without counting an attempt.
var errRetry = errors.New("not ready")

// outcome is what one attempt at a submission came to.
type outcome struct {
	receipt sdk.Receipt
	landed  bool
	// wait, when set, is when to look again (no failure: the quorum or
	// this operator's turn is still to come); note says why.
	wait time.Time
	note string
}

func (a *Aggregator) process(ctx context.Context, sub store.Submission) {
	log := a.log.With("event_id", "0x"+sub.EventID, "service", sub.ServiceID, "chain", sub.Chain)
	// The listing drain worked from may be older than the last attempt.
	sub, ok, err := a.o.Store.GetSubmission(ctx, sub.EventID)
	if err != nil || !ok {
		return
	}
	res, ok, err := a.o.Store.GetResult(ctx, sub.EventID)
	if err != nil {
		log.Error("read result", "error", err)
		return
	}
	if !ok || res.Status == StatusSubmitted || res.Status == StatusFailed {
		a.finish(ctx, sub.EventID)
		return
	}
	if a.o.Network != nil {
		a.publish(ctx, res, log)
	}
	out, err := a.attempt(ctx, &sub, &res, log)
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
			a.count(func(s *Stats) { s.Failed++ })
			_ = a.o.Store.PutResult(ctx, res)
			a.finish(ctx, sub.EventID)
			return
		}
		sub.NextTry = a.sooner(sub.EventID, time.Now().Add(a.backoff(sub.Attempts)))
		log.Warn("submission not landed yet; will retry", "error", err, "attempts", sub.Attempts, "next_try", sub.NextTry.Format(time.RFC3339))
		_ = a.o.Store.PutResult(ctx, res)
		if err := a.o.Store.PutSubmission(ctx, sub); err != nil {
			log.Error("store submission", "error", err)
		}
		return
	}
	if !out.landed {
		sub.NextTry = a.sooner(sub.EventID, out.wait)
		sub.LastError = out.note
		log.Debug("submission waits", "why", out.note, "next_try", sub.NextTry.Format(time.RFC3339Nano))
		if err := a.o.Store.PutResult(ctx, res); err != nil {
			log.Error("store result", "error", err)
		}
		if err := a.o.Store.PutSubmission(ctx, sub); err != nil {
			log.Error("store submission", "error", err)
		}
		return
	}
	receipt := out.receipt
	res.Status, res.Error = StatusSubmitted, ""
	res.TxHash, res.BlockNumber = receipt.TxHash.Hex(), receipt.BlockNumber
	if receipt.AlreadyHandled {
		res.TxHash = ""
	}
	if err := a.o.Store.PutResult(ctx, res); err != nil {
		log.Error("store result", "error", err)
		return
	}
	a.finish(ctx, sub.EventID)
	if receipt.AlreadyHandled {
		a.count(func(s *Stats) { s.AlreadyHandled++ })
		log.Info("result was already on chain")
	} else {
		a.count(func(s *Stats) { s.Submitted++ })
		log.Info("result landed", "tx", res.TxHash, "block", res.BlockNumber, "signers", len(res.Signers))
		if a.o.Network != nil {
			a.announceLanded(ctx, res, log)
		}
	}
}

// finish forgets a submission that landed or was given up, and the
// peers' signatures for it.
func (a *Aggregator) finish(ctx context.Context, eventID string) {
	if err := a.o.Store.DeleteSubmission(ctx, eventID); err != nil {
		a.log.Error("delete submission", "event_id", "0x"+eventID, "error", err)
	}
	a.landMu.Lock()
	err := a.o.Store.DeletePeerSignatures(ctx, eventID)
	a.landMu.Unlock()
	if err != nil {
		a.log.Error("delete peer signatures", "event_id", "0x"+eventID, "error", err)
	}
	a.mu.Lock()
	delete(a.bcast, eventID)
	delete(a.kicked, eventID)
	a.mu.Unlock()
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

// attempt works one submission as far as it can go now. Whether the
// signatures meet the quorum, and whose turn it is, is decided on the
// operators' weights as recently read (see weights), without a chain
// read each time a signature arrives; the operator whose turn it is then
// reads them exactly at the reference block before it submits.
func (a *Aggregator) attempt(ctx context.Context, sub *store.Submission, res *store.ResultRecord, log hclog.Logger) (outcome, error) {
	c, err := a.o.ChainFor(sub.Chain)
	if err != nil {
		return outcome{}, err
	}
	handler, err := parseAddress(sub.Handler)
	if err != nil {
		return outcome{}, fmt.Errorf("handler: %w", err)
	}
	own, err := parseAddress(res.Signer)
	if err != nil {
		return outcome{}, fmt.Errorf("signer: %w", err)
	}
	env, err := resultEnvelope(*res)
	if err != nil {
		return outcome{}, err
	}
	cctx, cancel := context.WithTimeout(ctx, a.o.CallTimeout)
	defer cancel()
	manager, err := a.manager(cctx, c, sub.Chain, handler)
	if err != nil {
		return outcome{}, err
	}

	if a.o.Network != nil && a.takeAsk(sub.EventID) {
		if receipt, ok := a.landedOnChain(cctx, c, sub.Chain, handler, env, log); ok {
			return outcome{receipt: receipt, landed: true}, nil
		}
	}

	// The queue of this node's envelope: its own signature and every
	// peer's over the same envelope.
	ev := NewEvent(env.EventID)
	q, _ := ev.Add(env, own, res.Signature)
	arrived := map[sdk.Address]time.Time{own: res.CreatedAt}
	if a.o.Network != nil {
		peers, err := a.o.Store.PeerSignatures(ctx, sub.EventID)
		if err != nil {
			return outcome{}, err
		}
		for _, ps := range peers {
			penv, who, err := peerEnvelope(ps)
			if err != nil {
				log.Warn("skipping a stored peer signature", "error", err)
				continue
			}
			if _, ok := arrived[who]; !ok {
				arrived[who] = ps.ReceivedAt
			}
			ev.Add(penv, who, ps.Signature)
		}
	}
	all := q.SignatureData(0)
	recent, err := a.weights(cctx, c, sub.Chain, manager, all.Signers)
	if err != nil {
		return outcome{}, err
	}
	sigs, weights := counting(all, recent)
	progress(res, sigs, weights, recent)
	if err := meetsQuorum(recent, weights); err != nil {
		if a.o.Network == nil || !errors.Is(err, errRetry) {
			return outcome{}, err
		}
		// New signatures wake the event; the timer is for weights that
		// change on chain.
		note := "waiting for signatures: " + strings.TrimPrefix(err.Error(), errRetry.Error()+": ")
		if a.probeDue(sub.EventID, res.CreatedAt) {
			// The peers had their turns long ago: the event may have landed
			// without this node (it signed late).
			if receipt, ok := a.landedOnChain(cctx, c, sub.Chain, handler, env, log); ok {
				return outcome{receipt: receipt, landed: true}, nil
			}
		}
		return outcome{wait: time.Now().Add(min(a.o.FallbackDelay, a.o.RetryMax)), note: note}, nil
	}

	now := time.Now()
	if sub.QuorumAt.IsZero() {
		sub.QuorumAt, res.QuorumAt = now, now
		a.count(func(s *Stats) { s.QuorumsReached++ })
		log.Info("quorum reached", "signers", len(sigs.Signers), "weight", sum(weights), "total", recent.TotalWeight, "since_signed", now.Sub(res.CreatedAt).Round(time.Microsecond))
	}
	if a.o.Network != nil {
		cs := make([]countedSig, len(sigs.Signers))
		for i, who := range sigs.Signers {
			cs[i] = countedSig{who: who, weight: weights[i], at: arrived[who]}
		}
		t := planTurn(env.EventID, own, cs, recent, sub.QuorumAt, a.o.SettleDelay, a.o.FallbackDelay)
		if now.Before(t.due) {
			return outcome{wait: t.due, note: t.String()}, nil
		}
	}

	// This operator's turn: the exact check at the reference block.
	head, err := c.LatestBlock(cctx, sub.Chain)
	if err != nil {
		return outcome{}, fmt.Errorf("latest block: %w", err)
	}
	if head.Number < 1 {
		return outcome{}, fmt.Errorf("%w: chain %s is at block 0; a reference block needs one more", errRetry, sub.Chain)
	}
	ref := head.Number - 1
	all.ReferenceBlock = uint32(ref)
	qr, err := c.Quorum(cctx, sdk.QuorumQuery{Chain: sub.Chain, Manager: manager, Block: ref, Signers: all.Signers})
	if err != nil {
		return outcome{}, fmt.Errorf("quorum at block %d: %w", ref, err)
	}
	a.remember(sub.Chain, manager, all.Signers, qr)
	sigs, weights = counting(all, qr)
	for _, who := range all.Signers {
		if who != own && !slices.Contains(sigs.Signers, who) {
			log.Warn("a signer has no weight at the reference block; its signature does not count", "signer", who.Hex(), "block", ref)
		}
	}
	if err := meetsQuorum(qr, weights); err != nil {
		return outcome{}, fmt.Errorf("at block %d: %w", ref, err)
	}
	progress(res, sigs, weights, qr)
	submission := sdk.Submission{Chain: sub.Chain, Handler: handler, Envelope: env, Signatures: sigs}
	v, err := c.Validate(cctx, submission)
	if err != nil {
		return outcome{}, fmt.Errorf("validate: %w", err)
	}
	if !v.Valid {
		return outcome{}, fmt.Errorf("the service manager rejects the signatures: %s", v.Reason)
	}
	a.count(func(s *Stats) { s.Sent++ })
	receipt, err := c.Submit(cctx, submission)
	if err != nil {
		return outcome{}, fmt.Errorf("submit: %w", err)
	}
	return outcome{receipt: receipt, landed: true}, nil
}

// landedOnChain asks the chain whether the handler already holds env's
// event: a submission with no signatures, which a handler can only answer
// with "already handled" (it checks that before the quorum) or a revert,
// so its gas estimate fails and nothing is sent either way.
func (a *Aggregator) landedOnChain(ctx context.Context, c Chain, chain string, handler sdk.Address, env sdk.Envelope, log hclog.Logger) (sdk.Receipt, bool) {
	receipt, err := c.Submit(ctx, sdk.Submission{Chain: chain, Handler: handler, Envelope: env})
	if err != nil || !receipt.AlreadyHandled {
		log.Debug("not on chain yet", "probe", err)
		return sdk.Receipt{}, false
	}
	return receipt, true
}

// progress records on res who counted so far and their weight against
// the threshold, for the results API and the status page.
func progress(res *store.ResultRecord, sigs sdk.SignatureData, weights []*big.Int, q sdk.Quorum) {
	res.Signers = res.Signers[:0]
	for _, s := range sigs.Signers {
		res.Signers = append(res.Signers, s.Hex())
	}
	res.SignedWeight = sum(weights).String()
	res.TotalWeight = "0"
	if q.TotalWeight != nil {
		res.TotalWeight = q.TotalWeight.String()
	}
	res.ThresholdNum, res.ThresholdDen = q.ThresholdNumerator, q.ThresholdDenominator
}

// counting keeps the signatures whose signers have weight in q (in the
// order of all.Signers), with their weights.
func counting(all sdk.SignatureData, q sdk.Quorum) (sdk.SignatureData, []*big.Int) {
	sigs := sdk.SignatureData{ReferenceBlock: all.ReferenceBlock}
	var weights []*big.Int
	for i, who := range all.Signers {
		w := weightOf(q, i)
		if w.Sign() <= 0 {
			continue
		}
		sigs.Signers = append(sigs.Signers, who)
		sigs.Signatures = append(sigs.Signatures, all.Signatures[i])
		weights = append(weights, w)
	}
	return sigs, weights
}

func sum(ws []*big.Int) *big.Int {
	s := new(big.Int)
	for _, w := range ws {
		s.Add(s, w)
	}
	return s
}

// resultEnvelope is the envelope this node signed for a result.
func resultEnvelope(res store.ResultRecord) (sdk.Envelope, error) {
	var env sdk.Envelope
	eid, err := hex.DecodeString(res.EventID)
	if err != nil || len(eid) != 20 {
		return env, fmt.Errorf("event id %q is not 20 bytes of hex", res.EventID)
	}
	copy(env.EventID[:], eid)
	env.Payload = res.Payload
	return env, nil
}

// peerEnvelope is the envelope and signer of a stored peer signature.
func peerEnvelope(ps store.PeerSignature) (sdk.Envelope, sdk.Address, error) {
	var env sdk.Envelope
	eid, err := hex.DecodeString(ps.EventID)
	if err != nil || len(eid) != 20 {
		return env, sdk.Address{}, fmt.Errorf("peer signature: event id %q is not 20 bytes of hex", ps.EventID)
	}
	copy(env.EventID[:], eid)
	if len(ps.Ordering) > 0 && len(ps.Ordering) != len(env.Ordering) {
		return env, sdk.Address{}, fmt.Errorf("peer signature: ordering has %d bytes", len(ps.Ordering))
	}
	copy(env.Ordering[:], ps.Ordering)
	env.Payload = ps.Payload
	who, err := parseAddress(ps.Signer)
	return env, who, err
}

// manager returns (and remembers) the service manager of a handler.
func (a *Aggregator) manager(ctx context.Context, c Chain, chain string, handler sdk.Address) (sdk.Address, error) {
	key := chain + "/" + handler.Hex()
	a.mu.Lock()
	m, ok := a.managers[key]
	a.mu.Unlock()
	if ok {
		return m, nil
	}
	m, err := c.ServiceManager(ctx, chain, handler)
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
	signed := sum(weights)
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

// topicOf is the topic a service's operators gossip on.
func topicOf(serviceID string) string { return service.TopicFor(serviceID) }
