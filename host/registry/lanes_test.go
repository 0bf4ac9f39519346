package registry

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wavs-go/wavs/host/engine"
)

// TestLaneEndsWhenIdle: a trigger's lane handles and acknowledges its
// events, ends once idle (a removed service's lane does not stay), and
// the trigger's next event starts a new lane that handles it too.
func TestLaneEndsWhenIdle(t *testing.T) {
	f := newPipelineFixture(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	ls := &lanes{idle: 50 * time.Millisecond, run: func(ctx context.Context, _ string, ch <-chan event, idle time.Duration, retire func() bool) {
		f.r.runLane(ctx, ch, laneWorkers, idle, retire)
	}}
	defer ls.wait()
	tid := f.id + "/w"
	for round := range 2 {
		for i := range 5 {
			if !ls.send(ctx, tid, event{plugin: f.plugin, ev: f.event(int64(10*round + i))}) {
				t.Fatal("send failed")
			}
		}
		if n := ls.count(); n != 1 {
			t.Fatalf("round %d: %d lanes run, want 1", round, n)
		}
		waitUntil(t, func() bool { return len(f.ackedCursors()) == 5*(round+1) }, "the events to be acknowledged")
		waitUntil(t, func() bool { return ls.count() == 0 }, "the idle lane to end")
	}
	acks := f.ackedCursors()
	for i := 1; i < len(acks); i++ {
		if acks[i] <= acks[i-1] {
			t.Fatalf("acknowledged out of order: %v", acks)
		}
	}
}

// TestLaneRetireRacesSends: lanes that end the moment they are idle lose
// no event sent while they end: every event is acknowledged, even when
// each send pauses between finding its lane and sending to it (a lane
// that ended in that pause would hold the event where no one reads it).
func TestLaneRetireRacesSends(t *testing.T) {
	f := newPipelineFixture(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	ls := &lanes{idle: time.Microsecond, run: func(ctx context.Context, _ string, ch <-chan event, idle time.Duration, retire func() bool) {
		f.r.runLane(ctx, ch, laneWorkers, idle, retire)
	}, beforeSend: func() { time.Sleep(200 * time.Microsecond) }}
	defer ls.wait()
	const senders, each = 4, 50
	var wg sync.WaitGroup
	for s := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				ev := f.event(int64(1000*s + i))
				ev.Cursor = fmt.Sprintf("cursor-%d-%03d", s, i)
				if !ls.send(ctx, f.id+"/w", event{plugin: f.plugin, ev: ev}) {
					t.Error("send failed")
					return
				}
				if i%7 == 0 {
					time.Sleep(time.Millisecond) // let the lane go idle now and then
				}
			}
		}()
	}
	wg.Wait()
	waitUntil(t, func() bool { return len(f.ackedCursors()) == senders*each }, "every event to be acknowledged")
}

func waitUntil(t *testing.T, ok func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestLaneCursorWaitsOnlyWhenNothingWaitsBehind: an event acknowledged
// with later events of its trigger handled behind it stores its cursor
// at once (they wait for the acknowledgement); the last one, and a lone
// event, store theirs with the next commit of another write
// (store.PutCursorSoon).
func TestLaneCursorWaitsOnlyWhenNothingWaitsBehind(t *testing.T) {
	f := newPipelineFixture(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	release := make(chan struct{})
	var started atomic.Int32
	f.r.execute = func(ctx context.Context, _ engine.Request) ([]engine.Response, error) {
		started.Add(1)
		select {
		case <-release:
		case <-ctx.Done():
		}
		return []engine.Response{{Payload: f.payload}}, nil
	}
	ch := make(chan event)
	done := make(chan struct{})
	go func() {
		defer close(done)
		f.r.runLane(ctx, ch, laneWorkers, time.Hour, func() bool { return false })
	}()
	defer func() { cancel(); <-done }()
	cursors := func() (now, soon uint64) {
		w := f.st.Stats().Writes
		return w["put cursor"], w["put cursor soon"]
	}

	// Four events in flight at once, then all done together: the first
	// three have events behind them.
	const burst = 4
	for i := range burst {
		ch <- event{plugin: f.plugin, ev: f.event(int64(i))}
	}
	waitUntil(t, func() bool { return started.Load() == burst }, "the burst's events to run")
	close(release)
	waitUntil(t, func() bool { return len(f.ackedCursors()) == burst }, "the burst to be acknowledged")
	if now, soon := cursors(); now != burst-1 || soon != 1 {
		t.Errorf("burst of %d: %d cursors stored at once, %d with another commit; want %d and 1", burst, now, soon, burst-1)
	}

	// A lone event: nothing behind it.
	ch <- event{plugin: f.plugin, ev: f.event(100)}
	waitUntil(t, func() bool { return len(f.ackedCursors()) == burst+1 }, "the lone event to be acknowledged")
	if now, soon := cursors(); now != burst-1 || soon != 2 {
		t.Errorf("after a lone event: %d cursors stored at once, %d with another commit; want %d and 2", now, soon, burst-1)
	}
	if c, ok, err := f.st.Cursor(ctx, f.id+"/w"); err != nil || !ok || c != f.event(100).Cursor {
		t.Errorf("stored cursor: %q, %v, %v; want the lone event's", c, ok, err)
	}
}
