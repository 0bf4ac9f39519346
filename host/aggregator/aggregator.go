// Package aggregator lands signed results on chain, alone or together
// with the service's other operators, exactly once per event as far as it
// can tell and at least once always.
//
// A result bound for a service handler is queued in the store and stays
// there until its landing is proven from the chain (or the operator drops
// it): this node's own successful transaction, the handler refusing the
// envelope with an error that names the event as handled, or another
// operator's transaction that the submit plugin checked (sent to the
// handler, calling handleSignedEnvelope with this event id, status 1). No
// revert and no peer's word counts as landed.
//
// Whether signatures are enough is decided by the service manager's
// validate, called at referenceBlock = head − 1 (validate requires
// referenceBlock < block.number, and an eth_call at "latest" runs with
// block.number = head). The WAVS interface has no view of the total weight
// or the threshold; where the submit plugin knows views a manager has
// anyway, they only spare validate calls that cannot pass, and show
// progress.
//
// # Operators together
//
// Without a Network the node is a single operator: its own signature must
// pass validate. With one, each operator publishes its signature on the
// service's topic (and again on a timer, with backoff, until the event
// lands, so that peers that joined late or lost a message catch up), and
// takes its peers' signatures in: a signature counts only once its signer
// is recovered from it and has weight in the service manager, and each
// signer counts once. Signatures are kept per envelope (only identical
// envelopes can be submitted together); an operator that signs two
// different envelopes for one event is recorded as evidence and counts for
// neither.
//
// Once the signatures over this node's envelope pass validate, every
// operator ranks the signers the same way (SubmitOrder). The first claims
// the event (a signed message on the topic) and submits at once; the one
// in place r takes over r × ClaimWait later unless an operator ranked
// before it has claimed the event, in which case it waits FallbackDelay
// after that claim. Before any turn but the first it looks for the
// landing on chain, and the submitter's landed notice names its
// transaction, which the others check before they stand down. So while
// claims and notices travel in less than ClaimWait, one transaction is
// sent per event; a submitter that dies costs ClaimWait (before it
// claimed) or FallbackDelay (after).
//
// # Reorgs
//
// A proven landing is watched until its block is final (watch.go); one
// that a reorg undid is queued again, unless the reorg replaced the
// trigger's block too, and a result whose trigger's block was replaced is
// never sent (status StatusReorged).
package aggregator

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-hclog"
	"golang.org/x/sync/singleflight"
	"golang.org/x/time/rate"

	"github.com/wavs-go/wavs/host/plugins"
	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/host/store"
	"github.com/wavs-go/wavs/internal/backoff"
	"github.com/wavs-go/wavs/internal/signer"
	"github.com/wavs-go/wavs/sdk"
)

// Chain is what the aggregator asks of a chain's submit plugin.
type Chain interface {
	LatestBlock(ctx context.Context, chain string) (sdk.BlockRef, error)
	ServiceManager(ctx context.Context, chain, handler string) (string, error)
	Quorum(ctx context.Context, q sdk.QuorumQuery) (sdk.Quorum, error)
	Validate(ctx context.Context, sub sdk.Submission) (sdk.Validation, error)
	Submit(ctx context.Context, sub sdk.Submission) (sdk.Receipt, error)
	FindLanding(ctx context.Context, q sdk.LandingQuery) (sdk.Landing, error)
	BlockAt(ctx context.Context, chain string, number uint64) (sdk.BlockRef, error)
}

// Network is the transport operators exchange signatures on.
type Network interface {
	Publish(ctx context.Context, topic string, data []byte) error
	Inbound() <-chan sdk.Message
}

// Route is where a workflow's results land.
type Route struct {
	Chain string
	// Handler is the contract that takes the envelopes, in the chain
	// family's text form (evm: 0x and 40 lowercase hex digits).
	Handler string
	// Manager, when set, is the service manager on Chain, read directly
	// rather than through the handler (a workflow whose aggregator
	// component picks the handler per event has no single handler).
	Manager string
	// Plugin is the submit plugin the workflow names ("" for the first
	// that serves Chain's family).
	Plugin string
	// Key is the service's signing key on this node; it signs this node's
	// claims (nil: the node submits without claiming).
	Key *signer.Key
}

