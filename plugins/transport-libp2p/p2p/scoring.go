package p2p

import (
	"slices"
	"sync"
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/wavs-go/wavs/sdk"
)

// GossipSub v1.1 peer scoring, tuned for this traffic: a handful of
// operators per service, each publishing a few messages per result (a
// signature, maybe a claim and a landed notice, re-sent a few times while
// the event waits), topics idle for minutes between results. What makes a
// peer's score fall is what the host (or the validator's own checks)
// rejects: a forged or made-up signature, a malformed message, or more
// unknown signers than its budget. See docs/architecture.md, "Flood
// resistance", for why each value.
//
// Thresholds (score below them, the router):
//   - gossipThreshold: stops gossiping (IHAVE/IWANT) with the peer;
//   - publishThreshold: stops sending it this node's own messages;
//   - graylistThreshold: ignores everything the peer sends.
//
// One rejected message costs invalidWeight × n² (n the peer's rejected
// messages, decayed), so 3 cost -90 (above the gossip threshold: an
// honest peer that relayed a message this node judged otherwise, say
// from an operator whose registration it has not seen yet, keeps its
// place), 5 cost -250 (below the publish threshold) and 7 cost -490: the
// peer is graylisted. A flooder sending hundreds a second is graylisted
// within the first ten of its messages that reach the host.
const (
	gossipThreshold    = -100
	publishThreshold   = -200
	graylistThreshold  = -400
	acceptPXThreshold  = 100 // only operators with a long clean record (PX is off in practice)
	opportunisticGraft = 5
	invalidWeight      = -10
	// invalidDecay: a rejected message is forgotten (decays to 1% of its
	// weight) over invalidMemory; a graylisted flooder stays graylisted
	// for minutes after it stops.
	invalidMemory = 10 * time.Minute
	// firstDeliveryWeight rewards a peer that first delivered a message
	// the host accepted: an operator that has worked with this node a
	// while can absorb a few rejections. Capped, like time in mesh.
	firstDeliveryWeight = 1
	firstDeliveryCap    = 50
	firstDeliveryMemory = 30 * time.Minute
	// Time in the service's mesh: +1 a minute, up to +30.
	meshTimeQuantum = time.Minute
	meshTimeCap     = 30
	// topicScoreCap bounds the positive part of a peer's score, so that
	// a long good record does not buy a long flood.
	topicScoreCap = 80
	// Peers per IP beyond ipColocationThreshold cost ipColocationWeight ×
	// excess²: a few operators may share a host (and tests run every node
	// on 127.0.0.1); dozens of peers on one address are a sybil.
	ipColocationThreshold = 10
	ipColocationWeight    = -5
	// Protocol misbehaviour (broken IWANT promises, GRAFT in backoff).
	behaviourWeight    = -10
	behaviourThreshold = 6
	behaviourMemory    = 10 * time.Minute
	// retainScore keeps a disconnected peer's score, so a graylisted
	// peer cannot reconnect with a clean slate.
	retainScore = 30 * time.Minute
	// scoreInspectPeriod is how often the scores shown on /p2p/status are
	// refreshed.
	scoreInspectPeriod = time.Second
)

// peerScoreParams are the router-wide parameters; each service topic
// gets serviceTopicParams when it is joined.
func peerScoreParams() *pubsub.PeerScoreParams {
	return &pubsub.PeerScoreParams{
		Topics:                      map[string]*pubsub.TopicScoreParams{},
		TopicScoreCap:               topicScoreCap,
		AppSpecificScore:            func(peer.ID) float64 { return 0 },
		AppSpecificWeight:           1,
		IPColocationFactorWeight:    ipColocationWeight,
		IPColocationFactorThreshold: ipColocationThreshold,
		BehaviourPenaltyWeight:      behaviourWeight,
		BehaviourPenaltyThreshold:   behaviourThreshold,
		BehaviourPenaltyDecay:       pubsub.ScoreParameterDecay(behaviourMemory),
		DecayInterval:               pubsub.DefaultDecayInterval,
		DecayToZero:                 pubsub.DefaultDecayToZero,
		RetainScore:                 retainScore,
	}
}

func peerScoreThresholds() *pubsub.PeerScoreThresholds {
	return &pubsub.PeerScoreThresholds{
		GossipThreshold:             gossipThreshold,
		PublishThreshold:            publishThreshold,
		GraylistThreshold:           graylistThreshold,
		AcceptPXThreshold:           acceptPXThreshold,
		OpportunisticGraftThreshold: opportunisticGraft,
	}
}

// serviceTopicParams score a service's topic. Mesh message deliveries
// (P3, P3b) are off: results are minutes apart, so a quiet mesh peer is
// normal, and penalizing it would push honest operators out.
func serviceTopicParams() *pubsub.TopicScoreParams {
	return &pubsub.TopicScoreParams{
		TopicWeight:                    1,
		TimeInMeshWeight:               1,
		TimeInMeshQuantum:              meshTimeQuantum,
		TimeInMeshCap:                  meshTimeCap,
		FirstMessageDeliveriesWeight:   firstDeliveryWeight,
		FirstMessageDeliveriesDecay:    pubsub.ScoreParameterDecay(firstDeliveryMemory),
		FirstMessageDeliveriesCap:      firstDeliveryCap,
		InvalidMessageDeliveriesWeight: invalidWeight,
		InvalidMessageDeliveriesDecay:  pubsub.ScoreParameterDecay(invalidMemory),
	}
}

// scoreOptions turn peer scoring on, with scores kept in board.
func scoreOptions(board *scoreboard) []pubsub.Option {
	return []pubsub.Option{
		pubsub.WithPeerScore(peerScoreParams(), peerScoreThresholds()),
		pubsub.WithPeerScoreInspect(pubsub.PeerScoreInspectFn(board.set), scoreInspectPeriod),
	}
}

// scoreboard is the latest scores the router showed.
type scoreboard struct {
	mu     sync.Mutex
	scores map[peer.ID]float64
}

func (b *scoreboard) set(scores map[peer.ID]float64) {
	b.mu.Lock()
	b.scores = scores
	b.mu.Unlock()
}

// snapshot lists the scores by peer id, and counts the graylisted peers.
func (b *scoreboard) snapshot() ([]sdk.PeerScore, int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]sdk.PeerScore, 0, len(b.scores))
	gray := 0
	for p, s := range b.scores {
		g := s < graylistThreshold
		if g {
			gray++
		}
		out = append(out, sdk.PeerScore{PeerID: p.String(), Score: s, Graylisted: g})
	}
	slices.SortFunc(out, func(a, b sdk.PeerScore) int {
		switch {
		case a.PeerID < b.PeerID:
			return -1
		case a.PeerID > b.PeerID:
			return 1
		}
		return 0
	})
	return out, gray
}
