package sdk_test

import (
	"context"
	"errors"
	"testing"

	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/plugintest"
)

// verdictTransport records the verdicts reported to it.
type verdictTransport struct {
	benchTransport
	got map[string]sdk.Verdict
}

func (v *verdictTransport) Report(_ context.Context, id string, verdict sdk.Verdict) error {
	v.got[id] = verdict
	return nil
}

func TestReportVerdictCrossesTheBoundary(t *testing.T) {
	impl := &verdictTransport{got: map[string]sdk.Verdict{}}
	tr := plugintest.ConnectTransport(t, impl)
	for id, v := range map[string]sdk.Verdict{"1": sdk.VerdictAccept, "2": sdk.VerdictReject, "3": sdk.VerdictIgnore} {
		if err := sdk.ReportVerdict(t.Context(), tr, id, v); err != nil {
			t.Fatal(err)
		}
		if impl.got[id] != v {
			t.Errorf("id %s: plugin got %v, want %v", id, impl.got[id], v)
		}
	}
	if err := sdk.ReportVerdict(t.Context(), tr, "4", 0); !errors.Is(err, sdk.ErrInvalidArgument) {
		t.Errorf("a zero verdict: %v, want ErrInvalidArgument", err)
	}
}

func TestReportVerdictUnimplemented(t *testing.T) {
	tr := plugintest.ConnectTransport(t, benchTransport{})
	if err := sdk.ReportVerdict(t.Context(), tr, "1", sdk.VerdictAccept); !errors.Is(err, sdk.ErrUnimplemented) {
		t.Errorf("a transport without verdicts: %v, want ErrUnimplemented", err)
	}
	if err := sdk.ReportVerdict(t.Context(), benchTransport{}, "1", sdk.VerdictAccept); !errors.Is(err, sdk.ErrUnimplemented) {
		t.Errorf("in process: %v, want ErrUnimplemented", err)
	}
}
