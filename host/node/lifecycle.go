package node

import (
	"context"
	"sync"

	"github.com/hashicorp/go-hclog"
)

// lifecycles are the parts of a running node, in the order they were
// started. They are stopped in reverse: a part may use any started before
// it (the registry queues results on the aggregator, which submits through
// the plugins, which write to the store), so it stops before them, and
// each is waited for before the next stops.
type lifecycles struct {
	log   hclog.Logger
	mu    sync.Mutex
	parts []lifecycle
}

// A lifecycle is one part: its name and how to stop it.
type lifecycle struct {
	name string
	stop func()
}

// add registers a part already started; stop ends it and returns once it
// has ended.
func (l *lifecycles) add(name string, stop func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.parts = append(l.parts, lifecycle{name: name, stop: stop})
}

// run starts run in the background as a part; it is stopped by ending
// the context it gets (which ctx's end does not end: parts stop in order)
// and waiting for run to return.
func (l *lifecycles) run(ctx context.Context, name string, run func(context.Context)) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		run(ctx)
	}()
	l.add(name, func() {
		cancel()
		<-done
	})
}

// stop stops every part, the last started first.
func (l *lifecycles) stop() {
	l.mu.Lock()
	parts := l.parts
	l.parts = nil
	l.mu.Unlock()
	for i := len(parts) - 1; i >= 0; i-- {
		parts[i].stop()
		if l.log != nil {
			l.log.Debug("stopped", "part", parts[i].name)
		}
	}
}
