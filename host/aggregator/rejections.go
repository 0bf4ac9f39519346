package aggregator

import (
	"context"
	"maps"
	"slices"
	"sort"
	"time"

	"github.com/hashicorp/go-hclog"

	wavsapi "github.com/wavs-go/wavs/api"
	"github.com/wavs-go/wavs/sdk"
)

// Rejections are counted by reason (Stats.Rejected) and by the peer that
// forwarded them. The per-peer counts are bounded: at most maxPeersKept
// peers are kept (when full, the half with the fewest rejections is
// forgotten), and only the topRejectedPeers with the most are shown on
// GET /aggregator and /metrics, the rest summed under "other". Peers are
// connections (the forwarder, not the author a message names), so an
// attacker cannot mint new ones per message.
//
// Nothing is logged per rejected message above Debug: a summary line with
// the counts by reason and the top peers is logged at Warn at most once
// per rejectLogInterval while messages are being rejected.
const (
	maxPeersKept      = 1024
	topRejectedPeers  = 10
	rejectLogInterval = 30 * time.Second
	// reportTimeout bounds one verdict sent to the transport.
	reportTimeout = 2 * time.Second
)

// OtherPeers is the peer label that sums the peers outside the top.
const OtherPeers = "other"

// PeerRejections is one peer's rejected messages by reason (api's).
type PeerRejections = wavsapi.PeerRejections

// RejectOverloaded: this node had no budget left to check the message
// (the global budget of chain reads for unknown signers, or the queue of
// the peer's messages waiting for one); the peer is not blamed.
const RejectOverloaded = "overloaded"

// Budgets of chain reads for signers not known as operators: each
// forwarding peer lookupRate a second (burst lookupBurst, in network.go),
// and all peers together globalLookupRate (burst globalLookupBurst), so
// many flooding peers cannot make the node read the chain without bound.
const (
	globalLookupRate  = 50
	globalLookupBurst = 100
)

// peerRejections is the bounded per-peer count; the caller holds a.mu.
type peerRejections map[string]map[string]uint64

func (p peerRejections) add(peer, reason string) {
	if _, ok := p[peer]; !ok && len(p) >= maxPeersKept {
		p.shrink()
	}
	m := p[peer]
	if m == nil {
		m = map[string]uint64{}
		p[peer] = m
	}
	m[reason]++
}

// shrink forgets the half of the peers with the fewest rejections.
func (p peerRejections) shrink() {
	type kv struct {
		peer  string
		total uint64
	}
	all := make([]kv, 0, len(p))
	for peer, m := range p {
		var t uint64
		for _, n := range m {
			t += n
		}
		all = append(all, kv{peer, t})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].total < all[j].total })
	for _, e := range all[:len(all)/2] {
		delete(p, e.peer)
	}
}

// top returns the n peers with the most rejections, most first, and the
// rest summed as OtherPeers (when any).
func (p peerRejections) top(n int) []PeerRejections {
	out := make([]PeerRejections, 0, len(p))
	for peer, m := range p {
		r := PeerRejections{Peer: peer, ByReason: maps.Clone(m)}
		for _, c := range m {
			r.Total += c
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b PeerRejections) int {
		if a.Total != b.Total {
			if a.Total > b.Total {
				return -1
			}
			return 1
		}
		if a.Peer < b.Peer {
			return -1
		}
		return 1
	})
	if len(out) <= n {
		return out
	}
	other := PeerRejections{Peer: OtherPeers, ByReason: map[string]uint64{}}
	for _, r := range out[n:] {
		other.Total += r.Total
		for reason, c := range r.ByReason {
			other.ByReason[reason] += c
		}
	}
	return append(out[:n], other)
}

// reject counts a message not taken (by reason and by peer), logs it at
// Debug and returns the verdict for the transport.
func (a *Aggregator) reject(msg sdk.Message, reason string, err error, args ...any) sdk.Verdict {
	peer := peerOf(msg)
	a.mu.Lock()
	a.stats.Rejected[reason]++
	a.rejectedBy.add(peer, reason)
	a.sinceLog[reason]++
	a.mu.Unlock()
	if a.log.IsDebug() {
		a.log.Debug("message rejected", append([]any{"peer", peer, "author", msg.From, "topic", msg.Topic, "reason", reason, "error", err}, args...)...)
	}
	return verdictOf(reason)
}

// logRejections logs, once per rejectLogInterval, the rejections since
// the last line, until ctx is done.
func (a *Aggregator) logRejections(ctx context.Context) {
	t := time.NewTicker(rejectLogInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			a.logRejectionSummary(a.log)
		}
	}
}

func (a *Aggregator) logRejectionSummary(log hclog.Logger) {
	a.mu.Lock()
	counts := a.sinceLog
	if len(counts) == 0 {
		a.mu.Unlock()
		return
	}
	a.sinceLog = map[string]uint64{}
	top := a.rejectedBy.top(3)
	a.mu.Unlock()
	var total uint64
	args := []any{}
	for _, reason := range slices.Sorted(maps.Keys(counts)) {
		total += counts[reason]
		args = append(args, reason, counts[reason])
	}
	peers := make([]string, 0, len(top))
	for _, p := range top {
		if p.Peer != OtherPeers {
			peers = append(peers, p.Peer)
		}
	}
	log.Warn("peers' messages rejected", append([]any{"count", total, "interval", rejectLogInterval.String(), "top_peers_ever", peers}, args...)...)
}
