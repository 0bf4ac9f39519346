package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/sdk"
)

// SchemaVersion is the layout this build writes. Open refuses files with a
// higher version.
const SchemaVersion = 1

// Limits on what the store accepts.
const (
	// MaxValueSize bounds a KV value, a service JSON and a result payload.
	MaxValueSize = 1 << 20
	// MaxKeySize bounds a KV key.
	MaxKeySize = 1024
	// MaxIDSize bounds service, trigger and workflow ids.
	MaxIDSize = 256
	// maxTextSize bounds free text (statuses, errors, cursors); longer
	// error texts are cut, other text is refused.
	maxTextSize = 64 << 10
)

// DefaultLockTimeout is how long Open waits for another process to let go
// of the file.
const DefaultLockTimeout = time.Second

// Errors to test for with errors.Is.
var (
	// ErrInUse: another process (normally another wavs node on the same
	// data folder) has the file open.
	ErrInUse = errors.New("data folder is in use by another wavs process")
	// ErrNewerSchema: the file was written by a newer version of wavs.
	ErrNewerSchema = errors.New("store written by a newer version of wavs")
	// ErrInvalid: an argument is malformed (empty id or key, oversize
	// value); nothing was written. It is an sdk.ErrInvalidArgument.
	ErrInvalid error = &sdkKind{"invalid argument", sdk.ErrInvalidArgument}
	// ErrNotFound: the call needs a service that is not registered. It is
	// an sdk.ErrNotFound.
	ErrNotFound error = &sdkKind{"not found", sdk.ErrNotFound}
	// ErrClosed: the store has been closed.
	ErrClosed = errors.New("store is closed")
)

// Bucket and key names.
var (
	bucketMeta        = []byte("meta")
	bucketServices    = []byte("services")
	bucketSigning     = []byte("signing_indexes")
	bucketKV          = []byte("kv")
	bucketCursors     = []byte("cursors")
	bucketResults     = []byte("results")
	bucketResultsBySv = []byte("results_by_service")
	bucketSubmissions = []byte("submissions")
	bucketPeerSigs    = []byte("peer_signatures")
	bucketEvidence    = []byte("evidence")
	bucketWatches     = []byte("landing_watches")
	bucketAggTimers   = []byte("aggregator_timers")

	keySchemaVersion = []byte("schema_version")
	keyNextSigning   = []byte("next_signing_index")
)

func topBuckets() [][]byte {
	return [][]byte{bucketMeta, bucketServices, bucketSigning, bucketKV, bucketCursors, bucketResults, bucketResultsBySv, bucketSubmissions, bucketPeerSigs, bucketEvidence, bucketWatches, bucketResultCounts, bucketKVSizes, bucketAggTimers}
}

// Store is the node's persistent state in one bbolt file.
type Store struct {
	db     *bolt.DB
	path   string
	now    func() time.Time
	quotas Quotas
	writes groupCommit
	behind peersBehind
	// wrote counts writes by operation (op names, a fixed set).
	wroteMu sync.Mutex
	wrote   map[string]uint64
}

// Stats are the store's counts since Open.
type Stats struct {
	// Writes counts write operations by name ("store: put result", …);
	// Commits counts the transactions (and so the syncs to disk) they
	// took: writes that waited together share one.
	Writes  map[string]uint64
	Commits uint64
}

// Stats returns the store's counts since Open.
func (s *Store) Stats() Stats {
	s.wroteMu.Lock()
	w := make(map[string]uint64, len(s.wrote))
	for k, v := range s.wrote {
		w[k] = v
	}
	s.wroteMu.Unlock()
	return Stats{Writes: w, Commits: s.writes.commitCount()}
}

// Option changes how Open opens the store.
type Option func(*options)

type options struct {
	lockTimeout time.Duration
	now         func() time.Time
	quotas      Quotas
}

// WithLockTimeout sets how long Open waits for another process to release
// the file (default DefaultLockTimeout); it must be > 0.
func WithLockTimeout(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.lockTimeout = d
		}
	}
}

