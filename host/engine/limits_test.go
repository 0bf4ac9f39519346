package engine_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wavs-go/wavs/host/engine"
	"github.com/wavs-go/wavs/host/service"
)

// margin is how long after its limit a failing execution may end.
const margin = 500 * time.Millisecond

// TestLimitsHold runs each hostile component and checks that it ends with
// the right cause, within its time limit plus a margin.
func TestLimitsHold(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write([]byte("secret"))
	}))
	defer srv.Close()

	fetch := func(p service.HostPolicy) func(*engine.Request) {
		return func(r *engine.Request) {
			r.Config = map[string]string{"url": srv.URL}
			r.HTTP = p
		}
	}

	e := newEngine(t, engine.Options{MaxMemoryPages: 512, MaxConcurrent: 2})
	trap, err := e.AddComponent(context.Background(), wasmModule{body: []byte{opUnreachable}}.assemble())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		component string
		digest    string
		limit     time.Duration
		setup     func(*engine.Request)
		cause     engine.Cause
		msg       []string
	}{
		{component: "loop", limit: time.Second, cause: engine.CauseTimeout, msg: []string{"time limit of 1s"}},
		{component: "sleep", limit: time.Second, cause: engine.CauseTimeout, msg: []string{"time limit of 1s"}},
		{component: "memhog", limit: 10 * time.Second, cause: engine.CauseMemory, msg: []string{"limit of 512 pages (32 MiB)"}},
		{component: "bigout", limit: 10 * time.Second, cause: engine.CauseOutputTooLarge, msg: []string{"output exceeds 1048576 bytes"}},
		{component: "panic", limit: 10 * time.Second, cause: engine.CauseComponent, msg: []string{"exited with code 2", "panic: boom"}},
		{component: "trap", digest: trap, limit: 10 * time.Second, cause: engine.CauseTrap, msg: []string{"unreachable"}},
		{component: "http-fetch", limit: 10 * time.Second, cause: engine.CauseDeniedHost, msg: []string{`refused host "127.0.0.1"`, "allowed: none"},
			setup: fetch(service.AllowNoHosts())},
		{component: "http-fetch", limit: 10 * time.Second, cause: engine.CauseDeniedHost, msg: []string{`refused host "127.0.0.1"`, "allowed: example.com"},
			setup: fetch(service.AllowOnlyHosts("example.com"))},
	}
	// Each Go component runs as a command and, built as a reactor, from
	// its snapshot.
	for _, sh := range shapes {
		for _, tt := range tests {
			if tt.digest != "" && sh.name != "command" {
				continue
			}
			if tt.digest == "" {
				tt.digest = addWasm(t, e, sh.wasm(t, tt.component))
			}
			t.Run(sh.name+"/"+tt.component+"/"+tt.cause.String(), func(t *testing.T) {
				r := rawRequest(tt.digest, "")
				r.TimeLimit = tt.limit
				if tt.setup != nil {
					tt.setup(&r)
				}
				var err error
				took := timed(func() { _, err = e.Execute(context.Background(), r) })
				wantCause(t, err, tt.cause, tt.msg...)
				if took > tt.limit+margin {
					t.Errorf("took %v, limit %v", took, tt.limit)
				}
				t.Logf("%v after %v", err, took.Round(time.Millisecond))
			})
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the server got %d requests from components denied its host", n)
	}
}

// TestHostileDoesNotDisturbOthers: while a component loops until its
// time limit, other executions complete normally and quickly.
func TestHostileDoesNotDisturbOthers(t *testing.T) {
	e := newEngine(t, engine.Options{MaxConcurrent: 2})
	loop, square := add(t, e, "loop"), add(t, e, "echo-square")
	var wg sync.WaitGroup
	var loopErr error
	started := time.Now()
	wg.Add(1)
	go func() {
		defer wg.Done()
		r := rawRequest(loop, "")
		r.ServiceID = otherServiceID // the hog is another service
		r.TimeLimit = 2 * time.Second
		_, loopErr = e.Execute(context.Background(), r)
	}()
	time.Sleep(100 * time.Millisecond) // let the loop start
	for i := range 5 {
		r := rawRequest(square, "9")
		r.TimeLimit = time.Second
		var resps []engine.Response
		var err error
		took := timed(func() { resps, err = e.Execute(context.Background(), r) })
		if err != nil {
			t.Fatalf("execution %d beside a looping component: %v", i, err)
		}
		if resps[0].Payload[31] != 81 {
			t.Fatalf("execution %d: payload %x", i, resps[0].Payload)
		}
		if took > 500*time.Millisecond {
			t.Errorf("execution %d beside a looping component took %v", i, took)
		}
	}
	if time.Since(started) > 1500*time.Millisecond {
		t.Errorf("the good executions did not run while the loop did")
	}
	wg.Wait()
	wantCause(t, loopErr, engine.CauseTimeout)
}

// TestHostFunctionsRefuseBadArguments: out-of-bounds pointers and
// oversized keys and values are error returns, never host panics or traps.
func TestHostFunctionsRefuseBadArguments(t *testing.T) {
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) { testHostFunctionsRefuseBadArguments(t, sh.wasm(t, "badptr")) })
	}
}

