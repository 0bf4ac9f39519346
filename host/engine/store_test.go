package engine_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wavs-go/wavs/host/engine"
	"github.com/wavs-go/wavs/sdk"
)

var sdkCron = sdk.CronTick{Time: time.Unix(1700000000, 0)}

func TestContentAddressing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	e := newEngine(t, engine.Options{ComponentsDir: dir})
	wasm := component(t, "echo-square")
	sum := sha256.Sum256(wasm)
	want := hex.EncodeToString(sum[:])

	d1, err := e.AddComponent(ctx, wasm)
	if err != nil {
		t.Fatal(err)
	}
	d2, err := e.AddComponent(ctx, wasm)
	if err != nil || d1 != d2 || d1 != want {
		t.Fatalf("digests %s, %s (%v), want %s twice", d1, d2, err, want)
	}
	if stored, err := os.ReadFile(filepath.Join(dir, want+".wasm")); err != nil || string(stored) != string(wasm) {
		t.Fatalf("stored component: %v", err)
	}
	if !e.HasComponent(want) {
		t.Fatal("HasComponent is false for an added component")
	}

	t.Run("a restarted engine runs stored components without adding them", func(t *testing.T) {
		e2 := newEngine(t, engine.Options{ComponentsDir: dir})
		if !e2.HasComponent(want) {
			t.Fatal("HasComponent is false for a stored component")
		}
		resps, err := e2.Execute(ctx, rawRequest(want, "3"))
		if err != nil || resps[0].Payload[31] != 9 {
			t.Fatalf("got %v, %v", resps, err)
		}
	})

	t.Run("unknown digest", func(t *testing.T) {
		unknown := strings.Repeat("0", 64)
		if e.HasComponent(unknown) {
			t.Fatal("HasComponent is true for an unknown digest")
		}
		_, err := e.Execute(ctx, rawRequest(unknown, ""))
		wantCause(t, err, engine.CauseNotFound, unknown)
	})

	t.Run("a corrupt stored file is refused", func(t *testing.T) {
		dir := t.TempDir()
		bad := filepath.Join(dir, want+".wasm")
		if err := os.WriteFile(bad, []byte("not what was stored"), 0o644); err != nil {
			t.Fatal(err)
		}
		e := newEngine(t, engine.Options{ComponentsDir: dir})
		_, err := e.Execute(ctx, rawRequest(want, ""))
		wantCause(t, err, engine.CauseInvalid, "corrupt")
		// Adding the real bytes repairs it.
		if _, err := e.AddComponent(ctx, wasm); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Execute(ctx, rawRequest(want, "1")); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("memory-only engine", func(t *testing.T) {
		e, err := engine.New(ctx, engine.Options{CacheDir: cacheDir})
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close(ctx)
		d, err := e.AddComponent(ctx, wasm)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Execute(ctx, rawRequest(d, "1")); err != nil {
			t.Fatal(err)
		}
	})
}

func TestAddComponentRefusesNonComponents(t *testing.T) {
	e := newEngine(t, engine.Options{MaxMemoryPages: 100})
	tests := []struct {
		name string
		wasm []byte
		msg  string
	}{
		{"not wasm", []byte("#!/bin/sh\necho hi\n"), "not a valid WebAssembly module"},
		{"empty", nil, "not a valid WebAssembly module"},
		{"no _start (a reactor or library)", wasmModule{noStart: true}.assemble(), "does not export _start"},
		{"no memory export", wasmModule{noMemory: true}.assemble(), `does not export its memory as "memory"`},
		{"foreign import", wasmModule{envImport: true}.assemble(), "imports env.foo"},
		{"memory over the limit", wasmModule{memPages: 101}.assemble(), "starts at 101 pages, more than the limit of 100"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := e.AddComponent(context.Background(), tt.wasm)
			wantCause(t, err, engine.CauseInvalid, tt.msg)
			if d != "" {
				t.Errorf("digest %q for a refused component", d)
			}
		})
	}
}

func TestRequestValidation(t *testing.T) {
	e := newEngine(t, engine.Options{})
	d, err := e.AddComponent(context.Background(), writerModule(`{"responses":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		edit func(*engine.Request)
		msg  string
	}{
		{"bad digest", func(r *engine.Request) { r.Digest = "../../etc/passwd" }, "digest"},
		{"uppercase digest", func(r *engine.Request) { r.Digest = strings.ToUpper(d) }, "digest"},
		{"short service id", func(r *engine.Request) { r.ServiceID = "abc" }, "service id"},
		{"no workflow", func(r *engine.Request) { r.WorkflowID = "" }, "workflow id"},
		{"no trigger", func(r *engine.Request) { r.Trigger = engine.Trigger{} }, "none of"},
		{"two triggers", func(r *engine.Request) { r.Trigger.Raw = []byte{}; r.Trigger.Cron = &sdkCron }, "2 kinds"},
		{"negative time limit", func(r *engine.Request) { r.TimeLimit = -time.Second }, "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rawRequest(d, "")
			tt.edit(&r)
			_, err := e.Execute(context.Background(), r)
			wantCause(t, err, engine.CauseInvalid, tt.msg)
		})
	}
}

func TestClose(t *testing.T) {
	ctx := context.Background()
	e, err := engine.New(ctx, engine.Options{CacheDir: cacheDir, ComponentsDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	d, err := e.AddComponent(ctx, component(t, "sleep"))
	if err != nil {
		t.Fatal(err)
	}
	// Close waits for a running execution (here until its time limit).
	done := make(chan error, 1)
	go func() {
		r := rawRequest(d, "")
		r.TimeLimit = 300 * time.Millisecond
		_, err := e.Execute(ctx, r)
		done <- err
	}()
	time.Sleep(100 * time.Millisecond)
	if err := e.Close(ctx); err != nil {
		t.Fatal(err)
	}
	wantCause(t, <-done, engine.CauseTimeout)
	if _, err := e.Execute(ctx, rawRequest(d, "")); !errors.Is(err, engine.ErrClosed) {
		t.Fatalf("Execute after Close: %v", err)
	}
	if _, err := e.AddComponent(ctx, component(t, "sleep")); !errors.Is(err, engine.ErrClosed) {
		t.Fatalf("AddComponent after Close: %v", err)
	}
	if err := e.Close(ctx); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

// TestCloseStopsRunaways: a Close whose context ends stops what still runs.
func TestCloseStopsRunaways(t *testing.T) {
	ctx := context.Background()
	e, err := engine.New(ctx, engine.Options{CacheDir: cacheDir, ComponentsDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	d, err := e.AddComponent(ctx, component(t, "loop"))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := e.Execute(ctx, rawRequest(d, "")) // 30 s limit
		done <- err
	}()
	time.Sleep(100 * time.Millisecond)
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	took := timed(func() { e.Close(short) })
	if err := <-done; !errors.Is(err, engine.ErrClosed) {
		t.Fatalf("a looping execution ended with %v, want ErrClosed", err)
	}
	if took > time.Second {
		t.Errorf("Close took %v", took)
	}
}
