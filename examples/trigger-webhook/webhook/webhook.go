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
// A POST is answered 202 Accepted only once it is in the plugin's event
// queue file, <data folder>/pending.json (sdk.OpenEventQueue), as one
// event for every trigger it fires: an accepted hook survives a crash of
// the plugin or the node, and is delivered at least once. Each trigger
// numbers its events 1, 2, 3…: the cursor is that number in decimal. After
// a restart a trigger numbers on from above both the cursor the host
// acknowledged and its events still pending in the file.
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

// QueueFile is the name of the event queue's file in the data folder.
const QueueFile = "pending.json"

// trigger is one added trigger.
type trigger struct {
	path    string
	maxBody uint64
	seq     uint64 // the last sequence number given out
}

// Webhook is the plugin.
type Webhook struct {
	log hclog.Logger

	// ingest orders the taking of hooks and the adding and removing of
	// triggers: a trigger's events are numbered and queued in one order.
	// It is taken before mu.
	ingest sync.Mutex

	mu  sync.Mutex
	cfg Config
	// queue holds the events the host has not acknowledged, in
	// QueueFile; in memory until Configure gives a data folder.
	// MaxPending is enforced when a hook is taken, so Push never waits.
	queue *sdk.EventQueue
	// stored is, per trigger, the highest sequence number among the
	// events the queue file held when it was opened.
	stored   map[string]uint64
	triggers map[string]*trigger
	srv      *http.Server
	addr     string
}

var _ sdk.Trigger = (*Webhook)(nil)

// New returns an unconfigured plugin.
func New(log hclog.Logger) *Webhook {
	return &Webhook{
		log:      log,
		queue:    sdk.NewEventQueue(DefaultMaxPending),
		cfg:      Config{Listen: DefaultListen, MaxBody: DefaultMaxBody, MaxPending: DefaultMaxPending},
		stored:   map[string]uint64{},
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

// Configure implements sdk.Plugin: it reads the plugin's table, opens the
// event queue file and starts listening.
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

	w.ingest.Lock()
	defer w.ingest.Unlock()
	// One queue per file: an earlier Configure's queue closes first (its
	// streams end; the host opens a new one).
	w.mu.Lock()
	_ = w.queue.Close()
	w.mu.Unlock()
	queue := sdk.NewEventQueue(cfg.MaxPending)
	if req.DataDir != "" {
		var err error
		if queue, err = sdk.OpenEventQueue(filepath.Join(req.DataDir, QueueFile), cfg.MaxPending); err != nil {
			return err
		}
	}
	stored := lastSeqs(queue)

	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		_ = queue.Close()
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
	w.cfg, w.queue, w.stored, w.srv, w.addr = cfg, queue, stored, srv, ln.Addr().String()
	w.mu.Unlock()
	if old != nil {
		_ = old.Close()
	}
	if n := queue.Len(); n > 0 {
		w.log.Info("hooks accepted before a restart wait for the node", "events", n)
	}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			w.log.Error("hook server stopped", "error", err)
		}
	}()
	w.log.Info("listening for hooks", "address", "http://"+ln.Addr().String()+"/hooks/")
	return nil
}

