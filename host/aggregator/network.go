package aggregator

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"time"

	"github.com/hashicorp/go-hclog"
	"golang.org/x/time/rate"

	"github.com/wavs-go/wavs/host/store"
	"github.com/wavs-go/wavs/internal/backoff"
	"github.com/wavs-go/wavs/sdk"
)

// Stats counts what the aggregator did since the node started.
type Stats struct {
	// Mode is "single-operator" or "operators" (signatures gossiped).
	Mode string `json:"mode"`
	// Pending is the submissions whose landing is not proven yet.
	Pending int `json:"pending"`
	// Published counts this node's signatures sent to peers, re-sends
	// included; PublishFailed the sends the transport refused.
	Published     uint64 `json:"signatures_published"`
	PublishFailed uint64 `json:"signatures_publish_failed"`
	// Received counts the messages taken in; each signature ends as one
	// of Accepted, Duplicate, Late or a Rejected reason.
	Received  uint64 `json:"signatures_received"`
	Accepted  uint64 `json:"signatures_accepted"`
	Duplicate uint64 `json:"signatures_duplicate"`
	Late      uint64 `json:"signatures_late"`
	// Rejected counts refused messages by reason (see the Reject*
	// constants).
	Rejected map[string]uint64 `json:"signatures_rejected"`
	// RejectedPeers are the peers that forwarded the most rejected
	// messages, by reason (the top ones, the rest as "other").
	RejectedPeers []PeerRejections `json:"rejected_by_peer"`
	// SignerLookups counts the chain reads of signers not known as
	// operators that the budgets allowed.
	SignerLookups uint64 `json:"signer_lookups"`
	// QuorumsReached counts events whose signatures passed validate.
	QuorumsReached uint64 `json:"quorums_reached"`
	// Sent counts the submissions this node made at its turn (a call that
	// may send a transaction).
	Sent uint64 `json:"submissions_sent"`
	// Claims counts this node's claims published; ClaimsReceived the
	// peers' claims that verified.
	Claims         uint64 `json:"claims_published"`
	ClaimsReceived uint64 `json:"claims_received"`
	// LandedNotices counts the peers' notices that they landed an event.
	LandedNotices uint64 `json:"landed_notices"`
	// Submitted counts the events this node landed with its own
	// transaction; AlreadyHandled those whose handler named them handled
	// before; LandedElsewhere those proven landed by another operator's
	// transaction (a notice checked, or found on chain); Dropped those the
	// operator removed.
	Submitted       uint64 `json:"submitted"`
	AlreadyHandled  uint64 `json:"already_handled"`
	LandedElsewhere uint64 `json:"landed_elsewhere"`
	Dropped         uint64 `json:"dropped"`
	// Watching is the landings watched until final; LandingsFinal counts
	// those that became final, LandingsUndone those a reorg undid (queued
	// again), TriggersReorged the results not sent (or not sent again)
	// because a reorg replaced their trigger's block.
	Watching        int    `json:"landings_watched"`
	LandingsFinal   uint64 `json:"landings_final"`
	LandingsUndone  uint64 `json:"landings_undone"`
	TriggersReorged uint64 `json:"triggers_reorged"`
}

// Reasons an incoming message is rejected.
const (
	RejectMalformed      = "malformed"       // not a valid gossip message
	RejectWrongTopic     = "wrong_topic"     // its service's topic is another
	RejectUnknownService = "unknown_service" // no registered workflow submits it
	RejectBadSignature   = "bad_signature"   // no signer can be recovered
	RejectNotOperator    = "not_operator"    // the signer has no weight
	RejectUnverified     = "unverified"      // the chain could not be asked
	RejectEquivocation   = "equivocation"    // the signer signed another envelope
	RejectRateLimited    = "rate_limited"    // the peer sent too many unknown signers
	RejectFalseLanding   = "false_landing"   // a landed notice whose transaction proves nothing
	// RejectOverloaded (rejections.go): no budget left on this node
)

// Stats returns a snapshot of the counters.
func (a *Aggregator) Stats(ctx context.Context) Stats {
	a.mu.Lock()
	s := a.stats
	s.Rejected = maps.Clone(a.stats.Rejected)
	s.RejectedPeers = a.rejectedBy.top(topRejectedPeers)
	a.mu.Unlock()
	if n := a.pendingCount(); n >= 0 {
		s.Pending = n
	} else if subs, err := a.o.Store.Submissions(ctx); err == nil {
		s.Pending = len(subs)
	}
	if n := a.watchCount(); n >= 0 {
		s.Watching = n
	} else if ws, err := a.o.Store.Watches(ctx); err == nil {
		s.Watching = len(ws)
	}
	return s
}

