package aggregator

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/host/store"
	"github.com/wavs-go/wavs/internal/signer"
	"github.com/wavs-go/wavs/sdk"
)

// How a landing was proven (ResultRecord.Proof).
const (
	// ProofOwnTx: this node's transaction succeeded.
	ProofOwnTx = "own transaction"
	// ProofHandler: the handler refused the envelope with an error that
	// names this event as handled before.
	ProofHandler = "handler: already handled"
	// ProofPeerTx: a transaction another operator named was checked on
	// chain.
	ProofPeerTx = "another operator's transaction, checked on chain"
	// ProofFound: the node found the transaction on chain itself.
	ProofFound = "transaction found on chain"
)

// proof is how an event's landing was proven.
type proof struct {
	how   string
	tx    sdk.Hash // zero for ProofHandler
	block uint64
}

// maxNotices bounds the transactions named by peers that one event keeps
// to check, and maxNoticeChecks how many one attempt checks.
const (
	maxNotices      = 8
	maxNoticeChecks = 4
)

// landed records a proven landing: the result is submitted, the
// submission and the peers' signatures go, and, when this node's own
// transaction landed it, the peers are told which one.
func (a *Aggregator) landed(ctx context.Context, sub store.Submission, res store.ResultRecord, p proof, log hclog.Logger) {
	res.Status, res.Error, res.Proof = StatusSubmitted, "", p.how
	res.TxHash, res.BlockNumber = p.tx, p.block
	// One transaction: the result, the landing's watch, and the
	// submission and peers' signatures gone. Held against a peer's
	// signature being stored meanwhile (receive takes the same lock).
	w := a.newWatch(sub, p)
	unlock := a.land.lock(sub.EventID)
	err := a.o.Store.RecordLanding(ctx, res, w)
	unlock()
	if err != nil {
		log.Error("record the landing", "error", err)
		return
	}
	a.mu.Lock()
	delete(a.pending, sub.EventID)
	delete(a.events, sub.EventID)
	delete(a.kicked, sub.EventID)
	if w != nil {
		a.watched[w.EventID] = w.NextCheck
	}
	a.mu.Unlock()
	if sub.Callback && a.o.Landed != nil {
		a.o.Landed(ctx, sub, res)
	}
	switch p.how {
	case ProofOwnTx:
		a.count(func(s *Stats) { s.Submitted++ })
		log.Info("result landed", "tx", res.TxHash, "block", res.BlockNumber, "signers", len(res.Signers))
		if a.o.Network != nil {
			a.announceLanded(ctx, res, log)
		}
	case ProofHandler:
		a.count(func(s *Stats) { s.AlreadyHandled++ })
		log.Info("result was already on chain: the handler names the event handled")
	default:
		a.count(func(s *Stats) { s.LandedElsewhere++ })
		log.Info("result landed by another operator", "tx", res.TxHash, "block", res.BlockNumber, "proof", p.how)
	}
}

// startScan sets where the search for a landing starts: the trigger's
// block when the trigger came from the submit chain (no landing can be
// older), else LandingLookback blocks before the head.
func (a *Aggregator) startScan(ctx context.Context, tg target, sub *store.Submission) error {
	if sub.TriggerChain == sub.Chain && sub.TriggerBlock > 0 {
		sub.ScanFrom = sub.TriggerBlock
		return nil
	}
	head, err := tg.c.LatestBlock(ctx, tg.chain)
	if err != nil {
		return fmt.Errorf("latest block: %w", err)
	}
	sub.ScanFrom = 1
	if head.Number > a.o.LandingLookback {
		sub.ScanFrom = head.Number - a.o.LandingLookback
	}
	return nil
}

// scanMargin is how far below the last block scanned the next scan
// starts again, for blocks a reorg may have replaced.
const scanMargin = 16

