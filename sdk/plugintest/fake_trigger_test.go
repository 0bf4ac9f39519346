package plugintest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/plugintest"
)

// triggerBugs break a fakeTrigger on purpose, one way each.
type triggerBugs struct {
	shutdownError bool // Shutdown fails
	shutdownHang  bool // Shutdown never returns
	leakPort      bool // Shutdown returns nil but keeps listening
	lenientConfig bool // unknown keys in the plugin section are ignored
	vagueConfig   bool // config errors do not name the section
	strictTop     bool // sections the plugin does not read are refused
	deaf          bool // POSTs are answered but never become events
	replayAll     bool // every event ever accepted comes back after a restart, acked or not
	clockInData   bool // the event data holds the time it was received
	badInfo       bool // Info declares a trigger kind with an invalid name
}

// fakeTrigger is a webhook trigger plugin: a POST of a body to
// /fire/<trigger id> on its 127.0.0.1 listener becomes an event of that
// trigger carrying the body as RawData. It listens on the port of its
// config (0, the default, picks a free one) from Configure to Shutdown.
// persistent keeps pending events in DataDir with sdk.OpenEventQueue.
type fakeTrigger struct {
	persistent bool
	bugs       triggerBugs
	version    string

	mu       sync.Mutex
	queue    *sdk.EventQueue
	journal  *sdk.EventQueue // replayAll only
	triggers map[string]bool
	ln       net.Listener
	srv      *http.Server
	last     int64
}

func newFakeTrigger(persistent bool, bugs triggerBugs) *fakeTrigger {
	return &fakeTrigger{persistent: persistent, bugs: bugs, version: "1.0.0", triggers: map[string]bool{}, queue: sdk.NewEventQueue(1)}
}

var _ sdk.Trigger = (*fakeTrigger)(nil)

const fakeKind = "fake_webhook"

func (f *fakeTrigger) Info() sdk.Info {
	kind := sdk.TriggerKind{Name: fakeKind, Description: "a POST to /fire/<trigger id>", Fields: []sdk.ConfigField{{Name: "note", Type: sdk.FieldString}}}
	if f.bugs.badInfo {
		kind.Name = "Fake Webhook"
	}
	return sdk.Info{Name: "fake-trigger", Version: f.version, Kind: sdk.KindTrigger, TriggerKinds: []sdk.TriggerKind{kind}}
}

type fakeConfig struct {
	Port int `json:"port"`
}

// readConfig reads the plugin section, the right way or a broken one.
func readConfig(req sdk.ConfigureRequest, bugs triggerBugs) (fakeConfig, error) {
	var cfg fakeConfig
	switch {
	case bugs.lenientConfig:
		var parts struct {
			Plugin *fakeConfig `json:"plugin"`
		}
		if err := jsonUnmarshal(req.Config, &parts); err != nil {
			return cfg, fmt.Errorf("%w: %v", sdk.ErrInvalidArgument, err)
		}
		if parts.Plugin != nil {
			cfg = *parts.Plugin
		}
		return cfg, nil
	case bugs.strictTop:
		var parts struct {
			Plugin, Chains, P2P any
		}
		if err := decodeStrict(req.Config, &parts); err != nil {
			return cfg, fmt.Errorf("%w: %v", sdk.ErrInvalidArgument, err)
		}
	}
	if _, err := req.Section("plugin", &cfg); err != nil {
		if bugs.vagueConfig {
			return cfg, fmt.Errorf("%w: bad configuration", sdk.ErrInvalidArgument)
		}
		return cfg, err
	}
	return cfg, nil
}

func (f *fakeTrigger) Configure(_ context.Context, req sdk.ConfigureRequest) error {
	cfg, err := readConfig(req, f.bugs)
	if err != nil {
		return err
	}
	var queue, journal *sdk.EventQueue
	switch {
	case f.bugs.replayAll:
		// Events are kept in a journal that acks never reach, and all of
		// it comes back at the next start.
		if journal, err = sdk.OpenEventQueue(filepath.Join(req.DataDir, "journal.json"), 1<<12); err != nil {
			return err
		}
		queue = sdk.NewEventQueue(256)
		ctx, cancel := context.WithCancel(context.Background())
		s := journal.Stream(ctx)
		for range journal.Len() {
			if err := queue.Push(ctx, <-s); err != nil {
				cancel()
				return err
			}
		}
		cancel()
	case f.persistent:
		if queue, err = sdk.OpenEventQueue(filepath.Join(req.DataDir, "events.json"), 256); err != nil {
			return err
		}
	default:
		queue = sdk.NewEventQueue(256)
	}
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", cfg.Port))
	if err != nil {
		queue.Close()
		return fmt.Errorf("listen: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /fire/{id}", f.serveFire)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	f.mu.Lock()
	f.queue, f.journal, f.ln, f.srv = queue, journal, ln, srv
	f.mu.Unlock()
	return nil
}

// URL is where the instance takes POSTs.
func (f *fakeTrigger) URL() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.ln == nil {
		return ""
	}
	return "http://" + f.ln.Addr().String()
}

