package plugintest

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/wavs-go/wavs/sdk"
)

// TransportOptions tune TransportSuite.
type TransportOptions struct {
	// Config is passed to Configure (default {}). If it has a "plugin"
	// section, that must be a JSON object.
	Config json.RawMessage
	// Binary, if set, is the path of the built plugin executable, checked
	// with CheckBinary in the Binary subtest.
	Binary string
}

// TransportSuite checks a transport plugin against the protocol's rules;
// the package documentation lists the checks. newPlugin returns a fresh,
// unconfigured plugin for each instance the suite starts.
func TransportSuite(t *testing.T, newPlugin func(t *testing.T) sdk.Transport, opts TransportOptions) {
	k := &kit[sdk.Transport]{kind: sdk.KindTransport, newPlugin: newPlugin, connect: ConnectTransport, config: opts.Config, binary: opts.Binary}
	ready := func(t *testing.T) sdk.Transport { return k.ready(t).client }
	baseSuite(t, k)
	admissionSuite(t, ready)

	const topic = "wavs/plugintest/topic/v1"
	t.Run("SubscribeShowsInStatus", func(t *testing.T) {
		p := ready(t)
		ctx := ctxFor(t)
		for i := 0; i < 2; i++ { // subscribing twice is not an error
			if err := p.Subscribe(ctx, topic); err != nil {
				t.Fatalf("Subscribe #%d: %v", i+1, err)
			}
		}
		st, err := p.Status(ctx)
		if err != nil {
			t.Fatalf("Status: %v", err)
		}
		if n := countOf(st.SubscribedTopics, topic); n != 1 {
			t.Errorf("Status().SubscribedTopics = %q: want %q once", st.SubscribedTopics, topic)
		}
		if err := p.Unsubscribe(ctx, topic); err != nil {
			t.Fatalf("Unsubscribe: %v", err)
		}
		st, err = p.Status(ctx)
		if err != nil {
			t.Fatalf("Status: %v", err)
		}
		if slices.Contains(st.SubscribedTopics, topic) {
			t.Errorf("after Unsubscribe, Status().SubscribedTopics = %q still lists %q", st.SubscribedTopics, topic)
		}
		if err := p.Unsubscribe(ctx, topic); !errors.Is(err, sdk.ErrNotFound) {
			t.Errorf("Unsubscribe(not subscribed) = %v, want sdk.ErrNotFound", err)
		}
	})
	t.Run("EmptyTopicRejected", func(t *testing.T) {
		p := ready(t)
		if err := p.Subscribe(ctxFor(t), ""); !errors.Is(err, sdk.ErrInvalidArgument) {
			t.Errorf("Subscribe(\"\") = %v, want sdk.ErrInvalidArgument", err)
		}
	})
	t.Run("PublishNeedsSubscription", func(t *testing.T) {
		p := ready(t)
		ctx := ctxFor(t)
		if err := p.Publish(ctx, topic, []byte("x")); !errors.Is(err, sdk.ErrNotFound) {
			t.Errorf("Publish(not subscribed) = %v, want sdk.ErrNotFound", err)
		}
		if err := p.Subscribe(ctx, topic); err != nil {
			t.Fatalf("Subscribe: %v", err)
		}
		if err := p.Publish(ctx, topic, []byte("x")); err != nil {
			t.Errorf("Publish(subscribed): %v", err)
		}
	})
	t.Run("NoSelfDelivery", func(t *testing.T) {
		p := ready(t)
		ctx := ctxFor(t)
		if err := p.Subscribe(ctx, topic); err != nil {
			t.Fatalf("Subscribe: %v", err)
		}
		in, err := p.Inbound(ctx)
		if err != nil {
			t.Fatalf("Inbound: %v", err)
		}
		payload := []byte("from-myself")
		if err := p.Publish(ctx, topic, payload); err != nil {
			t.Fatalf("Publish: %v", err)
		}
		select {
		case m := <-in:
			if string(m.Data) == string(payload) {
				t.Errorf("own message delivered back: %+v", m)
			}
		case <-time.After(300 * time.Millisecond):
		}
	})
	t.Run("InboundEndsWithContext", func(t *testing.T) {
		p := ready(t)
		ctx, cancel := context.WithCancel(ctxFor(t))
		in, err := p.Inbound(ctx)
		if err != nil {
			t.Fatalf("Inbound: %v", err)
		}
		cancel()
		if !closesWithin(in, 2*time.Second) {
			t.Error("Inbound channel still open 2s after its context was cancelled")
		}
	})
	t.Run("NewInboundEndsPrevious", func(t *testing.T) {
		p := ready(t)
		ctx := ctxFor(t)
		first, err := p.Inbound(ctx)
		if err != nil {
			t.Fatalf("Inbound #1: %v", err)
		}
		second, err := p.Inbound(ctx)
		if err != nil {
			t.Fatalf("Inbound #2: %v", err)
		}
		if !closesWithin(first, 2*time.Second) {
			t.Error("first Inbound stream still open 2s after a second one was opened")
		}
		if closesWithin(second, 200*time.Millisecond) {
			t.Error("second Inbound stream closed by itself")
		}
	})
	t.Run("StatusLists", func(t *testing.T) {
		p := ready(t)
		st, err := p.Status(ctxFor(t))
		if err != nil {
			t.Fatalf("Status: %v", err)
		}
		for name, n := range st.TopicPeerCounts {
			if n < 0 {
				t.Errorf("TopicPeerCounts[%q] = %d", name, n)
			}
		}
		if !st.Enabled && (len(st.PeerIDs) > 0 || len(st.ListenAddresses) > 0) {
			t.Errorf("disabled transport reports peers %q or listen addresses %q", st.PeerIDs, st.ListenAddresses)
		}
	})
}

func countOf(list []string, s string) int {
	n := 0
	for _, v := range list {
		if v == s {
			n++
		}
	}
	return n
}
