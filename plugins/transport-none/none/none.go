// Package none is the transport of a single-operator node. Publishing
// reaches no one and no message ever arrives; subscriptions are tracked so
// /p2p/status tells the truth about what the node would gossip.
package none

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/internal/version"
	"github.com/wavs-go/wavs/sdk"
)

// Transport is the single-operator transport.
type Transport struct {
	log hclog.Logger

	mu     sync.Mutex
	topics map[string]struct{}
}

var _ sdk.Transport = (*Transport)(nil)

// New returns a transport that reaches no one.
func New(log hclog.Logger) *Transport {
	return &Transport{log: log, topics: make(map[string]struct{})}
}

// Info implements sdk.Plugin.
func (t *Transport) Info() sdk.Info {
	return sdk.Info{
		Name:        "transport-none",
		Version:     version.Version,
		Kind:        sdk.KindTransport,
		Description: "single-operator mode: publishing reaches no one and no sockets are opened",
	}
}

// Configure implements sdk.Plugin. The plugin takes no settings of its
// own; an unknown key under [plugins.transport-none.config] is an error.
func (t *Transport) Configure(_ context.Context, req sdk.ConfigureRequest) error {
	var own struct{}
	_, err := req.Section("plugin", &own)
	return err
}

// Health implements sdk.Plugin: there is nothing that can fail.
func (t *Transport) Health(context.Context) sdk.Health {
	return sdk.Health{Healthy: true, Message: "single-operator mode"}
}

// Shutdown implements sdk.Plugin.
func (t *Transport) Shutdown(context.Context) error { return nil }

// Subscribe implements sdk.Transport.
func (t *Transport) Subscribe(_ context.Context, topic string) error {
	if err := sdk.CheckTopic(topic); err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.topics[topic] = struct{}{}
	return nil
}

// Unsubscribe implements sdk.Transport.
func (t *Transport) Unsubscribe(_ context.Context, topic string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.topics[topic]; !ok {
		return fmt.Errorf("%w: topic %q is not subscribed", sdk.ErrNotFound, topic)
	}
	delete(t.topics, topic)
	return nil
}

// Publish implements sdk.Transport: the message reaches no one.
func (t *Transport) Publish(_ context.Context, topic string, data []byte) error {
	t.mu.Lock()
	_, ok := t.topics[topic]
	t.mu.Unlock()
	if !ok {
		return fmt.Errorf("%w: topic %q is not subscribed", sdk.ErrNotFound, topic)
	}
	t.log.Trace("publish reaches no peer in single-operator mode", "topic", topic, "bytes", len(data))
	return nil
}

// Inbound implements sdk.Transport: no message ever arrives.
func (t *Transport) Inbound(ctx context.Context) (<-chan sdk.Message, error) {
	ch := make(chan sdk.Message)
	go func() {
		<-ctx.Done()
		close(ch)
	}()
	return ch, nil
}

// Status implements sdk.Transport.
func (t *Transport) Status(context.Context) (sdk.TransportStatus, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	st := sdk.TransportStatus{
		SubscribedTopics: make([]string, 0, len(t.topics)),
		TopicPeerCounts:  make(map[string]int, len(t.topics)),
	}
	for topic := range t.topics {
		st.SubscribedTopics = append(st.SubscribedTopics, topic)
		st.TopicPeerCounts[topic] = 0
	}
	slices.Sort(st.SubscribedTopics)
	return st, nil
}
