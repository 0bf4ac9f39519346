package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/sdk"
	bolt "go.etcd.io/bbolt"
)

// ResultStatus is a result's state, as the node sees it.
type ResultStatus string

// The result statuses.
const (
	// StatusSigned: signed and stored, not landed yet (set again when a
	// reorg undid its landing).
	StatusSigned ResultStatus = "signed"
	// StatusSubmitted: its landing is proven.
	StatusSubmitted ResultStatus = "submitted"
	// StatusFailed: it cannot be sent (an aggregator component's error, a
	// service that cannot be restored).
	StatusFailed ResultStatus = "failed"
	// StatusDropped: the operator removed its pending submission.
	StatusDropped ResultStatus = "dropped"
	// StatusReorged: a reorg replaced its trigger's block; it answers an
	// event no longer on the chain and is never sent.
	StatusReorged ResultStatus = "reorged"
)

// ResultRecord is one result the node produced: the payload of a signed
// envelope and what became of it.
type ResultRecord struct {
	// EventID is the envelope's event id.
	EventID    service.EventID
	ServiceID  string
	WorkflowID string
	// Payload is the envelope payload (at most 1 MiB).
	Payload []byte
	// Ordering is the envelope's 12-byte ordering; empty means zero.
	Ordering []byte
	// Salt is the event-id salt the component returned (nil: none), for
	// an aggregator component's input.
	Salt []byte
	// Signer is the address that signed (zero: none).
	Signer    sdk.Address
	Signature []byte
	// TriggerCursor is the cursor of the trigger event that produced it.
	TriggerCursor string
	// CreatedAt orders results; PutResult keeps the first value stored for
	// an event id, or sets now when there is none.
	CreatedAt time.Time
	// Status is the node's view of the result.
	Status ResultStatus
	// Error is the last problem with the result; texts over 64 KiB are cut.
	Error string
	// TxHash and BlockNumber locate the transaction that landed it, once
	// submitted (zero before).
	TxHash      sdk.Hash
	BlockNumber uint64
	// QuorumAt is when the operators' signatures first met the quorum, and
	// Signers who they were (sorted); both empty before.
	QuorumAt time.Time
	Signers  []sdk.Address
	// SignedWeight and TotalWeight (decimal) and the threshold
	// ThresholdNum/ThresholdDen are the quorum progress as last counted:
	// the weight of Signers against the service manager's total. A total
	// or threshold the manager does not show is "" (and 0/0).
	SignedWeight, TotalWeight  string
	ThresholdNum, ThresholdDen uint64
	// ThresholdWeight is an absolute threshold the manager shows ("" if
	// none); Verdict what its validate said last of the signatures.
	ThresholdWeight string
	Verdict         string
	// Proof says how the landing was proven once submitted: this node's
	// transaction, the handler naming the event as handled, or another
	// operator's transaction checked on chain.
	Proof string
	// Final is set once the block holding the landing is final (the
	// chain's finalized block, or deep enough): no reorg undoes it.
	Final bool
}

// resultRow is a ResultRecord on disk.
type resultRow struct {
	ServiceID     string       `json:"service_id"`
	WorkflowID    string       `json:"workflow_id"`
	Payload       []byte       `json:"payload"`
	Ordering      []byte       `json:"ordering,omitempty"`
	Salt          []byte       `json:"salt,omitempty"`
	Signer        string       `json:"signer,omitempty"`
	Signature     []byte       `json:"signature,omitempty"`
	TriggerCursor string       `json:"trigger_cursor,omitempty"`
	CreatedAt     time.Time    `json:"created_at"`
	Status        ResultStatus `json:"status"`
	Error         string       `json:"error,omitempty"`
	TxHash        string       `json:"tx_hash,omitempty"`
	BlockNumber   uint64       `json:"block_number,omitempty"`
	QuorumAt      time.Time    `json:"quorum_at,omitzero"`
	Signers       []string     `json:"signers,omitempty"`
	SignedWeight  string       `json:"signed_weight,omitempty"`
	TotalWeight   string       `json:"total_weight,omitempty"`
	ThresholdNum  uint64       `json:"threshold_num,omitempty"`
	ThresholdDen  uint64       `json:"threshold_den,omitempty"`
	ThresholdWt   string       `json:"threshold_weight,omitempty"`
	Verdict       string       `json:"verdict,omitempty"`
	Proof         string       `json:"proof,omitempty"`
	Final         bool         `json:"final,omitempty"`
}

