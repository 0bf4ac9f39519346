package aggregator

import (
	"context"
	"maps"
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