// WithClock sets the clock used for the times the store fills in (tests).
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// Open opens the store file at path, creating it and its parent folders
// (mode 0700) if needed. It fails with an error wrapping ErrInUse, within
// the lock timeout, when another process has the file open, and with
// ErrNewerSchema when a newer wavs wrote it.
func Open(path string, opts ...Option) (*Store, error) {
	o := options{lockTimeout: DefaultLockTimeout, now: time.Now}
	for _, opt := range opts {
		opt(&o)
	}
	if path == "" {
		return nil, errors.New("store: open: empty path")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("store: create data folder: %w", err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: o.lockTimeout})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("store: %s: %w (the file stayed locked for %v; stop the other process or use another data folder)", path, ErrInUse, o.lockTimeout)
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	s := &Store{db: db, path: path, now: o.now, quotas: o.quotas}
	if err := db.Update(s.initSchema); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	return s, nil
}

// initSchema checks the schema version and creates the buckets of a new
// file.
func (s *Store) initSchema(tx *bolt.Tx) error {
	if meta := tx.Bucket(bucketMeta); meta != nil {
		if raw := meta.Get(keySchemaVersion); raw != nil {
			var v int
			if err := json.Unmarshal(raw, &v); err != nil {
				return fmt.Errorf("schema version %q: %w", raw, err)
			}
			if v > SchemaVersion {
				return fmt.Errorf("%w: schema version %d, this build reads up to %d; upgrade wavs or use another data folder", ErrNewerSchema, v, SchemaVersion)
			}
		}
	}
	for _, name := range topBuckets() {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return putJSON(tx.Bucket(bucketMeta), keySchemaVersion, SchemaVersion)
}

// Path is the store's file.
func (s *Store) Path() string { return s.path }

// Close closes the file; later calls fail with ErrClosed.
func (s *Store) Close() error {
	s.closeBehind()
	s.writes.flush(s.db)
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("store: close %s: %w", s.path, err)
	}
	return nil
}

// view runs fn in a read transaction, after checking ctx.
func (s *Store) view(ctx context.Context, op string, fn func(*bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return wrapTx(op, s.db.View(fn))
}

// update runs fn in a write transaction, after checking ctx; fn's error
// rolls back what fn wrote. Writes that wait at the same time share one
// transaction and one sync to disk (see groupCommit): fn must not depend
// on running in a transaction of its own, and may run twice (the second
// time in a transaction of its own, after the shared one rolled back), so
// it sets its results rather than adding to them.
func (s *Store) update(ctx context.Context, op string, fn func(*bolt.Tx) error) error {
	return s.updateRiding(ctx, op, 0, fn)
}

// updateRiding is update for a write that may wait up to wait for a
// commit that another write starts (see groupCommit.ride); with no wait
// it commits at once.
func (s *Store) updateRiding(ctx context.Context, op string, wait time.Duration, fn func(*bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	s.wroteMu.Lock()
	if s.wrote == nil {
		s.wrote = map[string]uint64{}
	}
	s.wrote[opName(op)]++
	s.wroteMu.Unlock()
	if wait > 0 {
		return wrapTx(op, s.writes.ride(s.db, fn, wait))
	}
	return wrapTx(op, s.writes.do(s.db, fn))
}

// opName is an operation's name without the ids in it: "store: put
// result \"ab…\"" is "put result", "store: set kv \"k\" of service
// \"s\"" is "set kv".
func opName(op string) string {
	op = strings.TrimPrefix(op, "store: ")
	if i := strings.IndexByte(op, '"'); i >= 0 {
		op = op[:i]
	}
	op = strings.TrimSpace(op)
	for _, suffix := range []string{" of event", " for event", " of trigger", " of service"} {
		op = strings.TrimSuffix(op, suffix)
	}
	return op
}

func wrapTx(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, berrors.ErrDatabaseNotOpen):
		return fmt.Errorf("%s: %w", op, ErrClosed)
	default:
		return fmt.Errorf("%s: %w", op, err)
	}
}

// sdkKind is a sentinel of the store that is also one of the SDK's
// (errors.Is matches both), so that callers map it as they map the
// plugins' errors.
type sdkKind struct {
	msg string
	sdk error
}

