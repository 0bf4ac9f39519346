package aggregator

import (
	"context"
	"errors"
	"time"

	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/host/store"
	"github.com/wavs-go/wavs/sdk"
)

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
	eventID := service.EventID(g.Envelope.EventID)
	log = log.With("event_id", "0x"+eventID.String(), "signer", who.Hex())
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
		if res.Signer == who {
			a.count(func(s *Stats) { s.Duplicate++ })
			return sdk.VerdictAccept
		}
	}
	ps := store.PeerSignature{
		EventID: eventID, Signer: who, ServiceID: g.ServiceID, WorkflowID: g.WorkflowID,
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
			EventID: eventID, Signer: who, ServiceID: g.ServiceID,
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
