package plugintest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/wavs-go/wavs/sdk"
)

// TriggerOptions tune TriggerSuite.
type TriggerOptions struct {
	// Config is passed to Configure (default {}). If it has a "plugin"
	// section, that must be a JSON object.
	Config json.RawMessage
	// Spec returns a spec with the given id that the plugin serves and that
	// fires on its own soon (or after Fire). Its Cursor should be empty:
	// the suite sets it where it resumes a trigger. Required.
	Spec func(id string) sdk.TriggerSpec
	// Fire, if set, makes the trigger spec of plugin p fire once: emit a
	// contract event, POST to p's webhook, … p is the value newPlugin
	// returned (the implementation itself, not its gRPC client), so a
	// test can reach that instance: its port, its files. The suite calls
	// Fire when it starts waiting for an event and every 500ms while it
	// waits.
	Fire func(t *testing.T, p sdk.Trigger, spec sdk.TriggerSpec)
	// EventTimeout bounds each wait for an event (default 10s).
	EventTimeout time.Duration
	// Persistent says the plugin keeps the events it accepted and the
	// host has not acked across a restart (it stores them in its DataDir,
	// e.g. with sdk.OpenEventQueue): ResumeAfterRestart then requires the
	// unacked event again from the new instance. Leave it false for a
	// trigger that reads its events again from their source (a chain,
	// from the cursor).
	Persistent bool
	// OneAtATime says two instances of the plugin cannot run at once
	// with Config (it listens on a fixed port, say): Deterministic then
	// shuts the first instance down before it starts the second. Leave it
	// false for a trigger that watches a shared source (a chain): two
	// instances see the same happening only while both watch.
	OneAtATime bool
	// Binary, if set, is the path of the built plugin executable, checked
	// with CheckBinary in the Binary subtest.
	Binary string
}

