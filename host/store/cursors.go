package store

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// cursorRow is a trigger cursor on disk.
type cursorRow struct {
	Cursor    string    `json:"cursor"`
	UpdatedAt time.Time `json:"updated_at"`
}

// CursorRide is how long PutCursorSoon waits for a commit to go with.
const CursorRide = 20 * time.Millisecond

// PutCursor records cursor as the last one the node acknowledged for
// trigger triggerID ("<service id>/<workflow id>"). The service must be
// registered (ErrNotFound otherwise).
func (s *Store) PutCursor(ctx context.Context, triggerID, cursor string) error {
	return s.putCursor(ctx, triggerID, cursor, 0)
}

// PutCursorSoon is PutCursor for a cursor that may wait up to CursorRide
// for another write's commit to go with. A node handling events commits
// their results every few milliseconds: the cursor acknowledged after
// one result goes with the next commit, not in a commit (and a sync to
// disk) of its own, a quarter of a busy node's commits. The plugin hears
// of the cursor that much later; a crash meanwhile only has it send the
// events again, whose results are stored already. (A caller with events
// to acknowledge after this one uses PutCursor: they wait for it, and
// may leave no other write to go with.)
func (s *Store) PutCursorSoon(ctx context.Context, triggerID, cursor string) error {
	return s.putCursor(ctx, triggerID, cursor, CursorRide)
}

func (s *Store) putCursor(ctx context.Context, triggerID, cursor string, wait time.Duration) error {
	op := "store: put cursor of trigger " + strconv.Quote(triggerID)
	if wait > 0 {
		// Counted apart ("put cursor soon"): how many cursors waited.
		op = "store: put cursor soon of trigger " + strconv.Quote(triggerID)
	}
	serviceID, err := checkTriggerID(triggerID)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if cursor == "" {
		return fmt.Errorf("%s: %w", op, invalid("cursor is empty"))
	}
	if err := checkText("cursor", cursor); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	row := cursorRow{Cursor: cursor, UpdatedAt: utc(s.now())}
	return s.updateRiding(ctx, op, wait, func(tx *bolt.Tx) error {
		if tx.Bucket(bucketServices).Get([]byte(serviceID)) == nil {
			return notRegistered(serviceID)
		}
		return putJSON(tx.Bucket(bucketCursors), []byte(triggerID), row)
	})
}

// Cursor returns the last cursor acknowledged for trigger triggerID;
// false when there is none.
func (s *Store) Cursor(ctx context.Context, triggerID string) (string, bool, error) {
	op := "store: get cursor of trigger " + strconv.Quote(triggerID)
	if _, err := checkTriggerID(triggerID); err != nil {
		return "", false, fmt.Errorf("%s: %w", op, err)
	}
	row, found, err := getByKey[cursorRow](ctx, s, op, bucketCursors, []byte(triggerID))
	if err != nil {
		return "", false, err
	}
	return row.Cursor, found, nil
}

// DeleteCursor forgets the cursor of trigger triggerID, so that the
// trigger added again starts where its plugin starts a new one (a
// workflow whose trigger changed, or that was removed, in a service
// update). No cursor is not an error.
func (s *Store) DeleteCursor(ctx context.Context, triggerID string) error {
	op := "store: delete cursor of trigger " + strconv.Quote(triggerID)
	if _, err := checkTriggerID(triggerID); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return s.update(ctx, op, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketCursors).Delete([]byte(triggerID))
	})
}

// checkTriggerID checks a trigger id and returns its service id.
func checkTriggerID(id string) (string, error) {
	serviceID, rest, ok := strings.Cut(id, "/")
	if !ok || rest == "" {
		return "", invalid("trigger id %q: want \"<service id>/<workflow id>\"", id)
	}
	if err := checkID("service id in trigger id", serviceID); err != nil {
		return "", err
	}
	if len(id) > MaxKeySize {
		return "", invalid("trigger id is %d bytes: want at most %d", len(id), MaxKeySize)
	}
	return serviceID, nil
}

// deleteCursors removes the cursors of every trigger of serviceID.
func deleteCursors(tx *bolt.Tx, serviceID string) error {
	prefix := []byte(serviceID + "/")
	c := tx.Bucket(bucketCursors).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Seek(prefix) {
		if err := c.Delete(); err != nil {
			return err
		}
	}
	return nil
}
