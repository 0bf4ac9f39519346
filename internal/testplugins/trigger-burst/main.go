// Command wavs-plugin-trigger-burst is a trigger plugin for tests and
// benchmarks only. A cron trigger with schedule "@burst N" emits N events
// at once; "@every D" emits one event every D. Cursors count events; a
// trigger added with a cursor continues after it. It is never shipped.
package main

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

type burst struct {
	queue *sdk.EventQueue

	mu    sync.Mutex
	stops map[string]context.CancelFunc
}

func newBurst(hclog.Logger) *burst {
	return &burst{queue: sdk.NewEventQueue(1 << 20), stops: map[string]context.CancelFunc{}}
}

func (b *burst) Info() sdk.Info {
	return sdk.Info{Name: "trigger-burst", Version: "test", Kind: sdk.KindTrigger, Capabilities: []string{"trigger:cron"}}
}

func (b *burst) Configure(_ context.Context, req sdk.ConfigureRequest) error {
	var own struct{}
	_, err := req.Section("plugin", &own)
	return err
}

func (b *burst) Health(context.Context) sdk.Health { return sdk.Health{Healthy: true} }
func (b *burst) Shutdown(context.Context) error    { return nil }

func (b *burst) AddTrigger(_ context.Context, spec sdk.TriggerSpec) error {
	cron, ok := spec.Source.(*sdk.Cron)
	if !ok {
		return fmt.Errorf("%w: only cron", sdk.ErrInvalidArgument)
	}
	ctx, cancel := context.WithCancel(context.Background())
	b.mu.Lock()
	if stop := b.stops[spec.ID]; stop != nil {
		stop()
	}
	b.stops[spec.ID] = cancel
	b.mu.Unlock()
	first := 1
	if spec.Cursor != "" {
		n, err := strconv.Atoi(spec.Cursor)
		if err != nil {
			return fmt.Errorf("%w: cursor %q", sdk.ErrInvalidArgument, spec.Cursor)
		}
		first = n + 1
	}
	emit := func(i int) error {
		return b.queue.Push(ctx, sdk.TriggerEvent{
			TriggerID: spec.ID,
			Cursor:    fmt.Sprintf("%012d", i),
			Data:      &sdk.CronTick{Time: time.Now()},
		})
	}
	switch {
	case strings.HasPrefix(cron.Schedule, "@burst "):
		n, err := strconv.Atoi(strings.TrimPrefix(cron.Schedule, "@burst "))
		if err != nil {
			return fmt.Errorf("%w: %v", sdk.ErrInvalidArgument, err)
		}
		go func() {
			for i := first; i < first+n; i++ {
				if emit(i) != nil {
					return
				}
			}
		}()
	case strings.HasPrefix(cron.Schedule, "@every "):
		d, err := time.ParseDuration(strings.TrimPrefix(cron.Schedule, "@every "))
		if err != nil {
			return fmt.Errorf("%w: %v", sdk.ErrInvalidArgument, err)
		}
		go func() {
			t := time.NewTicker(d)
			defer t.Stop()
			for i := first; ; i++ {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
					if emit(i) != nil {
						return
					}
				}
			}
		}()
	default:
		return fmt.Errorf("%w: schedule %q", sdk.ErrInvalidArgument, cron.Schedule)
	}
	return nil
}

func (b *burst) RemoveTrigger(_ context.Context, id string) error {
	b.mu.Lock()
	stop := b.stops[id]
	delete(b.stops, id)
	b.mu.Unlock()
	if stop == nil {
		return fmt.Errorf("%w: %q", sdk.ErrNotFound, id)
	}
	stop()
	b.queue.Remove(id)
	return nil
}

func (b *burst) Events(ctx context.Context) (<-chan sdk.TriggerEvent, error) {
	return b.queue.Stream(ctx), nil
}

func (b *burst) Ack(_ context.Context, id, cursor string) error {
	b.queue.Ack(id, cursor)
	return nil
}

func main() { sdk.ServeTrigger(newBurst) }
