package plugins

import (
	"context"

	"github.com/wavs-go/wavs/sdk"
)

// Report passes the host's verdict on an inbound message to the plugin;
// sdk.ErrUnimplemented if the plugin takes no verdicts, sdk.ErrUnavailable
// while it is restarting (the message it held is then gone anyway).
func (t *Transport) Report(ctx context.Context, id string, v sdk.Verdict) error {
	p, err := t.sup.Current()
	if err != nil {
		return err
	}
	return sdk.ReportVerdict(ctx, p.(sdk.Transport), id, v)
}