func (f *fakeTrigger) serveFire(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	id := r.PathValue("id")
	f.mu.Lock()
	if !f.triggers[id] {
		f.mu.Unlock()
		http.Error(w, "no such trigger", http.StatusNotFound)
		return
	}
	// Cursors: receive times, made strictly increasing.
	f.last = max(time.Now().UnixNano(), f.last+1)
	ev := sdk.TriggerEvent{TriggerID: id, Cursor: fmt.Sprintf("%020d", f.last), Data: &sdk.RawData{Data: body}}
	if f.bugs.clockInData {
		ev.Data = &sdk.RawData{Data: fmt.Appendf(body, " received at %d", f.last)}
	}
	queue, journal := f.queue, f.journal
	f.mu.Unlock()
	if f.bugs.deaf {
		return
	}
	// Answer only once the event is kept: the sender retries otherwise.
	if err := queue.Push(r.Context(), ev); err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	if journal != nil {
		if err := journal.Push(r.Context(), ev); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
	}
}

func (f *fakeTrigger) Health(context.Context) sdk.Health {
	if f.URL() == "" {
		return sdk.Health{Message: "not configured"}
	}
	return sdk.Health{Healthy: true}
}

func (f *fakeTrigger) Shutdown(ctx context.Context) error {
	if f.bugs.shutdownHang {
		select {} // never returns, whatever ctx says
	}
	f.mu.Lock()
	srv, queue, journal := f.srv, f.queue, f.journal
	f.srv = nil
	f.mu.Unlock()
	var errs []error
	if srv != nil && !f.bugs.leakPort {
		errs = append(errs, srv.Shutdown(ctx))
	}
	errs = append(errs, queue.Close())
	if journal != nil {
		errs = append(errs, journal.Close())
	}
	if f.bugs.shutdownError {
		errs = append(errs, errors.New("fake: could not close the listener"))
	}
	return errors.Join(errs...)
}

func (f *fakeTrigger) AddTrigger(_ context.Context, spec sdk.TriggerSpec) error {
	src, ok := spec.Source.(*sdk.KindSource)
	if !ok || src.Kind != fakeKind {
		return fmt.Errorf("%w: trigger %q: this plugin serves only %s", sdk.ErrInvalidArgument, spec.ID, fakeKind)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.triggers[spec.ID] = true
	// Events the host acked before a restart may still be in the file
	// (its ack did not reach it): the cursor says they are done.
	if spec.Cursor != "" && !f.bugs.replayAll {
		f.queue.Ack(spec.ID, spec.Cursor)
	}
	return nil
}

func (f *fakeTrigger) RemoveTrigger(_ context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.triggers[id] {
		return fmt.Errorf("%w: trigger %q", sdk.ErrNotFound, id)
	}
	delete(f.triggers, id)
	f.queue.Remove(id)
	return nil
}

func (f *fakeTrigger) q() *sdk.EventQueue {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.queue
}

func (f *fakeTrigger) Events(ctx context.Context) (<-chan sdk.TriggerEvent, error) {
	return f.q().Stream(ctx), nil
}

func (f *fakeTrigger) Ack(_ context.Context, id, cursor string) error {
	f.q().Ack(id, cursor)
	return nil
}

// fakeSpec is a spec of the fake's kind.
func fakeSpec(id string) sdk.TriggerSpec {
	return sdk.TriggerSpec{ID: id, Source: &sdk.KindSource{Kind: fakeKind, Config: []byte(`{"note":"plugintest"}`)}}
}

// fakeFire POSTs to the instance's own listener; each instance counts its
// firings of each trigger, so two instances fired alike get equal bodies.
func fakeFire() func(t *testing.T, p sdk.Trigger, spec sdk.TriggerSpec) {
	var mu sync.Mutex
	counts := map[*fakeTrigger]map[string]int{}
	return func(t *testing.T, p sdk.Trigger, spec sdk.TriggerSpec) {
		t.Helper()
		f, ok := p.(*fakeTrigger)
		if !ok {
			t.Fatalf("Fire got a %T, want the *fakeTrigger newPlugin returned", p)
		}
		mu.Lock()
		if counts[f] == nil {
			counts[f] = map[string]int{}
		}
		counts[f][spec.ID]++
		n := counts[f][spec.ID]
		mu.Unlock()
		url := f.URL()
		if url == "" {
			t.Fatalf("Fire: instance not configured")
		}
		resp, err := fireClient.Post(url+"/fire/"+spec.ID, "text/plain", strings.NewReader(fmt.Sprintf("%s fired %d", spec.ID, n)))
		if err != nil {
			t.Logf("Fire: %v", err)
			return
		}
		resp.Body.Close()
	}
}

var fireClient = &http.Client{Timeout: 5 * time.Second}

// fakeTriggerOptions are the suite options for the fake.
func fakeTriggerOptions(persistent bool, config string) plugintest.TriggerOptions {
	return plugintest.TriggerOptions{
		Config:       []byte(config),
		Spec:         fakeSpec,
		Fire:         fakeFire(),
		EventTimeout: 2 * time.Second,
		Persistent:   persistent,
	}
}
