package registry

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wavs-go/wavs/host/engine"
	"github.com/wavs-go/wavs/host/plugins"
	"github.com/wavs-go/wavs/internal/signer"
	"github.com/wavs-go/wavs/sdk"
)

// pipelineFixture is a registry with one registered service (workflow
// "w", a cron trigger) whose engine, signer and trigger plugin are
// stand-ins: the component answers payload, signing can be made to fail,
// and acknowledgements are recorded.
type pipelineFixture struct {
	*uriFixture
	id      string
	payload []byte

	mu       sync.Mutex
	acks     []string // cursors acknowledged, in order
	signErr  error
	executed int
}

func newPipelineFixture(t *testing.T) *pipelineFixture {
	t.Helper()
	f := &pipelineFixture{uriFixture: newURIFixture(t), payload: []byte("result")}
	in, err := f.r.Add(t.Context(), []byte(serviceDoc("pipeline", [4]string{"w", cronTrigger("@every 1m"), "component-x", `{}`})))
	if err != nil {
		t.Fatal(err)
	}
	f.id = in.ID
	f.r.execute = func(context.Context, engine.Request) ([]engine.Response, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.executed++
		return []engine.Response{{Payload: f.payload}}, nil
	}
	f.r.sign = func(k *signer.Key, env sdk.Envelope) ([]byte, error) {
		f.mu.Lock()
		err := f.signErr
		f.mu.Unlock()
		if err != nil {
			return nil, err
		}
		return k.SignEnvelope(env)
	}
	f.r.ackTrigger = func(_ context.Context, _ *plugins.Trigger, _, cursor string) error {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.acks = append(f.acks, cursor)
		return nil
	}
	return f
}

// event is a firing of the service's cron trigger at second n.
func (f *pipelineFixture) event(n int64) sdk.TriggerEvent {
	return sdk.TriggerEvent{TriggerID: f.id + "/w", Cursor: "cursor-" + time.Unix(n, 0).UTC().Format("150405"), Data: &sdk.CronTick{Time: time.Unix(n, 0).UTC()}}
}

// deliver hands ev to the pipeline as a lane does: handle it, then
// acknowledge it unless it must come again (crash: stop before the ack).
func (f *pipelineFixture) deliver(ctx context.Context, ev sdk.TriggerEvent, crash bool) handled {
	h := f.r.handle(ctx, f.plugin, ev)
	if h.ack && !crash {
		f.r.ack(ctx, f.plugin, ev, h.keep, false)
	}
	return h
}

func (f *pipelineFixture) ackedCursors() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.acks...)
}

func (f *pipelineFixture) results(t *testing.T) int {
	t.Helper()
	rs, err := f.st.ListResults(t.Context(), f.id, 0)
	if err != nil {
		t.Fatal(err)
	}
	return len(rs)
}

// TestPipelineCrashBetweenStoreAndAck: a node that stored an event's
// result and stopped before acknowledging it gets the event again; the
// result is stored once (same event id, same signature), and the
// acknowledgement and the stored cursor follow the second handling.
func TestPipelineCrashBetweenStoreAndAck(t *testing.T) {
	f := newPipelineFixture(t)
	ctx := t.Context()
	ev := f.event(60)
	if h := f.deliver(ctx, ev, true); !h.ack || h.retry {
		t.Fatalf("first handling: %+v, want an event to acknowledge", h)
	}
	if n := f.results(t); n != 1 {
		t.Fatalf("%d results after the first handling, want 1", n)
	}
	first, _ := f.st.ListResults(ctx, f.id, 0)
	if acks := f.ackedCursors(); len(acks) != 0 {
		t.Fatalf("acknowledged %v before the crash", acks)
	}
	if c, ok, _ := f.st.Cursor(ctx, ev.TriggerID); ok {
		t.Fatalf("cursor %q stored though the event was not acknowledged", c)
	}
	// The plugin sends the event again after the restart.
	if h := f.deliver(ctx, ev, false); !h.ack || !h.keep {
		t.Fatalf("second handling: %+v", h)
	}
	again, _ := f.st.ListResults(ctx, f.id, 0)
	if len(again) != 1 || again[0].EventID != first[0].EventID || string(again[0].Signature) != string(first[0].Signature) {
		t.Fatalf("results after the redelivery: %+v; want the first one alone", again)
	}
	if acks := f.ackedCursors(); len(acks) != 1 || acks[0] != ev.Cursor {
		t.Errorf("acknowledged %v, want [%s]", acks, ev.Cursor)
	}
	if c, ok, _ := f.st.Cursor(ctx, ev.TriggerID); !ok || c != ev.Cursor {
		t.Errorf("stored cursor %q (%v), want %q", c, ok, ev.Cursor)
	}
}

