package plugintest_test

import (
	"context"
	"runtime/metrics"
	"testing"

	"github.com/wavs-go/wavs/sdk/plugintest"
)

// goroutinesCreated is how many goroutines the process has started.
func goroutinesCreated() uint64 {
	s := []metrics.Sample{{Name: "/sched/goroutines-created:goroutines"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// TestCallsReuseServerGoroutines: a plugin's server answers calls on
// goroutines kept from one call to the next, not on a new goroutine per
// call (whose stack grows again, by copies, in every call).
func TestCallsReuseServerGoroutines(t *testing.T) {
	p := plugintest.ConnectTransport(t, newFakeTransport())
	ctx := context.Background()
	p.Health(ctx) // the connection's own goroutines start here
	const calls = 200
	before := goroutinesCreated()
	for range calls {
		if h := p.Health(ctx); !h.Healthy {
			t.Fatalf("Health = %+v", h)
		}
	}
	if n := goroutinesCreated() - before; n > calls/4 {
		t.Errorf("%d calls started %d goroutines, want the server's workers to answer them", calls, n)
	}
}
