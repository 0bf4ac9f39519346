package registry

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/host/store"
	"github.com/wavs-go/wavs/sdk"
)

// Info describes a registered service for the API.
type Info struct {
	ID             string    `json:"id"`
	Name           string    `json:"name"`
	Status         string    `json:"status"`
	LastError      string    `json:"last_error,omitempty"`
	SigningAddress string    `json:"signing_address,omitempty"`
	SigningIndex   uint32    `json:"signing_index"`
	Topic          string    `json:"topic"`
	RegisteredAt   time.Time `json:"registered_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	Workflows      []string  `json:"workflows"`
	// FaultsInARow counts the executions that failed with a fault since
	// the last that did not; Skipped the events not run while the
	// service is marked failed (since the node started).
	FaultsInARow int             `json:"faults_in_a_row"`
	Skipped      uint64          `json:"skipped"`
	Service      json.RawMessage `json:"service"`
}

// Result is a signed result of a service.
type Result struct {
	EventID    string `json:"event_id"`
	ServiceID  string `json:"service_id"`
	WorkflowID string `json:"workflow_id"`
	// Payload is omitted from a listing unless asked for (see ResultsPage).
	Payload       string    `json:"payload,omitempty"`
	Signer        string    `json:"signer"`
	Signature     string    `json:"signature"`
	TriggerCursor string    `json:"trigger_cursor"`
	Status        string    `json:"status"`
	Error         string    `json:"error,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
	// QuorumAt is when the signatures met the quorum, Signers whose
	// signatures counted; TxHash and BlockNumber the transaction that
	// landed it (this node's or another operator's, checked on chain; ""
	// when the handler named the event handled), and Proof how the
	// landing was proven; Final that the landing's block is final (no
	// reorg can undo it).
	QuorumAt    *time.Time `json:"quorum_at,omitempty"`
	Signers     []string   `json:"signers,omitempty"`
	TxHash      string     `json:"tx_hash,omitempty"`
	BlockNumber uint64     `json:"block_number,omitempty"`
	Proof       string     `json:"proof,omitempty"`
	Final       bool       `json:"final,omitempty"`
	// Quorum is the progress toward the quorum as last counted.
	Quorum *QuorumProgress `json:"quorum,omitempty"`
}

// QuorumProgress is a result's signed weight against what the service
// manager shows of its thresholds, and what its validate said. A manager
// with only the WAVS interface shows no total or threshold (omitted):
// validate's verdict is then all there is.
type QuorumProgress struct {
	SignedWeight    string `json:"signed_weight"`
	TotalWeight     string `json:"total_weight,omitempty"`
	Threshold       string `json:"threshold,omitempty"`
	ThresholdWeight string `json:"threshold_weight,omitempty"`
	Verdict         string `json:"verdict,omitempty"`
}

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
type ResultsPage struct {
	Results []Result `json:"results"`
	// NextCursor continues the listing (?cursor=); omitted on the last
	// page.
	NextCursor string `json:"next_cursor,omitempty"`
}

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
		EventID: "0x" + rec.EventID, ServiceID: rec.ServiceID, WorkflowID: rec.WorkflowID,
		Signer:    rec.Signer,
		Signature: "0x" + hex.EncodeToString(rec.Signature), TriggerCursor: rec.TriggerCursor,
		Status: string(rec.Status), Error: rec.Error, CreatedAt: rec.CreatedAt,
		Signers: rec.Signers, TxHash: rec.TxHash, BlockNumber: rec.BlockNumber, Proof: rec.Proof, Final: rec.Final,
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
