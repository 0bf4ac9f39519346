package sdk

import (
	"context"
	"fmt"
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
