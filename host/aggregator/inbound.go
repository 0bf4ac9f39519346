package aggregator

import (
	"context"
	"errors"
	"sync"

	"github.com/wavs-go/wavs/sdk"
)

// Inbound processing. Messages go through three stages:
//
//  1. checkers (inboundCheckers goroutines) decode each message, recover
//     its signer and sort it: landed notices, and messages whose signer
//     is a known operator (its weight above zero in the weight cache, at
//     any age), go to the fast lanes; the rest, which may need a chain
//     read, go to a queue per forwarding peer;
//  2. fastWorkers take the fast lanes (landed notices and claims first):
//     an operator's signature never waits behind junk or a chain read;
//  3. slowWorkers take the per-forwarder queues round-robin, each
//     forwarder's queue bounded (perPeerQueue), so one peer's backlog
//     delays only itself and a slow chain read holds one worker.
//
// Every message that carries an id gets the verdict (accept, reject,
// ignore) reported back to the transport, which forwards or drops it and
// scores its sender.
const (
	inboundCheckers = 2
	fastWorkers     = 2
	slowWorkers     = 4
	fastLane        = 1024
	// perPeerQueue bounds one forwarder's messages waiting for a chain
	// read; slowQueue all of them.
	perPeerQueue = 64
	slowQueue    = 4096
	// reportBuffer bounds the verdicts waiting to be sent to the
	// transport; past it they are dropped (the transport then ignores the
	// message after its wait).
	reportBuffer = 4096
)

// inbound is one message from a peer, decoded and its signer recovered.
type inbound struct {
	msg sdk.Message
	g   Gossip
	// who is the signer (claims and signatures), whoErr why it could not
	// be recovered.
	who    sdk.Address
	whoErr error
	route  Route
	routed bool
	// budgeted: a chain read of the signer was taken from the budgets
	// (by this message, or by an earlier one whose read is pending: key).
	budgeted bool
	key      memberKey
}

// peerOf is the peer a message's budget is charged to: the one that
// forwarded it, or, from a transport that does not tell, its author.
func peerOf(m sdk.Message) string {
	if m.ReceivedFrom != "" {
		return m.ReceivedFrom
	}
	return m.From
}

// fairQueue holds items per key and hands them out round-robin across
// keys: a key with a long backlog delays only its own items.
type fairQueue[T any] struct {
	mu      sync.Mutex
	perKey  int
	max     int
	n       int
	queues  map[string][]T
	ring    []string // keys with items, in turn order
	ready   chan struct{}
	dropped uint64
}

func newFairQueue[T any](perKey, max int) *fairQueue[T] {
	return &fairQueue[T]{perKey: perKey, max: max, queues: map[string][]T{}, ready: make(chan struct{}, 1)}
}

// push adds item under key; false if the key's queue or the whole queue
// is full.
func (q *fairQueue[T]) push(key string, item T) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	items, ok := q.queues[key]
	if len(items) >= q.perKey || q.n >= q.max {
		q.dropped++
		return false
	}
	if !ok || len(items) == 0 {
		q.ring = append(q.ring, key)
	}
	q.queues[key] = append(items, item)
	q.n++
	select {
	case q.ready <- struct{}{}:
	default:
	}
	return true
}

// tryPop takes the next key's oldest item.
func (q *fairQueue[T]) tryPop() (T, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	var zero T
	if len(q.ring) == 0 {
		return zero, false
	}
	key := q.ring[0]
	q.ring = q.ring[1:]
	items := q.queues[key]
	item := items[0]
	items[0] = zero
	if items = items[1:]; len(items) > 0 {
		q.queues[key] = items
		q.ring = append(q.ring, key) // to the back of the turn order
	} else {
		delete(q.queues, key)
	}
	q.n--
	if q.n > 0 {
		select {
		case q.ready <- struct{}{}:
		default:
		}
	}
	return item, true
}

