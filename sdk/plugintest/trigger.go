package plugintest

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/wavs-go/wavs/sdk"
)

// TriggerOptions tune TriggerSuite.
type TriggerOptions struct {
	// Config is passed to Configure (default {}).
	Config json.RawMessage
	// Spec returns a spec with the given id that the plugin serves and that
	// fires on its own soon (or after Fire). Required.
	Spec func(id string) sdk.TriggerSpec
	// Fire, if set, makes every trigger of Spec fire once (for example by
	// emitting a contract event). The suite calls it while it waits.
	Fire func(t *testing.T)
	// EventTimeout bounds each wait for an event (default 10s).
	EventTimeout time.Duration
}

// TriggerSuite checks a trigger plugin against the protocol's rules.
// newPlugin returns a fresh, unconfigured plugin for each subtest.
func TriggerSuite(t *testing.T, newPlugin func(t *testing.T) sdk.Trigger, opts TriggerOptions) {
	if opts.Spec == nil {
		t.Fatal("plugintest.TriggerSuite: TriggerOptions.Spec is required")
	}
	if opts.EventTimeout == 0 {
		opts.EventTimeout = 10 * time.Second
	}
	connect := func(t *testing.T) sdk.Trigger { return ConnectTrigger(t, newPlugin(t)) }
	ready := func(t *testing.T) sdk.Trigger {
		p := connect(t)
		configure(t, p, opts.Config)
		return p
	}
	// next waits for the next event of trigger id on ch.
	next := func(t *testing.T, ch <-chan sdk.TriggerEvent, id string) sdk.TriggerEvent {
		t.Helper()
		deadline := time.After(opts.EventTimeout)
		fire := time.NewTicker(500 * time.Millisecond)
		defer fire.Stop()
		if opts.Fire != nil {
			opts.Fire(t)
		}
		for {
			select {
			case ev, ok := <-ch:
				if !ok {
					t.Fatalf("Events stream closed while waiting for trigger %q", id)
				}
				if ev.TriggerID == id {
					return ev
				}
			case <-fire.C:
				if opts.Fire != nil {
					opts.Fire(t)
				}
			case <-deadline:
				t.Fatalf("no event for trigger %q within %v", id, opts.EventTimeout)
			}
		}
	}
	baseSuite(t, sdk.KindTrigger, func(t *testing.T) sdk.Plugin { return connect(t) }, opts.Config)

	t.Run("RemoveUnknown", func(t *testing.T) {
		p := ready(t)
		if err := p.RemoveTrigger(ctxFor(t), "no-such-trigger"); !errors.Is(err, sdk.ErrNotFound) {
			t.Errorf("RemoveTrigger(unknown) = %v, want sdk.ErrNotFound", err)
		}
	})
	t.Run("EventCarriesIDAndCursor", func(t *testing.T) {
		p := ready(t)
		ctx := ctxFor(t)
		if err := p.AddTrigger(ctx, opts.Spec("t1")); err != nil {
			t.Fatalf("AddTrigger: %v", err)
		}
		events, err := p.Events(ctx)
		if err != nil {
			t.Fatalf("Events: %v", err)
		}
		ev := next(t, events, "t1")
		if ev.Cursor == "" {
			t.Error("event has an empty cursor")
		}
		if ev.Data == nil {
			t.Error("event has no data")
		}
		if err := p.Ack(ctx, ev.TriggerID, ev.Cursor); err != nil {
			t.Errorf("Ack: %v", err)
		}
	})
	t.Run("UnackedEventRedelivered", func(t *testing.T) {
		p := ready(t)
		ctx := ctxFor(t)
		if err := p.AddTrigger(ctx, opts.Spec("t1")); err != nil {
			t.Fatalf("AddTrigger: %v", err)
		}
		streamCtx, endStream := context.WithCancel(ctx)
		events, err := p.Events(streamCtx)
		if err != nil {
			t.Fatalf("Events: %v", err)
		}
		first := next(t, events, "t1")
		endStream()
		closesWithin(events, 2*time.Second)

		events, err = p.Events(ctx)
		if err != nil {
			t.Fatalf("Events (second stream): %v", err)
		}
		again := next(t, events, "t1")
		if again.Cursor != first.Cursor {
			t.Fatalf("first event on a new stream has cursor %q, want the unacknowledged %q again", again.Cursor, first.Cursor)
		}
		if err := p.Ack(ctx, "t1", first.Cursor); err != nil {
			t.Fatalf("Ack: %v", err)
		}
		streamCtx, endStream = context.WithCancel(ctx)
		events, err = p.Events(streamCtx)
		if err != nil {
			t.Fatalf("Events (third stream): %v", err)
		}
		defer endStream()
		if later := next(t, events, "t1"); later.Cursor == first.Cursor {
			t.Errorf("acknowledged event %q delivered again", first.Cursor)
		}
	})
	t.Run("RemovedTriggerFallsSilent", func(t *testing.T) {
		p := ready(t)
		ctx := ctxFor(t)
		if err := p.AddTrigger(ctx, opts.Spec("gone")); err != nil {
			t.Fatalf("AddTrigger: %v", err)
		}
		if err := p.AddTrigger(ctx, opts.Spec("kept")); err != nil {
			t.Fatalf("AddTrigger: %v", err)
		}
		streamCtx, endStream := context.WithCancel(ctx)
		events, err := p.Events(streamCtx)
		if err != nil {
			t.Fatalf("Events: %v", err)
		}
		next(t, events, "gone")
		if err := p.RemoveTrigger(ctx, "gone"); err != nil {
			t.Fatalf("RemoveTrigger: %v", err)
		}
		endStream()
		closesWithin(events, 2*time.Second)
		// A new stream must carry no event of the removed trigger, pending
		// or new, while the other trigger keeps firing.
		events, err = p.Events(ctx)
		if err != nil {
			t.Fatalf("Events: %v", err)
		}
		seenKept := 0
		deadline := time.After(opts.EventTimeout)
		for seenKept < 2 {
			if opts.Fire != nil {
				opts.Fire(t)
			}
			select {
			case ev, ok := <-events:
				if !ok {
					t.Fatal("Events stream closed")
				}
				switch ev.TriggerID {
				case "gone":
					t.Fatalf("event %q of a removed trigger delivered", ev.Cursor)
				case "kept":
					seenKept++
					_ = p.Ack(ctx, ev.TriggerID, ev.Cursor)
				}
			case <-deadline:
				t.Fatalf("trigger %q fired %d times within %v, want 2", "kept", seenKept, opts.EventTimeout)
			}
		}
	})
	t.Run("EventsEndWithContext", func(t *testing.T) {
		p := ready(t)
		ctx, cancel := context.WithCancel(ctxFor(t))
		events, err := p.Events(ctx)
		if err != nil {
			t.Fatalf("Events: %v", err)
		}
		cancel()
		if !closesWithin(events, 2*time.Second) {
			t.Error("Events channel still open 2s after its context was cancelled")
		}
	})
	t.Run("NewEventsStreamEndsPrevious", func(t *testing.T) {
		p := ready(t)
		ctx := ctxFor(t)
		first, err := p.Events(ctx)
		if err != nil {
			t.Fatalf("Events #1: %v", err)
		}
		if _, err := p.Events(ctx); err != nil {
			t.Fatalf("Events #2: %v", err)
		}
		if !closesWithin(first, 2*time.Second) {
			t.Error("first Events stream still open 2s after a second one was opened")
		}
	})
}
