package node

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"
)

// TestLifecyclesStopInReverse: parts stop last-started first, each after
// the one started after it has returned, and the caller's context ending
// does not stop them out of order.
func TestLifecyclesStopInReverse(t *testing.T) {
	var (
		mu    sync.Mutex
		order []string
	)
	note := func(s string) {
		mu.Lock()
		defer mu.Unlock()
		order = append(order, s)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var l lifecycles
	l.add("store", func() { note("store") })
	for _, name := range []string{"aggregator", "registry"} {
		l.run(ctx, name, func(ctx context.Context) {
			<-ctx.Done()
			// A slow stop: the next part must wait for it.
			time.Sleep(20 * time.Millisecond)
			note(name)
		})
	}
	l.add("api", func() { note("api") })

	cancel() // the node's context: the parts keep running until stopped
	time.Sleep(50 * time.Millisecond)
	mu.Lock()
	early := slices.Clone(order)
	mu.Unlock()
	if len(early) != 0 {
		t.Fatalf("parts stopped when the caller's context ended: %v", early)
	}

	l.stop()
	want := []string{"api", "registry", "aggregator", "store"}
	if !slices.Equal(order, want) {
		t.Fatalf("stopped in order %v, want %v", order, want)
	}
	l.stop() // a second stop does nothing
	if len(order) != len(want) {
		t.Fatalf("a second stop stopped parts again: %v", order)
	}
}
