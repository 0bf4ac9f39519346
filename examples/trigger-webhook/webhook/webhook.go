// Package webhook is a trigger plugin that declares the trigger kind
// "webhook": a workflow with
//
//	"trigger": {"webhook": {"path": "orders"}}
//
// fires once for each HTTP POST to /hooks/orders on the plugin's listen
// address, and its component gets the request body, byte for byte, as the
// raw trigger data. Nothing else of the request (headers, receive time,
// client address) reaches the event: operators who each receive the same
// POST emit the same bytes, so they sign the same event id.
//
// A POST is answered 202 Accepted only once its body is on disk for
// every trigger it fires (see spool.go), so an accepted hook survives a
// crash of the plugin or the node; it is delivered at least once. Each
// trigger numbers its events 1, 2, 3…: the cursor is that number in
// decimal, and a trigger added again with an acknowledged cursor resumes
// after it.
package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/sdk"
)

// Version of this plugin.
const Version = "0.1.0"

// Kind is the trigger kind the plugin declares.
const Kind = "webhook"

// Defaults and limits of the plugin's config.
const (
	DefaultListen     = "127.0.0.1:8787"
	DefaultMaxBody    = 64 << 10 // 64 KiB
	LimitMaxBody      = 1 << 20  // no body may be larger than 1 MiB
	DefaultMaxPending = 1024
)

// PathPattern is the form of a hook's path segment.
var PathPattern = regexp.MustCompile(`^[a-z0-9_-]{1,64}$`)

// Config is the plugin's own table, [plugins.trigger-webhook.config].
type Config struct {
	// Listen is the address hooks are posted to (default
	// 127.0.0.1:8787; port 0 picks a free one). Only loopback
	// addresses are taken: put a reverse proxy (TLS, authentication)
	// in front to take hooks from elsewhere.
	Listen string `json:"listen"`
	// MaxBody is the largest body taken, in bytes (default 64 KiB, at
	// most 1 MiB); a trigger may ask for less.
	MaxBody uint64 `json:"max_body"`
	// MaxPending bounds the accepted events the host has not
	// acknowledged yet (default 1024); past it a POST is answered 503.
	MaxPending int `json:"max_pending"`
}

// TriggerConfig is a webhook trigger's object in the service JSON.
type TriggerConfig struct {
	// Path is the segment after /hooks/.
	Path string `json:"path"`
	// MaxBody, if set, is the largest body this trigger takes (at most
	// the plugin's max_body).
	MaxBody *uint64 `json:"max_body,omitempty"`
}

// trigger is one added trigger.
type trigger struct {
	path    string
	maxBody uint64
	seq     uint64 // the last sequence number given out
}

// Webhook is the plugin.
type Webhook struct {
	log hclog.Logger
	// queue holds the events the host has not acknowledged; MaxPending
	// is enforced when a hook is taken, so reloading the spool never
	// waits on it.
	queue *sdk.EventQueue

	// ingest orders the taking of hooks and the adding and removing of
	// triggers: a trigger's events are numbered, stored and queued in
	// one order. It is taken before mu.
	ingest sync.Mutex

	mu       sync.Mutex
	cfg      Config
	spool    spool
	triggers map[string]*trigger
	srv      *http.Server
	addr     string
}

var _ sdk.Trigger = (*Webhook)(nil)

// New returns an unconfigured plugin.
func New(log hclog.Logger) *Webhook {
	return &Webhook{
		log:      log,
		queue:    sdk.NewEventQueue(1 << 30),
		cfg:      Config{Listen: DefaultListen, MaxBody: DefaultMaxBody, MaxPending: DefaultMaxPending},
		triggers: map[string]*trigger{},
	}
}

// Info implements sdk.Plugin.
func (w *Webhook) Info() sdk.Info {
	return sdk.Info{
		Name:        "trigger-webhook",
		Version:     Version,
		Kind:        sdk.KindTrigger,
		Description: "example plugin: the trigger kind webhook, fired by an HTTP POST to /hooks/<path> on 127.0.0.1",
		TriggerKinds: []sdk.TriggerKind{{
			Name:        Kind,
			Description: "fires once per HTTP POST to /hooks/<path>; the raw trigger data is the request body",
			Fields: []sdk.ConfigField{
				{Name: "path", Type: sdk.FieldString, Required: true, Description: "the URL path segment after /hooks/, matching " + PathPattern.String()},
				{Name: "max_body", Type: sdk.FieldInteger, Description: "the largest body this trigger takes, in bytes (default and most: the plugin's max_body)"},
			},
		}},
	}
}

