package store

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Service JSONs saved through the API's development routes (POST
// /dev/services), by the hex sha256 of their bytes, so that a service
// manager's service URI can point at the node itself in local
// development. The bucket is bounded: at most MaxDevServices documents of
// at most MaxValueSize bytes each; saving one more drops the oldest.

// MaxDevServices is how many saved service JSONs the store keeps.
const MaxDevServices = 256

var bucketDevServices = []byte("dev_services")

// devServicesCap is MaxDevServices, lowered by tests.
var devServicesCap = MaxDevServices

// A stored value is the save time (unix nanoseconds, 8 bytes big-endian)
// followed by the document.
const devStampSize = 8

// PutDevService saves a service JSON and returns its hash: the lowercase
// hex sha256 of raw. Saving the same bytes again keeps one copy and makes
// it the newest. When MaxDevServices are stored already, the oldest goes.
func (s *Store) PutDevService(ctx context.Context, raw []byte) (string, error) {
	const op = "store: save dev service"
	if len(raw) == 0 {
		return "", fmt.Errorf("%s: %w", op, invalid("the service JSON is empty"))
	}
	if err := checkValue("the service JSON", raw); err != nil {
		return "", fmt.Errorf("%s: %w", op, err)
	}
	sum := sha256.Sum256(raw)
	hash := hex.EncodeToString(sum[:])
	val := make([]byte, devStampSize+len(raw))
	binary.BigEndian.PutUint64(val, uint64(s.now().UnixNano()))
	copy(val[devStampSize:], raw)
	err := s.update(ctx, op, func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketDevServices)
		if err != nil {
			return err
		}
		if b.Get([]byte(hash)) == nil && b.Stats().KeyN >= devServicesCap {
			if err := dropOldest(b, b.Stats().KeyN-devServicesCap+1); err != nil {
				return err
			}
		}
		return b.Put([]byte(hash), val)
	})
	if err != nil {
		return "", err
	}
	return hash, nil
}

// dropOldest deletes the n oldest documents.
func dropOldest(b *bolt.Bucket, n int) error {
	type saved struct {
		key   string
		stamp uint64
	}
	var all []saved
	err := b.ForEach(func(k, v []byte) error {
		var st uint64
		if len(v) >= devStampSize {
			st = binary.BigEndian.Uint64(v)
		}
		all = append(all, saved{string(k), st})
		return nil
	})
	if err != nil {
		return err
	}
	for ; n > 0 && len(all) > 0; n-- {
		oldest := 0
		for i := range all {
			if all[i].stamp < all[oldest].stamp || all[i].stamp == all[oldest].stamp && all[i].key < all[oldest].key {
				oldest = i
			}
		}
		if err := b.Delete([]byte(all[oldest].key)); err != nil {
			return err
		}
		all = append(all[:oldest], all[oldest+1:]...)
	}
	return nil
}

// DevService returns a saved service JSON, exactly as saved, and when it
// was saved; false when no document has that hash.
func (s *Store) DevService(ctx context.Context, hash string) ([]byte, time.Time, bool, error) {
	var raw []byte
	var at time.Time
	err := s.view(ctx, "store: read dev service", func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketDevServices)
		if b == nil {
			return nil
		}
		v := b.Get([]byte(hash))
		if len(v) < devStampSize {
			return nil
		}
		at = time.Unix(0, int64(binary.BigEndian.Uint64(v))).UTC()
		raw = append([]byte(nil), v[devStampSize:]...)
		return nil
	})
	return raw, at, raw != nil, err
}
