package aggregator

import (
	"context"
	"encoding/hex"
	"fmt"

	wavsapi "github.com/wavs-go/wavs/api"
)

// Status is the aggregator's counters, the oldest pending events and the
// latest evidence, as GET /aggregator shows them (api's).
type Status = wavsapi.AggregatorStatus

// PendingView is one event whose landing is not proven yet (api's).
type PendingView = wavsapi.PendingEvent

// maxPendingShown bounds the pending events Status lists.
const maxPendingShown = 50

// EvidenceView is one equivocation, hex-encoded (api's).
type EvidenceView = wavsapi.Evidence

// maxEvidenceShown bounds the evidence Status lists.
const maxEvidenceShown = 20

// Status returns the counters and the latest evidence.
func (a *Aggregator) Status(ctx context.Context) (Status, error) {
	st := Status{AggregatorStats: a.Stats(ctx), PendingEvents: []PendingView{}, Evidence: []EvidenceView{}}
	subs, err := a.o.Store.Submissions(ctx)
	if err != nil {
		return st, err
	}
	for _, sub := range subs[:min(len(subs), maxPendingShown)] {
		v := PendingView{
			EventID: "0x" + sub.EventID.String(), ServiceID: sub.ServiceID, WorkflowID: sub.WorkflowID, Chain: sub.Chain, Handler: sub.Handler,
			Since: sub.CreatedAt, Attempts: sub.Attempts, NextTry: sub.NextTry, Waiting: sub.LastError, Signers: []string{},
		}
		if res, ok, err := a.o.Store.GetResult(ctx, sub.EventID); err == nil && ok {
			for _, s := range res.Signers {
				v.Signers = append(v.Signers, s.Hex())
			}
			v.SignedWeight, v.TotalWeight, v.ThresholdWeight, v.Verdict = res.SignedWeight, res.TotalWeight, res.ThresholdWeight, res.Verdict
			if res.ThresholdDen > 0 {
				v.Threshold = fmt.Sprintf("%d/%d", res.ThresholdNum, res.ThresholdDen)
			}
		}
		st.PendingEvents = append(st.PendingEvents, v)
	}
	evs, err := a.o.Store.ListEvidence(ctx)
	if err != nil {
		return st, err
	}
	for _, e := range evs[:min(len(evs), maxEvidenceShown)] {
		v := EvidenceView{EventID: "0x" + e.EventID.String(), Signer: e.Signer.Hex(), ServiceID: e.ServiceID, RecordedAt: e.RecordedAt}
		for i, en := range e.Envelopes {
			v.Payloads[i] = "0x" + hex.EncodeToString(en.Payload)
			v.Signatures[i] = "0x" + hex.EncodeToString(en.Signature)
		}
		st.Evidence = append(st.Evidence, v)
	}
	return st, nil
}