// lastSeqs returns, per trigger, the highest sequence number among the
// events q holds, read from a stream of q (which starts with every pending
// event) before anything else uses q.
func lastSeqs(q *sdk.EventQueue) map[string]uint64 {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events := q.Stream(ctx)
	out := map[string]uint64{}
	for range q.Len() {
		ev, ok := <-events
		if !ok {
			break
		}
		if n, err := parseCursor(ev.Cursor); err == nil {
			out[ev.TriggerID] = max(out[ev.TriggerID], n)
		}
	}
	return out
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

// Shutdown implements sdk.Plugin: it stops taking hooks and closes the
// queue. What was accepted and not acknowledged stays in the queue file
// for the next start.
func (w *Webhook) Shutdown(ctx context.Context) error {
	w.mu.Lock()
	srv, queue := w.srv, w.queue
	w.srv = nil
	w.mu.Unlock()
	if srv != nil {
		if err := srv.Shutdown(ctx); err != nil {
			_ = srv.Close()
		}
	}
	return queue.Close()
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

// AddTrigger implements sdk.Trigger. The trigger's pending events up to
// the cursor are done (their acks may not have reached the queue file
// before a restart); those after it stay queued. New events are numbered
// from above the cursor and every pending event of the trigger.
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
	seq := max(after, w.stored[spec.ID])
	if old := w.triggers[spec.ID]; old != nil {
		seq = max(seq, old.seq)
	}
	w.triggers[spec.ID] = &trigger{path: tc.Path, maxBody: maxBody, seq: seq}
	queue := w.queue
	w.mu.Unlock()
	queue.Ack(spec.ID, spec.Cursor)
	w.log.Debug("trigger added", "trigger", spec.ID, "path", tc.Path, "max_body", maxBody, "after", after, "next", seq+1)
	return nil
}

func event(triggerID string, seq uint64, body []byte) sdk.TriggerEvent {
	return sdk.TriggerEvent{TriggerID: triggerID, Cursor: strconv.FormatUint(seq, 10), Data: &sdk.RawData{Data: body}}
}

// RemoveTrigger implements sdk.Trigger: the trigger's pending events are
// dropped, from the queue and its file.
func (w *Webhook) RemoveTrigger(_ context.Context, id string) error {
	w.ingest.Lock()
	defer w.ingest.Unlock()
	w.mu.Lock()
	_, ok := w.triggers[id]
	delete(w.triggers, id)
	delete(w.stored, id)
	queue := w.queue
	w.mu.Unlock()
	if !ok {
		return fmt.Errorf("%w: trigger %q", sdk.ErrNotFound, id)
	}
	queue.Remove(id)
	return nil
}

// events is the queue in use.
func (w *Webhook) events() *sdk.EventQueue {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.queue
}

// Events implements sdk.Trigger.
func (w *Webhook) Events(ctx context.Context) (<-chan sdk.TriggerEvent, error) {
	return w.events().Stream(ctx), nil
}

// Ack implements sdk.Trigger: events up to the cursor leave the queue and
// its file.
func (w *Webhook) Ack(_ context.Context, id, cursor string) error {
	if _, err := parseCursor(cursor); err != nil {
		return fmt.Errorf("trigger %q: %w", id, err)
	}
	w.events().Ack(id, cursor)
	return nil
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
	n, code, err := w.take(r.Context(), path, body)
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

// take numbers and queues one event per trigger of path that takes a
// body this large; it returns how many, or the HTTP status and error to
// answer. Push returns once the event is in the queue file.
func (w *Webhook) take(ctx context.Context, path string, body []byte) (int, int, error) {
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
	queue, maxPending := w.queue, w.cfg.MaxPending
	w.mu.Unlock()
	if n := queue.Len(); n+len(fits) > maxPending {
		return 0, http.StatusServiceUnavailable, fmt.Errorf("%d events wait for the node already (max_pending = %d); try again", n, maxPending)
	}
	for i, t := range fits {
		w.mu.Lock()
		tr := w.triggers[t.id]
		w.mu.Unlock()
		if tr == nil {
			continue // removal waits for ingest, so this cannot happen; be safe
		}
		seq := tr.seq + 1
		if err := queue.Push(ctx, event(t.id, seq, body)); err != nil {
			// The events queued before this one stay queued: a client
			// that posts again makes the same event ids, which the
			// node handles once.
			return i, http.StatusInternalServerError, err
		}
		w.mu.Lock()
		tr.seq = seq
		w.mu.Unlock()
	}
	return len(fits), 0, nil
}

// reply writes a JSON error answer.
func reply(rw http.ResponseWriter, code int, msg string) {
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(code)
	_ = json.NewEncoder(rw).Encode(map[string]string{"error": msg})
}
