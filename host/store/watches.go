package store

import (
	"context"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/sdk"
	bolt "go.etcd.io/bbolt"
)

// Watch is a landing not final yet: the node looks at its transaction
// until its block is final, and sends the result again if a reorg undid
// it (unless the reorg took the trigger too).
type Watch struct {
	// EventID is the result's event id (the record's key).
	EventID    service.EventID `json:"-"`
	ServiceID  string          `json:"service_id"`
	WorkflowID string          `json:"workflow_id"`
	Chain      string          `json:"chain"`
	Handler    string          `json:"handler"` // in the chain family's text form
	Plugin     string          `json:"plugin,omitempty"`
	// TxHash and Block locate the landing as last seen.
	TxHash sdk.Hash `json:"tx_hash"`
	Block  uint64   `json:"block"`
	// The trigger, as on the submission.
	TriggerChain string   `json:"trigger_chain,omitempty"`
	TriggerBlock uint64   `json:"trigger_block,omitempty"`
	TriggerHash  sdk.Hash `json:"trigger_hash,omitzero"`
	// NextCheck is when to look next; Interval the pause before it.
	NextCheck time.Time     `json:"next_check"`
	Interval  time.Duration `json:"interval"`
	// Misses counts the looks in a row that found the transaction
	// nowhere; PendingSince is when it was first seen back in the pool
	// (zero when it is not).
	Misses       int       `json:"misses,omitempty"`
	PendingSince time.Time `json:"pending_since,omitzero"`
	CreatedAt    time.Time `json:"created_at"`
}

// PutWatch stores or replaces the watch of an event.
func (s *Store) PutWatch(ctx context.Context, w Watch) error {
	w = s.watchRow(w)
	return s.putKey(ctx, "store: put landing watch", bucketWatches, eventKey(w.EventID), w)
}

// watchRow makes w as stored: times in UTC, its creation time set.
func (s *Store) watchRow(w Watch) Watch {
	if w.CreatedAt.IsZero() {
		w.CreatedAt = s.now()
	}
	w.CreatedAt, w.NextCheck, w.PendingSince = utc(w.CreatedAt), utc(w.NextCheck), utc(w.PendingSince)
	return w
}

// checkEventHex checks an event id as watches key it: 40 lowercase hex
// digits.
// eventKey is the key of an event's records: its id in hex.
func eventKey(id service.EventID) []byte { return hex.AppendEncode(nil, id[:]) }

// GetWatch returns the watch of an event, if there is one.
func (s *Store) GetWatch(ctx context.Context, eventID service.EventID) (Watch, bool, error) {
	w, found, err := getByKey[Watch](ctx, s, "store: get landing watch", bucketWatches, eventKey(eventID))
	w.EventID = eventID
	return w, found, err
}

// RecordLanding records a proven landing in one transaction: rec (the
// result as landed) replaces the result, w (when not nil) starts the
// landing's watch, and the event's pending submission and its peers'
// signatures go. A stop cannot leave a landing half recorded: the
// submission is pending (and its landing proven again) or the landing is
// recorded and watched.
func (s *Store) RecordLanding(ctx context.Context, rec ResultRecord, w *Watch) error {
	op := "store: record the landing of event " + strconv.Quote(rec.EventID.String())
	row, err := newResultRow(rec)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	var watch Watch
	if w != nil {
		if w.EventID != rec.EventID {
			return fmt.Errorf("%s: %w", op, invalid("watch of event %s with the result of %s", w.EventID, rec.EventID))
		}
		watch = s.watchRow(*w)
	}
	prefix := rec.EventID[:]
	now := utc(s.now())
	gone := s.behind.forget(prefix, time.Time{})
	err = s.update(ctx, op, func(tx *bolt.Tx) error {
		if w != nil {
			if err := putJSON(tx.Bucket(bucketWatches), eventKey(watch.EventID), watch); err != nil {
				return err
			}
		}
		if _, err := s.putResultTx(tx, rec.EventID, row, true, now); err != nil {
			return err
		}
		if err := tx.Bucket(bucketSubmissions).Delete(eventKey(rec.EventID)); err != nil {
			return err
		}
		return deletePrefix(tx.Bucket(bucketPeerSigs), prefix)
	})
	if err != nil {
		s.behind.restore(gone)
	}
	return err
}