// Configure implements sdk.Plugin: it reads the plugin's table and starts
// listening.
func (w *Webhook) Configure(ctx context.Context, req sdk.ConfigureRequest) error {
	cfg := Config{}
	if _, err := req.Section("plugin", &cfg); err != nil {
		return err
	}
	if cfg.Listen == "" {
		cfg.Listen = DefaultListen
	}
	if cfg.MaxBody == 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.MaxPending == 0 {
		cfg.MaxPending = DefaultMaxPending
	}
	if err := checkListen(cfg.Listen); err != nil {
		return err
	}
	if cfg.MaxBody > LimitMaxBody {
		return fmt.Errorf("%w: max_body = %d: at most %d", sdk.ErrInvalidArgument, cfg.MaxBody, LimitMaxBody)
	}
	if cfg.MaxPending < 0 {
		return fmt.Errorf("%w: max_pending = %d: want a positive number", sdk.ErrInvalidArgument, cfg.MaxPending)
	}
	var sp spool
	if req.DataDir != "" {
		sp.dir = filepath.Join(req.DataDir, "pending")
	}

	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("%w: listen on %s: %v", sdk.ErrUnavailable, cfg.Listen, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /hooks/{path}", w.handleHook)
	mux.HandleFunc("/hooks/{path}", func(rw http.ResponseWriter, _ *http.Request) {
		rw.Header().Set("Allow", http.MethodPost)
		reply(rw, http.StatusMethodNotAllowed, "hooks take POST")
	})
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}

	w.mu.Lock()
	old := w.srv
	w.cfg, w.spool, w.srv, w.addr = cfg, sp, srv, ln.Addr().String()
	w.mu.Unlock()
	if old != nil {
		_ = old.Close()
	}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			w.log.Error("hook server stopped", "error", err)
		}
	}()
	w.log.Info("listening for hooks", "address", "http://"+ln.Addr().String()+"/hooks/")
	return nil
}

// checkListen takes a loopback host:port only.
func checkListen(listen string) error {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return fmt.Errorf("%w: listen = %q: want host:port, e.g. %q", sdk.ErrInvalidArgument, listen, DefaultListen)
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return fmt.Errorf("%w: listen = %q: port %q is not a number from 0 to 65535", sdk.ErrInvalidArgument, listen, port)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%w: listen = %q: this plugin listens on loopback addresses only (127.0.0.0/8, ::1, localhost); put a reverse proxy in front of it to take hooks from other hosts", sdk.ErrInvalidArgument, listen)
	}
	return nil
}

// Addr is the address the plugin listens on ("" before Configure).
func (w *Webhook) Addr() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.addr
}

// Health implements sdk.Plugin: it reports the listen address.
func (w *Webhook) Health(context.Context) sdk.Health {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.srv == nil {
		return sdk.Health{Healthy: false, Message: "not configured: not listening yet"}
	}
	return sdk.Health{Healthy: true, Message: fmt.Sprintf("listening on http://%s/hooks/; %d triggers, %d events pending", w.addr, len(w.triggers), w.queue.Len())}
}

// Shutdown implements sdk.Plugin: it stops taking hooks. What was
// accepted stays on disk for the next start.
func (w *Webhook) Shutdown(ctx context.Context) error {
	w.mu.Lock()
	srv := w.srv
	w.srv = nil
	w.mu.Unlock()
	if srv == nil {
		return nil
	}
	if err := srv.Shutdown(ctx); err != nil {
		_ = srv.Close()
	}
	return nil
}

// ParseTriggerConfig reads a webhook trigger's config object and checks
// what the declared field types do not: the path's form and the body
// limit. Errors wrap sdk.ErrInvalidArgument and name the field.
func ParseTriggerConfig(raw json.RawMessage, maxBody uint64) (TriggerConfig, error) {
	var tc TriggerConfig
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&tc); err != nil {
		return tc, fmt.Errorf("%w: webhook config: %v", sdk.ErrInvalidArgument, err)
	}
	if !PathPattern.MatchString(tc.Path) {
		return tc, fmt.Errorf("%w: webhook path %q: want a URL path segment matching %s", sdk.ErrInvalidArgument, tc.Path, PathPattern)
	}
	if tc.MaxBody != nil && (*tc.MaxBody == 0 || *tc.MaxBody > maxBody) {
		return tc, fmt.Errorf("%w: webhook max_body %d: want 1 to %d (the plugin's max_body)", sdk.ErrInvalidArgument, *tc.MaxBody, maxBody)
	}
	return tc, nil
}

