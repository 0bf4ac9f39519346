package ticker_test

import (
	"errors"
	"testing"

	"github.com/hashicorp/go-hclog"

	"example.com/wavs-trigger-ticker/ticker"

	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/plugintest"
)

func TestConformance(t *testing.T) {
	plugintest.TriggerSuite(t, func(*testing.T) sdk.Trigger {
		return ticker.New(hclog.NewNullLogger())
	}, plugintest.TriggerOptions{
		Spec: func(id string) sdk.TriggerSpec {
			return sdk.TriggerSpec{ID: id, Source: &sdk.Cron{Schedule: "@every 50ms"}}
		},
	})
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
