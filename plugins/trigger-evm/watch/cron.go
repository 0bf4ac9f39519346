package watch

import (
	"context"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/cron"
)

// cronWatch fires a cron trigger at each time its schedule gives between
// start and end. Firings missed while the plugin was not running are not
// replayed: a trigger added with a cursor fires next at the schedule's
// first time after both the cursor and now.
type cronWatch struct {
	id       string
	src      *sdk.Cron
	schedule cron.Schedule
	after    time.Time // the cursor's time; zero without one
	queue    *sdk.EventQueue
	log      hclog.Logger
}

// run fires until ctx ends or the schedule passes the end time.
func (c *cronWatch) run(ctx context.Context) {
	from := time.Now().UTC()
	if c.after.After(from) {
		from = c.after
	}
	if start := c.src.StartTime; !start.IsZero() && start.After(from) {
		from = start.UTC().Add(-time.Nanosecond) // start itself may fire
	}
	for {
		at := c.schedule.Next(from)
		if at.IsZero() {
			return
		}
		if end := c.src.EndTime; !end.IsZero() && at.After(end) {
			c.log.Info("cron trigger reached its end_time", "end_time", end)
			return
		}
		if !sleep(ctx, time.Until(at)) {
			return
		}
		ev := sdk.TriggerEvent{TriggerID: c.id, Cursor: timeCursor(at), Data: &sdk.CronTick{Time: at}}
		if err := c.queue.Push(ctx, ev); err != nil {
			return
		}
		from = at
	}
}
