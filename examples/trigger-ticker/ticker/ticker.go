// Package ticker is a trigger plugin for cron triggers with the schedule
// "@every <duration>" (a Go duration such as 10s or 1m30s).
//
// Ticks fall on the multiples of the interval counted from the Unix
// epoch, and an event carries the tick's scheduled time, not the moment
// the timer went off: every operator's node delivers the same CronTick
// for the same tick, as it must (the event id operators sign is derived
// from the trigger data). The cursor is that time in nanoseconds. Missed
// ticks are not replayed: a trigger added with a cursor resumes at its
// next tick after both the cursor and now.
package ticker

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/sdk"
)

// Version of this plugin.
const Version = "0.1.0"

// MinInterval is the shortest interval a schedule may ask for.
const MinInterval = 10 * time.Millisecond

// Config is the plugin's own table, [plugins.trigger-ticker.config].
type Config struct {
	// MaxPending bounds the unacknowledged events kept (default 1024).
	MaxPending int `json:"max_pending"`
}

// Ticker is the plugin.
type Ticker struct {
	log hclog.Logger

	mu       sync.Mutex
	queue    *sdk.EventQueue
	triggers map[string]context.CancelFunc
}

var _ sdk.Trigger = (*Ticker)(nil)

// New returns an unconfigured Ticker.
func New(log hclog.Logger) *Ticker {
	return &Ticker{log: log, queue: sdk.NewEventQueue(1024), triggers: map[string]context.CancelFunc{}}
}

// Info implements sdk.Plugin.
func (t *Ticker) Info() sdk.Info {
	return sdk.Info{
		Name:         "trigger-ticker",
		Version:      Version,
		Kind:         sdk.KindTrigger,
		Capabilities: []string{"trigger:cron"},
		Description:  `example plugin: cron triggers with schedule "@every <duration>"`,
	}
}

// Configure implements sdk.Plugin.
func (t *Ticker) Configure(_ context.Context, req sdk.ConfigureRequest) error {
	var cfg Config
	if _, err := req.Section("plugin", &cfg); err != nil {
		return err
	}
	if cfg.MaxPending < 0 {
		return fmt.Errorf("%w: max_pending = %d: want a positive number", sdk.ErrInvalidArgument, cfg.MaxPending)
	}
	if cfg.MaxPending > 0 {
		t.mu.Lock()
		t.queue = sdk.NewEventQueue(cfg.MaxPending)
		t.mu.Unlock()
	}
	return nil
}

// Health implements sdk.Plugin.
func (t *Ticker) Health(context.Context) sdk.Health {
	return sdk.Health{Healthy: true, Message: fmt.Sprintf("%d triggers, %d events pending", t.count(), t.q().Len())}
}

// Shutdown implements sdk.Plugin: it stops every trigger.
func (t *Ticker) Shutdown(context.Context) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	for id, stop := range t.triggers {
		stop()
		delete(t.triggers, id)
	}
	return nil
}

func (t *Ticker) q() *sdk.EventQueue {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.queue
}

func (t *Ticker) count() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.triggers)
}

// ParseSchedule reads "@every <duration>".
func ParseSchedule(s string) (time.Duration, error) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(s), "@every ")
	if !ok {
		return 0, fmt.Errorf("%w: schedule %q: this plugin serves only \"@every <duration>\"", sdk.ErrInvalidArgument, s)
	}
	d, err := time.ParseDuration(strings.TrimSpace(rest))
	if err != nil {
		return 0, fmt.Errorf("%w: schedule %q: %v", sdk.ErrInvalidArgument, s, err)
	}
	if d < MinInterval {
		return 0, fmt.Errorf("%w: schedule %q: interval must be at least %v", sdk.ErrInvalidArgument, s, MinInterval)
	}
	return d, nil
}

// AddTrigger implements sdk.Trigger.
func (t *Ticker) AddTrigger(_ context.Context, spec sdk.TriggerSpec) error {
	cron, ok := spec.Source.(*sdk.Cron)
	if !ok {
		return fmt.Errorf("%w: trigger %q: source %s: this plugin serves only cron", sdk.ErrInvalidArgument, spec.ID, sdk.SourceKind(spec.Source))
	}
	every, err := ParseSchedule(cron.Schedule)
	if err != nil {
		return fmt.Errorf("trigger %q: %w", spec.ID, err)
	}
	if !cron.EndTime.IsZero() && !cron.StartTime.IsZero() && cron.EndTime.Before(cron.StartTime) {
		return fmt.Errorf("%w: trigger %q: end_time %v is before start_time %v", sdk.ErrInvalidArgument, spec.ID, cron.EndTime, cron.StartTime)
	}
	// The first tick: the next one after now, the start time and the
	// cursor.
	first := nextTick(time.Now(), every)
	if !cron.StartTime.IsZero() {
		first = later(first, nextTick(cron.StartTime.Add(-time.Nanosecond), every))
	}
	if spec.Cursor != "" {
		n, err := strconv.ParseInt(spec.Cursor, 10, 64)
		if err != nil || n < 0 {
			return fmt.Errorf("%w: trigger %q: cursor %q is not one of this plugin's", sdk.ErrInvalidArgument, spec.ID, spec.Cursor)
		}
		first = later(first, nextTick(time.Unix(0, n), every))
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.mu.Lock()
	if stop, ok := t.triggers[spec.ID]; ok {
		stop()
	}
	t.triggers[spec.ID] = cancel
	queue := t.queue
	t.mu.Unlock()
	go t.run(ctx, queue, spec.ID, every, first, cron.EndTime)
	return nil
}

// nextTick is the first multiple of every since the Unix epoch after at.
func nextTick(at time.Time, every time.Duration) time.Time {
	n, d := at.UnixNano(), int64(every)
	return time.Unix(0, (n/d+1)*d)
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func (t *Ticker) run(ctx context.Context, queue *sdk.EventQueue, id string, every time.Duration, next, end time.Time) {
	timer := time.NewTimer(time.Until(next))
	defer timer.Stop()
	for {
		if !end.IsZero() && next.After(end) {
			t.log.Info("trigger reached its end time", "trigger", id)
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		ev := sdk.TriggerEvent{
			TriggerID: id,
			// Fixed width, so cursors sort as their times do.
			Cursor: fmt.Sprintf("%020d", next.UnixNano()),
			Data:   &sdk.CronTick{Time: next.UTC()},
		}
		if err := queue.Push(ctx, ev); err != nil {
			return
		}
		// The next tick after this one and after now: ticks missed while
		// the queue was full are skipped.
		next = later(next.Add(every), nextTick(time.Now().Add(-every), every))
		timer.Reset(time.Until(next))
	}
}

// RemoveTrigger implements sdk.Trigger.
func (t *Ticker) RemoveTrigger(_ context.Context, id string) error {
	t.mu.Lock()
	stop, ok := t.triggers[id]
	delete(t.triggers, id)
	queue := t.queue
	t.mu.Unlock()
	if !ok {
		return fmt.Errorf("%w: trigger %q", sdk.ErrNotFound, id)
	}
	stop()
	queue.Remove(id)
	return nil
}

// Events implements sdk.Trigger.
func (t *Ticker) Events(ctx context.Context) (<-chan sdk.TriggerEvent, error) {
	return t.q().Stream(ctx), nil
}

// Ack implements sdk.Trigger.
func (t *Ticker) Ack(_ context.Context, id, cursor string) error {
	t.q().Ack(id, cursor)
	return nil
}