// pop waits for an item until ctx is done.
func (q *fairQueue[T]) pop(ctx context.Context) (T, bool) {
	for {
		if item, ok := q.tryPop(); ok {
			return item, true
		}
		select {
		case <-ctx.Done():
			var zero T
			return zero, false
		case <-q.ready:
		}
	}
}

// lanes are the fast lanes and the per-forwarder queue.
type lanes struct {
	urgent, known chan inbound
	slow          *fairQueue[inbound]
}

func newLanes() *lanes {
	return &lanes{urgent: make(chan inbound, fastLane), known: make(chan inbound, fastLane), slow: newFairQueue[inbound](perPeerQueue, slowQueue)}
}

// nextFast returns the next urgent item, else the next known one.
func (l *lanes) nextFast(ctx context.Context) (inbound, bool) {
	select {
	case in := <-l.urgent:
		return in, true
	default:
	}
	select {
	case <-ctx.Done():
		return inbound{}, false
	case in := <-l.urgent:
		return in, true
	case in := <-l.known:
		return in, true
	}
}

// listen takes in the peers' messages until ctx is done (see the stages
// above).
func (a *Aggregator) listen(ctx context.Context) {
	in := a.o.Network.Inbound()
	l := newLanes()
	var wg sync.WaitGroup
	defer wg.Wait()
	run := func(n int, f func()) {
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				f()
			}()
		}
	}
	run(1, func() { a.sendReports(ctx) })
	run(1, func() { a.logRejections(ctx) })
	run(fastWorkers, func() {
		for {
			it, ok := l.nextFast(ctx)
			if !ok {
				return
			}
			a.report(it.msg, a.receive(ctx, it))
		}
	})
	run(slowWorkers, func() {
		for {
			it, ok := l.slow.pop(ctx)
			if !ok {
				return
			}
			a.report(it.msg, a.receive(ctx, it))
			a.lookupDone(it.key)
		}
	})
	run(inboundCheckers, func() {
		for {
			select {
			case <-ctx.Done():
				return
			case msg := <-in:
				a.count(func(s *Stats) { s.Received++ })
				if !a.sort(ctx, msg, l) {
					return
				}
			}
		}
	})
}

// sort decodes msg, recovers its signer and puts it in its lane; false
// once ctx is done.
func (a *Aggregator) sort(ctx context.Context, msg sdk.Message, l *lanes) bool {
	g, err := DecodeGossip(msg.Data)
	if err != nil {
		a.report(msg, a.reject(msg, RejectMalformed, err))
		return true
	}
	it := inbound{msg: msg, g: g}
	it.route, it.routed = a.o.Routes(g.ServiceID, g.WorkflowID)
	if !g.Landed {
		it.who, it.whoErr = g.Verify()
	}
	lane := l.known
	switch {
	case g.Landed || g.Claim && it.whoErr == nil && it.routed && a.isOperator(it.route, it.who):
		lane = l.urgent
	case it.whoErr != nil || !it.routed || a.isOperator(it.route, it.who) || a.cached(it.route, it.who):
		// An operator, or judged without a chain read.
	default:
		// A chain read is needed: charged to the forwarder's budget and
		// the global one now, so that a peer over its budget is refused
		// at once, not after a queue.
		// A signer whose read is already pending is charged once: its
		// other messages wait for that read.
		peer := peerOf(msg)
		it.key = a.lookupKey(it.route, it.who)
		if first := a.lookupStart(it.key); first {
			if err := a.takeLookup(peer); err != nil {
				a.lookupDone(it.key)
				reason := RejectRateLimited
				if errors.Is(err, errOverloaded) {
					reason = RejectOverloaded
				}
				a.report(msg, a.reject(msg, reason, err))
				return true
			}
		}
		it.budgeted = true
		if !l.slow.push(peer, it) {
			a.lookupDone(it.key)
			a.report(msg, a.reject(msg, RejectOverloaded, errors.New("too many of the peer's messages wait for a chain read")))
		}
		return true
	}
	select {
	case lane <- it:
		return true
	case <-ctx.Done():
		return false
	}
}