// record is the row's ResultRecord; a signer or hash that does not read
// back is a corrupt row.
func (r *resultRow) record(eventID service.EventID) (ResultRecord, error) {
	rec := ResultRecord{
		EventID: eventID, ServiceID: r.ServiceID, WorkflowID: r.WorkflowID, Payload: r.Payload, Ordering: r.Ordering, Salt: r.Salt,
		Signature: r.Signature, TriggerCursor: r.TriggerCursor,
		CreatedAt: r.CreatedAt, Status: r.Status, Error: r.Error,
		BlockNumber: r.BlockNumber, QuorumAt: r.QuorumAt,
		SignedWeight: r.SignedWeight, TotalWeight: r.TotalWeight, ThresholdNum: r.ThresholdNum, ThresholdDen: r.ThresholdDen,
		ThresholdWeight: r.ThresholdWt, Verdict: r.Verdict, Proof: r.Proof, Final: r.Final,
	}
	var err error
	if r.Signer != "" {
		if rec.Signer, err = sdk.ParseAddress(r.Signer); err != nil {
			return rec, fmt.Errorf("corrupt record %s: signer: %w", eventID, err)
		}
	}
	if r.TxHash != "" {
		if rec.TxHash, err = sdk.ParseHash(r.TxHash); err != nil {
			return rec, fmt.Errorf("corrupt record %s: tx hash: %w", eventID, err)
		}
	}
	if len(r.Signers) > 0 {
		rec.Signers = make([]sdk.Address, len(r.Signers))
		for i, s := range r.Signers {
			if rec.Signers[i], err = sdk.ParseAddress(s); err != nil {
				return rec, fmt.Errorf("corrupt record %s: signers: %w", eventID, err)
			}
		}
	}
	return rec, nil
}

// hexOrEmpty is v's 0x hex, or "" when v is zero (none).
func hexOrEmpty[T interface {
	comparable
	Hex() string
}](v T) string {
	var zero T
	if v == zero {
		return ""
	}
	return v.Hex()
}

// PutResult stores rec under its event id, replacing an earlier record of
// the same event (to update its status, say).
func (s *Store) PutResult(ctx context.Context, rec ResultRecord) error {
	_, err := s.putResult(ctx, "store: put result "+rec.EventID.String(), rec, true)
	return err
}

// AddResult stores rec only if there is no result for its event id yet,
// and reports whether it did: the atomic check a node needs to act on an
// event once.
func (s *Store) AddResult(ctx context.Context, rec ResultRecord) (bool, error) {
	return s.putResult(ctx, "store: add result "+rec.EventID.String(), rec, false)
}

func (s *Store) putResult(ctx context.Context, op string, rec ResultRecord, replace bool) (bool, error) {
	row, err := newResultRow(rec)
	if err != nil {
		return false, fmt.Errorf("%s: %w", op, err)
	}
	now := utc(s.now())
	stored := false
	err = s.update(ctx, op, func(tx *bolt.Tx) error {
		var err error
		stored, err = s.putResultTx(tx, rec.EventID, row, replace, now)
		return err
	})
	return stored && err == nil, err
}

// PutResultAndSubmission replaces a result and stores its pending
// submission in one transaction: an attempt's progress costs one commit.
func (s *Store) PutResultAndSubmission(ctx context.Context, rec ResultRecord, sub Submission) error {
	op := "store: put result and submission " + strconv.Quote(rec.EventID.String())
	row, err := newResultRow(rec)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if sub.EventID != rec.EventID {
		return fmt.Errorf("%s: %w", op, invalid("submission of event %q with the result of %q", sub.EventID, rec.EventID))
	}
	sub = s.submissionRow(sub)
	now := utc(s.now())
	return s.update(ctx, op, func(tx *bolt.Tx) error {
		if _, err := s.putResultTx(tx, rec.EventID, row, true, now); err != nil {
			return err
		}
		return putJSON(tx.Bucket(bucketSubmissions), eventKey(sub.EventID), sub)
	})
}

