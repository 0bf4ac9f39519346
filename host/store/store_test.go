package store

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/wavs-go/wavs/sdk"
)

// Service ids used in tests (their form does not matter to the store).
const (
	svcA = "76d41ff256803de151fce2ed99d145cf985af50e6def0809072e9f68932f5d11"
	svcB = "c229b166079686dc69343ab6fd280206c11cf294033b0e088bbdd9a46ee332ed"
)

// testClock is a clock that moves one second per reading.
type testClock struct{ t time.Time }

func (c *testClock) now() time.Time {
	c.t = c.t.Add(time.Second)
	return c.t
}

func newClock() *testClock { return &testClock{t: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)} }

// openTemp opens a store in a new temporary folder; it is closed when the
// test ends.
func openTemp(t *testing.T, opts ...Option) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "data", "wavs.db"), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// reopen closes s and opens its file again.
func reopen(t *testing.T, s *Store, opts ...Option) *Store {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(s.Path(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s2.Close() })
	return s2
}

// register stores a minimal record for service id.
func register(t *testing.T, s *Store, id string) {
	t.Helper()
	if err := s.PutService(t.Context(), ServiceRecord{ID: id, Service: json.RawMessage(`{"name":"x"}`), Status: "active"}); err != nil {
		t.Fatal(err)
	}
}

func TestOpenCreatesFolders(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "wavs.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v, want 0600", fi.Mode().Perm())
	}
	di, err := os.Stat(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if di.Mode().Perm() != 0o700 {
		t.Errorf("folder mode %v, want 0700", di.Mode().Perm())
	}
	if _, err := Open(""); err == nil {
		t.Error("Open(\"\") succeeded")
	}
}

func TestSecondOpenFailsFast(t *testing.T) {
	s := openTemp(t)
	start := time.Now()
	s2, err := Open(s.Path(), WithLockTimeout(200*time.Millisecond))
	if err == nil {
		s2.Close()
		t.Fatal("second Open of the same file succeeded")
	}
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("error %v does not wrap ErrInUse", err)
	}
	if !strings.Contains(err.Error(), "data folder is in use by another wavs process") || !strings.Contains(err.Error(), s.Path()) {
		t.Errorf("error %q does not say what is wrong and where", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("second Open took %v", d)
	}
	// Once the first one closes, the file opens again.
	reopen(t, s)
}

func TestNewerSchemaRefused(t *testing.T) {
	s := openTemp(t)
	path := s.Path()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keySchemaVersion, []byte("2"))
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	_, err = Open(path)
	if !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("error %v does not wrap ErrNewerSchema", err)
	}
	want := "schema version 2, this build reads up to 1"
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
	// The refused file is left as it was, and unlocked.
	db, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_ = db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketMeta).Get(keySchemaVersion); string(v) != "2" {
			t.Errorf("schema version rewritten to %q", v)
		}
		return nil
	})
}

func TestOpenNotAStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wavs.db")
	if err := os.WriteFile(path, []byte(strings.Repeat("not a bbolt file\n", 1000)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(path)
	if err == nil || !strings.HasPrefix(err.Error(), "store: open "+path+": ") {
		t.Fatalf("error = %v", err)
	}
}

func TestClosed(t *testing.T) {
	s := openTemp(t)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	ctx := t.Context()
	_, _, err := s.Get(ctx, svcA, "k")
	if !errors.Is(err, ErrClosed) {
		t.Errorf("Get after Close: %v, want ErrClosed", err)
	}
	if err := s.PutCursor(ctx, svcA+"/w", "c"); !errors.Is(err, ErrClosed) {
		t.Errorf("PutCursor after Close: %v, want ErrClosed", err)
	}
}

func TestCanceledContext(t *testing.T) {
	s := openTemp(t)
	register(t, s, svcA)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err := s.Set(ctx, svcA, "k", []byte("v"))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Set with a canceled context: %v", err)
	}
	if _, found, _ := s.Get(t.Context(), svcA, "k"); found {
		t.Error("Set with a canceled context wrote the value")
	}
	if _, err := s.ListServices(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("ListServices with a canceled context: %v", err)
	}
}