func (a *Aggregator) count(f func(*Stats)) {
	a.mu.Lock()
	f(&a.stats)
	a.mu.Unlock()
}

// eventState is what the aggregator keeps in memory of one pending event:
// the publishing of this node's signature, the peers' claims and landed
// notices, and validate's verdicts. It goes when the event lands; after a
// restart it starts empty, which costs a re-publish and a look at the
// chain, never a result.
type eventState struct {
	sent  int
	first time.Time // this node's first publishing of its signature
	last  time.Time
	next  time.Time
	probe time.Time // when the chain was last searched for the landing
	// notices are transactions peers named as the landing, to check;
	// checked those already checked.
	notices []sdk.Hash
	checked map[sdk.Hash]bool
	// rechecks counts, per notice, the looks that found its transaction
	// still pending.
	rechecks map[sdk.Hash]int
	// claims holds when each signer's current claim to be submitting
	// arrived, and claimCounts how many of its claims were taken;
	// claimedAt, when this node claimed the event.
	claims      map[sdk.Address]time.Time
	claimCounts map[sdk.Address]int
	claimedAt   time.Time
	// verdicts are validate's answers by signer set; validatedAt when the
	// whole queue was last put to it.
	verdicts    map[string]verdict
	validatedAt time.Time
	// created is when the state was made: a claim can arrive before this
	// node has the event pending, and pruning leaves it a while.
	created time.Time
	// outage is set once an attempt found the chain unreachable: the
	// operators notice its recovery up to a retry pause apart, so every
	// turn but the first waits that much longer from then on. resetAt is
	// when the turns were last started afresh.
	outage  bool
	resetAt time.Time
}

// eventState returns the event's state, creating it; the caller holds
// a.mu.
func (a *Aggregator) eventState(eventID string) *eventState {
	st := a.events[eventID]
	if st == nil {
		st = &eventState{
			checked: map[sdk.Hash]bool{}, claims: map[sdk.Address]time.Time{}, claimCounts: map[sdk.Address]int{},
			verdicts: map[string]verdict{}, created: time.Now(),
		}
		a.events[eventID] = st
	}
	return st
}

