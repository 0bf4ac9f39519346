package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Quotas bound what each service keeps in the store. A zero field means
// no bound.
type Quotas struct {
	// ResultsPerService is how many results are kept per service; adding
	// one beyond it prunes the oldest (never one with a pending
	// submission or landing watch).
	ResultsPerService int
	// ResultsMaxAge prunes results older than this, on each new result of
	// the service and on [Store.PruneResults].
	ResultsMaxAge time.Duration
	// KVBytesPerService bounds a service's KV data: the sum of its keys'
	// and values' lengths.
	KVBytesPerService int64
	// KVQuotaHint names where the KV quota is set, for the error a
	// component gets, e.g. "[wavs.quotas] kv_mib_per_service".
	KVQuotaHint string
}

// WithQuotas sets the per-service quotas (default: none).
func WithQuotas(q Quotas) Option { return func(o *options) { o.quotas = q } }

// ErrQuota: a write would take a service past one of its quotas; nothing
// was written.
var ErrQuota = errors.New("quota exceeded")

// pruneBatch bounds the results one new result prunes, so that a write
// stays quick even after the quota was lowered.
const pruneBatch = 256

// Buckets of the quota bookkeeping: a running count or size per service,
// computed from the data when absent (a file from before quotas).
var (
	bucketResultCounts = []byte("result_counts")
	bucketKVSizes      = []byte("kv_sizes")
)

func getCounter(b *bolt.Bucket, key []byte) (uint64, bool) {
	v := b.Get(key)
	if len(v) != 8 {
		return 0, false
	}
	return binary.BigEndian.Uint64(v), true
}

func putCounter(b *bolt.Bucket, key []byte, n uint64) error {
	var v [8]byte
	binary.BigEndian.PutUint64(v[:], n)
	return b.Put(key, v[:])
}

// resultCount is how many results service serviceID has in the index.
func resultCount(tx *bolt.Tx, serviceID string) uint64 {
	counts := tx.Bucket(bucketResultCounts)
	if n, ok := getCounter(counts, []byte(serviceID)); ok {
		return n
	}
	idx := tx.Bucket(bucketResultsBySv).Bucket([]byte(serviceID))
	if idx == nil {
		return 0
	}
	return uint64(idx.Stats().KeyN)
}

// kvSize is the bytes of service serviceID's KV data.
func kvSize(tx *bolt.Tx, serviceID string) uint64 {
	if n, ok := getCounter(tx.Bucket(bucketKVSizes), []byte(serviceID)); ok {
		return n
	}
	var n uint64
	if b := tx.Bucket(bucketKV).Bucket([]byte(serviceID)); b != nil {
		_ = b.ForEach(func(k, v []byte) error {
			n += uint64(len(k) + len(v))
			return nil
		})
	}
	return n
}

// checkKVQuota records the KV size of serviceID after a write that
// replaces old bytes (key and value, 0 when new) by new ones, or refuses
// it with ErrQuota.
func (s *Store) checkKVQuota(tx *bolt.Tx, serviceID string, old, new uint64) error {
	cur := kvSize(tx, serviceID)
	next := cur - min(cur, old) + new
	if q := s.quotas.KVBytesPerService; q > 0 && new > old && next > uint64(q) {
		hint := ""
		if s.quotas.KVQuotaHint != "" {
			hint = " (" + s.quotas.KVQuotaHint + ")"
		}
		return &kindError{
			msg: fmt.Sprintf("kv quota of service %s: the write would make its KV data %d bytes, over its quota of %d bytes%s; delete keys, or ask the operator to raise the quota",
				strconv.Quote(serviceID), next, q, hint),
			kind: ErrQuota,
		}
	}
	return putCounter(tx.Bucket(bucketKVSizes), []byte(serviceID), next)
}

// indexResult adds an event to its service's result index, counting it.
func indexResult(tx *bolt.Tx, serviceID string, key []byte) error {
	idx, err := tx.Bucket(bucketResultsBySv).CreateBucketIfNotExists([]byte(serviceID))
	if err != nil {
		return err
	}
	if hasKey(idx, key) {
		return nil
	}
	n := resultCount(tx, serviceID)
	if err := idx.Put(key, nil); err != nil {
		return err
	}
	return putCounter(tx.Bucket(bucketResultCounts), []byte(serviceID), n+1)
}