// scan looks on chain for the event's landing from sub.ScanFrom on, and
// moves ScanFrom forward past what it looked at. A submit plugin that
// cannot look (an older one) is no proof, and no error either.
func (a *Aggregator) scan(ctx context.Context, tg target, sub *store.Submission, log hclog.Logger) (*proof, error) {
	l, err := tg.c.FindLanding(ctx, sdk.LandingQuery{Chain: tg.chain, Handler: tg.handler, EventID: tg.env.EventID, FromBlock: sub.ScanFrom})
	if errors.Is(err, sdk.ErrUnimplemented) {
		log.Debug("the submit plugin cannot look for landings", "error", err)
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("look for the landing: %w", err)
	}
	if !l.Found {
		if l.ScannedTo > scanMargin && l.ScannedTo-scanMargin > sub.ScanFrom {
			sub.ScanFrom = l.ScannedTo - scanMargin
		}
		log.Debug("no landing on chain yet", "why", l.Reason)
		return nil, nil
	}
	a.noteEnvelope(tg, l, log)
	how := ProofFound
	if !sub.SentAt.IsZero() {
		// Found after this node sent: most likely its own transaction,
		// whose receipt was lost (a restart, a timeout).
		how = "transaction found on chain (this node had submitted)"
	}
	return &proof{how: how, tx: l.TxHash, block: l.BlockNumber}, nil
}

// noteEnvelope warns when the envelope that landed is not this node's:
// the event is settled on chain all the same, and submitting this node's
// would only add a second result for it.
func (a *Aggregator) noteEnvelope(tg target, l sdk.Landing, log hclog.Logger) {
	if l.EnvelopeHash == (sdk.Hash{}) {
		return
	}
	if mine := crypto.Keccak256Hash(signer.EncodeEnvelope(tg.env)); sdk.Hash(mine) != l.EnvelopeHash {
		log.Warn("the event landed with an envelope other than this node's (operators disagree on the payload)", "tx", l.TxHash.Hex())
	}
}

// checkNotices checks the transactions peers named as the event's
// landing, a few at a time, each once.
func (a *Aggregator) checkNotices(ctx context.Context, tg target, sub *store.Submission, log hclog.Logger) (*proof, error) {
	a.mu.Lock()
	st := a.events[sub.EventID]
	var todo []sdk.Hash
	if st != nil {
		n := min(len(st.notices), maxNoticeChecks)
		todo, st.notices = append(todo, st.notices[:n]...), st.notices[n:]
	}
	a.mu.Unlock()
	for i, h := range todo {
		l, err := tg.c.FindLanding(ctx, sdk.LandingQuery{Chain: tg.chain, Handler: tg.handler, EventID: tg.env.EventID, TxHash: h})
		if err != nil {
			// Not checked: put back what is left for the next attempt.
			a.mu.Lock()
			if st := a.events[sub.EventID]; st != nil {
				for _, h := range todo[i:] {
					delete(st.checked, h)
				}
				st.notices = append(todo[i:], st.notices...)
			}
			a.mu.Unlock()
			if errors.Is(err, sdk.ErrUnimplemented) {
				return nil, nil
			}
			return nil, fmt.Errorf("check a landed notice: %w", err)
		}
		if l.Found {
			a.noteEnvelope(tg, l, log)
			return &proof{how: ProofPeerTx, tx: l.TxHash, block: l.BlockNumber}, nil
		}
		if l.Pending && a.recheckLater(sub.EventID, h) {
			// Named a moment after it was mined, the transaction can still
			// look pending to this node's endpoint: looked at again at the
			// next attempt, a few times at most.
			continue
		}
		a.count(func(s *Stats) { s.Rejected[RejectFalseLanding]++ })
		log.Warn("a peer's landed notice proves nothing; going on", "reason", RejectFalseLanding, "tx", h.Hex(), "why", l.Reason)
	}
	return nil, nil
}

// noticeRechecks bounds how many times a landed notice whose transaction
// is still pending is looked at again.
const noticeRechecks = 3