// parseCursor reads a cursor: a decimal sequence number ("" is 0).
func parseCursor(cursor string) (uint64, error) {
	if cursor == "" {
		return 0, nil
	}
	n, err := strconv.ParseUint(cursor, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: cursor %q: want a decimal sequence number", sdk.ErrInvalidArgument, cursor)
	}
	return n, nil
}

// AddTrigger implements sdk.Trigger. Events of the trigger still on disk
// after the cursor (those accepted but not acknowledged before a
// restart) are queued again; those at or before it are dropped.
func (w *Webhook) AddTrigger(_ context.Context, spec sdk.TriggerSpec) error {
	src, ok := spec.Source.(*sdk.KindSource)
	if !ok || src.Kind != Kind {
		return fmt.Errorf("%w: trigger %q: source %s: this plugin serves only the %q kind", sdk.ErrInvalidArgument, spec.ID, sdk.SourceKind(spec.Source), Kind)
	}
	w.mu.Lock()
	limit := w.cfg.MaxBody
	w.mu.Unlock()
	tc, err := ParseTriggerConfig(src.Config, limit)
	if err != nil {
		return fmt.Errorf("trigger %q: %w", spec.ID, err)
	}
	after, err := parseCursor(spec.Cursor)
	if err != nil {
		return fmt.Errorf("trigger %q: %w", spec.ID, err)
	}
	maxBody := limit
	if tc.MaxBody != nil {
		maxBody = *tc.MaxBody
	}

	w.ingest.Lock()
	defer w.ingest.Unlock()
	w.mu.Lock()
	old := w.triggers[spec.ID]
	sp := w.spool
	w.mu.Unlock()

	t := &trigger{path: tc.Path, maxBody: maxBody, seq: after}
	if err := sp.drop(spec.ID, after); err != nil {
		return fmt.Errorf("trigger %q: %w", spec.ID, err)
	}
	if old != nil {
		// The same trigger again in this process: its queued events
		// stay queued; those up to the cursor are done.
		t.seq = max(old.seq, after)
		w.queue.Ack(spec.ID, spec.Cursor)
	} else {
		stored, err := sp.load(spec.ID)
		if err != nil {
			return fmt.Errorf("trigger %q: %w", spec.ID, err)
		}
		for _, p := range stored {
			t.seq = max(t.seq, p.seq)
			if err := w.queue.Push(context.Background(), event(spec.ID, p.seq, p.body)); err != nil {
				return fmt.Errorf("trigger %q: %w", spec.ID, err)
			}
		}
		if len(stored) > 0 {
			w.log.Info("queued hooks accepted before a restart", "trigger", spec.ID, "events", len(stored))
		}
	}
	w.mu.Lock()
	w.triggers[spec.ID] = t
	w.mu.Unlock()
	w.log.Debug("trigger added", "trigger", spec.ID, "path", tc.Path, "max_body", maxBody, "after", after)
	return nil
}

func event(triggerID string, seq uint64, body []byte) sdk.TriggerEvent {
	return sdk.TriggerEvent{TriggerID: triggerID, Cursor: strconv.FormatUint(seq, 10), Data: &sdk.RawData{Data: body}}
}

// RemoveTrigger implements sdk.Trigger: the trigger's pending events are
// dropped, from the queue and from disk.
func (w *Webhook) RemoveTrigger(_ context.Context, id string) error {
	w.ingest.Lock()
	defer w.ingest.Unlock()
	w.mu.Lock()
	_, ok := w.triggers[id]
	delete(w.triggers, id)
	sp := w.spool
	w.mu.Unlock()
	if !ok {
		return fmt.Errorf("%w: trigger %q", sdk.ErrNotFound, id)
	}
	w.queue.Remove(id)
	return sp.remove(id)
}

// Events implements sdk.Trigger.
func (w *Webhook) Events(ctx context.Context) (<-chan sdk.TriggerEvent, error) {
	return w.queue.Stream(ctx), nil
}