// AddResultAndQueue stores rec unless its event has a result already,
// and queues sub (its pending submission) in the same transaction, so
// that a new result costs one commit. A result stored before (a
// redelivered event) is queued again only while its status is still
// rec's (not landed, failed or dropped since); a submission already
// pending keeps its progress (created, quorum, sent and scan-from). It
// returns whether rec was stored and the submission as stored, nil when
// none was.
func (s *Store) AddResultAndQueue(ctx context.Context, rec ResultRecord, sub Submission) (added bool, queued *Submission, err error) {
	op := "store: add result and queue " + strconv.Quote(rec.EventID.String())
	row, err := newResultRow(rec)
	if err != nil {
		return false, nil, fmt.Errorf("%s: %w", op, err)
	}
	if sub.EventID != rec.EventID {
		return false, nil, fmt.Errorf("%s: %w", op, invalid("submission of event %q with the result of %q", sub.EventID, rec.EventID))
	}
	sub = s.submissionRow(sub)
	now := utc(s.now())
	err = s.update(ctx, op, func(tx *bolt.Tx) error {
		added, queued = false, nil
		var err error
		if added, err = s.putResultTx(tx, rec.EventID, row, false, now); err != nil {
			return err
		}
		if !added {
			old, ok, err := getResultTx(tx, rec.EventID)
			if err != nil || ok && old.Status != rec.Status {
				return err
			}
		}
		q := sub
		b := tx.Bucket(bucketSubmissions)
		var old Submission
		if found, err := getJSON(b, eventKey(sub.EventID), &old); err != nil {
			return err
		} else if found {
			q.CreatedAt, q.QuorumAt, q.SentAt, q.ScanFrom = old.CreatedAt, old.QuorumAt, old.SentAt, old.ScanFrom
		}
		if err := putJSON(b, eventKey(q.EventID), q); err != nil {
			return err
		}
		queued = &q
		return nil
	})
	if err != nil {
		return false, nil, err
	}
	return added, queued, nil
}

// newResultRow checks rec and makes its stored row.
func newResultRow(rec ResultRecord) (resultRow, error) {
	if err := checkResult(rec); err != nil {
		return resultRow{}, err
	}
	return resultRow{
		ServiceID: rec.ServiceID, WorkflowID: rec.WorkflowID, Payload: bytes.Clone(rec.Payload), Ordering: bytes.Clone(rec.Ordering), Salt: bytes.Clone(rec.Salt),
		Signer: hexOrEmpty(rec.Signer), Signature: bytes.Clone(rec.Signature), TriggerCursor: rec.TriggerCursor,
		CreatedAt: utc(rec.CreatedAt), Status: rec.Status, Error: cut(rec.Error),
		TxHash: hexOrEmpty(rec.TxHash), BlockNumber: rec.BlockNumber,
		QuorumAt: utc(rec.QuorumAt), Signers: signerTexts(rec.Signers),
		SignedWeight: rec.SignedWeight, TotalWeight: rec.TotalWeight, ThresholdNum: rec.ThresholdNum, ThresholdDen: rec.ThresholdDen,
		ThresholdWt: rec.ThresholdWeight, Verdict: cut(rec.Verdict), Proof: rec.Proof, Final: rec.Final,
	}, nil
}

// putResultTx stores row as event eventID's result in tx (if there is
// none yet, or replace) with its index entry, and prunes the service's
// oldest results when it is new. It reports whether it stored.
func (s *Store) putResultTx(tx *bolt.Tx, eventID service.EventID, row resultRow, replace bool, now time.Time) (bool, error) {
	results := tx.Bucket(bucketResults)
	var old resultRow
	found, err := getJSON(results, eventKey(eventID), &old)
	if err != nil || found && !replace {
		return false, err
	}
	if found {
		if !old.CreatedAt.IsZero() {
			row.CreatedAt = old.CreatedAt
		}
		if err := unindexResult(tx, eventID, &old); err != nil {
			return false, err
		}
	}
	if row.CreatedAt.IsZero() {
		row.CreatedAt = now
	}
	if err := putJSON(results, eventKey(eventID), row); err != nil {
		return false, err
	}
	if err := indexResult(tx, row.ServiceID, resultIndexKey(row.CreatedAt, eventID)); err != nil {
		return false, err
	}
	if found {
		return true, nil
	}
	// A new result: the service's oldest may have to go.
	_, err = s.pruneResults(tx, row.ServiceID, now, pruneBatch)
	return true, err
}