// Options tune an Aggregator.
type Options struct {
	Store      *store.Store
	Submitters []*plugins.Submitter
	// ChainFor picks the plugin for a chain (default: from Submitters by
	// capability).
	ChainFor func(chain, plugin string) (Chain, error)
	Logger   hclog.Logger
	// RetryMin and RetryMax bound the backoff between attempts (default
	// 1 s and 5 min).
	RetryMin, RetryMax time.Duration
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
	// the submitting turns start; zero (or negative) for none. Unlike the
	// other durations it has no default here: the node's configuration
	// gives one ([wavs.aggregator] settle_ms), and zero is a setting.
	SettleDelay time.Duration
	// ClaimWait is each operator's turn while nobody ranked before it has
	// claimed the event: the one in place r of the submit order submits r
	// × ClaimWait after the first (default 2 s; longer than a claim takes
	// to reach the others).
	ClaimWait time.Duration
	// FallbackDelay is how long after an operator ranked before this one
	// claimed the event this one waits before it takes over (default 15 s;
	// longer than a block and a receipt). It is also the pause between
	// looks at the chain of an event short of the quorum.
	FallbackDelay time.Duration
	// ValidateEvery is how often validate is asked about signatures that
	// the manager's own views say are short of its thresholds (default 1
	// min): views are hints, validate decides.
	ValidateEvery time.Duration
	// LandingLookback is how many blocks before the head, at its first
	// attempt, a submission looks for a landing in when its trigger came
	// from another chain or none (default 128).
	LandingLookback uint64
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
	// WatchInterval is the first pause between looks at a landing not
	// final yet (default 2 s); it doubles up to 15 times that.
	WatchInterval time.Duration
	// Landed, if set, is told of the landing of each submission marked
	// Callback (an aggregator component chose its target) once it is
	// recorded. It must not block: the queue waits for it.
	Landed func(ctx context.Context, sub store.Submission, res store.ResultRecord)
}