// TestPipelineFailedSignComesAgain: a result that cannot be signed leaves
// its event unacknowledged (it comes again) and nothing stored, with the
// cause as the service's latest problem; once signing works the event
// yields its result and is acknowledged.
func TestPipelineFailedSignComesAgain(t *testing.T) {
	f := newPipelineFixture(t)
	ctx := t.Context()
	ev := f.event(120)
	f.mu.Lock()
	f.signErr = errors.New("the key is out of reach")
	f.mu.Unlock()
	if h := f.deliver(ctx, ev, false); h.ack || !h.retry {
		t.Fatalf("handling with a failing signer: %+v, want to run again, unacknowledged", h)
	}
	if n := f.results(t); n != 0 {
		t.Errorf("%d results stored without a signature", n)
	}
	if acks := f.ackedCursors(); len(acks) != 0 {
		t.Errorf("acknowledged %v without a result", acks)
	}
	rec, ok, err := f.st.GetService(ctx, f.id)
	if err != nil || !ok || !strings.Contains(rec.LastError, "out of reach") {
		t.Errorf("service's latest problem %q (%v %v), want the signing error", rec.LastError, ok, err)
	}
	f.mu.Lock()
	f.signErr = nil
	f.mu.Unlock()
	if h := f.deliver(ctx, ev, false); !h.ack {
		t.Fatalf("handling once signing works: %+v", h)
	}
	if n := f.results(t); n != 1 {
		t.Errorf("%d results, want 1", n)
	}
	if acks := f.ackedCursors(); len(acks) != 1 {
		t.Errorf("acknowledged %v, want the event once", acks)
	}
}

// TestPipelineServiceRemovedMidEvent: a service removed while its event
// runs does not wedge or crash the pipeline: the removal waits for the
// event, the event ends acknowledged (its plugin must not send it again),
// and no cursor outlives the service.
func TestPipelineServiceRemovedMidEvent(t *testing.T) {
	f := newPipelineFixture(t)
	ctx := t.Context()
	running, release := make(chan struct{}), make(chan struct{})
	f.r.execute = func(context.Context, engine.Request) ([]engine.Response, error) {
		close(running)
		<-release
		return []engine.Response{{Payload: f.payload}}, nil
	}
	ev := f.event(180)
	done := make(chan handled, 1)
	go func() { done <- f.deliver(ctx, ev, false) }()
	<-running
	removed := make(chan error, 1)
	go func() { removed <- f.r.Remove(ctx, f.id) }()
	// Removal may finish first (the event then finds its service gone
	// when it stores) or wait for the event.
	time.Sleep(200 * time.Millisecond)
	close(release)
	var h handled
	select {
	case h = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the event never finished after its service was removed")
	}
	select {
	case err := <-removed:
		if err != nil {
			t.Fatalf("Remove: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the removal never finished")
	}
	if h.retry {
		t.Errorf("handled %+v: an event of a removed service must not come again", h)
	}
	if !h.ack {
		t.Errorf("handled %+v: want it acknowledged", h)
	}
	if _, ok, _ := f.st.GetService(ctx, f.id); ok {
		t.Error("the service is still stored")
	}
	if c, ok, _ := f.st.Cursor(ctx, ev.TriggerID); ok {
		t.Errorf("cursor %q outlived its service", c)
	}
	// A later event of the removed trigger is dropped, acknowledged.
	if h := f.deliver(ctx, f.event(240), false); !h.ack || h.keep || h.retry {
		t.Errorf("event after the removal: %+v, want dropped and acknowledged", h)
	}
}
