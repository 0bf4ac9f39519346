package plugins

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/wavs-go/wavs/sdk"
)

// streamRetry is the pause before re-opening a stream that ended while
// its plugin process is still up.
const streamRetry = 200 * time.Millisecond

// Transport is the node's transport: it survives plugin restarts by
// keeping the wanted subscriptions and replaying them into each new
// process, and it merges the inbound streams of successive processes into
// one channel.
type Transport struct {
	sup     *Supervisor
	topics  *wanted[string]
	inbound chan sdk.Message
	// maxMessage is the running plugin's MaxMessageBytes (0: unknown).
	maxMessage atomic.Int64
	adm        *transportAdmission // transport_admission.go
}

// NewTransport wraps the supervisor of a transport plugin; call it before
// the supervisor starts.
func NewTransport(sup *Supervisor) *Transport {
	t := &Transport{sup: sup, topics: newWanted[string](sup, "topic"), inbound: make(chan sdk.Message, 256), adm: newTransportAdmission()}
	sup.OnReady(t.ready)
	sup.OnReady(t.admissionReady)
	return t
}

// Supervisor returns the plugin's supervisor.
func (t *Transport) Supervisor() *Supervisor { return t.sup }

func (t *Transport) ready(ctx context.Context, p sdk.Plugin) error {
	tp := p.(sdk.Transport)
	for _, topic := range t.topics.snapshot() {
		if err := tp.Subscribe(ctx, topic); err != nil {
			return fmt.Errorf("re-subscribe %q: %w", topic, err)
		}
	}
	go pump(ctx, t.sup, tp.Inbound, t.inbound)
	// The limit is the plugin's configuration: read once per process.
	if st, err := tp.Status(ctx); err == nil {
		t.maxMessage.Store(int64(st.MaxMessageBytes))
	} else {
		t.sup.log.Debug("transport status", "error", err)
	}
	return nil
}

// MaxMessageBytes is the largest message the transport sends, as it
// reported when it started (0: unknown).
func (t *Transport) MaxMessageBytes() int { return int(t.maxMessage.Load()) }

// pump copies a plugin's stream into the host's channel until ctx (the
// process's lifetime) ends, re-opening the stream if it ends early.
func pump[T any](ctx context.Context, sup *Supervisor, open func(context.Context) (<-chan T, error), out chan<- T) {
	for ctx.Err() == nil {
		ch, err := open(ctx)
		if err != nil {
			sup.log.Warn("open stream", "error", err)
		} else {
			for item := range ch {
				if ctx.Err() != nil {
					return // the process is out of service; drop what it sent last
				}
				select {
				case out <- item:
				case <-ctx.Done():
					return
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(streamRetry):
		}
	}
}

// Subscribe joins a topic now and after every restart. While the plugin
// is down the subscription is recorded and applied when it is back.
func (t *Transport) Subscribe(ctx context.Context, topic string) error {
	return t.topics.put(topic, topic, func(p sdk.Plugin) error {
		return p.(sdk.Transport).Subscribe(ctx, topic)
	})
}

// Unsubscribe leaves a topic for good.
func (t *Transport) Unsubscribe(ctx context.Context, topic string) error {
	return t.topics.remove(topic, func(p sdk.Plugin) error {
		return p.(sdk.Transport).Unsubscribe(ctx, topic)
	})
}

// Publish sends data on a topic; sdk.ErrUnavailable while the plugin is
// restarting (callers retry on their own schedule).
func (t *Transport) Publish(ctx context.Context, topic string, data []byte) error {
	p, err := t.sup.Current()
	if err != nil {
		return err
	}
	return p.(sdk.Transport).Publish(ctx, topic, data)
}

// Inbound is every message received from peers, across plugin restarts.
func (t *Transport) Inbound() <-chan sdk.Message { return t.inbound }

// Status asks the plugin for /p2p/status.
func (t *Transport) Status(ctx context.Context) (sdk.TransportStatus, error) {
	p, err := t.sup.Current()
	if err != nil {
		return sdk.TransportStatus{}, err
	}
	return p.(sdk.Transport).Status(ctx)
}