// Aggregator is the node's submission queue.
type Aggregator struct {
	o    Options
	log  hclog.Logger
	kick chan struct{}

	mu       sync.Mutex
	managers map[string]string        // chain/handler → service manager
	inflight map[service.EventID]bool // event ids being worked on
	kicked   map[service.EventID]bool // event ids to work on now
	// pending is the queue's index of the store's pending submissions
	// (pending.go); pendingLoaded once it has been read from the store.
	pending       map[service.EventID]pendingEntry
	pendingLoaded bool
	// watched is the same for the landing watches: event id → next look.
	watched       map[service.EventID]time.Time
	watchedLoaded bool
	events        map[service.EventID]*eventState // per pending event: publishing, claims, notices, verdicts
	members       map[memberKey]member            // signers' weights, as recently read
	views         map[string]managerView          // managers' totals and thresholds, as recently read
	lookups       map[string]*rate.Limiter        // per peer: reads of signers not known
	replies       map[service.EventID]time.Time   // event ids: last landed notice sent to a late signer
	heads         map[string]headRead             // chain → head, for pre-checks
	hurried       map[service.EventID]bool        // event ids whose landing watch is due now
	outages       map[string]time.Time            // chain → when an attempt last found it unreachable
	stats         Stats
	// global is the budget of all peers' reads of unknown signers;
	// rejectedBy counts rejections per peer, sinceLog by reason since the
	// last summary line (rejections.go).
	global     *rate.Limiter
	rejectedBy peerRejections
	sinceLog   map[string]uint64
	// reports are verdicts for the transport; noVerdicts is set once it
	// said it takes none (inbound.go).
	reports    chan report
	noVerdicts atomic.Bool
	// lookingUp counts the queued messages per signer whose weight is to
	// be read (inbound.go).
	lookingUp map[memberKey]int
	// reads shares one chain read among the messages of one signer.
	reads singleflight.Group

	// land orders, per event, taking a peer's signature in against
	// forgetting a landed event's signatures and recording the landing.
	land eventLocks

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
	def(&o.FallbackDelay, 15*time.Second)
	def(&o.ClaimWait, 2*time.Second)
	def(&o.ValidateEvery, time.Minute)
	def(&o.RebroadcastMin, 2*time.Second)
	def(&o.RebroadcastMax, time.Minute)
	def(&o.SignatureTTL, 24*time.Hour)
	def(&o.MemberTTL, 30*time.Second)
	def(&o.WatchInterval, 2*time.Second)
	o.SettleDelay = max(o.SettleDelay, 0) // zero: no settling
	if o.LandingLookback == 0 {
		o.LandingLookback = 128
	}
	if o.MaxInFlight == 0 {
		o.MaxInFlight = 16
	}
	if o.ChainFor == nil {
		list := o.Submitters
		o.ChainFor = func(chain, plugin string) (Chain, error) { return plugins.SubmitterNamed(list, chain, plugin) }
	}
	if o.Routes == nil {
		o.Routes = func(string, string) (Route, bool) { return Route{}, false }
	}
	a := &Aggregator{
		o: o, log: o.Logger, kick: make(chan struct{}, 1),
		managers: map[string]string{}, inflight: map[service.EventID]bool{}, kicked: map[service.EventID]bool{}, pending: map[service.EventID]pendingEntry{}, watched: map[service.EventID]time.Time{},
		events: map[service.EventID]*eventState{}, members: map[memberKey]member{}, views: map[string]managerView{}, lookups: map[string]*rate.Limiter{}, replies: map[service.EventID]time.Time{}, heads: map[string]headRead{}, hurried: map[service.EventID]bool{}, outages: map[string]time.Time{},
		slots: make(chan struct{}, o.MaxInFlight),
	}
	a.stats.Mode = "single-operator"
	if o.Network != nil {
		a.stats.Mode = "operators"
	}
	a.stats.Rejected = map[string]uint64{}
	a.global = rate.NewLimiter(globalLookupRate, globalLookupBurst)
	a.rejectedBy, a.sinceLog = peerRejections{}, map[string]uint64{}
	a.reports = make(chan report, reportBuffer)
	a.lookingUp = map[memberKey]int{}
	return a
}

// Enqueue stores a submission and wakes the queue. Enqueueing an event
// that is already queued replaces nothing but its target.
func (a *Aggregator) Enqueue(ctx context.Context, sub store.Submission) error {
	if _, err := a.o.ChainFor(sub.Chain, sub.Plugin); err != nil {
		return err
	}
	old, ok, err := a.o.Store.GetSubmission(ctx, sub.EventID)
	if err != nil {
		return err
	}
	if ok {
		sub.QuorumAt, sub.CreatedAt = old.QuorumAt, old.CreatedAt
	}
	if err := a.putSubmission(ctx, sub); err != nil {
		return err
	}
	a.wake(sub.EventID)
	return nil
}

// EnqueueResult stores a new result and queues its submission in one
// transaction (see store.AddResultAndQueue), and reports whether the
// result was new. A redelivered result is queued again unless it has
// moved on (landed, failed, dropped).
func (a *Aggregator) EnqueueResult(ctx context.Context, rec store.ResultRecord, sub store.Submission) (added bool, err error) {
	if _, err := a.o.ChainFor(sub.Chain, sub.Plugin); err != nil {
		return false, err
	}
	added, queued, err := a.o.Store.AddResultAndQueue(ctx, rec, sub)
	if err != nil {
		return false, err
	}
	if queued != nil {
		a.note(*queued)
		a.wake(sub.EventID)
	}
	return added, nil
}