func checkResult(rec ResultRecord) error {
	if err := checkID("service id", rec.ServiceID); err != nil {
		return err
	}
	if err := checkID("workflow id", rec.WorkflowID); err != nil {
		return err
	}
	if err := checkValue("payload", rec.Payload); err != nil {
		return err
	}
	if n := len(rec.Ordering); n != 0 && n != 12 {
		return invalid("ordering is %d bytes: want 12 or none", n)
	}
	if err := checkValue("salt", rec.Salt); err != nil {
		return err
	}
	for _, f := range []struct{ what, v string }{
		{"trigger cursor", rec.TriggerCursor}, {"status", string(rec.Status)},
	} {
		if err := checkText(f.what, f.v); err != nil {
			return err
		}
	}
	if t := rec.CreatedAt; !t.IsZero() && (t.Year() < 1970 || t.Year() > 2261) {
		return invalid("created at %s: want a time in 1970..2261", t.Format(time.RFC3339))
	}
	if len(rec.Signature) > maxTextSize {
		return invalid("signature is %d bytes: want at most %d", len(rec.Signature), maxTextSize)
	}
	return nil
}

// GetResult returns the result of event eventID (hex); false when there
// is none.
func (s *Store) GetResult(ctx context.Context, eventID service.EventID) (ResultRecord, bool, error) {
	var rec ResultRecord
	var found bool
	err := s.view(ctx, "store: get result "+eventID.String(), func(tx *bolt.Tx) error {
		var err error
		rec, found, err = getResultTx(tx, eventID)
		return err
	})
	return rec, found && err == nil, err
}

// getResultTx reads the result of eventID in tx.
func getResultTx(tx *bolt.Tx, eventID service.EventID) (ResultRecord, bool, error) {
	var row resultRow
	found, err := getJSON(tx.Bucket(bucketResults), eventKey(eventID), &row)
	if !found || err != nil {
		return ResultRecord{}, found, err
	}
	rec, err := row.record(eventID)
	return rec, err == nil, err
}