// recheckLater puts a notice whose transaction is pending back for the
// next attempt, unless it has been put back noticeRechecks times.
func (a *Aggregator) recheckLater(eventID service.EventID, tx sdk.Hash) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	st := a.events[eventID]
	if st == nil {
		return false
	}
	if st.rechecks == nil {
		st.rechecks = map[sdk.Hash]int{}
	}
	if st.rechecks[tx] >= noticeRechecks {
		return false
	}
	st.rechecks[tx]++
	st.notices = append(st.notices, tx)
	return true
}

// landedNotice takes a peer's word that it landed an event as a
// transaction to check, not as proof: the next attempt asks the chain
// whether that transaction carries this event to the handler. Each
// transaction is checked once per event.
func (a *Aggregator) landedNotice(ctx context.Context, g Gossip, log hclog.Logger) {
	eventID := service.EventID(g.Envelope.EventID)
	a.count(func(s *Stats) { s.LandedNotices++ })
	a.mu.Lock()
	_, queued := a.pending[eventID]
	a.mu.Unlock()
	if !queued && !a.signedNotLanded(ctx, eventID) {
		return
	}
	a.mu.Lock()
	st := a.eventState(eventID)
	fresh := !st.checked[g.TxHash] && len(st.notices) < maxNotices
	if fresh {
		st.checked[g.TxHash] = true
		st.notices = append(st.notices, g.TxHash)
	}
	a.mu.Unlock()
	if fresh {
		log.Debug("a peer says it landed the event; checking its transaction", "event_id", "0x"+eventID.String(), "tx", g.TxHash.Hex())
		if queued {
			a.wake(eventID)
		}
	}
}

// signedNotLanded tells whether an event that is not queued here is one
// this node will work on: it signed it and it is not landed (its
// submission is about to be queued), or an operator's signature for it
// is stored (this node has yet to run the trigger). A landed notice for
// such an event is kept for its first attempt; one for any other event id
// is dropped, so that made-up ids cost no memory.
func (a *Aggregator) signedNotLanded(ctx context.Context, eventID service.EventID) bool {
	if res, ok, err := a.o.Store.GetResult(ctx, eventID); err != nil || ok {
		return err == nil && res.Status == StatusSigned
	}
	ps, err := a.o.Store.PeerSignatures(ctx, eventID)
	return err == nil && len(ps) > 0
}

// announceLanded tells the peers which transaction landed an event, so
// that they check it and stop waiting for their turns.
func (a *Aggregator) announceLanded(ctx context.Context, res store.ResultRecord, log hclog.Logger) {
	env, err := resultEnvelope(res)
	if err != nil || res.TxHash == (sdk.Hash{}) {
		return
	}
	data, err := EncodeGossip(Gossip{ServiceID: res.ServiceID, WorkflowID: res.WorkflowID, Envelope: env, Landed: true, TxHash: res.TxHash})
	if err == nil {
		err = a.o.Network.Publish(ctx, topicOf(res.ServiceID), data)
	}
	if err != nil {
		log.Debug("publish landed notice", "error", err)
	}
}

// replyInterval bounds how often one event's landing is told again to a
// peer that still signs it.
const replyInterval = 5 * time.Second

// replyLanded answers a late signature of an event that landed with the
// landing's transaction, at most once every replyInterval per event.
func (a *Aggregator) replyLanded(ctx context.Context, res store.ResultRecord, log hclog.Logger) {
	if res.TxHash == (sdk.Hash{}) || a.o.Network == nil {
		return
	}
	a.mu.Lock()
	last := a.replies[res.EventID]
	ok := time.Since(last) >= replyInterval
	if ok {
		if len(a.replies) > 10000 {
			clear(a.replies)
		}
		a.replies[res.EventID] = time.Now()
	}
	a.mu.Unlock()
	if ok {
		a.announceLanded(ctx, res, log)
		// The peer may be signing again because a reorg undid the
		// landing: look at it now rather than at its next watch.
		a.hurryWatch(res.EventID)
	}
}