// wake marks an event to be worked on now and wakes the queue.
func (a *Aggregator) wake(eventID service.EventID) {
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
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		a.watch(ctx)
	}()
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
	// What peers said of events this node does not work on (claims of
	// events it never signed, say) goes too, once it is a prune interval
	// old: a claim may come just before this node signs.
	if err := a.loadPending(ctx); err != nil {
		return
	}
	a.mu.Lock()
	for id, st := range a.events {
		if _, pending := a.pending[id]; !pending && !a.inflight[id] && time.Since(st.created) > pruneInterval {
			delete(a.events, id)
		}
	}
	a.mu.Unlock()
}

// drain starts every due submission that is not in flight, at most
// MaxInFlight at a time, and returns when the next one not started is due
// (zero: none).
func (a *Aggregator) drain(ctx context.Context) (next time.Time) {
	if err := a.loadPending(ctx); err != nil {
		if ctx.Err() == nil {
			a.log.Error("list submissions", "error", err)
		}
		return time.Now().Add(a.o.RetryMin)
	}
	now := time.Now()
	for _, q := range a.queue() {
		if ctx.Err() != nil {
			return next
		}
		a.mu.Lock()
		due := !q.next.After(now) || a.kicked[q.eventID]
		busy := a.inflight[q.eventID]
		if due && !busy {
			a.inflight[q.eventID] = true
			delete(a.kicked, q.eventID)
		}
		a.mu.Unlock()
		if !due || busy {
			if !due && (next.IsZero() || q.next.Before(next)) {
				next = q.next
			}
			continue
		}
		select {
		case a.slots <- struct{}{}:
		case <-ctx.Done():
			return next
		}
		a.wg.Add(1)
		go func(eventID service.EventID) {
			defer a.wg.Done()
			a.process(ctx, eventID)
			a.mu.Lock()
			delete(a.inflight, eventID)
			a.mu.Unlock()
			<-a.slots
			// Its next try (or a wake-up that came meanwhile) is for Run
			// to time.
			select {
			case a.kick <- struct{}{}:
			default:
			}
		}(q.eventID)
	}
	return next
}

// errRetry marks a submission that cannot go on yet (the quorum is not
// met, the chain is at block 0): tried again later, logged without alarm.
var errRetry = errors.New("not ready")

// outcome is what one attempt at a submission came to.
type outcome struct {
	proof *proof // the landing, once proven
	// wait, when set, is when to look again (no failure: the quorum or
	// this operator's turn is still to come); note says why.
	wait time.Time
	note string
	// reorged: a reorg replaced the trigger's block; the result is not
	// sent.
	reorged bool
}

// Result statuses set here (store's).
const (
	StatusSubmitted = store.StatusSubmitted
	StatusDropped   = store.StatusDropped
)

