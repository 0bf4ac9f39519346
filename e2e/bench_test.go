package e2e

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/wavs-go/wavs/host/plugins"
	"github.com/wavs-go/wavs/sdk"
)

// startPlugin launches one real plugin process under a supervisor.
func startPlugin(b *testing.B, name string, wrap func(*plugins.Supervisor)) *plugins.Supervisor {
	b.Helper()
	found, problems, err := plugins.Discover(context.Background(), pluginDir(b, name))
	if err != nil || len(problems) > 0 || len(found) != 1 {
		b.Fatalf("discover %s: %v %v", name, err, problems)
	}
	sup := plugins.NewSupervisor(found[0], plugins.Options{DataDir: filepath.Join(b.TempDir(), name), ConfigJSON: []byte(`{}`)})
	if wrap != nil {
		wrap(sup)
	}
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(func() {
		cancel()
		<-sup.Done()
	})
	if err := sup.Start(ctx); err != nil {
		b.Fatal(err)
	}
	return sup
}

// BenchmarkProcessUnary is one Status round trip host → transport-none
// process → host.
func BenchmarkProcessUnary(b *testing.B) {
	var t *plugins.Transport
	startPlugin(b, "transport-none", func(s *plugins.Supervisor) { t = plugins.NewTransport(s) })
	ctx := context.Background()
	for b.Loop() {
		if _, err := t.Status(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkProcessStreamedEvent is one trigger event from a plugin process
// to the host's merged event channel.
func BenchmarkProcessStreamedEvent(b *testing.B) {
	var t *plugins.Trigger
	startPlugin(b, "trigger-burst", func(s *plugins.Supervisor) { t = plugins.NewTrigger(s) })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	b.ResetTimer()
	spec := sdk.TriggerSpec{ID: "bench", Source: &sdk.Cron{Schedule: "@burst " + strconv.Itoa(b.N)}}
	if err := t.AddTrigger(ctx, spec); err != nil {
		b.Fatal(err)
	}
	for got := 0; got < b.N; got++ {
		select {
		case <-t.Events():
		case <-ctx.Done():
			b.Fatalf("received %d of %d events", got, b.N)
		}
	}
}