func testHostFunctionsRefuseBadArguments(t *testing.T, badptr []byte) {
	logs := &logBuffer{}
	e := newEngine(t, engine.Options{KV: newMemKV(), Logger: testLogger(logs)})
	resps, err := e.Execute(context.Background(), rawRequest(addWasm(t, e, badptr), ""))
	if err != nil {
		t.Fatal(err)
	}
	calls := []string{"kv_get(bad ptr)", "kv_set(bad value)", "kv_get(2 KiB key)", "kv_set(2 MiB value)", "http_fetch(bad ptr)", "result_read(bad ptr)", "kv_get(empty key)"}
	for i, c := range calls {
		if code := string(resps[i].Payload); !strings.HasPrefix(code, "-") || code == "-1" {
			t.Errorf("%s returned %s, want an error code <= -2", c, code)
		}
	}
	if msg := string(resps[len(resps)-1].Payload); msg != "kv_get: key is empty" {
		t.Errorf("staged message %q", msg)
	}
	if !strings.Contains(logs.String(), "out of bounds") {
		t.Errorf("log() with a bad pointer was not reported:\n%s", logs)
	}
}

func TestConcurrencyIsBounded(t *testing.T) {
	e := newEngine(t, engine.Options{MaxConcurrent: 1})
	sleep, square := add(t, e, "sleep"), add(t, e, "echo-square")
	done := make(chan error, 1)
	go func() {
		r := rawRequest(sleep, "")
		r.TimeLimit = time.Second
		_, err := e.Execute(context.Background(), r)
		done <- err
	}()
	time.Sleep(100 * time.Millisecond) // the sleeper holds the only slot

	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Execute(cancelled, rawRequest(square, "2")); !errors.Is(err, context.Canceled) || engine.CauseOf(err) != 0 {
		t.Fatalf("with a cancelled context: %v, want context.Canceled", err)
	}
	short, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := e.Execute(short, rawRequest(square, "2")); !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "waiting for an execution slot") {
		t.Fatalf("waiting past the context's deadline: %v", err)
	}
	// A patient caller waits for the slot and then runs.
	var resps []engine.Response
	var err error
	took := timed(func() { resps, err = e.Execute(context.Background(), rawRequest(square, "2")) })
	if err != nil || resps[0].Payload[31] != 4 {
		t.Fatalf("after waiting: %v, %v", resps, err)
	}
	if took < 400*time.Millisecond {
		t.Errorf("ran after %v: it did not wait for the sleeper's slot", took)
	}
	wantCause(t, <-done, engine.CauseTimeout)
}

func TestHTTPPolicy(t *testing.T) {
	var targetHits atomic.Int32
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":"):]
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) { w.Write(make([]byte, 2048)) })
	mux.HandleFunc("/to-localhost", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://localhost"+port+"/target", http.StatusFound)
	})
	mux.HandleFunc("/target", func(w http.ResponseWriter, r *http.Request) { targetHits.Add(1) })
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})

	e := newEngine(t, engine.Options{MaxHTTPBodyBytes: 1024, Outbound: allowLoopback(t)})
	d := add(t, e, "http-fetch")
	tests := []struct {
		path   string
		policy service.HostPolicy
		limit  time.Duration
		cause  engine.Cause
		msg    string
	}{
		{"/ok", service.AllowAllHosts(), 0, 0, ""},
		{"/ok", service.AllowOnlyHosts("example.com", "127.0.0.1"), 0, 0, ""},
		{"/big", service.AllowAllHosts(), 0, engine.CauseComponent, "response body exceeds 1024 bytes"},
		{"/to-localhost", service.AllowOnlyHosts("127.0.0.1"), 0, engine.CauseDeniedHost, `redirect refused: host "localhost"`},
		{"/loop", service.AllowAllHosts(), 0, engine.CauseComponent, "stopped after 5 redirects"},
		{"/slow", service.AllowAllHosts(), 500 * time.Millisecond, engine.CauseTimeout, "time limit"},
	}
	for _, tt := range tests {
		t.Run(tt.path+"/"+tt.policy.String(), func(t *testing.T) {
			r := rawRequest(d, "")
			r.Config = map[string]string{"url": srv.URL + tt.path}
			r.HTTP = tt.policy
			r.TimeLimit = tt.limit
			var resps []engine.Response
			var err error
			took := timed(func() { resps, err = e.Execute(context.Background(), r) })
			if tt.cause == 0 {
				if err != nil || string(resps[0].Payload) != "ok" {
					t.Fatalf("got %v, %v", resps, err)
				}
				return
			}
			wantCause(t, err, tt.cause, tt.msg)
			if tt.limit > 0 && took > tt.limit+margin {
				t.Errorf("took %v, limit %v", took, tt.limit)
			}
		})
	}
	if n := targetHits.Load(); n != 0 {
		t.Errorf("a redirect to a denied host was followed %d times", n)
	}
}
