package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"example.com/wavs-trigger-webhook/webhook"

	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/plugintest"
)

// loopback is the plugin's table for tests: a free port on 127.0.0.1.
const loopback = `{"plugin": {"listen": "127.0.0.1:0"}}`

func spec(id, path string) sdk.TriggerSpec {
	return sdk.TriggerSpec{ID: id, Source: &sdk.KindSource{Kind: webhook.Kind, Config: json.RawMessage(fmt.Sprintf(`{"path": %q}`, path))}}
}

// post sends body to /hooks/<path> and returns the status and answer.
func post(addr, path string, body []byte) (int, string, error) {
	resp, err := http.Post("http://"+addr+"/hooks/"+path, "application/octet-stream", bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(answer), nil
}

func TestConformance(t *testing.T) {
	plugintest.TriggerSuite(t, func(t *testing.T) sdk.Trigger {
		return webhook.New(hclog.NewNullLogger())
	}, plugintest.TriggerOptions{
		Config:     json.RawMessage(loopback),
		Spec:       func(id string) sdk.TriggerSpec { return spec(id, "suite") },
		Persistent: true,
		// Fire posts to the instance under test, at the address its
		// Health reports, on the path of the spec it was given.
		Fire: func(t *testing.T, p sdk.Trigger, s sdk.TriggerSpec) {
			addr := hookAddr(t, p)
			if addr == "" {
				return
			}
			var cfg struct{ Path string }
			_ = json.Unmarshal(s.Source.(*sdk.KindSource).Config, &cfg)
			// The same request to every instance: operators who each
			// get it must deliver the same data.
			body := []byte(`{"order": 7}`)
			if code, answer, err := post(addr, cfg.Path, body); err != nil || code != http.StatusAccepted {
				t.Logf("POST /hooks/%s: %d %s %v", cfg.Path, code, answer, err)
			}
		},
	})
}

// hookAddr is the address a plugin's Health reports ("listening on
// http://<addr>/hooks/; …"), or "" before it listens.
func hookAddr(t *testing.T, p sdk.Plugin) string {
	if p == nil {
		return ""
	}
	msg := p.Health(t.Context()).Message
	_, rest, ok := strings.Cut(msg, "listening on http://")
	if !ok {
		return ""
	}
	addr, _, _ := strings.Cut(rest, "/")
	return addr
}

// configured returns a plugin configured with cfg (a JSON object) and its
// connection through gRPC, as the node sees it.
func configured(t *testing.T, cfg, dataDir string) (*webhook.Webhook, sdk.Trigger) {
	t.Helper()
	impl := webhook.New(hclog.NewNullLogger())
	t.Cleanup(func() { _ = impl.Shutdown(context.Background()) })
	p := plugintest.ConnectTrigger(t, impl)
	if dataDir == "" {
		dataDir = t.TempDir()
	}
	if err := p.Configure(t.Context(), sdk.ConfigureRequest{DataDir: dataDir, Config: json.RawMessage(cfg), PluginName: "trigger-webhook"}); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	return impl, p
}

// collect reads n events from ch.
func collect(t *testing.T, ch <-chan sdk.TriggerEvent, n int) []sdk.TriggerEvent {
	t.Helper()
	var out []sdk.TriggerEvent
	timeout := time.After(5 * time.Second)
	for len(out) < n {
		select {
		case ev, ok := <-ch:
			if !ok {
				t.Fatalf("stream closed after %d of %d events", len(out), n)
			}
			out = append(out, ev)
		case <-timeout:
			t.Fatalf("%d of %d events within 5s: %+v", len(out), n, out)
		}
	}
	return out
}

// quiet fails if ch carries an event within d.
func quiet(t *testing.T, ch <-chan sdk.TriggerEvent, d time.Duration) {
	t.Helper()
	select {
	case ev := <-ch:
		t.Fatalf("unexpected event %s/%s", ev.TriggerID, ev.Cursor)
	case <-time.After(d):
	}
}

func raw(t *testing.T, ev sdk.TriggerEvent) []byte {
	t.Helper()
	d, ok := ev.Data.(*sdk.RawData)
	if !ok {
		t.Fatalf("event data is %T, want *sdk.RawData", ev.Data)
	}
	return d.Data
}

func TestPostFiresEachTriggerWithTheBody(t *testing.T) {
	impl, p := configured(t, loopback, "")
	ctx := t.Context()
	for _, s := range []sdk.TriggerSpec{spec("a", "orders"), spec("b", "orders"), spec("c", "refunds")} {
		if err := p.AddTrigger(ctx, s); err != nil {
			t.Fatalf("AddTrigger(%s): %v", s.ID, err)
		}
	}
	events, err := p.Events(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Any bytes, exactly: no trimming, no decoding.
	body := []byte("  7\n\x00\xff{not json")
	code, answer, err := post(impl.Addr(), "orders", body)
	if err != nil || code != http.StatusAccepted || !strings.Contains(answer, `"accepted":2`) {
		t.Fatalf("POST /hooks/orders = %d %s %v; want 202 with 2 accepted", code, answer, err)
	}
	got := collect(t, events, 2)
	ids := map[string]bool{}
	for _, ev := range got {
		ids[ev.TriggerID] = true
		if ev.Cursor != "1" {
			t.Errorf("%s: cursor %q, want 1", ev.TriggerID, ev.Cursor)
		}
		if !bytes.Equal(raw(t, ev), body) {
			t.Errorf("%s: data %q, want the body %q", ev.TriggerID, raw(t, ev), body)
		}
	}
	if !ids["a"] || !ids["b"] {
		t.Errorf("events for %v, want a and b", ids)
	}
	quiet(t, events, 100*time.Millisecond)

	if code, _, _ := post(impl.Addr(), "orders", []byte("8")); code != http.StatusAccepted {
		t.Fatalf("second POST = %d", code)
	}
	for _, ev := range collect(t, events, 2) {
		if ev.Cursor != "2" || string(raw(t, ev)) != "8" {
			t.Errorf("second event %s/%s %q, want cursor 2 and body 8", ev.TriggerID, ev.Cursor, raw(t, ev))
		}
	}
	if code, _, _ := post(impl.Addr(), "refunds", nil); code != http.StatusAccepted {
		t.Fatalf("POST /hooks/refunds (empty body) = %d", code)
	}
	ev := collect(t, events, 1)[0]
	if ev.TriggerID != "c" || ev.Cursor != "1" || len(raw(t, ev)) != 0 {
		t.Errorf("refund event %s/%s %q, want c/1 with an empty body", ev.TriggerID, ev.Cursor, raw(t, ev))
	}

	h := p.Health(ctx)
	if !h.Healthy || !strings.Contains(h.Message, impl.Addr()) {
		t.Errorf("Health = %+v, want healthy naming %s", h, impl.Addr())
	}
}

// TestSameHookSameBytes: two operators' plugins given the same POST emit
// the same data (the event id is derived from it), whatever else differs
// between the requests.
func TestSameHookSameBytes(t *testing.T) {
	body := []byte(`{"order": 42, "amount": "7"}`)
	var data [][]byte
	for i, header := range []string{"text/plain", "application/json"} {
		impl, p := configured(t, loopback, "")
		if err := p.AddTrigger(t.Context(), spec(fmt.Sprintf("node%d", i), "orders")); err != nil {
			t.Fatal(err)
		}
		events, err := p.Events(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest(http.MethodPost, "http://"+impl.Addr()+"/hooks/orders?from=node"+fmt.Sprint(i), bytes.NewReader(body))
		req.Header.Set("Content-Type", header)
		req.Header.Set("X-Request-Id", fmt.Sprint(i))
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != http.StatusAccepted {
			t.Fatalf("POST: %v %v", resp, err)
		}
		resp.Body.Close()
		data = append(data, raw(t, collect(t, events, 1)[0]))
	}
	if !bytes.Equal(data[0], data[1]) || !bytes.Equal(data[0], body) {
		t.Errorf("the two plugins emitted %q and %q for the same body %q", data[0], data[1], body)
	}
}

func TestHookAnswers(t *testing.T) {
	impl, p := configured(t, `{"plugin": {"listen": "127.0.0.1:0", "max_body": 100, "max_pending": 2}}`, "")
	ctx := t.Context()
	small := sdk.TriggerSpec{ID: "small", Source: &sdk.KindSource{Kind: webhook.Kind, Config: json.RawMessage(`{"path": "small", "max_body": 4}`)}}
	for _, s := range []sdk.TriggerSpec{spec("big", "big"), small} {
		if err := p.AddTrigger(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name   string
		method string
		path   string
		body   []byte
		want   int
	}{
		{"no trigger on the path", http.MethodPost, "nobody", []byte("1"), http.StatusNotFound},
		{"not a hook path", http.MethodPost, "UPPER", []byte("1"), http.StatusNotFound},
		{"GET", http.MethodGet, "big", nil, http.StatusMethodNotAllowed},
		{"over the plugin's max_body", http.MethodPost, "big", bytes.Repeat([]byte("x"), 101), http.StatusRequestEntityTooLarge},
		{"over the trigger's max_body", http.MethodPost, "small", []byte("12345"), http.StatusRequestEntityTooLarge},
		{"at the trigger's max_body", http.MethodPost, "small", []byte("1234"), http.StatusAccepted},
		{"at the plugin's max_body", http.MethodPost, "big", bytes.Repeat([]byte("x"), 100), http.StatusAccepted},
		{"past max_pending", http.MethodPost, "big", []byte("3"), http.StatusServiceUnavailable},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(c.method, "http://"+impl.Addr()+"/hooks/"+c.path, bytes.NewReader(c.body))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			answer, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != c.want {
				t.Errorf("%s /hooks/%s = %d %s, want %d", c.method, c.path, resp.StatusCode, answer, c.want)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
	// Acknowledging makes room again.
	if err := p.Ack(ctx, "small", "1"); err != nil {
		t.Fatal(err)
	}
	if code, answer, _ := post(impl.Addr(), "big", []byte("4")); code != http.StatusAccepted {
		t.Errorf("POST after an ack = %d %s, want 202", code, answer)
	}
}

func TestAddTriggerRejects(t *testing.T) {
	_, p := configured(t, `{"plugin": {"listen": "127.0.0.1:0", "max_body": 1000}}`, "")
	kind := func(cfg string) sdk.TriggerSource {
		return &sdk.KindSource{Kind: webhook.Kind, Config: json.RawMessage(cfg)}
	}
	cases := []struct {
		name   string
		src    sdk.TriggerSource
		cursor string
		want   string
	}{
		{"upper case path", kind(`{"path": "Orders"}`), "", "path"},
		{"path with a slash", kind(`{"path": "a/b"}`), "", "path"},
		{"empty path", kind(`{"path": ""}`), "", "path"},
		{"long path", kind(fmt.Sprintf(`{"path": %q}`, strings.Repeat("a", 65))), "", "path"},
		{"max_body 0", kind(`{"path": "a", "max_body": 0}`), "", "max_body"},
		{"max_body over the plugin's", kind(`{"path": "a", "max_body": 1001}`), "", "max_body"},
		{"unknown field", kind(`{"path": "a", "secret": "x"}`), "", "secret"},
		{"another kind", &sdk.KindSource{Kind: "ticker", Config: json.RawMessage(`{}`)}, "", "ticker"},
		{"cron", &sdk.Cron{Schedule: "@every 1s"}, "", "cron"},
		{"a cursor that is no number", kind(`{"path": "a"}`), "x7", "cursor"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := p.AddTrigger(t.Context(), sdk.TriggerSpec{ID: "x", Source: c.src, Cursor: c.cursor})
			if !errors.Is(err, sdk.ErrInvalidArgument) {
				t.Fatalf("AddTrigger = %v, want sdk.ErrInvalidArgument", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not name %q", err, c.want)
			}
		})
	}
	// The declared kind agrees: the host's own check refuses what the
	// field types cannot hold.
	k, ok := webhook.New(hclog.NewNullLogger()).Info().TriggerKind(webhook.Kind)
	if !ok {
		t.Fatal("the plugin does not declare its kind")
	}
	if err := k.Check("workflows.w.trigger.webhook", json.RawMessage(`{}`)); !errors.Is(err, sdk.ErrInvalidArgument) || !strings.Contains(err.Error(), "path") {
		t.Errorf("Check({}) = %v, want path required", err)
	}
	if err := k.Check("workflows.w.trigger.webhook", json.RawMessage(`{"path": "orders", "max_body": 10}`)); err != nil {
		t.Errorf("Check(good) = %v", err)
	}
}

func TestConfigureRejects(t *testing.T) {
	cases := []struct {
		name, cfg, want string
	}{
		{"every interface", `{"plugin": {"listen": "0.0.0.0:8787"}}`, "loopback"},
		{"no host", `{"plugin": {"listen": ":8787"}}`, "loopback"},
		{"a LAN address", `{"plugin": {"listen": "192.168.1.10:8787"}}`, "loopback"},
		{"a name", `{"plugin": {"listen": "example.com:8787"}}`, "loopback"},
		{"no port", `{"plugin": {"listen": "127.0.0.1"}}`, "host:port"},
		{"max_body too big", `{"plugin": {"listen": "127.0.0.1:0", "max_body": 2000000}}`, "max_body"},
		{"unknown key", `{"plugin": {"listen": "127.0.0.1:0", "token": "x"}}`, "token"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := webhook.New(hclog.NewNullLogger())
			defer p.Shutdown(context.Background())
			err := p.Configure(t.Context(), sdk.ConfigureRequest{DataDir: t.TempDir(), Config: json.RawMessage(c.cfg), PluginName: "trigger-webhook"})
			if !errors.Is(err, sdk.ErrInvalidArgument) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Configure = %v, want sdk.ErrInvalidArgument naming %q", err, c.want)
			}
		})
	}
}

// TestAcceptedIsInTheQueueFile: by the time a POST is answered 202, its
// events are in the queue file, one per trigger it fires.
func TestAcceptedIsInTheQueueFile(t *testing.T) {
	data := t.TempDir()
	impl, p := configured(t, loopback, data)
	for _, id := range []string{"a", "b"} {
		if err := p.AddTrigger(t.Context(), spec(id, "orders")); err != nil {
			t.Fatal(err)
		}
	}
	if code, answer, _ := post(impl.Addr(), "orders", []byte("7")); code != http.StatusAccepted {
		t.Fatalf("POST = %d %s", code, answer)
	}
	// A copy of the file, read by a queue of its own.
	file, err := os.ReadFile(filepath.Join(data, webhook.QueueFile))
	if err != nil {
		t.Fatal(err)
	}
	cp := filepath.Join(t.TempDir(), "copy.json")
	if err := os.WriteFile(cp, file, 0o600); err != nil {
		t.Fatal(err)
	}
	q, err := sdk.OpenEventQueue(cp, 10)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	got := collect(t, q.Stream(t.Context()), 2)
	for _, ev := range got {
		if ev.Cursor != "1" || string(raw(t, ev)) != "7" {
			t.Errorf("queue file holds %s/%s %q, want cursor 1 and body 7", ev.TriggerID, ev.Cursor, raw(t, ev))
		}
	}
}

// TestAcceptedHooksSurviveARestart: what was answered 202 and not acked
// comes back after the plugin restarts (a new process on the same data
// folder, the trigger added again with the last acked cursor); what was
// acked does not.
func TestAcceptedHooksSurviveARestart(t *testing.T) {
	data := t.TempDir()
	first, p := configured(t, loopback, data)
	ctx := t.Context()
	if err := p.AddTrigger(ctx, spec("t", "orders")); err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{"1", "2", "3"} {
		if code, answer, _ := post(first.Addr(), "orders", []byte(body)); code != http.StatusAccepted {
			t.Fatalf("POST %s = %d %s", body, code, answer)
		}
	}
	events, err := p.Events(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := collect(t, events, 3)
	if err := p.Ack(ctx, "t", got[0].Cursor); err != nil {
		t.Fatal(err)
	}
	// The process dies without a clean shutdown.
	_ = first.Shutdown(ctx)

	second, p2 := configured(t, loopback, data)
	if err := p2.AddTrigger(ctx, sdk.TriggerSpec{ID: "t", Source: spec("t", "orders").Source, Cursor: got[0].Cursor}); err != nil {
		t.Fatal(err)
	}
	events2, err := p2.Events(ctx)
	if err != nil {
		t.Fatal(err)
	}
	again := collect(t, events2, 2)
	for i, ev := range again {
		if ev.Cursor != got[i+1].Cursor || !bytes.Equal(raw(t, ev), raw(t, got[i+1])) {
			t.Errorf("after the restart event %d is %s %q, want %s %q", i, ev.Cursor, raw(t, ev), got[i+1].Cursor, raw(t, got[i+1]))
		}
	}
	quiet(t, events2, 100*time.Millisecond)
	// New hooks continue the numbering.
	if code, _, _ := post(second.Addr(), "orders", []byte("4")); code != http.StatusAccepted {
		t.Fatal("POST after the restart failed")
	}
	if ev := collect(t, events2, 1)[0]; ev.Cursor != "4" || string(raw(t, ev)) != "4" {
		t.Errorf("new event %s %q, want cursor 4", ev.Cursor, raw(t, ev))
	}
	if err := p2.Ack(ctx, "t", "4"); err != nil {
		t.Fatal(err)
	}
	_ = second.Shutdown(ctx)

	// Everything acked: a third start resumes after 4 with nothing to send.
	third, p3 := configured(t, loopback, data)
	if err := p3.AddTrigger(ctx, sdk.TriggerSpec{ID: "t", Source: spec("t", "orders").Source, Cursor: "4"}); err != nil {
		t.Fatal(err)
	}
	events3, err := p3.Events(ctx)
	if err != nil {
		t.Fatal(err)
	}
	quiet(t, events3, 200*time.Millisecond)
	if code, _, _ := post(third.Addr(), "orders", []byte("5")); code != http.StatusAccepted {
		t.Fatal("POST after the second restart failed")
	}
	if ev := collect(t, events3, 1)[0]; ev.Cursor != "5" {
		t.Errorf("cursor %s, want 5", ev.Cursor)
	}
}

func TestRemovedTriggerForgetsItsHooks(t *testing.T) {
	data := t.TempDir()
	impl, p := configured(t, loopback, data)
	ctx := t.Context()
	if err := p.AddTrigger(ctx, spec("t", "orders")); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := post(impl.Addr(), "orders", []byte("1")); code != http.StatusAccepted {
		t.Fatal("POST failed")
	}
	if err := p.RemoveTrigger(ctx, "t"); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := post(impl.Addr(), "orders", []byte("2")); code != http.StatusNotFound {
		t.Errorf("POST to a removed trigger's path = %d, want 404", code)
	}
	_ = impl.Shutdown(ctx)
	_, p2 := configured(t, loopback, data)
	if err := p2.AddTrigger(ctx, spec("t", "orders")); err != nil {
		t.Fatal(err)
	}
	events, err := p2.Events(ctx)
	if err != nil {
		t.Fatal(err)
	}
	quiet(t, events, 200*time.Millisecond)
}
