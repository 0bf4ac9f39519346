package engine

import (
	"testing"

	"github.com/wavs-go/wavs/sdk"
)

// TestBlockTimestampLowered: the log's block timestamp reaches a WAVS
// component as some(seconds), and an unknown one (0) as none.
func TestBlockTimestampLowered(t *testing.T) {
	for _, tc := range []struct {
		ts   uint64
		want any
	}{{1_700_000_123, uint64(1_700_000_123)}, {0, none}} {
		d, err := triggerDataTree(Trigger{EvmLog: &sdk.EvmLog{Chain: "evm:1", Data: []byte{}, BlockTimestamp: tc.ts}})
		if err != nil {
			t.Fatal(err)
		}
		got := d.(vcase).val.(rec)["log"].(rec)["block-timestamp"]
		if got != tc.want {
			t.Errorf("timestamp %d lowered as %v, want %v", tc.ts, got, tc.want)
		}
	}
}
