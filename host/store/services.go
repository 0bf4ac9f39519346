package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ServiceRecord is a registered service as the node keeps it.
type ServiceRecord struct {
	// ID is the service id (service.Service.ID).
	ID string
	// Service is the service JSON as accepted, byte for byte.
	Service json.RawMessage
	// Status is the node's view of the service, e.g. "active", "paused",
	// "failed".
	Status string
	// LastError is the last problem running the service; "" for none.
	// Texts over 64 KiB are cut.
	LastError string
	// UpdatedAt is when the record last changed; PutService sets it to now
	// when zero.
	UpdatedAt time.Time
	// SigningIndex is the BIP-32 index of the service's signing key.
	// PutService fills it in (see SigningIndex); a non-zero value must
	// match the index already reserved.
	SigningIndex uint32
	// RegisteredAt is when the service was first stored; PutService keeps
	// the first value, or sets now when there is none.
	RegisteredAt time.Time
}

// serviceRow is a ServiceRecord on disk.
type serviceRow struct {
	Service      []byte    `json:"service"` // exact bytes, base64 in JSON
	Status       string    `json:"status"`
	LastError    string    `json:"last_error,omitempty"`
	UpdatedAt    time.Time `json:"updated_at"`
	SigningIndex uint32    `json:"signing_index"`
	RegisteredAt time.Time `json:"registered_at"`
}

func (r *serviceRow) record(id string) ServiceRecord {
	return ServiceRecord{
		ID: id, Service: json.RawMessage(r.Service), Status: r.Status, LastError: r.LastError,
		UpdatedAt: r.UpdatedAt, SigningIndex: r.SigningIndex, RegisteredAt: r.RegisteredAt,
	}
}

// PutService stores rec, replacing the record of the same id. It reserves
// the service's signing index if needed and fills in SigningIndex,
// UpdatedAt and RegisteredAt as ServiceRecord describes.
func (s *Store) PutService(ctx context.Context, rec ServiceRecord) error {
	op := "store: put service " + strconv.Quote(rec.ID)
	if err := checkService(rec); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	now := utc(s.now())
	return s.update(ctx, op, func(tx *bolt.Tx) error {
		idx, err := signingIndex(tx, rec.ID)
		if err != nil {
			return err
		}
		if rec.SigningIndex != 0 && rec.SigningIndex != idx {
			return invalid("signing index %d: the service has index %d", rec.SigningIndex, idx)
		}
		row := serviceRow{
			Service: bytes.Clone(rec.Service), Status: rec.Status, LastError: cut(rec.LastError),
			UpdatedAt: utc(rec.UpdatedAt), SigningIndex: idx, RegisteredAt: utc(rec.RegisteredAt),
		}
		if row.UpdatedAt.IsZero() {
			row.UpdatedAt = now
		}
		var old serviceRow
		services := tx.Bucket(bucketServices)
		found, err := getJSON(services, []byte(rec.ID), &old)
		switch {
		case err != nil:
			return err
		case found && !old.RegisteredAt.IsZero():
			row.RegisteredAt = old.RegisteredAt
		case row.RegisteredAt.IsZero():
			row.RegisteredAt = now
		}
		return putJSON(services, []byte(rec.ID), row)
	})
}

func checkService(rec ServiceRecord) error {
	if err := checkID("service id", rec.ID); err != nil {
		return err
	}
	if err := checkValue("service JSON", rec.Service); err != nil {
		return err
	}
	if !json.Valid(rec.Service) {
		return invalid("service JSON is not valid JSON")
	}
	return checkText("status", rec.Status)
}

// GetService returns the record of service id; false when there is none.
func (s *Store) GetService(ctx context.Context, id string) (ServiceRecord, bool, error) {
	var rec ServiceRecord
	var found bool
	err := s.view(ctx, "store: get service "+strconv.Quote(id), func(tx *bolt.Tx) error {
		var row serviceRow
		var err error
		if found, err = getJSON(tx.Bucket(bucketServices), []byte(id), &row); found && err == nil {
			rec = row.record(id)
		}
		return err
	})
	return rec, found && err == nil, err
}

// ListServices returns every registered service, sorted by id (an empty,
// non-nil slice when there is none).
func (s *Store) ListServices(ctx context.Context) ([]ServiceRecord, error) {
	out := []ServiceRecord{}
	err := s.view(ctx, "store: list services", func(tx *bolt.Tx) error {
		return tx.Bucket(bucketServices).ForEach(func(k, v []byte) error {
			var row serviceRow
			if err := json.Unmarshal(v, &row); err != nil {
				return fmt.Errorf("corrupt record %q: %w", k, err)
			}
			out = append(out, row.record(string(k)))
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteService removes service id with its KV data and trigger cursors,
// and reports whether it was registered. Its signing index stays reserved
// and its results are kept.
func (s *Store) DeleteService(ctx context.Context, id string) (bool, error) {
	op := "store: delete service " + strconv.Quote(id)
	if err := checkID("service id", id); err != nil {
		return false, fmt.Errorf("%s: %w", op, err)
	}
	var found bool
	err := s.update(ctx, op, func(tx *bolt.Tx) error {
		services := tx.Bucket(bucketServices)
		found = services.Get([]byte(id)) != nil
		if err := services.Delete([]byte(id)); err != nil {
			return err
		}
		if kv := tx.Bucket(bucketKV); kv.Bucket([]byte(id)) != nil {
			if err := kv.DeleteBucket([]byte(id)); err != nil {
				return err
			}
		}
		if err := tx.Bucket(bucketKVSizes).Delete([]byte(id)); err != nil {
			return err
		}
		return deleteCursors(tx, id)
	})
	return found && err == nil, err
}

// SigningIndex returns the BIP-32 index of service id's signing key,
// allocating the next free one (from 1) on the first call. An index is
// never reused, even after DeleteService.
func (s *Store) SigningIndex(ctx context.Context, serviceID string) (uint32, error) {
	op := "store: signing index of service " + strconv.Quote(serviceID)
	if err := checkID("service id", serviceID); err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	var idx uint32
	// Look first in a read transaction: after the first call this is all
	// it takes.
	err := s.view(ctx, op, func(tx *bolt.Tx) error {
		_, err := getJSON(tx.Bucket(bucketSigning), []byte(serviceID), &idx)
		return err
	})
	if err != nil || idx != 0 {
		return idx, err
	}
	err = s.update(ctx, op, func(tx *bolt.Tx) error {
		var err error
		idx, err = signingIndex(tx, serviceID)
		return err
	})
	return idx, err
}

// maxSigningIndex keeps indexes below BIP-32's hardened range.
const maxSigningIndex = math.MaxInt32

// signingIndex returns serviceID's index, allocating it if needed.
func signingIndex(tx *bolt.Tx, serviceID string) (uint32, error) {
	signing := tx.Bucket(bucketSigning)
	var idx uint32
	if found, err := getJSON(signing, []byte(serviceID), &idx); err != nil || found {
		return idx, err
	}
	meta := tx.Bucket(bucketMeta)
	next := uint32(1)
	if _, err := getJSON(meta, keyNextSigning, &next); err != nil {
		return 0, err
	}
	if next > maxSigningIndex {
		return 0, fmt.Errorf("no signing index left: all %d are taken", maxSigningIndex)
	}
	if err := putJSON(signing, []byte(serviceID), next); err != nil {
		return 0, err
	}
	if err := putJSON(meta, keyNextSigning, next+1); err != nil {
		return 0, err
	}
	return next, nil
}
