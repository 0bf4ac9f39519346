package sdk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

func ev(id string, n int) TriggerEvent {
	return TriggerEvent{TriggerID: id, Cursor: fmt.Sprint(n), Data: &CronTick{}}
}

func recv(t *testing.T, ch <-chan TriggerEvent) TriggerEvent {
	t.Helper()
	select {
	case e := <-ch:
		return e
	case <-time.After(2 * time.Second):
		t.Fatal("no event within 2s")
		return TriggerEvent{}
	}
}

func TestEventQueueRedeliversUnacked(t *testing.T) {
	q := NewEventQueue(10)
	ctx := t.Context()
	for i := 1; i <= 3; i++ {
		if err := q.Push(ctx, ev("a", i)); err != nil {
			t.Fatal(err)
		}
	}
	q.Push(ctx, ev("b", 1))

	sctx, cancel := context.WithCancel(ctx)
	s := q.Stream(sctx)
	for _, want := range []string{"a/1", "a/2", "a/3", "b/1"} {
		e := recv(t, s)
		if got := e.TriggerID + "/" + e.Cursor; got != want {
			t.Fatalf("got %s, want %s", got, want)
		}
	}
	cancel()

	q.Ack("a", "2") // drops a/1 and a/2, not b/1
	if q.Len() != 2 {
		t.Fatalf("Len after ack = %d, want 2", q.Len())
	}
	q.Ack("a", "99") // unknown cursor: nothing
	if q.Len() != 2 {
		t.Fatalf("Len after unknown ack = %d, want 2", q.Len())
	}
	s = q.Stream(ctx)
	for _, want := range []string{"a/3", "b/1"} {
		e := recv(t, s)
		if got := e.TriggerID + "/" + e.Cursor; got != want {
			t.Fatalf("second stream: got %s, want %s", got, want)
		}
	}
	q.Push(ctx, ev("a", 4))
	if e := recv(t, s); e.Cursor != "4" {
		t.Fatalf("live event: got %s", e.Cursor)
	}
}

func TestEventQueueRemoveAndBackPressure(t *testing.T) {
	q := NewEventQueue(2)
	ctx := t.Context()
	q.Push(ctx, ev("a", 1))
	q.Push(ctx, ev("b", 1))

	full, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if err := q.Push(full, ev("a", 2)); err == nil {
		t.Fatal("Push into a full queue returned before an ack")
	}

	done := make(chan error, 1)
	go func() { done <- q.Push(ctx, ev("a", 2)) }()
	q.Remove("b")
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Push still blocked after Remove freed a slot")
	}
	s := q.Stream(ctx)
	for _, want := range []string{"a/1", "a/2"} {
		e := recv(t, s)
		if got := e.TriggerID + "/" + e.Cursor; got != want {
			t.Fatalf("got %s, want %s", got, want)
		}
	}
}

// BenchmarkEventQueueStreamBacklog streams one event out of a queue that
// holds 100k unacknowledged events (a host that fell behind).
func BenchmarkEventQueueStreamBacklog(b *testing.B) {
	const backlog = 100_000
	q := NewEventQueue(backlog + b.N)
	ctx := b.Context()
	for i := 0; i < backlog+b.N; i++ {
		q.Push(ctx, ev("a", i))
	}
	s := q.Stream(ctx)
	for i := 0; i < backlog; i++ {
		<-s
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		<-s
	}
}

// allKinds returns one event of each data kind, for trigger id.
func allKinds(id string) []TriggerEvent {
	return []TriggerEvent{
		{TriggerID: id, Cursor: "1", Data: &EvmLog{
			Chain: "evm:31337", Address: Address{1, 2, 3}, Topics: []Hash{{4}, {5, 6}}, Data: []byte("log data"),
			BlockNumber: 77, BlockHash: Hash{7}, TxHash: Hash{8}, TxIndex: 3, LogIndex: 9, BlockTimestamp: 1_700_000_000,
		}},
		{TriggerID: id, Cursor: "2", Data: &BlockTick{Chain: "evm:1", BlockNumber: 1 << 40, BlockHash: Hash{31: 0xff}}},
		{TriggerID: id, Cursor: "3", Data: &CronTick{Time: time.Date(2026, 3, 4, 5, 6, 7, 891011, time.FixedZone("x", 3600))}},
		{TriggerID: id, Cursor: "4", Data: &RawData{Data: []byte{0, 1, 2, 0xfe}}},
		{TriggerID: id, Cursor: "5", Data: &RawData{}},
		{TriggerID: id, Cursor: "6", Data: &EvmLog{Chain: "evm:1"}},
	}
}

