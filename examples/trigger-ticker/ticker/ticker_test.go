package ticker_test

import (
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"example.com/wavs-trigger-ticker/ticker"

	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/plugintest"
)

func TestConformance(t *testing.T) {
	plugintest.TriggerSuite(t, func(*testing.T) sdk.Trigger {
		return ticker.New(hclog.NewNullLogger())
	}, plugintest.TriggerOptions{
		// Ticks come by themselves: no Fire.
		Spec: func(id string) sdk.TriggerSpec {
			return sdk.TriggerSpec{ID: id, Source: &sdk.Cron{Schedule: "@every 50ms"}}
		},
		Binary: build(t),
	})
}

// build builds the plugin's command as the file the node looks for.
func build(t *testing.T) string {
	t.Helper()
	exe := filepath.Join(t.TempDir(), plugintest.BinaryPrefix+"trigger-ticker")
	out, err := exec.Command("go", "build", "-o", exe, "..").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return exe
}

func TestRejectsWhatItCannotServe(t *testing.T) {
	cases := []struct {
		name string
		src  sdk.TriggerSource
	}{
		{"standard cron", &sdk.Cron{Schedule: "*/5 * * * *"}},
		{"too fast", &sdk.Cron{Schedule: "@every 1ms"}},
		{"not a duration", &sdk.Cron{Schedule: "@every soon"}},
		{"block interval", &sdk.BlockInterval{Chain: "evm:1", NBlocks: 1}},
	}
	p := plugintest.ConnectTrigger(t, ticker.New(hclog.NewNullLogger()))
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := p.AddTrigger(t.Context(), sdk.TriggerSpec{ID: "x", Source: c.src})
			if !errors.Is(err, sdk.ErrInvalidArgument) {
				t.Errorf("AddTrigger = %v, want sdk.ErrInvalidArgument", err)
			}
		})
	}
}

// TestResumesAfterCursor: a trigger added with a cursor ticks only after
// it, on the interval's multiples; a cursor that is not a tick time is
// refused.
func TestResumesAfterCursor(t *testing.T) {
	p := plugintest.ConnectTrigger(t, ticker.New(hclog.NewNullLogger()))
	const every = 50 * time.Millisecond
	cursor := time.Now().Add(300 * time.Millisecond).UnixNano()
	spec := sdk.TriggerSpec{ID: "t", Source: &sdk.Cron{Schedule: "@every 50ms"}, Cursor: fmt.Sprint(cursor)}
	if err := p.AddTrigger(t.Context(), spec); err != nil {
		t.Fatal(err)
	}
	events, err := p.Events(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-events:
		tick := ev.Data.(*sdk.CronTick).Time
		if tick.UnixNano() <= cursor || tick.UnixNano()%int64(every) != 0 {
			t.Errorf("first tick at %d; want a multiple of %v after the cursor %d", tick.UnixNano(), every, cursor)
		}
		if ev.Cursor != fmt.Sprintf("%020d", tick.UnixNano()) {
			t.Errorf("cursor %q does not name the tick's time %d", ev.Cursor, tick.UnixNano())
		}
	case <-time.After(2 * time.Second):
		t.Fatal("no tick")
	}
	spec.Cursor = "yesterday"
	if err := p.AddTrigger(t.Context(), spec); !errors.Is(err, sdk.ErrInvalidArgument) {
		t.Errorf("AddTrigger(cursor %q) = %v, want sdk.ErrInvalidArgument", spec.Cursor, err)
	}
}