// WatchEnd is how CloseWatch ends a landing's watch.
type WatchEnd struct {
	// Update, when set, is passed the event's result, when there is one,
	// and it is written back when Update returns true (a landing marked
	// final, or undone). Update may run twice, so it sets fields rather
	// than adds to them.
	Update func(*ResultRecord) bool
	// Requeue, when set and Update wrote the result, is stored as the
	// event's pending submission in the same transaction (a landing a
	// reorg undid, sent again), keeping the created and quorum times of
	// one already pending; on success *Requeue is the submission as
	// stored.
	Requeue *Submission
}

// CloseWatch ends, in one transaction, the watch of the event's landing
// by transaction txHash: the watch goes, and end says what becomes of
// the result. A watch of another transaction (a newer landing of the
// same event) is left alone, as is the absence of one: closed is then
// false and nothing is written. So an old look at a landing can never
// end the watch of the event's next one, and a result queued again is
// never without either its submission or its watch, whenever the node
// stops.
func (s *Store) CloseWatch(ctx context.Context, eventID service.EventID, txHash sdk.Hash, end WatchEnd) (closed bool, err error) {
	op := "store: close the landing watch of event " + strconv.Quote(eventID.String())
	if end.Requeue != nil && end.Requeue.EventID != eventID {
		return false, fmt.Errorf("%s: %w", op, invalid("submission of event %s with the watch of %s", end.Requeue.EventID, eventID))
	}
	now := utc(s.now())
	var queued Submission
	err = s.update(ctx, op, func(tx *bolt.Tx) error {
		closed = false
		var w Watch
		found, err := getJSON(tx.Bucket(bucketWatches), eventKey(eventID), &w)
		if err != nil || !found || w.TxHash != txHash {
			return err
		}
		closed = true
		if err := tx.Bucket(bucketWatches).Delete(eventKey(eventID)); err != nil {
			return err
		}
		if end.Update == nil {
			return nil
		}
		rec, ok, err := getResultTx(tx, eventID)
		if err != nil || !ok || !end.Update(&rec) {
			return err
		}
		if rec.EventID != eventID {
			return invalid("the result of event %s changed its event id to %s", eventID, rec.EventID)
		}
		row, err := newResultRow(rec)
		if err != nil {
			return err
		}
		if _, err := s.putResultTx(tx, eventID, row, true, now); err != nil {
			return err
		}
		if end.Requeue == nil {
			return nil
		}
		queued = *end.Requeue
		var old Submission
		if ok, err := getJSON(tx.Bucket(bucketSubmissions), eventKey(eventID), &old); err != nil {
			return err
		} else if ok {
			queued.CreatedAt, queued.QuorumAt = old.CreatedAt, old.QuorumAt
		}
		queued = s.submissionRow(queued)
		return putJSON(tx.Bucket(bucketSubmissions), eventKey(eventID), queued)
	})
	if err == nil && closed && end.Requeue != nil && queued.EventID == eventID {
		*end.Requeue = queued
	}
	return closed, err
}

// UpdateWatch replaces the stored watch of w's event with w when it
// watches the same transaction, and reports whether it did: a watch
// that ended meanwhile, or that now watches a newer landing, is left as
// it is.
func (s *Store) UpdateWatch(ctx context.Context, w Watch) (bool, error) {
	w = s.watchRow(w)
	updated := false
	err := s.update(ctx, "store: update landing watch", func(tx *bolt.Tx) error {
		updated = false
		var old Watch
		found, err := getJSON(tx.Bucket(bucketWatches), eventKey(w.EventID), &old)
		if err != nil || !found || old.TxHash != w.TxHash {
			return err
		}
		updated = true
		return putJSON(tx.Bucket(bucketWatches), eventKey(w.EventID), w)
	})
	return updated, err
}

// DeleteWatch forgets the watch of an event (final, or sent again).
func (s *Store) DeleteWatch(ctx context.Context, eventID service.EventID) error {
	return s.deleteKey(ctx, "store: delete landing watch", bucketWatches, eventKey(eventID))
}

// Watches lists every landing watch, the soonest due first.
func (s *Store) Watches(ctx context.Context) ([]Watch, error) {
	out, err := listByEvent(ctx, s, "store: list landing watches", bucketWatches, "landing watch", func(w *Watch, id service.EventID) { w.EventID = id })
	sort.Slice(out, func(i, j int) bool { return out[i].NextCheck.Before(out[j].NextCheck) })
	return out, err
}
