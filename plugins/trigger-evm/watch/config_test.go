package watch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/sdk"
)

func TestParseSettings(t *testing.T) {
	s, err := parseSettings(ownConfig{})
	if err != nil || s != defaultSettings() {
		t.Fatalf("defaults: %+v, %v", s, err)
	}
	if s.confirmations != 2 || s.tag != "" || s.blocksPerLogs != 2000 || s.maxPending != 10000 || s.reconnectMax != 30*time.Second || s.catchup != 64 {
		t.Fatalf("defaults: %+v", s)
	}
	for raw, want := range map[string]settings{
		`0`:           {confirmations: 0},
		`12`:          {confirmations: 12},
		`"safe"`:      {confirmations: 2, tag: "safe"},
		`"finalized"`: {confirmations: 2, tag: "finalized"},
	} {
		got, err := parseSettings(ownConfig{Confirmations: json.RawMessage(raw)})
		if err != nil || got.confirmations != want.confirmations || got.tag != want.tag {
			t.Errorf("confirmations = %s: %+v, %v", raw, got, err)
		}
	}
	for _, bad := range []string{`1001`, `-1`, `"latest"`, `"2"`, `true`} {
		if _, err := parseSettings(ownConfig{Confirmations: json.RawMessage(bad)}); !errors.Is(err, sdk.ErrInvalidArgument) || !strings.Contains(err.Error(), "confirmations = "+bad) {
			t.Errorf("confirmations = %s: %v", bad, err)
		}
	}
	zero := 0
	for name, c := range map[string]ownConfig{
		"max_pending":           {MaxPending: &zero},
		"reconnect_max_seconds": {ReconnectMaxSeconds: &zero},
	} {
		if _, err := parseSettings(c); !errors.Is(err, sdk.ErrInvalidArgument) || !strings.Contains(err.Error(), name) {
			t.Errorf("%s = 0: %v", name, err)
		}
	}
}

func TestCursors(t *testing.T) {
	p := logPos{block: 123, index: 4}
	c := logCursor(p)
	if c != "00000000000000000123:0000000004" {
		t.Fatalf("logCursor = %s", c)
	}
	if got, err := parseLogCursor(c); err != nil || got != p {
		t.Fatalf("parseLogCursor(%s) = %v, %v", c, got, err)
	}
	if logCursor(logPos{block: 9, index: 10}) > logCursor(logPos{block: 10, index: 0}) {
		t.Error("log cursors do not sort as the chain does")
	}
	for _, bad := range []string{"", "12:3", "00000000000000000123-0000000004", "0000000000000000012x:0000000004"} {
		if _, err := parseLogCursor(bad); !errors.Is(err, sdk.ErrInvalidArgument) {
			t.Errorf("parseLogCursor(%q) = %v", bad, err)
		}
	}
	now := time.Unix(1700000000, 0).UTC()
	if got, err := parseTimeCursor(timeCursor(now)); err != nil || !got.Equal(now) {
		t.Fatalf("time cursor round trip: %v, %v", got, err)
	}
}

// TestConfigureRejects: unknown keys and bad values name the key.
func TestConfigureRejects(t *testing.T) {
	for _, tc := range []struct{ config, want string }{
		{`{"plugin":{"confirmation":1}}`, "confirmation"},
		{`{"plugin":{"max_pending":0}}`, "max_pending"},
		{`{"plugin":{"backfill_blocks_per_query":0}}`, "backfill_blocks_per_query"},
		{`{"chains":{"evm":{"x1":{"http_endpoint":"http://127.0.0.1:1"}}}}`, "chains.evm.x1"},
		{`{"chains":{"evm":{"1":{}}}}`, "no endpoint"},
		{`{"chains":{"evm":{"1":{"ws_endpoints":["http://127.0.0.1:1"]}}}}`, "ws_endpoints[0]"},
	} {
		w := New(hclog.NewNullLogger())
		err := w.Configure(context.Background(), sdk.ConfigureRequest{Config: json.RawMessage(tc.config)})
		shutdown(t, w)
		if !errors.Is(err, sdk.ErrInvalidArgument) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Configure(%s) = %v, want ErrInvalidArgument naming %q", tc.config, err, tc.want)
		}
	}
}