// sameEvent compares events as the file keeps them: times by instant,
// empty and nil byte slices alike.
func sameEvent(a, b TriggerEvent) bool {
	if a.TriggerID != b.TriggerID || a.Cursor != b.Cursor {
		return false
	}
	switch x := a.Data.(type) {
	case *EvmLog:
		y, ok := b.Data.(*EvmLog)
		if !ok || !bytes.Equal(x.Data, y.Data) || len(x.Topics) != len(y.Topics) {
			return false
		}
		for i := range x.Topics {
			if x.Topics[i] != y.Topics[i] {
				return false
			}
		}
		xc, yc := *x, *y
		xc.Data, yc.Data, xc.Topics, yc.Topics = nil, nil, nil, nil
		return reflect.DeepEqual(xc, yc)
	case *BlockTick:
		y, ok := b.Data.(*BlockTick)
		return ok && *x == *y
	case *CronTick:
		y, ok := b.Data.(*CronTick)
		return ok && x.Time.Equal(y.Time)
	case *RawData:
		y, ok := b.Data.(*RawData)
		return ok && bytes.Equal(x.Data, y.Data)
	}
	return false
}

// drain reads n events from a fresh stream of q.
func drain(t *testing.T, q *EventQueue, n int) []TriggerEvent {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	s := q.Stream(ctx)
	out := make([]TriggerEvent, n)
	for i := range out {
		out[i] = recv(t, s)
	}
	return out
}

func openQueue(t *testing.T, path string, max int) *EventQueue {
	t.Helper()
	q, err := OpenEventQueue(path, max)
	if err != nil {
		t.Fatalf("OpenEventQueue: %v", err)
	}
	return q
}

// TestEventQueueFileSurvivesCrash: what Push accepted is in the file when
// Push returns: a second queue opened on the file without closing the
// first (as after a crash) has every event, in push order, with its data.
func TestEventQueueFileSurvivesCrash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.json")
	q := openQueue(t, path, 100)
	want := append(allKinds("a"), allKinds("b")...)
	for _, e := range want {
		if err := q.Push(t.Context(), e); err != nil {
			t.Fatal(err)
		}
	}
	again := openQueue(t, path, 100)
	if again.Len() != len(want) {
		t.Fatalf("reopened queue holds %d events, want %d", again.Len(), len(want))
	}
	for i, got := range drain(t, again, len(want)) {
		if !sameEvent(got, want[i]) {
			t.Errorf("event %d: got %+v (%+v), want %+v (%+v)", i, got, got.Data, want[i], want[i].Data)
		}
	}
}

// TestEventQueueFileAckAndRemove: acked and removed events are gone after
// a reopen; the rest stay, in order.
func TestEventQueueFileAckAndRemove(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.json")
	q := openQueue(t, path, 100)
	ctx := t.Context()
	for i := 1; i <= 3; i++ {
		q.Push(ctx, ev("a", i))
		q.Push(ctx, ev("b", i))
	}
	q.Push(ctx, ev("c", 1))
	q.Ack("a", "2")
	q.Ack("a", "99") // unknown: nothing
	q.Remove("c")
	if err := q.Close(); err != nil {
		t.Fatal(err)
	}
	q = openQueue(t, path, 100)
	var got []string
	for _, e := range drain(t, q, q.Len()) {
		got = append(got, e.TriggerID+"/"+e.Cursor)
	}
	if want := "b/1 b/2 a/3 b/3"; strings.Join(got, " ") != want {
		t.Fatalf("after ack, remove and reopen: %v, want %s", got, want)
	}
	q.Ack("b", "3")
	q.Ack("a", "3")
	q.Close()
	if n := openQueue(t, path, 100).Len(); n != 0 {
		t.Fatalf("after acking everything: %d events left", n)
	}
}

// TestEventQueueFileRefusesBadFiles: a file that does not read back whole
// is an error naming it, not a panic or a partial queue.
func TestEventQueueFileRefusesBadFiles(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	q := openQueue(t, good, 10)
	for _, e := range allKinds("a") {
		if err := q.Push(t.Context(), e); err != nil {
			t.Fatal(err)
		}
	}
	q.Close()
	whole, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, content, want string
	}{
		{"truncated", string(whole[:len(whole)/2]), "truncated or corrupted"},
		{"cut at the end", string(whole[:len(whole)-3]), "truncated or corrupted"},
		{"empty", "", "truncated or corrupted"},
		{"garbage", "\x00\x01not json", "truncated or corrupted"},
		{"trailing garbage", string(whole) + "}", "truncated or corrupted"},
		{"other format", `{"format":"wavs-event-queue/9","events":[]}`, "format"},
		{"unknown field", `{"format":"wavs-event-queue/1","events":[],"x":1}`, "truncated or corrupted"},
		{"unknown kind", `{"format":"wavs-event-queue/1","events":[{"trigger_id":"a","cursor":"1","data":{"kind":"solana","raw":{"data":"0x"}}}]}`, "events[0]"},
		{"two kinds", `{"format":"wavs-event-queue/1","events":[{"trigger_id":"a","cursor":"1","data":{"kind":"raw","raw":{"data":"0x"},"cron_tick":{"time":"2026-01-01T00:00:00Z"}}}]}`, "exactly one"},
		{"bad hex", `{"format":"wavs-event-queue/1","events":[{"trigger_id":"a","cursor":"1","data":{"kind":"raw","raw":{"data":"0xzz"}}}]}`, "raw.data"},
		{"short hash", `{"format":"wavs-event-queue/1","events":[{"trigger_id":"a","cursor":"1","data":{"kind":"block_tick","block_tick":{"chain":"evm:1","block_number":1,"block_hash":"0x01"}}}]}`, "block_hash"},
		{"bad time", `{"format":"wavs-event-queue/1","events":[{"trigger_id":"a","cursor":"1","data":{"kind":"cron_tick","cron_tick":{"time":"noon"}}}]}`, "cron_tick.time"},
		{"no trigger id", `{"format":"wavs-event-queue/1","events":[{"trigger_id":"","cursor":"1","data":{"kind":"raw","raw":{"data":"0x"}}}]}`, "trigger_id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "events.json")
			if err := os.WriteFile(path, []byte(c.content), 0o600); err != nil {
				t.Fatal(err)
			}
			q, err := OpenEventQueue(path, 10)
			if err == nil {
				t.Fatalf("OpenEventQueue accepted it: %d events", q.Len())
			}
			if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q: want it to name %s and say %q", err, path, c.want)
			}
		})
	}
	t.Run("no folder", func(t *testing.T) {
		path := filepath.Join(dir, "missing", "events.json")
		if _, err := OpenEventQueue(path, 10); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("OpenEventQueue(in a missing folder) = %v, want an error naming %s", err, path)
		}
	})
	t.Run("stale temp file", func(t *testing.T) {
		// A crash between writing the temp file and the rename leaves it;
		// the queue file itself is still whole.
		if err := os.WriteFile(good+".tmp", []byte("half"), 0o600); err != nil {
			t.Fatal(err)
		}
		if n := openQueue(t, good, 10).Len(); n != len(allKinds("a")) {
			t.Errorf("%d events, want %d", n, len(allKinds("a")))
		}
	})
}