// dropIndexKey removes key from a service's result index, counting it.
func dropIndexKey(tx *bolt.Tx, serviceID string, key []byte) error {
	idx := tx.Bucket(bucketResultsBySv).Bucket([]byte(serviceID))
	if idx == nil || !hasKey(idx, key) {
		return nil
	}
	n := resultCount(tx, serviceID)
	if err := idx.Delete(key); err != nil {
		return err
	}
	return putCounter(tx.Bucket(bucketResultCounts), []byte(serviceID), n-min(n, 1))
}

// pruneResults deletes service serviceID's oldest results beyond the
// count quota and those older than the age quota, at most limit of them,
// oldest first. A result whose submission or landing watch is still
// pending is kept: the aggregator still works on it.
func (s *Store) pruneResults(tx *bolt.Tx, serviceID string, now time.Time, limit int) (int, error) {
	q := s.quotas
	if q.ResultsPerService <= 0 && q.ResultsMaxAge <= 0 {
		return 0, nil
	}
	idx := tx.Bucket(bucketResultsBySv).Bucket([]byte(serviceID))
	if idx == nil {
		return 0, nil
	}
	var cutoff []byte
	if q.ResultsMaxAge > 0 {
		cutoff = resultIndexTime(now.Add(-q.ResultsMaxAge))
	}
	count := resultCount(tx, serviceID)
	results, subs, watches := tx.Bucket(bucketResults), tx.Bucket(bucketSubmissions), tx.Bucket(bucketWatches)
	var doomed [][]byte
	c := idx.Cursor()
	// Pending results are passed over; seen bounds the walk past them.
	seen := 0
	for k, _ := c.First(); k != nil && len(doomed) < limit && seen < 4*limit; k, _ = c.Next() {
		seen++
		over := q.ResultsPerService > 0 && count-uint64(len(doomed)) > uint64(q.ResultsPerService)
		old := cutoff != nil && bytes.Compare(k, cutoff) < 0
		if !over && !old {
			break
		}
		if len(k) < 8 {
			return 0, fmt.Errorf("corrupt result index key %x", k)
		}
		eventID := k[8:]
		if subs.Get(eventID) != nil || watches.Get(eventID) != nil {
			continue
		}
		doomed = append(doomed, bytes.Clone(k))
	}
	for _, k := range doomed {
		if err := results.Delete(k[8:]); err != nil {
			return 0, err
		}
		if err := dropIndexKey(tx, serviceID, k); err != nil {
			return 0, err
		}
	}
	return len(doomed), nil
}

// PruneResults applies the result quotas to every service (results of
// deleted services too) and returns how many results it deleted. The node
// runs it periodically, so that results age out of a service that
// produces no new ones.
func (s *Store) PruneResults(ctx context.Context) (int, error) {
	var services []string
	err := s.view(ctx, "store: prune results", func(tx *bolt.Tx) error {
		return tx.Bucket(bucketResultsBySv).ForEachBucket(func(k []byte) error {
			services = append(services, string(k))
			return nil
		})
	})
	if err != nil {
		return 0, err
	}
	total := 0
	for _, id := range services {
		for {
			var n int
			err := s.update(ctx, "store: prune results of service "+strconv.Quote(id), func(tx *bolt.Tx) error {
				var err error
				n, err = s.pruneResults(tx, id, utc(s.now()), 10*pruneBatch)
				return err
			})
			if err != nil {
				return total, err
			}
			total += n
			if n < 10*pruneBatch {
				break
			}
		}
	}
	return total, nil
}

// hasKey reports whether b holds key; unlike Get it also sees keys with
// an empty value, as the result index has.
func hasKey(b *bolt.Bucket, key []byte) bool {
	k, _ := b.Cursor().Seek(key)
	return k != nil && bytes.Equal(k, key)
}