// TestBadTriggers: sources the plugin cannot serve are ErrInvalidArgument
// naming the field.
func TestBadTriggers(t *testing.T) {
	w := newWatcher(t, json.RawMessage(`{"chains":{"evm":{"31337":{"http_endpoint":"http://127.0.0.1:1"}}}}`), nil)
	addr, hash := sdk.Address{19: 1}, sdk.Hash{31: 1}
	for _, tc := range []struct {
		spec sdk.TriggerSpec
		want string
	}{
		{sdk.TriggerSpec{ID: "a", Source: &sdk.EvmContractEvent{Chain: "evm:1", Address: addr, EventHash: hash}}, `chain "evm:1" is not configured`},
		{sdk.TriggerSpec{ID: "a", Source: &sdk.EvmContractEvent{Chain: chainKey, EventHash: hash}}, "address"},
		{sdk.TriggerSpec{ID: "a", Source: &sdk.EvmContractEvent{Chain: chainKey, Address: addr}}, "event_hash"},
		{sdk.TriggerSpec{ID: "a", Cursor: "12", Source: &sdk.EvmContractEvent{Chain: chainKey, Address: addr, EventHash: hash}}, "cursor"},
		{sdk.TriggerSpec{ID: "a", Source: &sdk.BlockInterval{Chain: "evm:2", NBlocks: 1}}, "chain"},
		{sdk.TriggerSpec{ID: "a", Source: &sdk.BlockInterval{Chain: chainKey}}, "n_blocks"},
		{sdk.TriggerSpec{ID: "a", Source: &sdk.BlockInterval{Chain: chainKey, NBlocks: 1, StartBlock: 5, EndBlock: 4}}, "end_block"},
		{sdk.TriggerSpec{ID: "a", Source: &sdk.Cron{Schedule: "every minute"}}, "schedule"},
		{sdk.TriggerSpec{ID: "a", Source: &sdk.Cron{Schedule: "@every 1s", StartTime: time.Unix(10, 0), EndTime: time.Unix(5, 0)}}, "end_time"},
		{sdk.TriggerSpec{ID: "a"}, "source"},
	} {
		err := w.AddTrigger(testCtx(t, 5*time.Second), tc.spec)
		if !errors.Is(err, sdk.ErrInvalidArgument) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("AddTrigger(%+v) = %v, want ErrInvalidArgument naming %q", tc.spec.Source, err, tc.want)
		}
	}
	if err := w.RemoveTrigger(testCtx(t, time.Second), "a"); !errors.Is(err, sdk.ErrNotFound) {
		t.Errorf("RemoveTrigger(never added) = %v", err)
	}
}

// TestWrongChainID: an endpoint of another chain makes the chain unhealthy,
// naming both ids, and no event is taken from it.
func TestWrongChainID(t *testing.T) {
	f := newFixture(t)
	cfg := fmt.Sprintf(`{"chains":{"evm":{"1":{"ws_endpoints":[%q],"http_endpoint":%q}}}}`, f.chain.WSURL, f.chain.HTTPURL)
	w := newWatcher(t, json.RawMessage(cfg), nil)
	h := w.Health(context.Background())
	if h.Healthy {
		t.Fatalf("Health = healthy (%s), want unhealthy", h.Message)
	}
	for _, want := range []string{"evm:1", "reports chain id 31337", "expected 1", f.chain.WSURL} {
		if !strings.Contains(h.Message, want) {
			t.Errorf("Health message %q does not name %q", h.Message, want)
		}
	}
	evs := collect(t, w)
	spec := f.spec("t", "")
	spec.Source.(*sdk.EvmContractEvent).Chain = "evm:1"
	if err := w.AddTrigger(testCtx(t, 5*time.Second), spec); err != nil {
		t.Fatal(err)
	}
	f.fire(t, 2)
	evs.quiet(t, 0, time.Second)
}

// TestUnreachable: a closed port does not fail Configure or AddTrigger; the
// chain is reported down.
func TestUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cfg := fmt.Sprintf(`{"chains":{"evm":{"31337":{"ws_endpoints":["ws://%s"],"http_endpoint":"http://%s"}}},"plugin":{"reconnect_max_seconds":1}}`, addr, addr)
	w := newWatcher(t, json.RawMessage(cfg), nil)
	h := w.Health(context.Background())
	if h.Healthy || !strings.Contains(h.Message, "evm:31337: down") || !strings.Contains(h.Message, "unreachable") {
		t.Fatalf("Health = %+v, want evm:31337 down and unreachable", h)
	}
	src := &sdk.EvmContractEvent{Chain: chainKey, Address: sdk.Address{19: 1}, EventHash: sdk.Hash{31: 1}}
	if err := w.AddTrigger(testCtx(t, 5*time.Second), sdk.TriggerSpec{ID: "t", Source: src}); err != nil {
		t.Fatalf("AddTrigger on a down chain: %v", err)
	}
	if err := w.AddTrigger(testCtx(t, 5*time.Second), sdk.TriggerSpec{ID: "b", Source: &sdk.BlockInterval{Chain: chainKey, NBlocks: 1}}); err != nil {
		t.Fatalf("AddTrigger on a down chain: %v", err)
	}
	time.Sleep(1500 * time.Millisecond) // a few reconnect attempts
	if h := w.Health(context.Background()); h.Healthy {
		t.Fatalf("Health = healthy after retries: %s", h.Message)
	}
	if err := w.RemoveTrigger(testCtx(t, 5*time.Second), "t"); err != nil {
		t.Fatal(err)
	}
}