// TriggerSuite checks a trigger plugin against the protocol's rules; the
// package documentation lists the checks. newPlugin returns a fresh,
// unconfigured plugin for each instance the suite starts.
func TriggerSuite(t *testing.T, newPlugin func(t *testing.T) sdk.Trigger, opts TriggerOptions) {
	if opts.Spec == nil {
		t.Fatal("plugintest.TriggerSuite: TriggerOptions.Spec is required")
	}
	if opts.EventTimeout == 0 {
		opts.EventTimeout = 10 * time.Second
	}
	k := &kit[sdk.Trigger]{kind: sdk.KindTrigger, newPlugin: newPlugin, connect: ConnectTrigger, config: opts.Config, binary: opts.Binary}
	fire := func(t *testing.T, inst *instance[sdk.Trigger], spec sdk.TriggerSpec) {
		t.Helper()
		if opts.Fire != nil {
			opts.Fire(t, inst.impl, spec)
		}
	}
	// await reads events of spec's trigger from ch, firing it when it
	// starts and every 500ms, until accept returns true; it fails the
	// test with what when EventTimeout passes first.
	await := func(t *testing.T, inst *instance[sdk.Trigger], ch <-chan sdk.TriggerEvent, spec sdk.TriggerSpec, what string, accept func(sdk.TriggerEvent) bool) {
		t.Helper()
		deadline := time.After(opts.EventTimeout)
		tick := time.NewTicker(500 * time.Millisecond)
		defer tick.Stop()
		fire(t, inst, spec)
		for {
			select {
			case ev, ok := <-ch:
				if !ok {
					t.Fatalf("Events stream closed while waiting for %s", what)
				}
				if ev.TriggerID == spec.ID && accept(ev) {
					return
				}
			case <-tick.C:
				fire(t, inst, spec)
			case <-deadline:
				t.Fatalf("no %s within %v", what, opts.EventTimeout)
			}
		}
	}
	// next waits for the next event of spec's trigger on ch.
	next := func(t *testing.T, inst *instance[sdk.Trigger], ch <-chan sdk.TriggerEvent, spec sdk.TriggerSpec) sdk.TriggerEvent {
		t.Helper()
		var got sdk.TriggerEvent
		await(t, inst, ch, spec, fmt.Sprintf("event for trigger %q", spec.ID), func(ev sdk.TriggerEvent) bool {
			got = ev
			return true
		})
		return got
	}
	// watch adds spec and opens a stream that ends with the test.
	watch := func(t *testing.T, inst *instance[sdk.Trigger], spec sdk.TriggerSpec) <-chan sdk.TriggerEvent {
		t.Helper()
		ctx, cancel := context.WithCancel(context.Background())
		t.Cleanup(cancel)
		if err := inst.client.AddTrigger(ctxFor(t), spec); err != nil {
			t.Fatalf("AddTrigger(%q): %v", spec.ID, err)
		}
		events, err := inst.client.Events(ctx)
		if err != nil {
			t.Fatalf("Events: %v", err)
		}
		return events
	}
	baseSuite(t, k)

	t.Run("RemoveUnknown", func(t *testing.T) {
		p := k.ready(t).client
		if err := p.RemoveTrigger(ctxFor(t), "no-such-trigger"); !errors.Is(err, sdk.ErrNotFound) {
			t.Errorf("RemoveTrigger(unknown) = %v, want sdk.ErrNotFound", err)
		}
	})
	t.Run("EventCarriesIDAndCursor", func(t *testing.T) {
		inst := k.ready(t)
		spec := opts.Spec("t1")
		ev := next(t, inst, watch(t, inst, spec), spec)
		if ev.Cursor == "" {
			t.Error("event has an empty cursor")
		}
		if ev.Data == nil {
			t.Error("event has no data")
		}
		if err := inst.client.Ack(ctxFor(t), ev.TriggerID, ev.Cursor); err != nil {
			t.Errorf("Ack: %v", err)
		}
	})
	t.Run("UnackedEventRedelivered", func(t *testing.T) {
		inst := k.ready(t)
		p := inst.client
		ctx := ctxFor(t)
		spec := opts.Spec("t1")
		if err := p.AddTrigger(ctx, spec); err != nil {
			t.Fatalf("AddTrigger: %v", err)
		}
		streamCtx, endStream := context.WithCancel(ctx)
		events, err := p.Events(streamCtx)
		if err != nil {
			t.Fatalf("Events: %v", err)
		}
		first := next(t, inst, events, spec)
		endStream()
		closesWithin(events, 2*time.Second)

		events, err = p.Events(ctx)
		if err != nil {
			t.Fatalf("Events (second stream): %v", err)
		}
		again := next(t, inst, events, spec)
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
		if later := next(t, inst, events, spec); later.Cursor == first.Cursor {
			t.Errorf("acknowledged event %q delivered again", first.Cursor)
		}
	})
	t.Run("RemovedTriggerFallsSilent", func(t *testing.T) {
		inst := k.ready(t)
		p := inst.client
		ctx := ctxFor(t)
		gone, kept := opts.Spec("gone"), opts.Spec("kept")
		if err := p.AddTrigger(ctx, gone); err != nil {
			t.Fatalf("AddTrigger: %v", err)
		}
		if err := p.AddTrigger(ctx, kept); err != nil {
			t.Fatalf("AddTrigger: %v", err)
		}
		streamCtx, endStream := context.WithCancel(ctx)
		events, err := p.Events(streamCtx)
		if err != nil {
			t.Fatalf("Events: %v", err)
		}
		next(t, inst, events, gone)
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
			fire(t, inst, kept)
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
		p := k.ready(t).client
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
		p := k.ready(t).client
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
	t.Run("ResumeAfterRestart", func(t *testing.T) {
		// The host acks e1 and not e2, the plugin restarts with the same
		// data directory, and the host adds the trigger again with the
		// cursor it acked.
		dir := k.dataDir(t)
		spec := opts.Spec("t1")
		a := k.readyIn(t, dir)
		events := watch(t, a, spec)
		e1 := next(t, a, events, spec)
		if err := a.client.Ack(ctxFor(t), spec.ID, e1.Cursor); err != nil {
			t.Fatalf("Ack: %v", err)
		}
		e2 := next(t, a, events, spec)
		if e2.Cursor == e1.Cursor {
			t.Fatalf("event %q delivered again on the same stream after it was acked", e1.Cursor)
		}
		a.shutdown(t, "before the restart")

		b := k.readyIn(t, dir)
		resumed := spec
		resumed.Cursor = e1.Cursor
		events = watch(t, b, resumed)
		what := fmt.Sprintf("event for trigger %q", spec.ID)
		if opts.Persistent {
			what = fmt.Sprintf("unacked event %q again after the restart (TriggerOptions.Persistent says the plugin keeps it)", e2.Cursor)
		}
		n := 0
		await(t, b, events, resumed, what, func(ev sdk.TriggerEvent) bool {
			n++
			if ev.Cursor == e1.Cursor {
				t.Fatalf("after a restart with cursor %q, event %d from the new instance is that acked event again", e1.Cursor, n)
			}
			if !opts.Persistent {
				return true
			}
			if ev.Cursor != e2.Cursor {
				return false
			}
			if err := sameData(ev.Data, e2.Data); err != nil {
				t.Errorf("unacked event %q came back after the restart with other data: %v", e2.Cursor, err)
			}
			return true
		})
	})
	t.Run("Deterministic", func(t *testing.T) {
		// Two operators' nodes watching the same trigger must deliver the
		// same data for the same happening: the event id they sign is
		// derived from it.
		spec := opts.Spec("t1")
		var first [2][]sdk.TriggerEvent
		if opts.OneAtATime {
			for i := range first {
				inst := k.readyIn(t, t.TempDir())
				first[i] = []sdk.TriggerEvent{next(t, inst, watch(t, inst, spec), spec)}
				inst.shutdown(t, "before the second instance")
			}
		} else {
			insts := []*instance[sdk.Trigger]{k.readyIn(t, t.TempDir()), k.readyIn(t, t.TempDir())}
			streams := make([]<-chan sdk.TriggerEvent, len(insts))
			for i, inst := range insts {
				streams[i] = watch(t, inst, spec)
			}
			for i, inst := range insts {
				first[i] = []sdk.TriggerEvent{next(t, inst, streams[i], spec)}
			}
			// Instances that started a moment apart may begin at different
			// points of the source: compare the first event both saw.
			if first[0][0].Cursor != first[1][0].Cursor {
				for i, inst := range insts {
					for len(first[i]) < 5 {
						first[i] = append(first[i], next(t, inst, streams[i], spec))
					}
				}
			}
		}
		a, b := commonFirst(first[0], first[1])
		if err := sameData(a.Data, b.Data); err != nil {
			t.Errorf("two instances given the same spec and input delivered different data (cursors %q and %q): %v. The event id the operators sign is derived from the trigger data, so every operator's node must deliver the same bytes for the same happening: encode only what every operator observes alike", a.Cursor, b.Cursor, err)
		}
	})
}

// commonFirst returns the first event of a whose cursor b has too, with
// b's; or the first event of each when they share no cursor.
func commonFirst(a, b []sdk.TriggerEvent) (sdk.TriggerEvent, sdk.TriggerEvent) {
	for _, x := range a {
		for _, y := range b {
			if x.Cursor == y.Cursor {
				return x, y
			}
		}
	}
	return a[0], b[0]
}

// sameData compares trigger data as operators' nodes must agree on it:
// bytes by value (nil and empty alike), times by instant.
func sameData(a, b sdk.TriggerData) error {
	differ := func() error { return fmt.Errorf("%s differs from %s", showData(a), showData(b)) }
	switch x := a.(type) {
	case *sdk.RawData:
		y, ok := b.(*sdk.RawData)
		if !ok || x == nil || y == nil || !bytes.Equal(x.Data, y.Data) {
			return differ()
		}
	case *sdk.CronTick:
		y, ok := b.(*sdk.CronTick)
		if !ok || x == nil || y == nil || !x.Time.Equal(y.Time) {
			return differ()
		}
	case *sdk.EvmLog:
		y, ok := b.(*sdk.EvmLog)
		if !ok || x == nil || y == nil || !bytes.Equal(x.Data, y.Data) || len(x.Topics) != len(y.Topics) {
			return differ()
		}
		xc, yc := *x, *y
		xc.Data, yc.Data = nil, nil
		if len(xc.Topics) == 0 {
			xc.Topics, yc.Topics = nil, nil
		}
		if !reflect.DeepEqual(xc, yc) {
			return differ()
		}
	default:
		if !reflect.DeepEqual(a, b) {
			return differ()
		}
	}
	return nil
}

func showData(d sdk.TriggerData) string {
	switch x := d.(type) {
	case *sdk.RawData:
		if x != nil {
			return fmt.Sprintf("RawData %q", x.Data)
		}
	case *sdk.CronTick:
		if x != nil {
			return "CronTick " + x.Time.Format(time.RFC3339Nano)
		}
	}
	return fmt.Sprintf("%T %+v", d, d)
}