func (a *Aggregator) process(ctx context.Context, eventID service.EventID) {
	sub, ok, err := a.o.Store.GetSubmission(ctx, eventID)
	if err != nil || !ok {
		if err == nil {
			// Not in the store (any more): nothing for the queue to do.
			a.mu.Lock()
			delete(a.pending, eventID)
			a.mu.Unlock()
		}
		return
	}
	log := a.log.With("event_id", "0x"+sub.EventID.String(), "service", sub.ServiceID, "chain", sub.Chain)
	res, ok, err := a.o.Store.GetResult(ctx, sub.EventID)
	if err != nil {
		log.Error("read result", "error", err)
		return
	}
	if !ok || res.Status == StatusSubmitted || res.Status == StatusDropped || res.Status == StatusReorged {
		a.finish(ctx, sub.EventID)
		return
	}
	if a.o.Network != nil {
		a.publish(ctx, res, log)
	}
	if at, ok := a.outageSince(sub.Chain, sub.EventID); ok {
		// Another event found the chain unreachable since this one's
		// turns were planned: the claims that arrived before then (of
		// operators that could not send either) are stale, and the turns
		// start again from now, as this event's own failure would have
		// made them.
		sub.QuorumAt = time.Time{}
		a.resetTurns(sub.EventID, at, false)
	}
	began := time.Now()
	before, resBefore := sub, res
	out, err := a.attempt(ctx, &sub, &res, log)
	switch {
	case err != nil:
		if ctx.Err() != nil {
			return
		}
		// Nothing is given up: the result stays pending, trying less and
		// less often, until its landing is proven or the operator drops
		// it.
		sub.Attempts++
		sub.LastError, res.Error = err.Error(), err.Error()
		if errors.Is(err, sdk.ErrUnavailable) {
			a.noteOutage(sub.Chain, began)
			if !sub.QuorumAt.IsZero() {
				// The chain (or its plugin) could not be reached: the turns
				// start again from when it can, so that a recovery never
				// makes two operators' turns due at once.
				sub.QuorumAt = time.Time{}
				log.Info("chain unreachable: the submit turns start again once it answers", "error", err)
			}
			a.resetTurns(sub.EventID, began, true)
		}
		pause := a.backoff(sub.Attempts)
		if errors.Is(err, errRetry) || errors.Is(err, sdk.ErrUnavailable) {
			// Not a failure of this submission: the manager (or the chain)
			// is asked again at least every FallbackDelay, so that a weight
			// or threshold changed on chain, or a chain back up, is noticed
			// soon.
			pause = min(pause, a.o.FallbackDelay)
		}
		sub.NextTry = a.sooner(sub.EventID, time.Now().Add(pause))
		if errors.Is(err, errRetry) {
			log.Info("submission waits", "why", err, "attempts", sub.Attempts, "next_try", sub.NextTry.Format(time.RFC3339))
		} else {
			log.Warn("submission not landed yet; will retry", "error", err, "attempts", sub.Attempts, "next_try", sub.NextTry.Format(time.RFC3339))
		}
	case out.reorged:
		res.Status, res.Error = StatusReorged, fmt.Sprintf("a reorg replaced the trigger's block %d before the result landed", sub.TriggerBlock)
		if err := a.o.Store.PutResult(ctx, res); err != nil {
			log.Error("store result", "error", err)
			return
		}
		a.finish(ctx, sub.EventID)
		a.count(func(s *Stats) { s.TriggersReorged++ })
		log.Warn("a reorg replaced the trigger's block: the result is not sent", "trigger_block", sub.TriggerBlock)
		return
	case out.proof == nil:
		sub.NextTry = a.sooner(sub.EventID, out.wait)
		sub.LastError, res.Error = out.note, ""
		log.Debug("submission waits", "why", out.note, "next_try", sub.NextTry.Format(time.RFC3339Nano))
	default:
		a.landed(ctx, sub, res, *out.proof, log)
		return
	}
	if unchanged(before, sub, resBefore, res) {
		// Woken again with nothing new (a signature it had, a claim): only
		// the next try moved, which the queue keeps; a restart retries
		// every pending submission at once anyway.
		a.note(sub)
		return
	}
	if err := a.putProgress(ctx, res, sub); err != nil {
		log.Error("store the result and its submission", "error", err)
	}
}

// unchanged tells whether an attempt changed nothing of a submission and
// its result but the submission's next try.
func unchanged(subBefore, sub store.Submission, resBefore, res store.ResultRecord) bool {
	subBefore.NextTry, sub.NextTry = time.Time{}, time.Time{}
	return reflect.DeepEqual(subBefore, sub) && reflect.DeepEqual(resBefore, res)
}

// finish forgets a submission that landed or was dropped, and the peers'
// signatures for it.
func (a *Aggregator) finish(ctx context.Context, eventID service.EventID) {
	if err := a.deleteSubmission(ctx, eventID); err != nil {
		a.log.Error("delete submission", "event_id", "0x"+eventID.String(), "error", err)
	}
	unlock := a.land.lock(eventID)
	err := a.o.Store.DeletePeerSignatures(ctx, eventID)
	unlock()
	if err != nil {
		a.log.Error("delete peer signatures", "event_id", "0x"+eventID.String(), "error", err)
	}
	a.mu.Lock()
	delete(a.events, eventID)
	delete(a.kicked, eventID)
	a.mu.Unlock()
}