// ListResults returns service serviceID's results, newest first, at most
// limit of them (all when limit ≤ 0); an empty, non-nil slice when there
// are none.
func (s *Store) ListResults(ctx context.Context, serviceID string, limit int) ([]ResultRecord, error) {
	op := "store: list results of service " + strconv.Quote(serviceID)
	if err := checkID("service id", serviceID); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	out := []ResultRecord{}
	err := s.view(ctx, op, func(tx *bolt.Tx) error {
		idx := tx.Bucket(bucketResultsBySv).Bucket([]byte(serviceID))
		if idx == nil {
			return nil
		}
		results := tx.Bucket(bucketResults)
		c := idx.Cursor()
		for k, _ := c.Last(); k != nil && (limit <= 0 || len(out) < limit); k, _ = c.Prev() {
			if len(k) < 8 {
				return fmt.Errorf("corrupt result index key %x", k)
			}
			eventID, err := service.ParseEventID(string(k[8:]))
			if err != nil {
				return fmt.Errorf("corrupt result index key %x: %w", k, err)
			}
			var row resultRow
			found, err := getJSON(results, k[8:], &row)
			if err != nil {
				return err
			}
			if !found {
				return fmt.Errorf("corrupt result index: no result %s", eventID)
			}
			rec, err := row.record(eventID)
			if err != nil {
				return err
			}
			out = append(out, rec)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// resultIndexKey orders a service's results by creation time: the unix
// nanoseconds, big-endian, then the event id (which breaks ties).
func resultIndexKey(created time.Time, eventID service.EventID) []byte {
	return hex.AppendEncode(resultIndexTime(created), eventID[:])
}

// resultIndexTime is the index keys' first 8 bytes: the time's unix
// nanoseconds, big-endian.
func resultIndexTime(t time.Time) []byte {
	k := make([]byte, 8, 8+40)
	binary.BigEndian.PutUint64(k, uint64(t.UnixNano()))
	return k
}

// unindexResult removes an earlier record's entry from the index.
func unindexResult(tx *bolt.Tx, eventID service.EventID, old *resultRow) error {
	return dropIndexKey(tx, old.ServiceID, resultIndexKey(old.CreatedAt, eventID))
}

// ResultsQuery asks for one page of a service's results, newest first.
type ResultsQuery struct {
	// Limit is the most results in the page; ≤ 0 means no limit.
	Limit int
	// Cursor continues after the last result of the page before (its
	// NextCursor); "" starts at the newest.
	Cursor string
	// MaxBytes bounds the page by the stored size of its results (their
	// payloads only when WithPayload): the page ends before the result
	// that would pass it, but always holds at least one. ≤ 0: no bound.
	MaxBytes int
	// WithPayload fills in each result's Payload; without it Payload is
	// nil, which saves decoding and memory.
	WithPayload bool
}

// ResultsPage is one page of results.
type ResultsPage struct {
	Results []ResultRecord
	// NextCursor continues the listing; "" when this page holds the
	// oldest result.
	NextCursor string
}

// resultMeta decodes a stored result without its payload.
type resultMeta struct {
	resultRow
	Payload json.RawMessage `json:"payload"`
}

// ListResultsPage returns one page of service serviceID's results, newest
// first. A malformed cursor is an ErrInvalid error.
func (s *Store) ListResultsPage(ctx context.Context, serviceID string, q ResultsQuery) (ResultsPage, error) {
	op := "store: list results of service " + strconv.Quote(serviceID)
	if err := checkID("service id", serviceID); err != nil {
		return ResultsPage{}, fmt.Errorf("%s: %w", op, err)
	}
	var after []byte
	if q.Cursor != "" {
		b, err := hex.DecodeString(q.Cursor)
		if err != nil || len(b) != 8+40 {
			return ResultsPage{}, fmt.Errorf("%s: %w", op, invalid("cursor %q: want the next_cursor of an earlier page", q.Cursor))
		}
		after = b
	}
	page := ResultsPage{Results: []ResultRecord{}}
	err := s.view(ctx, op, func(tx *bolt.Tx) error {
		idx := tx.Bucket(bucketResultsBySv).Bucket([]byte(serviceID))
		if idx == nil {
			return nil
		}
		results := tx.Bucket(bucketResults)
		c := idx.Cursor()
		var k []byte
		switch {
		case after == nil:
			k, _ = c.Last()
		default:
			// The first key before the cursor, whether or not the
			// cursor's own result is still there.
			if k, _ = c.Seek(after); k == nil {
				k, _ = c.Last()
			} else {
				k, _ = c.Prev()
			}
		}
		size := 0
		var last []byte
		for ; k != nil; k, _ = c.Prev() {
			if q.Limit > 0 && len(page.Results) >= q.Limit {
				page.NextCursor = hex.EncodeToString(last)
				return nil
			}
			if len(k) < 8 {
				return fmt.Errorf("corrupt result index key %x", k)
			}
			eventID, err := service.ParseEventID(string(k[8:]))
			if err != nil {
				return fmt.Errorf("corrupt result index key %x: %w", k, err)
			}
			raw := results.Get(k[8:])
			if raw == nil {
				return fmt.Errorf("corrupt result index: no result %s", eventID)
			}
			var rec ResultRecord
			n := len(raw)
			if q.WithPayload {
				var row resultRow
				if err := json.Unmarshal(raw, &row); err != nil {
					return fmt.Errorf("corrupt record %s: %w", eventID, err)
				}
				if rec, err = row.record(eventID); err != nil {
					return err
				}
			} else {
				var m resultMeta
				if err := json.Unmarshal(raw, &m); err != nil {
					return fmt.Errorf("corrupt record %s: %w", eventID, err)
				}
				n -= len(m.Payload)
				if rec, err = m.resultRow.record(eventID); err != nil {
					return err
				}
				rec.Payload = nil
			}
			if q.MaxBytes > 0 && len(page.Results) > 0 && size+n > q.MaxBytes {
				page.NextCursor = hex.EncodeToString(last)
				return nil
			}
			size += n
			page.Results = append(page.Results, rec)
			last = k
		}
		return nil
	})
	if err != nil {
		return ResultsPage{}, err
	}
	return page, nil
}

// signerTexts is the signers' 0x hex, as stored.
func signerTexts(signers []sdk.Address) []string {
	if len(signers) == 0 {
		return nil
	}
	out := make([]string, len(signers))
	for i, a := range signers {
		out[i] = a.Hex()
	}
	return out
}