// Ack implements sdk.Trigger: events up to the cursor leave the queue and
// the disk.
func (w *Webhook) Ack(_ context.Context, id, cursor string) error {
	seq, err := parseCursor(cursor)
	if err != nil {
		return fmt.Errorf("trigger %q: %w", id, err)
	}
	w.queue.Ack(id, cursor)
	w.mu.Lock()
	sp := w.spool
	w.mu.Unlock()
	return sp.drop(id, seq)
}

// target is a trigger a hook fires.
type target struct {
	id      string
	maxBody uint64
}

// handleHook takes POST /hooks/{path}: one event for each trigger with
// that path whose max_body the body fits.
func (w *Webhook) handleHook(rw http.ResponseWriter, r *http.Request) {
	path := r.PathValue("path")
	if !PathPattern.MatchString(path) {
		reply(rw, http.StatusNotFound, fmt.Sprintf("no hook at /hooks/%s: a hook path matches %s", path, PathPattern))
		return
	}
	targets := w.targets(path)
	if len(targets) == 0 {
		reply(rw, http.StatusNotFound, fmt.Sprintf("no trigger listens on /hooks/%s", path))
		return
	}
	limit := uint64(0)
	for _, t := range targets {
		limit = max(limit, t.maxBody)
	}
	body, err := io.ReadAll(http.MaxBytesReader(rw, r.Body, int64(limit)))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		reply(rw, http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is larger than %d bytes", limit))
		return
	case err != nil:
		reply(rw, http.StatusBadRequest, "reading the body: "+err.Error())
		return
	}
	n, code, err := w.take(path, body)
	if err != nil {
		if code == http.StatusServiceUnavailable {
			rw.Header().Set("Retry-After", "1")
		}
		w.log.Warn("hook not taken", "path", path, "bytes", len(body), "error", err)
		reply(rw, code, err.Error())
		return
	}
	w.log.Debug("hook taken", "path", path, "bytes", len(body), "events", n)
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(http.StatusAccepted)
	_ = json.NewEncoder(rw).Encode(map[string]int{"accepted": n})
}

// targets lists the triggers listening on path, in id order.
func (w *Webhook) targets(path string) []target {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []target
	for id, t := range w.triggers {
		if t.path == path {
			out = append(out, target{id: id, maxBody: t.maxBody})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

// take numbers, stores and queues one event per trigger of path that
// takes a body this large; it returns how many, or the HTTP status and
// error to answer.
func (w *Webhook) take(path string, body []byte) (int, int, error) {
	w.ingest.Lock()
	defer w.ingest.Unlock()
	// The triggers again: one may have gone while the body was read.
	var fits []target
	for _, t := range w.targets(path) {
		if uint64(len(body)) <= t.maxBody {
			fits = append(fits, t)
		}
	}
	if len(fits) == 0 {
		return 0, http.StatusRequestEntityTooLarge, fmt.Errorf("no trigger on /hooks/%s takes a body of %d bytes", path, len(body))
	}
	w.mu.Lock()
	sp, maxPending := w.spool, w.cfg.MaxPending
	w.mu.Unlock()
	if w.queue.Len()+len(fits) > maxPending {
		return 0, http.StatusServiceUnavailable, fmt.Errorf("%d events wait for the node already (max_pending = %d); try again", w.queue.Len(), maxPending)
	}
	for i, t := range fits {
		w.mu.Lock()
		tr, ok := w.triggers[t.id]
		seq := uint64(0)
		if ok {
			seq = tr.seq + 1
		}
		w.mu.Unlock()
		if !ok {
			continue // removal waits for ingest, so this cannot happen; be safe
		}
		if err := sp.put(t.id, seq, body); err != nil {
			// The events queued before this one stay queued: a client
			// that posts again makes the same event ids, which the
			// node handles once.
			return i, http.StatusInternalServerError, err
		}
		w.mu.Lock()
		tr.seq = seq
		w.mu.Unlock()
		if err := w.queue.Push(context.Background(), event(t.id, seq, body)); err != nil {
			return i, http.StatusInternalServerError, err
		}
	}
	return len(fits), 0, nil
}

// reply writes a JSON error answer.
func reply(rw http.ResponseWriter, code int, msg string) {
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(code)
	_ = json.NewEncoder(rw).Encode(map[string]string{"error": msg})
}
