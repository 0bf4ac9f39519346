package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/wavs-go/wavs/host/service"
	bolt "go.etcd.io/bbolt"
)

// AggTimer is a timer an aggregator component asked for: when Due, the
// node calls its handle-timer-callback with the event's input. It is kept
// until the callback ran, so a restart fires it late, never not at all.
type AggTimer struct {
	// EventID is the result's event id (the record's key).
	EventID    service.EventID `json:"-"`
	ServiceID  string          `json:"service_id"`
	WorkflowID string          `json:"workflow_id"`
	Due        time.Time       `json:"due"`
	// Trigger is the event's trigger (engine.Trigger's JSON).
	Trigger json.RawMessage `json:"trigger"`
	// Round counts the timers of this event so far (a callback may ask for
	// another).
	Round     int       `json:"round"`
	CreatedAt time.Time `json:"created_at"`
}

// PutAggTimer stores or replaces the timer of an event.
func (s *Store) PutAggTimer(ctx context.Context, t AggTimer) error {
	const op = "store: put aggregator timer"
	if len(t.Trigger) > maxTriggerJSON {
		return fmt.Errorf("%s: %w", op, invalid("trigger is %d bytes: want at most %d", len(t.Trigger), maxTriggerJSON))
	}
	if t.CreatedAt.IsZero() {
		t.CreatedAt = s.now()
	}
	t.CreatedAt, t.Due = utc(t.CreatedAt), utc(t.Due)
	return s.update(ctx, op, func(tx *bolt.Tx) error {
		return putJSON(tx.Bucket(bucketAggTimers), eventKey(t.EventID), t)
	})
}

// GetAggTimer returns the timer of an event; false when there is none.
func (s *Store) GetAggTimer(ctx context.Context, eventID service.EventID) (AggTimer, bool, error) {
	var t AggTimer
	found := false
	err := s.view(ctx, "store: get aggregator timer", func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketAggTimers).Get(eventKey(eventID))
		if v == nil {
			return nil
		}
		found = true
		if err := json.Unmarshal(v, &t); err != nil {
			return fmt.Errorf("corrupt aggregator timer %s: %w", eventID, err)
		}
		t.EventID = eventID
		return nil
	})
	return t, found, err
}

// DeleteAggTimer forgets the timer of an event (it fired).
func (s *Store) DeleteAggTimer(ctx context.Context, eventID service.EventID) error {
	return s.deleteKey(ctx, "store: delete aggregator timer", bucketAggTimers, eventKey(eventID))
}

// AggTimers lists every pending aggregator timer, the soonest due first.
func (s *Store) AggTimers(ctx context.Context) ([]AggTimer, error) {
	out, err := listByEvent(ctx, s, "store: list aggregator timers", bucketAggTimers, "aggregator timer", func(t *AggTimer, id service.EventID) { t.EventID = id })
	sort.Slice(out, func(i, j int) bool { return out[i].Due.Before(out[j].Due) })
	return out, err
}

// maxTriggerJSON bounds a stored trigger (its data as hex).
const maxTriggerJSON = 4 << 20
