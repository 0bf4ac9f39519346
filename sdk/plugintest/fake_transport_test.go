package plugintest_test

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/wavs-go/wavs/sdk"
)

// fakeTransport is a transport with no peers: it keeps its subscriptions
// and delivers nothing.
type fakeTransport struct {
	mu     sync.Mutex
	topics map[string]bool
}

var _ sdk.Transport = (*fakeTransport)(nil)

func newFakeTransport() *fakeTransport { return &fakeTransport{topics: map[string]bool{}} }

func (f *fakeTransport) Info() sdk.Info {
	return sdk.Info{Name: "fake-transport", Version: "1.0.0", Kind: sdk.KindTransport}
}

func (f *fakeTransport) Configure(_ context.Context, req sdk.ConfigureRequest) error {
	var own struct{}
	_, err := req.Section("plugin", &own)
	return err
}

func (f *fakeTransport) Health(context.Context) sdk.Health { return sdk.Health{Healthy: true} }
func (f *fakeTransport) Shutdown(context.Context) error    { return nil }

func (f *fakeTransport) Subscribe(_ context.Context, topic string) error {
	if err := sdk.CheckTopic(topic); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.topics[topic] = true
	return nil
}

func (f *fakeTransport) Unsubscribe(_ context.Context, topic string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.topics[topic] {
		return fmt.Errorf("%w: not subscribed to %q", sdk.ErrNotFound, topic)
	}
	delete(f.topics, topic)
	return nil
}

func (f *fakeTransport) Publish(_ context.Context, topic string, _ []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.topics[topic] {
		return fmt.Errorf("%w: not subscribed to %q", sdk.ErrNotFound, topic)
	}
	return nil
}

func (f *fakeTransport) Inbound(ctx context.Context) (<-chan sdk.Message, error) {
	ch := make(chan sdk.Message)
	go func() {
		<-ctx.Done()
		close(ch)
	}()
	return ch, nil
}

func (f *fakeTransport) Status(context.Context) (sdk.TransportStatus, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var topics []string
	for t := range f.topics {
		topics = append(topics, t)
	}
	slices.Sort(topics)
	return sdk.TransportStatus{SubscribedTopics: topics}, nil
}
