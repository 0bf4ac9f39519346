package store

import (
	"bytes"
	"context"
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"
)

// The per-service key-value store of components. Values are stored as
// given (not JSON); keys are 1..MaxKeySize bytes and values up to
// MaxValueSize bytes.

// Get returns the value of key in service serviceID's KV data; false when
// there is none.
func (s *Store) Get(ctx context.Context, serviceID, key string) ([]byte, bool, error) {
	op := kvOp("get", serviceID, key)
	if err := checkKV(serviceID, key); err != nil {
		return nil, false, fmt.Errorf("%s: %w", op, err)
	}
	var val []byte
	err := s.view(ctx, op, func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketKV).Bucket([]byte(serviceID)); b != nil {
			if v := b.Get([]byte(key)); v != nil {
				val = bytes.Clone(v) // v is only valid inside the transaction
				if val == nil {
					val = []byte{}
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return val, val != nil, nil
}

// Set stores value under key in service serviceID's KV data. The service
// must be registered (ErrNotFound otherwise), and the write must keep its
// KV data within the KV quota (ErrQuota otherwise, naming the sizes).
func (s *Store) Set(ctx context.Context, serviceID, key string, value []byte) error {
	op := kvOp("set", serviceID, key)
	if err := checkKV(serviceID, key); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := checkValue("value", value); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if value == nil {
		value = []byte{}
	}
	return s.update(ctx, op, func(tx *bolt.Tx) error {
		if tx.Bucket(bucketServices).Get([]byte(serviceID)) == nil {
			return notRegistered(serviceID)
		}
		b, err := tx.Bucket(bucketKV).CreateBucketIfNotExists([]byte(serviceID))
		if err != nil {
			return err
		}
		var old uint64
		if v := b.Get([]byte(key)); v != nil {
			old = uint64(len(key) + len(v))
		}
		if err := s.checkKVQuota(tx, serviceID, old, uint64(len(key)+len(value))); err != nil {
			return err
		}
		return b.Put([]byte(key), value)
	})
}

// Delete removes key from service serviceID's KV data and reports whether
// it was there.
func (s *Store) Delete(ctx context.Context, serviceID, key string) (bool, error) {
	op := kvOp("delete", serviceID, key)
	if err := checkKV(serviceID, key); err != nil {
		return false, fmt.Errorf("%s: %w", op, err)
	}
	var found bool
	err := s.update(ctx, op, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketKV).Bucket([]byte(serviceID))
		if b == nil || b.Get([]byte(key)) == nil {
			return nil
		}
		found = true
		if err := s.checkKVQuota(tx, serviceID, uint64(len(key)+len(b.Get([]byte(key)))), 0); err != nil {
			return err
		}
		return b.Delete([]byte(key))
	})
	return found && err == nil, err
}

func kvOp(verb, serviceID, key string) string {
	if len(key) > 64 {
		key = key[:64] + "…"
	}
	return "store: " + verb + " kv " + strconv.Quote(key) + " of service " + strconv.Quote(serviceID)
}

func checkKV(serviceID, key string) error {
	if err := checkID("service id", serviceID); err != nil {
		return err
	}
	switch {
	case key == "":
		return invalid("key is empty")
	case len(key) > MaxKeySize:
		return invalid("key is %d bytes: want at most %d", len(key), MaxKeySize)
	}
	return nil
}

// Keys lists, in byte order, up to limit keys of service serviceID's KV
// data that start with prefix and are not before from ("" is the first).
// more reports that keys follow the last one returned.
func (s *Store) Keys(ctx context.Context, serviceID, prefix, from string, limit int) (keys []string, more bool, err error) {
	op := "store: list kv keys of service " + strconv.Quote(serviceID)
	if err := checkID("service id", serviceID); err != nil {
		return nil, false, fmt.Errorf("%s: %w", op, err)
	}
	if limit <= 0 {
		return nil, false, fmt.Errorf("%s: %w", op, invalid("limit %d: want at least 1", limit))
	}
	start := prefix
	if from > start {
		start = from
	}
	err = s.view(ctx, op, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketKV).Bucket([]byte(serviceID))
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, _ := c.Seek([]byte(start)); k != nil && bytes.HasPrefix(k, []byte(prefix)); k, _ = c.Next() {
			if len(keys) == limit {
				more = true
				return nil
			}
			keys = append(keys, string(k))
		}
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return keys, more, nil
}