// probeDue reports whether a submission short of the quorum should look
// on chain for its event's landing without this node: once FallbackDelay
// has passed since it signed, and then once every FallbackDelay.
func (a *Aggregator) probeDue(eventID string, signed time.Time) bool {
	now := time.Now()
	if now.Sub(signed) < a.o.FallbackDelay {
		return false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	st := a.eventState(eventID)
	if now.Sub(st.probe) < a.o.FallbackDelay {
		return false
	}
	st.probe = now
	return true
}

// publish sends this node's signature for res to its peers when it is
// due: at once, then after RebroadcastMin, doubling up to RebroadcastMax.
func (a *Aggregator) publish(ctx context.Context, res store.ResultRecord, log hclog.Logger) {
	now := time.Now()
	a.mu.Lock()
	due := !a.eventState(res.EventID).next.After(now)
	a.mu.Unlock()
	if !due {
		return
	}
	env, err := resultEnvelope(res)
	if err != nil {
		log.Error("cannot publish signature", "error", err)
		return
	}
	data, err := EncodeGossip(Gossip{ServiceID: res.ServiceID, WorkflowID: res.WorkflowID, Envelope: env, Signature: res.Signature})
	if err != nil {
		log.Error("cannot publish signature", "error", err)
		return
	}
	if err = a.checkSize(data); err == nil {
		err = a.o.Network.Publish(ctx, topicOf(res.ServiceID), data)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	st := a.eventState(res.EventID)
	if err != nil && tooLarge(err) {
		// Sending it again cannot help (size.go).
		a.stats.PublishFailed++
		logTooLarge(log, st.next.IsZero(), err)
		st.next = now.Add(a.o.RebroadcastMax)
		return
	}
	if err != nil {
		a.stats.PublishFailed++
		st.next = now.Add(a.o.RebroadcastMin)
		log.Warn("publish signature", "error", err)
		return
	}
	a.stats.Published++
	pause := backoff.Doubling(a.o.RebroadcastMin, a.o.RebroadcastMax, st.sent)
	if st.sent == 0 {
		st.first = now
	}
	st.sent++
	st.last, st.next = now, now.Add(pause)
	if st.sent == 1 {
		log.Debug("signature published")
	}
}

// Announce publishes this node's fresh signature at once, before the
// result is stored and queued, so that the peers' quorum does not wait for
// this node's disk; the re-broadcast schedule starts from it. Without a
// Network it does nothing.
func (a *Aggregator) Announce(ctx context.Context, res store.ResultRecord) {
	if a.o.Network == nil {
		return
	}
	a.publish(ctx, res, a.log.With("event_id", "0x"+res.EventID, "service", res.ServiceID))
}

// sooner is t, or the event's next publishing if that comes first.
func (a *Aggregator) sooner(eventID string, t time.Time) time.Time {
	if a.o.Network == nil {
		return t
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if st := a.events[eventID]; st != nil && !st.next.IsZero() && st.next.Before(t) {
		return st.next
	}
	return t
}

// receive checks one message from a peer. A signature is kept if it
// counts: well-formed, on its service's topic, for a workflow this node
// runs, signed by an operator with weight, and not contradicting what that
// operator signed before. A claim is noted if an operator signed it; a
// landed notice is noted to be checked on chain.
//
// It returns the verdict for the transport: accept for what counts (or
// is already counted: a duplicate, a late signature), otherwise by the
// reason (see verdictOf).
func (a *Aggregator) receive(ctx context.Context, in inbound) sdk.Verdict {
	msg, g := in.msg, in.g
	log := a.log.With("peer", peerOf(msg), "topic", msg.Topic)
	reject := func(reason string, err error, args ...any) sdk.Verdict { return a.reject(msg, reason, err, args...) }
	if want := topicOf(g.ServiceID); msg.Topic != want {
		return reject(RejectWrongTopic, errors.New("the message's service gossips on "+want))
	}
	route, ok := in.route, in.routed
	if !ok {
		return reject(RejectUnknownService, errors.New("no registered workflow "+g.WorkflowID+" of service "+g.ServiceID+" submits on chain"))
	}
	if g.Landed {
		a.landedNotice(ctx, g, log)
		return sdk.VerdictAccept
	}
	who, err := in.who, in.whoErr
	if err != nil {
		return reject(RejectBadSignature, err)
	}
	eventID := hex.EncodeToString(g.Envelope.EventID[:])
	log = log.With("event_id", "0x"+eventID, "signer", who.Hex())
	w, err := a.member(ctx, route, who, peerOf(msg), in.budgeted)
	switch {
	case errors.Is(err, errRateLimited):
		return reject(RejectRateLimited, err)
	case errors.Is(err, errOverloaded):
		return reject(RejectOverloaded, err)
	case err != nil:
		return reject(RejectUnverified, err)
	case w.Sign() <= 0:
		return reject(RejectNotOperator, errors.New("the signer has no weight in the service manager"))
	}
	if g.Claim {
		a.claimReceived(eventID, who, msg.ReceivedAt, log)
		return sdk.VerdictAccept
	}
	// Held until the signature is stored, so that an event landing
	// meanwhile cannot leave it behind (finish takes the same lock).
	defer a.land.lock(eventID)()
	res, mine, err := a.o.Store.GetResult(ctx, eventID)
	if err != nil {
		log.Error("read result", "error", err)
		return sdk.VerdictIgnore
	}
	if mine {
		if res.Status == StatusSubmitted || res.Status == StatusDropped {
			a.count(func(s *Stats) { s.Late++ })
			// The peer is still working on an event that landed: tell it
			// where, so that it can check and stop.
			a.replyLanded(ctx, res, log)
			return sdk.VerdictAccept
		}
		if own, err := parseAddress(res.Signer); err == nil && own == who {
			a.count(func(s *Stats) { s.Duplicate++ })
			return sdk.VerdictAccept
		}
	}
	ps := store.PeerSignature{
		EventID: eventID, Signer: hex.EncodeToString(who[:]), ServiceID: g.ServiceID, WorkflowID: g.WorkflowID,
		Ordering: g.Envelope.Ordering[:], Payload: g.Envelope.Payload, Signature: g.Signature, ReceivedAt: msg.ReceivedAt,
	}
	added, prev, err := a.o.Store.AddPeerSignature(ctx, ps)
	if err != nil {
		log.Error("store peer signature", "error", err)
		return sdk.VerdictIgnore
	}
	if prev != nil {
		a.count(func(s *Stats) { s.Rejected[RejectEquivocation]++ })
		// Counted by reason only: the forwarder may be honest.
		fresh, err := a.o.Store.AddEvidence(ctx, store.Evidence{
			EventID: eventID, Signer: ps.Signer, ServiceID: g.ServiceID,
			Envelopes: [2]store.EvidenceEntry{
				{Ordering: prev.Ordering, Payload: prev.Payload, Signature: prev.Signature},
				{Ordering: ps.Ordering, Payload: ps.Payload, Signature: ps.Signature},
			},
		})
		if err != nil {
			log.Error("store evidence", "error", err)
		}
		if fresh {
			log.Warn("operator signed two different envelopes for one event; neither counts again, evidence kept", "reason", RejectEquivocation)
		}
		return verdictOf(RejectEquivocation)
	}
	if !added {
		a.count(func(s *Stats) { s.Duplicate++ })
		return sdk.VerdictAccept
	}
	a.count(func(s *Stats) { s.Accepted++ })
	log.Debug("peer signature accepted")
	// Asked after the signature is stored: a submission queued since the
	// result was read above reads it, one queued before is woken here.
	if _, queued, err := a.o.Store.GetSubmission(ctx, eventID); err == nil && queued {
		// A peer that signs now may have missed this node's signature
		// (it was down, or not yet in the mesh, when this node published
		// it): publish it again, unless that was just done. A signature
		// that comes within a settle of this node's first publishing is
		// the normal exchange and needs nothing.
		a.mu.Lock()
		if st := a.events[eventID]; st != nil {
			since := time.Since(st.last)
			at := msg.ReceivedAt
			if at.IsZero() {
				at = time.Now()
			}
			late := !st.first.IsZero() && at.Sub(st.first) > a.o.SettleDelay
			if since >= a.o.RebroadcastMin || late && since >= a.o.SettleDelay/2 {
				st.next = time.Time{}
			}
		}
		a.mu.Unlock()
		a.wake(eventID)
	}
	return sdk.VerdictAccept
}

type memberKey struct {
	chain, manager string
	signer         sdk.Address
}

type member struct {
	weight *big.Int
	at     time.Time
}

// managerView is a service manager's total weight and threshold as last
// read.
type managerView struct {
	q  sdk.Quorum // TotalWeight and the threshold only
	at time.Time
}

// member is a signer's weight in the manager behind route, as recently
// read (see weights). Reading a signer not known as an operator is
// charged to peer's budget and the global one, unless budgeted (already
// charged).
func (a *Aggregator) member(ctx context.Context, r Route, who sdk.Address, peer string, budgeted bool) (*big.Int, error) {
	c, err := a.o.ChainFor(r.Chain, r.Plugin)
	if err != nil {
		return nil, err
	}
	cctx, cancel := context.WithTimeout(ctx, a.o.CallTimeout)
	defer cancel()
	manager := r.Manager
	if manager == "" {
		if manager, err = a.manager(cctx, c, r.Chain, r.Handler); err != nil {
			return nil, err
		}
	}
	if !budgeted && !a.known(r.Chain, manager, who) && !a.isOperator(Route{Chain: r.Chain, Manager: manager}, who) {
		if err := a.takeLookup(peer); err != nil {
			return nil, err
		}
	}
	// Messages of one signer worked at once share one read.
	v, err, _ := a.reads.Do(r.Chain+"/"+manager+"/"+who.Hex(), func() (any, error) {
		return a.weights(cctx, c, r.Chain, manager, []sdk.Address{who})
	})
	if err != nil {
		return nil, err
	}
	return weightOf(v.(sdk.Quorum), 0), nil
}

// errRateLimited: a peer sent too many signatures by signers this node
// has not looked up recently.
var errRateLimited = errors.New("rate limited")

// errOverloaded: the peers together asked for more reads of unknown
// signers than the node's global budget.
var errOverloaded = errors.New("overloaded")

// Each peer may cause lookupRate chain reads a second of signers not
// looked up recently (a burst of lookupBurst): a peer cannot make the
// node read the chain once per made-up key it signs with. Operators are
// few, so an honest peer stays well under it.
const (
	lookupRate  = 5
	lookupBurst = 20
)

// known reports whether a signer's weight was read recently.
func (a *Aggregator) known(chain, manager string, who sdk.Address) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	m, ok := a.members[memberKey{chain, manager, who}]
	return ok && time.Since(m.at) < a.o.MemberTTL
}

// takeLookup takes one chain read of an unknown signer from peer's
// budget (errRateLimited) and the global one (errOverloaded).
func (a *Aggregator) takeLookup(peer string) error {
	if !a.allowLookup(peer) {
		return fmt.Errorf("%w: peer %s asks for more chain reads of unknown signers than %v/s", errRateLimited, peer, lookupRate)
	}
	if !a.global.Allow() {
		return fmt.Errorf("%w: the peers together ask for more chain reads of unknown signers than %v/s", errOverloaded, globalLookupRate)
	}
	a.count(func(s *Stats) { s.SignerLookups++ })
	return nil
}

// allowLookup takes one lookup from the budget of peer (the forwarder of
// the message, see peerOf).
func (a *Aggregator) allowLookup(peer string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	l, ok := a.lookups[peer]
	if !ok {
		if len(a.lookups) > 1000 {
			clear(a.lookups)
		}
		l = rate.NewLimiter(lookupRate, lookupBurst)
		a.lookups[peer] = l
	}
	return l.Allow()
}

// weights returns the signers' weights, and what the manager shows of its
// total and thresholds, as read at most MemberTTL ago, reading them at the block before the head
// when any is older. Decisions made on them (does a signature count, is
// the quorum met, whose turn is it) are checked exactly at the reference
// block before anything is submitted.
func (a *Aggregator) weights(ctx context.Context, c Chain, chain, manager string, signers []sdk.Address) (sdk.Quorum, error) {
	now := time.Now()
	a.mu.Lock()
	view, fresh := a.views[chain+"/"+manager]
	fresh = fresh && now.Sub(view.at) < a.o.MemberTTL
	out := view.q
	out.Weights = make([]*big.Int, len(signers))
	for i, who := range signers {
		m, ok := a.members[memberKey{chain, manager, who}]
		if !ok || now.Sub(m.at) >= a.o.MemberTTL {
			fresh = false
			break
		}
		out.Weights[i] = m.weight
	}
	a.mu.Unlock()
	if fresh {
		return out, nil
	}
	head, err := c.LatestBlock(ctx, chain)
	if err != nil {
		return sdk.Quorum{}, fmt.Errorf("latest block: %w", err)
	}
	ref := head.Number
	if ref > 0 {
		ref--
	}
	q, err := c.Quorum(ctx, sdk.QuorumQuery{Chain: chain, Manager: manager, Block: ref, Scheme: sdk.SchemeSecp256k1EIP191, Signers: signerBytes(signers)})
	if err != nil {
		return sdk.Quorum{}, fmt.Errorf("quorum at block %d: %w", ref, err)
	}
	a.remember(chain, manager, signers, q)
	return q, nil
}

// forget drops signers' weights read before, so that weights reads them
// again.
func (a *Aggregator) forget(chain, manager string, signers []sdk.Address) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, who := range signers {
		delete(a.members, memberKey{chain, manager, who})
	}
}

// allWeighted reports whether q holds a weight above zero for each of n
// signers.
func allWeighted(q sdk.Quorum, n int) bool {
	if len(q.Weights) < n {
		return false
	}
	for _, w := range q.Weights[:n] {
		if w == nil || w.Sign() <= 0 {
			return false
		}
	}
	return n > 0
}

// remember keeps weights read from the chain for weights.
func (a *Aggregator) remember(chain, manager string, signers []sdk.Address, q sdk.Quorum) {
	now := time.Now()
	a.mu.Lock()
	defer a.mu.Unlock()
	a.views[chain+"/"+manager] = managerView{q: sdk.Quorum{
		TotalWeight: q.TotalWeight, ThresholdNumerator: q.ThresholdNumerator, ThresholdDenominator: q.ThresholdDenominator,
		ThresholdWeight: q.ThresholdWeight,
	}, at: now}
	if len(a.members) > 10000 {
		// Signers are few; this bounds a flood of made-up ones, keeping
		// the operators (weight above zero) read recently.
		for k, m := range a.members {
			if m.weight == nil || m.weight.Sign() <= 0 || now.Sub(m.at) >= a.o.MemberTTL {
				delete(a.members, k)
			}
		}
		if len(a.members) > 10000 {
			clear(a.members)
		}
	}
	for i, who := range signers {
		a.members[memberKey{chain, manager, who}] = member{weight: weightOf(q, i), at: now}
	}
}

// Status is the aggregator's counters, the oldest pending events and the
// latest evidence, as GET /aggregator shows them.
type Status struct {
	Stats
	// PendingEvents are the oldest submissions not landed yet (at most
	// maxPendingShown; Pending counts them all).
	PendingEvents []PendingView `json:"pending_events"`
	// Evidence is the latest equivocations recorded, newest first.
	Evidence []EvidenceView `json:"evidence"`
}

// PendingView is one event whose landing is not proven yet, and how far
// it got.
type PendingView struct {
	EventID    string    `json:"event_id"`
	ServiceID  string    `json:"service_id"`
	WorkflowID string    `json:"workflow_id"`
	Chain      string    `json:"chain"`
	Handler    string    `json:"handler"`
	Since      time.Time `json:"since"`
	Attempts   int       `json:"attempts"`
	NextTry    time.Time `json:"next_try"`
	// Waiting says what it waits for, or its last error.
	Waiting string `json:"waiting,omitempty"`
	// Signers and their SignedWeight, against what the manager shows of
	// its TotalWeight, Threshold ("2/3") and ThresholdWeight; Verdict is
	// what validate said last.
	Signers         []string `json:"signers"`
	SignedWeight    string   `json:"signed_weight,omitempty"`
	TotalWeight     string   `json:"total_weight,omitempty"`
	Threshold       string   `json:"threshold,omitempty"`
	ThresholdWeight string   `json:"threshold_weight,omitempty"`
	Verdict         string   `json:"verdict,omitempty"`
}

// maxPendingShown bounds the pending events Status lists.
const maxPendingShown = 50

// EvidenceView is one equivocation, hex-encoded.
type EvidenceView struct {
	EventID    string    `json:"event_id"`
	Signer     string    `json:"signer"`
	ServiceID  string    `json:"service_id"`
	Payloads   [2]string `json:"payloads"`
	Signatures [2]string `json:"signatures"`
	RecordedAt time.Time `json:"recorded_at"`
}

// maxEvidenceShown bounds the evidence Status lists.
const maxEvidenceShown = 20

// Status returns the counters and the latest evidence.
func (a *Aggregator) Status(ctx context.Context) (Status, error) {
	st := Status{Stats: a.Stats(ctx), PendingEvents: []PendingView{}, Evidence: []EvidenceView{}}
	subs, err := a.o.Store.Submissions(ctx)
	if err != nil {
		return st, err
	}
	for _, sub := range subs[:min(len(subs), maxPendingShown)] {
		v := PendingView{
			EventID: "0x" + sub.EventID, ServiceID: sub.ServiceID, WorkflowID: sub.WorkflowID, Chain: sub.Chain, Handler: sub.Handler,
			Since: sub.CreatedAt, Attempts: sub.Attempts, NextTry: sub.NextTry, Waiting: sub.LastError, Signers: []string{},
		}
		if res, ok, err := a.o.Store.GetResult(ctx, sub.EventID); err == nil && ok {
			v.Signers = append(v.Signers, res.Signers...)
			v.SignedWeight, v.TotalWeight, v.ThresholdWeight, v.Verdict = res.SignedWeight, res.TotalWeight, res.ThresholdWeight, res.Verdict
			if res.ThresholdDen > 0 {
				v.Threshold = fmt.Sprintf("%d/%d", res.ThresholdNum, res.ThresholdDen)
			}
		}
		st.PendingEvents = append(st.PendingEvents, v)
	}
	evs, err := a.o.Store.ListEvidence(ctx)
	if err != nil {
		return st, err
	}
	for _, e := range evs[:min(len(evs), maxEvidenceShown)] {
		v := EvidenceView{EventID: "0x" + e.EventID, Signer: "0x" + e.Signer, ServiceID: e.ServiceID, RecordedAt: e.RecordedAt}
		for i, en := range e.Envelopes {
			v.Payloads[i] = "0x" + hex.EncodeToString(en.Payload)
			v.Signatures[i] = "0x" + hex.EncodeToString(en.Signature)
		}
		st.Evidence = append(st.Evidence, v)
	}
	return st, nil
}