// TestPersistence writes one of everything, reopens the file and reads it
// all back.
func TestPersistence(t *testing.T) {
	ctx := t.Context()
	clock := newClock()
	s := openTemp(t, WithClock(clock.now))
	register(t, s, svcA)
	if err := s.Set(ctx, svcA, "counter", []byte{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutCursor(ctx, svcA+"/price", "block:42:log:3"); err != nil {
		t.Fatal(err)
	}
	res := ResultRecord{EventID: eid(strings.Repeat("ab", 20)), ServiceID: svcA, WorkflowID: "price", Payload: []byte("p"), Status: "signed"}
	if err := s.PutResult(ctx, res); err != nil {
		t.Fatal(err)
	}
	before, _, _ := s.GetService(ctx, svcA)

	s = reopen(t, s)
	after, found, err := s.GetService(ctx, svcA)
	if err != nil || !found {
		t.Fatalf("GetService after reopen: %v, %v", found, err)
	}
	if !equalService(before, after) {
		t.Errorf("service after reopen = %+v, want %+v", after, before)
	}
	if idx, _ := s.SigningIndex(ctx, svcA); idx != 1 {
		t.Errorf("signing index after reopen = %d, want 1", idx)
	}
	if v, _, _ := s.Get(ctx, svcA, "counter"); string(v) != "\x01\x02\x03" {
		t.Errorf("kv after reopen = %x", v)
	}
	if c, _, _ := s.Cursor(ctx, svcA+"/price"); c != "block:42:log:3" {
		t.Errorf("cursor after reopen = %q", c)
	}
	if r, _, _ := s.GetResult(ctx, res.EventID); r.Status != "signed" || string(r.Payload) != "p" {
		t.Errorf("result after reopen = %+v", r)
	}
	register(t, s, svcB)
	if idx, _ := s.SigningIndex(ctx, svcB); idx != 2 {
		t.Errorf("next signing index after reopen = %d, want 2", idx)
	}
}

// TestSecondProcessFailsFast opens the store from a child process (this
// test binary again) while the parent holds it.
func TestSecondProcessFailsFast(t *testing.T) {
	if path := os.Getenv("WAVS_STORE_TEST_CHILD"); path != "" {
		_, err := Open(path, WithLockTimeout(200*time.Millisecond))
		if errors.Is(err, ErrInUse) {
			os.Exit(3)
		}
		os.Exit(1)
	}
	s := openTemp(t)
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestSecondProcessFailsFast$")
	cmd.Env = append(os.Environ(), "WAVS_STORE_TEST_CHILD="+s.Path())
	start := time.Now()
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Fatalf("child process: %v, want exit code 3 (ErrInUse)", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("child took %v to give up", d)
	}
}

func TestOpName(t *testing.T) {
	for op, want := range map[string]string{
		`store: put result and submission "ab12"`:    "put result and submission",
		`store: add peer signature for event "ab12"`: "add peer signature",
		`store: set kv "k" of service "s"`:           "set kv",
		`store: put cursor of trigger "t"`:           "put cursor",
		`store: delete landing watch`:                "delete landing watch",
		`store: record the landing of event "ab12"`:  "record the landing",
		`store: prune results of service "svc"`:      "prune results",
	} {
		if got := opName(op); got != want {
			t.Errorf("opName(%q) = %q, want %q", op, got, want)
		}
	}
}

func TestStatsCountWritesAndCommits(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	before := s.Stats()
	for range 2 {
		if err := s.DeleteWatch(ctx, eid(strings.Repeat("ab", 20))); err != nil {
			t.Fatal(err)
		}
	}
	after := s.Stats()
	if got := after.Writes["delete landing watch"] - before.Writes["delete landing watch"]; got != 2 {
		t.Errorf("delete landing watch writes = %d, want 2 (all: %v)", got, after.Writes)
	}
	if got := after.Commits - before.Commits; got != 2 {
		t.Errorf("commits = %d, want 2: two writes one after another", got)
	}
}

// TestErrorsAreTheSDKs: the store's sentinels are the SDK's too, so a
// caller maps them as it maps a plugin's.
func TestErrorsAreTheSDKs(t *testing.T) {
	s := openTemp(t)
	err := s.PutCursor(t.Context(), "svc/wf", "")
	if !errors.Is(err, ErrInvalid) || !errors.Is(err, sdk.ErrInvalidArgument) {
		t.Errorf("empty cursor: %v; want ErrInvalid and sdk.ErrInvalidArgument", err)
	}
	err = s.PutCursor(t.Context(), "svc/wf", "1")
	if !errors.Is(err, ErrNotFound) || !errors.Is(err, sdk.ErrNotFound) {
		t.Errorf("cursor of an unknown service: %v; want ErrNotFound and sdk.ErrNotFound", err)
	}
	if errors.Is(ErrInvalid, sdk.ErrNotFound) || errors.Is(ErrNotFound, sdk.ErrInvalidArgument) {
		t.Error("a sentinel matches the other kind")
	}
}

// TestWriteNamesHoldNoIDs: the writes' names are the metrics' labels, so
// they must not carry an event's id (one label value per event would
// grow without bound).
func TestWriteNamesHoldNoIDs(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	id := eid(strings.Repeat("cd", 20))
	// Errors do not matter: a write is counted when it starts.
	_ = s.DeletePeerSignatures(ctx, id)
	_, _ = s.CloseWatch(ctx, id, sdk.Hash{}, WatchEnd{Update: func(*ResultRecord) bool { return true }})
	_, _ = s.UpdateWatch(ctx, Watch{EventID: id})
	_ = s.RecordLanding(ctx, ResultRecord{EventID: id}, &Watch{EventID: id})
	_, _, _ = s.AddPeerSignature(ctx, PeerSignature{EventID: id})
	_, _ = s.AddEvidence(ctx, Evidence{EventID: id})
	_ = s.PutResultAndSubmission(ctx, ResultRecord{EventID: id}, Submission{EventID: id})
	_, _, _ = s.AddResultAndQueue(ctx, ResultRecord{EventID: id}, Submission{EventID: id})
	w := s.Stats().Writes
	if len(w) == 0 {
		t.Fatal("no writes counted")
	}
	for name := range w {
		if strings.Contains(name, "cdcd") || strings.ContainsAny(name, `"0123456789`) {
			t.Errorf("write name %q holds an id", name)
		}
	}
}