// claim tells the peers that this node is submitting the event now, so
// that those ranked after it wait for its transaction rather than send
// their own. Signed with the service's key: only an operator can postpone
// the others. It returns when this node first claimed the event (zero
// when it cannot claim: no network or no key).
func (a *Aggregator) claim(ctx context.Context, sub *store.Submission, res *store.ResultRecord, log hclog.Logger) time.Time {
	if a.o.Network == nil {
		return time.Time{}
	}
	// Once per event: the others count only an operator's first claim.
	a.mu.Lock()
	st := a.eventState(sub.EventID)
	at := st.claimedAt
	a.mu.Unlock()
	if !at.IsZero() {
		return at
	}
	route, ok := a.o.Routes(sub.ServiceID, sub.WorkflowID)
	if !ok || route.Key == nil {
		return time.Time{}
	}
	env, err := resultEnvelope(*res)
	if err != nil {
		return time.Time{}
	}
	sig, err := route.Key.SignClaim(sub.ServiceID, env.EventID)
	if err != nil {
		log.Warn("sign claim", "error", err)
		return time.Time{}
	}
	data, err := EncodeGossip(Gossip{ServiceID: sub.ServiceID, WorkflowID: sub.WorkflowID, Envelope: sdk.Envelope{EventID: env.EventID}, Claim: true, Signature: sig})
	if err == nil {
		err = a.o.Network.Publish(ctx, topicOf(sub.ServiceID), data)
	}
	if err != nil {
		log.Debug("publish claim", "error", err)
		return time.Time{}
	}
	a.count(func(s *Stats) { s.Claims++ })
	now := time.Now()
	a.mu.Lock()
	a.eventState(sub.EventID).claimedAt = now
	a.mu.Unlock()
	return now
}

// rivalClaim returns an operator other than own that claimed the event
// within the last FallbackDelay and ranks before own between the two of
// them, with when its claim arrived. Two operators whose views of who
// signed differ may both think the first turn theirs; both claim, and the
// one SubmitOrder puts second stands down.
func (a *Aggregator) rivalClaim(eventID service.EventID, own sdk.Address) (sdk.Address, time.Time, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	st := a.events[eventID]
	if st == nil {
		return sdk.Address{}, time.Time{}, false
	}
	var best sdk.Address
	var bestAt time.Time
	found := false
	for who, at := range st.claims {
		if who == own || time.Since(at) > a.o.FallbackDelay {
			continue
		}
		if SubmitOrder(eventID, []sdk.Address{own, who})[0] != who {
			continue
		}
		if !found || at.Before(bestAt) {
			best, bestAt, found = who, at, true
		}
	}
	return best, bestAt, found
}

// maxClaims bounds the claims of one operator that count for one event.
const maxClaims = 3

// claimReceived notes an operator's claim on a pending event.
func (a *Aggregator) claimReceived(eventID service.EventID, who sdk.Address, at time.Time, log hclog.Logger) {
	a.count(func(s *Stats) { s.ClaimsReceived++ })
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, pending := a.events[eventID]; !pending && len(a.events) > 100000 {
		return // not an event this node works on; do not grow without bound
	}
	if at.IsZero() {
		at = time.Now()
	}
	st := a.eventState(eventID)
	// A claim replaces an operator's earlier one only once that one has
	// run out (an operator claims again after an outage made it start its
	// turn afresh), and at most maxClaims times: one that claims again and
	// again (failing each time, or on purpose) holds the others off for a
	// few FallbackDelays, not for ever.
	prev, again := st.claims[who]
	if st.claimCounts[who] >= maxClaims || again && time.Since(prev) < a.o.FallbackDelay || !again && len(st.claims) >= 256 {
		return
	}
	st.claims[who] = at
	st.claimCounts[who]++
	log.Debug("an operator claims the event", "claims", st.claimCounts[who], "lag", time.Since(at))
}