type otherData struct{}

func (*otherData) isTriggerData() {}

// TestEventQueueFileRefusesUnknownData: an event the file cannot keep is
// refused by Push, and the queue is unchanged.
func TestEventQueueFileRefusesUnknownData(t *testing.T) {
	q := openQueue(t, filepath.Join(t.TempDir(), "events.json"), 10)
	for _, d := range []TriggerData{nil, &otherData{}, (*RawData)(nil)} {
		err := q.Push(t.Context(), TriggerEvent{TriggerID: "a", Cursor: "1", Data: d})
		if !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("Push(data %T) = %v, want ErrInvalidArgument", d, err)
		}
	}
	if q.Len() != 0 {
		t.Errorf("Len = %d after refused pushes", q.Len())
	}
}

// TestEventQueueClose: Close ends streams and makes Push fail.
func TestEventQueueClose(t *testing.T) {
	for _, name := range []string{"memory", "file"} {
		t.Run(name, func(t *testing.T) {
			q := NewEventQueue(10)
			if name == "file" {
				q = openQueue(t, filepath.Join(t.TempDir(), "events.json"), 10)
			}
			q.Push(t.Context(), ev("a", 1))
			s := q.Stream(t.Context())
			recv(t, s)
			if err := q.Close(); err != nil {
				t.Fatal(err)
			}
			select {
			case _, ok := <-s:
				if ok {
					t.Fatal("stream delivered after Close")
				}
			case <-time.After(2 * time.Second):
				t.Fatal("stream still open 2s after Close")
			}
			if err := q.Push(t.Context(), ev("a", 2)); !errors.Is(err, ErrUnavailable) {
				t.Errorf("Push after Close = %v, want ErrUnavailable", err)
			}
			if err := q.Close(); err != nil {
				t.Errorf("second Close: %v", err)
			}
		})
	}
}

// TestEventQueueFileConcurrent pushes, streams, acks and removes from many
// goroutines (run with -race); the file then holds exactly what the queue
// holds, in the same order.
func TestEventQueueFileConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.json")
	q := openQueue(t, path, 16)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	const writers, each = 4, 25
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 1; i <= each; i++ {
				if err := q.Push(ctx, ev(fmt.Sprint("w", w), i)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	// A consumer acks every other event it sees, so the writers are
	// held back by the bound now and then; another stream comes and goes.
	streamCtx, endStream := context.WithCancel(ctx)
	consumed := make(chan struct{})
	go func() {
		defer close(consumed)
		n := 0
		for e := range q.Stream(streamCtx) {
			if n++; n%2 == 0 {
				q.Ack(e.TriggerID, e.Cursor)
			}
			_ = q.Len()
		}
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 20 {
			sctx, c := context.WithCancel(ctx)
			s := q.Stream(sctx)
			<-s
			c()
		}
		q.Remove("w3")
	}()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		t.Fatal("pushes did not finish")
	}
	endStream()
	<-consumed
	var want []string
	for _, e := range drain(t, q, q.Len()) {
		want = append(want, e.TriggerID+"/"+e.Cursor)
	}
	if err := q.Close(); err != nil {
		t.Fatal(err)
	}
	again := openQueue(t, path, 16)
	var got []string
	for _, e := range drain(t, again, again.Len()) {
		got = append(got, e.TriggerID+"/"+e.Cursor)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("file holds %v, the queue held %v", got, want)
	}
}
