package aggregator

import (
	"context"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/host/store"
	"github.com/wavs-go/wavs/internal/backoff"
	"github.com/wavs-go/wavs/sdk"
)

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
func (a *Aggregator) eventState(eventID service.EventID) *eventState {
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
func (a *Aggregator) probeDue(eventID service.EventID, signed time.Time) bool {
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
// While another operator's claim of the event is fresh (FallbackDelay),
// the signature is not sent again: the claimant had a quorum, and nobody
// else submits before its claim runs out, when sending goes on.
func (a *Aggregator) publish(ctx context.Context, res store.ResultRecord, log hclog.Logger) {
	now := time.Now()
	a.mu.Lock()
	st := a.eventState(res.EventID)
	due := !st.next.After(now)
	if due && st.sent > 0 {
		for who, at := range st.claims {
			if until := at.Add(a.o.FallbackDelay); who != res.Signer && now.Before(until) {
				// Sending goes on when the claims run out: the next
				// publishing moves there, so that the event (whose
				// attempts are due by then at the latest, sooner) is not
				// due again meanwhile.
				due = false
				st.next = later(st.next, until)
			}
		}
	}
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
	st = a.eventState(res.EventID)
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
	a.publish(ctx, res, a.log.With("event_id", "0x"+res.EventID.String(), "service", res.ServiceID))
}

// sooner is t, or the event's next publishing if that comes first.
func (a *Aggregator) sooner(eventID service.EventID, t time.Time) time.Time {
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
