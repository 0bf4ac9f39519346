package sdk

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// ServiceTopic is the topic on which the operators of the service with id
// serviceID (64 lowercase hex digits) exchange signatures:
// "wavs/<service id>/topic/v1".
func ServiceTopic(serviceID string) string { return "wavs/" + serviceID + "/topic/v1" }

// ParseServiceTopic returns the service id of a ServiceTopic; false for
// any other topic.
func ParseServiceTopic(topic string) (serviceID string, ok bool) {
	id, ok := strings.CutPrefix(topic, "wavs/")
	if !ok {
		return "", false
	}
	if id, ok = strings.CutSuffix(id, "/topic/v1"); !ok || !IsServiceID(id) {
		return "", false
	}
	return id, true
}

// IsServiceID reports whether s has the form of a service id: 64
// lowercase hex digits.
func IsServiceID(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// MaxTopicLen bounds a topic name; topics are "wavs/<service id>/topic/v1"
// and well under it.
const MaxTopicLen = 256

// CheckTopic is the protocol's rule for a topic name: 1 to MaxTopicLen
// bytes. A transport returns its error (wrapping ErrInvalidArgument) for
// any other.
func CheckTopic(topic string) error {
	if topic == "" || len(topic) > MaxTopicLen {
		return fmt.Errorf("%w: topic %q: want 1 to %d bytes", ErrInvalidArgument, topic, MaxTopicLen)
	}
	return nil
}

// Transport carries signed submissions between operators, one topic per
// service. A node with no peers uses a transport that reaches no one.
//
// # Call order
//
//  1. Configure, once per process ("p2p" holds the [wavs.p2p] table).
//  2. Inbound: the host opens one stream and keeps it open.
//  3. Subscribe(ServiceTopic(id)) when a service is registered (and again
//     for every registered service after a plugin restart), Unsubscribe
//     when it is removed.
//  4. Publish of the host's signature messages on a subscribed topic, as
//     results are signed and again on a schedule until they land.
//  5. Status for GET /p2p/status, at any time.
//
// # Errors
//
//   - Subscribe, Publish: ErrInvalidArgument for a topic CheckTopic
//     refuses or a message over the transport's size limit; the host
//     refuses to publish such a message and logs it.
//   - Publish on a topic not subscribed: ErrNotFound.
//   - Unsubscribe of a topic not subscribed: ErrNotFound (the host
//     ignores it).
//   - Anything else is transient: the host publishes again on its
//     schedule and reopens Inbound.
//
// A message is delivered to every peer subscribed to its topic, never back
// to its own node (Message.From is the publisher, ReceivedFrom the peer
// that forwarded it). The host checks every signature itself: a transport
// need not trust or verify content, but should drop what is not a
// service's signature message before forwarding (see docs/plugins.md).
type Transport interface {
	Plugin
	// Subscribe joins topic; subscribing twice is not an error.
	Subscribe(ctx context.Context, topic string) error
	// Unsubscribe leaves topic; ErrNotFound if it was not subscribed.
	Unsubscribe(ctx context.Context, topic string) error
	// Publish sends data to the topic's peers; ErrNotFound if the topic is
	// not subscribed. A message is never delivered back to its sender.
	Publish(ctx context.Context, topic string, data []byte) error
	// Inbound returns the messages received on subscribed topics. The
	// channel is closed when ctx is done. At most one stream is open at a
	// time: a new call ends the previous one.
	Inbound(ctx context.Context) (<-chan Message, error)
	// Status answers GET /p2p/status.
	Status(ctx context.Context) (TransportStatus, error)
}

// Message is a message received from a peer.
type Message struct {
	Topic string
	Data  []byte
	// From is the message's author as the transport names it (an author
	// picks its own name); ReceivedFrom, when the transport knows it, the
	// peer that handed the message to this node.
	From         string
	ReceivedAt   time.Time
	ReceivedFrom string
	// ID, when set, asks for the host's verdict (see VerdictReporter).
	ID string
}

// TransportStatus is what a transport reports about its network.
type TransportStatus struct {
	Enabled     bool
	LocalPeerID string
	// ListenAddresses are where the transport listens, dialable (no
	// unspecified IP); ExternalAddresses where peers can reach it as
	// announced or observed by peers.
	ListenAddresses   []string
	ExternalAddresses []string
	PeerIDs           []string
	SubscribedTopics  []string
	TopicPeerCounts   map[string]int
	// MaxMessageBytes is the largest message Publish sends (0: no limit
	// known); the host publishes nothing larger.
	MaxMessageBytes int
	// Admission is the mode in force (AdmissionOperators, AdmissionOpen,
	// or "" for a transport that does not admit peers); Peers is each
	// connected peer's standing (nil when Admission is "").
	Admission string
	Peers     []PeerStatus
	// PeerScores are the peers' scores with the router, where it keeps
	// them; GraylistedPeers counts those it ignores for a low score.
	PeerScores      []PeerScore
	GraylistedPeers int
}