// Drop removes a pending submission at the operator's request: its result
// is marked dropped and never submitted. sdk.ErrNotFound when the event is
// not pending.
func (a *Aggregator) Drop(ctx context.Context, raw string) error {
	eventID, err := service.ParseEventID(strings.TrimPrefix(strings.ToLower(raw), "0x"))
	if err != nil {
		return fmt.Errorf("%w: event id %q: want 20 bytes of hex (0x and 40 hex digits)", sdk.ErrInvalidArgument, clip(raw))
	}
	if _, ok, err := a.o.Store.GetSubmission(ctx, eventID); err != nil {
		return err
	} else if !ok {
		return fmt.Errorf("%w: no pending submission of event 0x%s", sdk.ErrNotFound, eventID)
	}
	// Not while an attempt is working on it: that attempt could land it
	// after the drop was recorded.
	for {
		a.mu.Lock()
		busy := a.inflight[eventID]
		if !busy {
			a.inflight[eventID] = true
		}
		a.mu.Unlock()
		if !busy {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	defer func() {
		a.mu.Lock()
		delete(a.inflight, eventID)
		a.mu.Unlock()
	}()
	res, ok, err := a.o.Store.GetResult(ctx, eventID)
	if err != nil {
		return err
	}
	if ok && res.Status != StatusSubmitted {
		res.Status, res.Error = StatusDropped, "dropped by the operator before its landing was proven"
		if err := a.o.Store.PutResult(ctx, res); err != nil {
			return err
		}
	}
	a.finish(ctx, eventID)
	a.count(func(s *Stats) { s.Dropped++ })
	a.log.Warn("pending submission dropped by the operator", "event_id", "0x"+eventID.String())
	return nil
}

func (a *Aggregator) backoff(attempts int) time.Duration {
	return backoff.Doubling(a.o.RetryMin, a.o.RetryMax, attempts)
}

// resultEnvelope is the envelope this node signed for a result.
func resultEnvelope(res store.ResultRecord) (sdk.Envelope, error) {
	var env sdk.Envelope
	env.EventID = res.EventID
	if len(res.Ordering) > 0 && len(res.Ordering) != len(env.Ordering) {
		return env, fmt.Errorf("result %s: ordering has %d bytes", res.EventID, len(res.Ordering))
	}
	copy(env.Ordering[:], res.Ordering)
	env.Payload = res.Payload
	return env, nil
}

// peerEnvelope is the envelope and signer of a stored peer signature.
func peerEnvelope(ps store.PeerSignature) (sdk.Envelope, sdk.Address, error) {
	var env sdk.Envelope
	env.EventID = ps.EventID
	if len(ps.Ordering) > 0 && len(ps.Ordering) != len(env.Ordering) {
		return env, sdk.Address{}, fmt.Errorf("peer signature: ordering has %d bytes", len(ps.Ordering))
	}
	copy(env.Ordering[:], ps.Ordering)
	env.Payload = ps.Payload
	return env, ps.Signer, nil
}

// manager returns (and remembers) the service manager of a handler.
func (a *Aggregator) manager(ctx context.Context, c Chain, chain, handler string) (string, error) {
	key := chain + "/" + handler
	a.mu.Lock()
	m, ok := a.managers[key]
	a.mu.Unlock()
	if ok {
		return m, nil
	}
	m, err := c.ServiceManager(ctx, chain, handler)
	if err != nil {
		return m, fmt.Errorf("service manager of handler %s: %w", handler, err)
	}
	a.mu.Lock()
	a.managers[key] = m
	a.mu.Unlock()
	return m, nil
}

// topicOf is the topic a service's operators gossip on.
func topicOf(serviceID string) string { return service.TopicFor(serviceID) }
