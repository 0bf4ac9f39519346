package p2p

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/hashicorp/go-hclog"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/wavs-go/wavs/internal/gossip"
	"github.com/wavs-go/wavs/sdk"
)

// subscription is one joined and subscribed GossipSub topic with the
// goroutine that reads it.
type subscription struct {
	topic  *pubsub.Topic
	sub    *pubsub.Subscription
	cancel context.CancelFunc
	done   chan struct{}
}

// close stops the reader, cancels the subscription and leaves the topic.
func (s *subscription) close(log hclog.Logger) {
	s.cancel()
	s.sub.Cancel()
	<-s.done
	if err := s.topic.Close(); err != nil {
		log.Warn("close topic", "topic", s.topic.String(), "error", err)
	}
}

// Subscribe implements sdk.Transport: it joins and subscribes topic and
// looks for the topic's peers at once.
func (t *Transport) Subscribe(_ context.Context, topic string) error {
	if err := sdk.CheckTopic(topic); err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	n, err := t.running()
	if err != nil {
		return err
	}
	if _, ok := t.topics[topic]; ok {
		return nil
	}
	t.setAllowed(topic, true)
	tp, err := n.ps.Join(topic)
	if err != nil {
		t.setAllowed(topic, false)
		return fmt.Errorf("%w: join topic %q: %v", sdk.ErrUnavailable, topic, err)
	}
	if _, ok := sdk.ParseServiceTopic(topic); ok {
		if err := tp.SetScoreParams(serviceTopicParams()); err != nil {
			_ = tp.Close()
			t.setAllowed(topic, false)
			return fmt.Errorf("%w: score topic %q: %v", sdk.ErrUnavailable, topic, err)
		}
	}
	sub, err := tp.Subscribe()
	if err != nil {
		_ = tp.Close()
		t.setAllowed(topic, false)
		return fmt.Errorf("%w: subscribe topic %q: %v", sdk.ErrUnavailable, topic, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &subscription{topic: tp, sub: sub, cancel: cancel, done: make(chan struct{})}
	t.topics[topic] = s
	go t.read(ctx, n.host.ID(), s)
	n.discoverNow()
	return nil
}

// read forwards the messages of s to the Inbound stream, skipping the
// node's own, until ctx ends or the subscription is cancelled.
func (t *Transport) read(ctx context.Context, self peer.ID, s *subscription) {
	defer close(s.done)
	for {
		msg, err := s.sub.Next(ctx)
		if err != nil {
			return
		}
		if msg.ReceivedFrom == self || msg.GetFrom() == self {
			continue
		}
		if _, ok := msg.ValidatorData.(handedToHost); ok {
			continue // the validator delivered it, to be judged
		}
		// An id even before the host gives verdicts: its first Report (on
		// any id) turns them on.
		m := sdk.Message{
			ID:           strconv.FormatUint(t.verdicts.next.Add(1), 10),
			Topic:        msg.GetTopic(),
			Data:         msg.GetData(),
			From:         msg.GetFrom().String(),
			ReceivedFrom: msg.ReceivedFrom.String(),
			ReceivedAt:   time.Now(),
		}
		select {
		case t.msgs <- m:
		case <-ctx.Done():
			return
		}
	}
}

// Unsubscribe implements sdk.Transport. Once it returns, no further
// message of topic is read.
func (t *Transport) Unsubscribe(_ context.Context, topic string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, err := t.running(); err != nil {
		return err
	}
	s, ok := t.topics[topic]
	if !ok {
		return fmt.Errorf("%w: topic %q is not subscribed", sdk.ErrNotFound, topic)
	}
	delete(t.topics, topic)
	t.setAllowed(topic, false)
	s.close(t.log)
	return nil
}

// Publish implements sdk.Transport. Data larger than max_message_bytes is
// rejected with sdk.ErrInvalidArgument.
func (t *Transport) Publish(ctx context.Context, topic string, data []byte) error {
	t.mu.Lock()
	_, err := t.running()
	s, ok := t.topics[topic]
	t.mu.Unlock()
	limit := int(t.maxMessage.Load())
	switch {
	case err != nil:
		return err
	case !ok:
		return fmt.Errorf("%w: topic %q is not subscribed", sdk.ErrNotFound, topic)
	case len(data) > limit:
		return fmt.Errorf("%w: publish to topic %q: message of %d bytes exceeds max_message_bytes = %d", sdk.ErrInvalidArgument, topic, len(data), limit)
	}
	if _, err := checkServiceMessage(topic, data); err != nil {
		return fmt.Errorf("%w: publish to service topic %q: %v", sdk.ErrInvalidArgument, topic, err)
	}
	if err := s.topic.Publish(ctx, data); err != nil {
		if errors.Is(err, pubsub.ErrTopicClosed) {
			return fmt.Errorf("%w: topic %q is not subscribed", sdk.ErrNotFound, topic)
		}
		return fmt.Errorf("%w: publish to topic %q: %v", sdk.ErrUnavailable, topic, err)
	}
	return nil
}

// Inbound implements sdk.Transport: one stream fed by every subscription.
// A new call ends the previous stream. A message taken from the buffer
// just as its stream ends is lost; gossip is best effort.
func (t *Transport) Inbound(ctx context.Context) (<-chan sdk.Message, error) {
	ctx, cancel := context.WithCancel(ctx)
	t.mu.Lock()
	if t.cancelInbound != nil {
		t.cancelInbound()
	}
	t.cancelInbound = cancel
	t.mu.Unlock()
	out := make(chan sdk.Message)
	go func() {
		defer close(out)
		for {
			// Claims and landed notices first: they decide who sends a
			// transaction, and must not wait behind a burst of signatures.
			var m sdk.Message
			select {
			case m = <-t.control:
			default:
				select {
				case <-ctx.Done():
					return
				case m = <-t.control:
				case m = <-t.msgs:
				}
			}
			select {
			case out <- m:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// validate is the validator of every topic: it ignores messages on topics
// the host did not subscribe and rejects messages over the size limit or,
// on a service's topic, not well-formed; a well-formed message on a
// service's topic then waits for the host's verdict, once the host gives
// verdicts (see askHost).
func (t *Transport) validate(ctx context.Context, from peer.ID, msg *pubsub.Message) pubsub.ValidationResult {
	t.allowMu.RLock()
	ok := t.allowed[msg.GetTopic()]
	t.allowMu.RUnlock()
	if !ok {
		return pubsub.ValidationIgnore
	}
	limit := int(t.maxMessage.Load())
	if len(msg.GetData()) > limit {
		t.log.Debug("dropped oversized message", "topic", msg.GetTopic(), "from", from.String(), "bytes", len(msg.GetData()), "max_message_bytes", limit)
		return pubsub.ValidationReject
	}
	control, err := checkServiceMessage(msg.GetTopic(), msg.GetData())
	if err != nil {
		t.log.Debug("dropped malformed message", "topic", msg.GetTopic(), "from", from.String(), "error", err)
		return pubsub.ValidationReject
	}
	if self := t.verdicts.self.Load(); self != nil && from == *self {
		return pubsub.ValidationAccept // this node's own publish
	}
	if _, ok := sdk.ParseServiceTopic(msg.GetTopic()); ok && t.verdicts.on.Load() {
		return t.askHost(ctx, from, msg, control)
	}
	return pubsub.ValidationAccept
}

// checkServiceMessage checks a message on a service's topic
// (wavs/<64 hex digits>/topic/v1): an operators' gossip message (see
// internal/gossip), strictly decoded as the host decodes it, whose
// service_id is the topic's. Anything else is neither delivered nor
// forwarded to other peers, and counts against the peer that sent it.
// Signatures are the host's to check. Other topics carry whatever their
// users put on them. control reports a claim or a landed notice: one
// per operator and event, which the host wants before the signatures
// queued with it.
func checkServiceMessage(topic string, data []byte) (control bool, err error) {
	id, ok := sdk.ParseServiceTopic(topic)
	if !ok {
		return false, nil
	}
	g, err := gossip.Decode(data)
	if err != nil {
		return false, err
	}
	if g.ServiceID != id {
		return false, fmt.Errorf("service_id %q does not match the topic's %q", clip(g.ServiceID), id)
	}
	return g.Claim || g.Landed, nil
}

// clip keeps a peer's text in a log line short.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// setAllowed adds topic to or removes it from the validator's set.
func (t *Transport) setAllowed(topic string, ok bool) {
	t.allowMu.Lock()
	defer t.allowMu.Unlock()
	if ok {
		t.allowed[topic] = true
	} else {
		delete(t.allowed, topic)
	}
}

// topicNames returns the subscribed topics, sorted.
func (t *Transport) topicNames() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	names := make([]string, 0, len(t.topics))
	for name := range t.topics {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}
