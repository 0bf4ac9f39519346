package store

import (
	"context"
	"encoding/json"
	"sort"
	"time"

	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/sdk"
)

// Submission is a signed result still waiting to land on chain. It stays
// in the store until it has landed (or failed for good), so a node that
// restarts goes on submitting where it left off.
type Submission struct {
	// EventID is the result's event id (the record's key).
	EventID    service.EventID `json:"-"`
	ServiceID  string          `json:"service_id"`
	WorkflowID string          `json:"workflow_id"`
	Chain      string          `json:"chain"`
	Handler    string          `json:"handler"` // in the chain family's text form
	// Plugin is the submit plugin the workflow names ("" for the first
	// that serves the chain's family).
	Plugin    string    `json:"plugin,omitempty"`
	Attempts  int       `json:"attempts"`
	NextTry   time.Time `json:"next_try"`
	LastError string    `json:"last_error,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	// QuorumAt is when the signatures first met the quorum (zero before);
	// the turns of the operators' submitting count from it.
	QuorumAt time.Time `json:"quorum_at,omitzero"`
	// TriggerChain and TriggerBlock locate the trigger, when it came from
	// a chain: a landing cannot be older than it.
	TriggerChain string `json:"trigger_chain,omitempty"`
	TriggerBlock uint64 `json:"trigger_block,omitempty"`
	// TriggerHash is the hash of the trigger's block when the trigger is a
	// log ("" otherwise): a log whose block a reorg replaced no longer
	// exists.
	TriggerHash sdk.Hash `json:"trigger_hash,omitzero"`
	// ScanFrom is the first block of the submit chain to look for a
	// landing in (0 until the first attempt sets it).
	ScanFrom uint64 `json:"scan_from,omitempty"`
	// SentAt is set before this node first asks its submit plugin to send
	// the envelope: from then on a transaction of its own may exist, so
	// every later attempt looks for the landing before sending again (a
	// restart or a lost receipt must not become a second transaction).
	SentAt time.Time `json:"sent_at,omitzero"`
	// Callback is set when an aggregator component chose this target: it
	// is told the outcome (handle-submit-callback), with Trigger (the
	// event's trigger, engine.Trigger's JSON) in its input.
	Callback bool            `json:"callback,omitempty"`
	Trigger  json.RawMessage `json:"trigger,omitempty"`
	// GasPrice is the gas price in wei the aggregator component asked
	// for (decimal; "" for the submitter's own).
	GasPrice string `json:"gas_price,omitempty"`
}

// PutSubmission stores or replaces a pending submission.
func (s *Store) PutSubmission(ctx context.Context, sub Submission) error {
	sub = s.submissionRow(sub)
	return s.putKey(ctx, "store: put submission", bucketSubmissions, eventKey(sub.EventID), sub)
}

// submissionRow makes sub as stored: times in UTC, its creation time
// set, its error cut to size.
func (s *Store) submissionRow(sub Submission) Submission {
	if sub.CreatedAt.IsZero() {
		sub.CreatedAt = s.now()
	}
	sub.CreatedAt, sub.NextTry, sub.QuorumAt, sub.SentAt = utc(sub.CreatedAt), utc(sub.NextTry), utc(sub.QuorumAt), utc(sub.SentAt)
	sub.LastError = cut(sub.LastError)
	return sub
}

// DeleteSubmission forgets a submission (it landed, or the operator
// dropped it).
func (s *Store) DeleteSubmission(ctx context.Context, eventID service.EventID) error {
	return s.deleteKey(ctx, "store: delete submission", bucketSubmissions, eventKey(eventID))
}

// Submissions lists every pending submission, oldest first.
func (s *Store) Submissions(ctx context.Context) ([]Submission, error) {
	out, err := listByEvent(ctx, s, "store: list submissions", bucketSubmissions, "submission", func(sub *Submission, id service.EventID) { sub.EventID = id })
	sort.Slice(out, func(i, j int) bool { return out[i].CreatedAt.Before(out[j].CreatedAt) })
	return out, err
}

// GetSubmission returns the pending submission of an event; false when
// there is none.
func (s *Store) GetSubmission(ctx context.Context, eventID service.EventID) (Submission, bool, error) {
	sub, found, err := getByKey[Submission](ctx, s, "store: get submission", bucketSubmissions, eventKey(eventID))
	sub.EventID = eventID
	return sub, found, err
}
