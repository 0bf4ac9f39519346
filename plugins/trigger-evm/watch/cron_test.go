package watch

import (
	"testing"
	"time"

	"github.com/wavs-go/wavs/sdk"
)

// TestCron: "@every 1s" fires about once a second, on whole seconds, with
// the fire time as cursor; no chain is needed.
func TestCron(t *testing.T) {
	w := newWatcher(t, nil, nil)
	evs := collect(t, w)
	if err := w.AddTrigger(testCtx(t, 5*time.Second), sdk.TriggerSpec{ID: "c", Source: &sdk.Cron{Schedule: "@every 1s"}}); err != nil {
		t.Fatal(err)
	}
	begin := time.Now()
	got := evs.wait(t, 3, 5*time.Second)
	if d := time.Since(begin); d < 1500*time.Millisecond {
		t.Errorf("3 firings within %v, want about 2-3 s", d)
	}
	var prev time.Time
	for i, ev := range got {
		tick, ok := ev.Data.(*sdk.CronTick)
		if !ok {
			t.Fatalf("event %d data is %T", i, ev.Data)
		}
		if tick.Time.Nanosecond() != 0 || ev.Cursor != timeCursor(tick.Time) {
			t.Errorf("event %d: time %v cursor %s", i, tick.Time, ev.Cursor)
		}
		if i > 0 && tick.Time.Sub(prev) != time.Second {
			t.Errorf("event %d fired %v after the previous one, want 1s", i, tick.Time.Sub(prev))
		}
		prev = tick.Time
	}
}

// TestCronNoReplay: a trigger added with an old cursor does not replay the
// firings it missed, and stops at end_time.
func TestCronNoReplay(t *testing.T) {
	w := newWatcher(t, nil, nil)
	evs := collect(t, w)
	now := time.Now().UTC()
	src := &sdk.Cron{Schedule: "@every 1s", EndTime: now.Add(1500 * time.Millisecond)}
	spec := sdk.TriggerSpec{ID: "c", Source: src, Cursor: timeCursor(now.Add(-time.Minute).Truncate(time.Second))}
	if err := w.AddTrigger(testCtx(t, 5*time.Second), spec); err != nil {
		t.Fatal(err)
	}
	got := evs.wait(t, 1, 3*time.Second)
	if tick := got[0].Data.(*sdk.CronTick); tick.Time.Before(now) {
		t.Fatalf("first firing at %v, before the trigger was added at %v: a missed firing was replayed", tick.Time, now)
	}
	evs.quiet(t, 2, 2*time.Second) // at most 2 firings before end_time
}
