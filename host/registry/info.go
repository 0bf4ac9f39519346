package registry

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	wavsapi "github.com/wavs-go/wavs/api"
	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/host/store"
	"github.com/wavs-go/wavs/sdk"
)

// Info describes a registered service for the API (api.Service).
type Info = wavsapi.Service

// Result is a signed result of a service.
type Result = wavsapi.Result

// QuorumProgress is a result's progress toward its quorum.
type QuorumProgress = wavsapi.QuorumProgress

func (r *Registry) info(rec store.ServiceRecord) Info {
	in := Info{
		ID: rec.ID, Status: rec.Status, LastError: rec.LastError, SigningIndex: rec.SigningIndex,
		Topic: service.TopicFor(rec.ID), RegisteredAt: rec.RegisteredAt, UpdatedAt: rec.UpdatedAt,
		Workflows: []string{}, Service: rec.Service,
	}
	r.mu.RLock()
	e := r.services[rec.ID]
	r.mu.RUnlock()
	// The name and workflows come from the stored JSON, not the running
	// entry: a service updated by its manager (uriwatch.go) between the two
	// reads is then shown as the old or the new version, never a mix (the
	// signing key is the same in both).
	if svc, err := service.Decode(rec.Service); err == nil {
		in.Name = svc.Name
		in.Workflows = sortedKeys(svc.Workflows)
	} else if e != nil {
		in.Name = e.svc.Name
		in.Workflows = sortedKeys(e.svc.Workflows)
	}
	if e != nil {
		in.SigningAddress = e.key.AddressHex()
		in.FaultsInARow, _, in.Skipped = e.health.snapshot()
	}
	return in
}

// List describes every stored service, sorted by id.
func (r *Registry) List(ctx context.Context) ([]Info, error) {
	recs, err := r.o.Store.ListServices(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Info, 0, len(recs))
	for _, rec := range recs {
		out = append(out, r.info(rec))
	}
	return out, nil
}

// Get describes one service.
func (r *Registry) Get(ctx context.Context, id string) (Info, error) {
	rec, ok, err := r.o.Store.GetService(ctx, id)
	if err != nil {
		return Info{}, err
	}
	if !ok {
		return Info{}, fmt.Errorf("%w: service %q", sdk.ErrNotFound, id)
	}
	return r.info(rec), nil
}

// Results lists a service's newest results, payloads included.
func (r *Registry) Results(ctx context.Context, id string, limit int) ([]Result, error) {
	page, err := r.ResultsPage(ctx, id, store.ResultsQuery{Limit: limit, WithPayload: true})
	return page.Results, err
}

// ResultsPage is one page of a service's results, newest first.
type ResultsPage = wavsapi.ResultsPage

// ResultsPage lists one page of a service's results: sdk.ErrNotFound for
// an unknown service, sdk.ErrInvalidArgument for a malformed cursor.
func (r *Registry) ResultsPage(ctx context.Context, id string, q store.ResultsQuery) (ResultsPage, error) {
	if _, err := r.Get(ctx, id); err != nil {
		return ResultsPage{}, err
	}
	page, err := r.o.Store.ListResultsPage(ctx, id, q)
	if errors.Is(err, store.ErrInvalid) {
		return ResultsPage{}, fmt.Errorf("%w: %v", sdk.ErrInvalidArgument, err)
	}
	if err != nil {
		return ResultsPage{}, err
	}
	out := ResultsPage{Results: make([]Result, 0, len(page.Results)), NextCursor: page.NextCursor}
	for _, rec := range page.Results {
		out.Results = append(out.Results, resultOf(rec, q.WithPayload))
	}
	return out, nil
}

// resultOf describes a stored result for the API.
func resultOf(rec store.ResultRecord, withPayload bool) Result {
	res := Result{
		EventID: "0x" + rec.EventID.String(), ServiceID: rec.ServiceID, WorkflowID: rec.WorkflowID,
		Signer:    checksummed(rec.Signer),
		Signature: "0x" + hex.EncodeToString(rec.Signature), TriggerCursor: rec.TriggerCursor,
		Status: string(rec.Status), Error: rec.Error, CreatedAt: rec.CreatedAt,
		Signers: hexes(rec.Signers), TxHash: hashOrEmpty(rec.TxHash), BlockNumber: rec.BlockNumber, Proof: rec.Proof, Final: rec.Final,
	}
	if withPayload {
		res.Payload = "0x" + hex.EncodeToString(rec.Payload)
	}
	if !rec.QuorumAt.IsZero() {
		res.QuorumAt = &rec.QuorumAt
	}
	if rec.SignedWeight != "" {
		q := &QuorumProgress{
			SignedWeight: rec.SignedWeight, TotalWeight: rec.TotalWeight,
			ThresholdWeight: rec.ThresholdWeight, Verdict: rec.Verdict,
		}
		if rec.ThresholdDen > 0 {
			q.Threshold = fmt.Sprintf("%d/%d", rec.ThresholdNum, rec.ThresholdDen)
		}
		res.Quorum = q
	}
	return res
}

// checksummed is a's EIP-55 form, as the API has always shown the
// signer; "" for none.
func checksummed(a sdk.Address) string {
	if a.IsZero() {
		return ""
	}
	return common.Address(a).Hex()
}

// hexes is the addresses' 0x lowercase hex.
func hexes(as []sdk.Address) []string {
	if len(as) == 0 {
		return nil
	}
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Hex()
	}
	return out
}

// hashOrEmpty is h's 0x hex, "" for none.
func hashOrEmpty(h sdk.Hash) string {
	if h == (sdk.Hash{}) {
		return ""
	}
	return h.Hex()
}