func (e *sdkKind) Error() string { return e.msg }
func (e *sdkKind) Unwrap() error { return e.sdk }

// kindError is an error with a message of its own that errors.Is matches
// to a sentinel.
type kindError struct {
	msg  string
	kind error
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }

// invalid is an ErrInvalid with its own message.
func invalid(format string, args ...any) error {
	return &kindError{msg: fmt.Sprintf(format, args...), kind: ErrInvalid}
}

// notRegistered is the ErrNotFound of a write for an unknown service.
func notRegistered(serviceID string) error {
	return &kindError{msg: "service " + strconv.Quote(serviceID) + " is not registered", kind: ErrNotFound}
}

// checkID checks a service, workflow or event id.
func checkID(what, id string) error {
	switch {
	case id == "":
		return invalid("%s is empty", what)
	case len(id) > MaxIDSize:
		return invalid("%s is %d bytes: want at most %d", what, len(id), MaxIDSize)
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; c < 0x21 || c == 0x7f || c == '/' {
			return invalid("%s %q: want no spaces, control characters or /", what, id)
		}
	}
	return nil
}

// checkValue checks the size of a value.
func checkValue(what string, v []byte) error {
	if len(v) > MaxValueSize {
		return invalid("%s is %d bytes: want at most %d (1 MiB)", what, len(v), MaxValueSize)
	}
	return nil
}

// checkText checks the size of free text.
func checkText(what, s string) error {
	if len(s) > maxTextSize {
		return invalid("%s is %d bytes: want at most %d", what, len(s), maxTextSize)
	}
	return nil
}

// cut shortens an error text to maxTextSize, saying so.
func cut(s string) string {
	if len(s) <= maxTextSize {
		return s
	}
	const mark = "… (cut)"
	n := maxTextSize - len(mark)
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + mark
}

// listByEvent decodes every JSON record of bucket, each keyed by its
// event id, which setID gives the record.
func listByEvent[T any](ctx context.Context, s *Store, op string, bucket []byte, what string, setID func(*T, service.EventID)) ([]T, error) {
	var out []T
	err := s.view(ctx, op, func(tx *bolt.Tx) error {
		return tx.Bucket(bucket).ForEach(func(k, v []byte) error {
			id, err := service.ParseEventID(string(k))
			if err != nil {
				return fmt.Errorf("corrupt %s key %q: %w", what, k, err)
			}
			var r T
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("corrupt %s %q: %w", what, k, err)
			}
			setID(&r, id)
			out = append(out, r)
			return nil
		})
	})
	return out, err
}

// getByKey reads the JSON record at key in bucket; false when there is
// none.
func getByKey[T any](ctx context.Context, s *Store, op string, bucket []byte, key []byte) (T, bool, error) {
	var r T
	var found bool
	err := s.view(ctx, op, func(tx *bolt.Tx) error {
		var err error
		found, err = getJSON(tx.Bucket(bucket), key, &r)
		return err
	})
	return r, found && err == nil, err
}

// putKey stores v as JSON at key in bucket, in a transaction of its own.
func (s *Store) putKey(ctx context.Context, op string, bucket []byte, key []byte, v any) error {
	return s.update(ctx, op, func(tx *bolt.Tx) error {
		return putJSON(tx.Bucket(bucket), key, v)
	})
}

// deleteKey deletes key from bucket.
func (s *Store) deleteKey(ctx context.Context, op string, bucket []byte, key []byte) error {
	return s.update(ctx, op, func(tx *bolt.Tx) error {
		return tx.Bucket(bucket).Delete(key)
	})
}

// putJSON stores v as JSON.
func putJSON(b *bolt.Bucket, key []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, raw)
}

// getJSON reads the JSON at key into v; false when the key is absent.
func getJSON(b *bolt.Bucket, key []byte, v any) (bool, error) {
	raw := b.Get(key)
	if raw == nil {
		return false, nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return true, fmt.Errorf("corrupt record %q: %w", key, err)
	}
	return true, nil
}

// utc drops the monotonic clock and location, so times read back equal
// times written.
func utc(t time.Time) time.Time { return t.UTC().Round(0) }