// resetTurns forgets what the event's turns were planned from — the
// verdicts, every weight, total and head read before, and the claims that
// arrived before the chain was found unreachable (at before: when the
// failed call started) — so that after an outage every operator plans its
// turn afresh, from what the chain says once it answers. A claim that
// arrived later is kept: its sender may have reached the chain already,
// and forgetting it could make this node send too. This node's own claim
// goes when its own call failed (own), or when it was made before.
func (a *Aggregator) resetTurns(eventID service.EventID, before time.Time, own bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	clear(a.members)
	clear(a.views)
	clear(a.heads)
	st := a.eventState(eventID)
	// The counts of the forgotten claims go too: an operator that claimed
	// again and again while the chain was out (each claim failing) must be
	// able to claim once it is back. Only this node's own view of the
	// chain resets them; no peer can.
	for who, at := range st.claims {
		if at.Before(before) {
			delete(st.claims, who)
			delete(st.claimCounts, who)
		}
	}
	clear(st.verdicts)
	if own || st.claimedAt.Before(before) {
		st.claimedAt = time.Time{}
	}
	st.outage = true
	st.resetAt = time.Now()
}

// noteOutage records that a call that started at began found the chain
// unreachable: every event pending on it starts its turns afresh when next
// worked on (outageSince), not only those that tried to send.
func (a *Aggregator) noteOutage(chain string, began time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if began.After(a.outages[chain]) {
		a.outages[chain] = began
	}
}

// outageSince returns when the chain was last found unreachable (the start
// of the call that failed), if that was after the event's turns were last
// started afresh.
func (a *Aggregator) outageSince(chain string, eventID service.EventID) (time.Time, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	at, ok := a.outages[chain]
	if !ok {
		return time.Time{}, false
	}
	st := a.events[eventID]
	if st == nil || !later(st.created, st.resetAt).Before(at) {
		return time.Time{}, false
	}
	return at, true
}

// outageSlack is what an event's turns but the first wait beyond their
// plan after an outage: the longest pause between two attempts, within
// which the first in turn notices the recovery and claims.
func (a *Aggregator) outageSlack(eventID service.EventID, t turn) turn {
	a.mu.Lock()
	defer a.mu.Unlock()
	if st := a.events[eventID]; st != nil && st.outage && t.rank > 0 {
		t.due = t.due.Add(a.o.FallbackDelay)
	}
	return t
}

// ownClaim is when this node claimed the event (zero: it has not, or an
// outage reset the turns since).
func (a *Aggregator) ownClaim(eventID service.EventID) time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	if st := a.events[eventID]; st != nil {
		return st.claimedAt
	}
	return time.Time{}
}

// claimedByOthers reports whether an operator other than own claimed the
// event.
func (a *Aggregator) claimedByOthers(eventID service.EventID, own sdk.Address) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	st := a.events[eventID]
	if st == nil {
		return false
	}
	for who := range st.claims {
		if who != own {
			return true
		}
	}
	return false
}

// afterClaims postpones this operator's turn while another operator has
// claimed the event and this node has not: to FallbackDelay after that
// claim, by which its transaction has landed unless it failed (plus a
// ClaimWait per operator between the two when the claimant is ranked
// before this one). The first claim a node hears of wins over its own
// rank: the claimant may have ranked itself first from a view this node
// does not share (a signer missing here, or not there), or have taken the
// turn over after an outage, and claiming too would make two submitters.
// A claim by an operator ranked before this one postpones it even once it
// has claimed; the other claims crossing its own are settled by rank
// (rivalClaim).
func (a *Aggregator) afterClaims(eventID service.EventID, own sdk.Address, t turn) turn {
	a.mu.Lock()
	defer a.mu.Unlock()
	st := a.events[eventID]
	if st == nil || len(st.claims) == 0 {
		return t
	}
	for who, at := range st.claims {
		if who == own {
			continue
		}
		k := slices.Index(t.order, who)
		var due time.Time
		switch {
		case k >= 0 && k < t.rank:
			due = at.Add(a.o.FallbackDelay + time.Duration(t.rank-k-1)*a.o.ClaimWait)
		case st.claimedAt.IsZero():
			due = at.Add(a.o.FallbackDelay)
		default:
			continue
		}
		if due.After(t.due) {
			t.due, t.claimedBy, t.tookOver = due, who, k < 0 || k > t.rank
		}
	}
	return t
}