// routeManager is the route's manager as known without a chain read.
// The caller holds a.mu.
func (a *Aggregator) routeManager(r Route) (string, bool) {
	if r.Manager != "" {
		return r.Manager, true
	}
	m, ok := a.managers[r.Chain+"/"+r.Handler]
	return m, ok
}

// lookupKey names a signer of a route for lookupStart: by its manager,
// or by its handler while the manager is not known.
func (a *Aggregator) lookupKey(r Route, who sdk.Address) memberKey {
	a.mu.Lock()
	defer a.mu.Unlock()
	m, ok := a.routeManager(r)
	if !ok {
		m = r.Handler
	}
	return memberKey{r.Chain, m, who}
}

// lookupStart notes one more queued message that needs key's weight;
// true if it is the only one (its read is to be charged).
func (a *Aggregator) lookupStart(key memberKey) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.lookingUp[key]++
	return a.lookingUp[key] == 1
}

// lookupDone undoes lookupStart once the message was worked (a zero key:
// nothing to undo).
func (a *Aggregator) lookupDone(key memberKey) {
	if key == (memberKey{}) {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.lookingUp[key]--; a.lookingUp[key] <= 0 {
		delete(a.lookingUp, key)
	}
}

// cached reports whether who's weight (of any value) was read recently.
func (a *Aggregator) cached(r Route, who sdk.Address) bool {
	a.mu.Lock()
	manager, ok := a.routeManager(r)
	a.mu.Unlock()
	return ok && a.known(r.Chain, manager, who)
}

// isOperator reports whether who was read with weight above zero in the
// route's manager (at any age: the weight is read again when stale, but
// the signer skips the budgets for unknown signers). A route whose
// manager is not known yet has no known operators.
func (a *Aggregator) isOperator(r Route, who sdk.Address) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	manager, ok := a.routeManager(r)
	if !ok {
		return false
	}
	m, ok := a.members[memberKey{r.Chain, manager, who}]
	return ok && m.weight != nil && m.weight.Sign() > 0
}

// verdictOf is what the transport is told of a message refused for
// reason: reject (not forwarded, its sender's score falls) when the
// message is invalid whoever checks it or its sender exceeded its own
// budget; ignore (not forwarded, nobody blamed) when this node could not
// or need not judge it.
func verdictOf(reason string) sdk.Verdict {
	switch reason {
	case RejectMalformed, RejectWrongTopic, RejectBadSignature, RejectNotOperator, RejectRateLimited:
		return sdk.VerdictReject
	}
	// unknown_service (this node may not run it yet), unverified (the
	// chain did not answer), overloaded (this node's budget, not the
	// peer's), equivocation (the forwarder may be honest; evidence is
	// kept), false_landing (checked later, never reported).
	return sdk.VerdictIgnore
}

// verdictReporter is a Network that takes verdicts (host/plugins'
// Transport).
type verdictReporter interface {
	Report(ctx context.Context, id string, v sdk.Verdict) error
}

type report struct {
	id string
	v  sdk.Verdict
}

// report queues the verdict on msg for the transport, if it asked for one.
func (a *Aggregator) report(msg sdk.Message, v sdk.Verdict) {
	if msg.ID == "" || a.noVerdicts.Load() {
		return
	}
	if _, ok := a.o.Network.(verdictReporter); !ok {
		return
	}
	select {
	case a.reports <- report{msg.ID, v}:
	default: // the transport ignores it after its wait
	}
}

// sendReports sends the queued verdicts until ctx is done, and stops for
// good if the transport takes none.
func (a *Aggregator) sendReports(ctx context.Context) {
	r, ok := a.o.Network.(verdictReporter)
	if !ok {
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case rep := <-a.reports:
			rctx, cancel := context.WithTimeout(ctx, reportTimeout)
			err := r.Report(rctx, rep.id, rep.v)
			cancel()
			if errors.Is(err, sdk.ErrUnimplemented) && !a.noVerdicts.Swap(true) {
				a.log.Debug("the transport takes no verdicts")
			}
		}
	}
}
