package aggregator

import (
	"context"
	"maps"

	wavsapi "github.com/wavs-go/wavs/api"
)

// Stats counts what the aggregator did since the node started (api's).
type Stats = wavsapi.AggregatorStats

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
