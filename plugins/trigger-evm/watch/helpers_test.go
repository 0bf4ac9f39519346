package watch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/contracts"
	"github.com/wavs-go/wavs/contracts/anviltest"
	"github.com/wavs-go/wavs/contracts/bindings"
	"github.com/wavs-go/wavs/contracts/deploy"
	"github.com/wavs-go/wavs/sdk"
)

const chainKey = "evm:31337"

// fixture is an anvil chain with a SimpleTrigger deployed on it.
type fixture struct {
	chain   *anviltest.Chain
	sender  *deploy.Sender
	trigger common.Address
	topic0  common.Hash
	st      *bindings.SimpleTrigger
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	c := anviltest.Start(t)
	ctx := testCtx(t, 30*time.Second)
	s, err := deploy.NewSender(ctx, c.Client, c.Keys[0])
	if err != nil {
		t.Fatal(err)
	}
	addr, tx, err := s.Deploy(ctx, "deploy SimpleTrigger", &bindings.SimpleTriggerMetaData, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Wait(ctx, tx); err != nil {
		t.Fatal(err)
	}
	st := bindings.NewSimpleTrigger()
	return &fixture{chain: c, sender: s, trigger: addr, topic0: st.GetABI().Events["NewTrigger"].ID, st: st}
}

func testCtx(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// config is a Configure JSON with the fixture's chain: ws (and http) or
// http only, plus the plugin table own.
func (f *fixture) config(ws bool, own string) json.RawMessage {
	ep := fmt.Sprintf(`"http_endpoint":%q`, f.chain.HTTPURL)
	if ws {
		ep = fmt.Sprintf(`"ws_endpoints":[%q],`, f.chain.WSURL) + ep
	}
	// Tests act on a log at once unless they say otherwise: anvil mines
	// only when sent a transaction.
	if own == "" {
		own = "{}"
	}
	if !strings.Contains(own, `"confirmations"`) {
		own = strings.Replace(own, "{", `{"confirmations":0,`, 1)
		own = strings.Replace(own, ",}", "}", 1)
	}
	return json.RawMessage(fmt.Sprintf(`{"chains":{"evm":{"31337":{%s}}},"plugin":%s}`, ep, own))
}

// spec is an evm_contract_event trigger of the fixture's SimpleTrigger.
func (f *fixture) spec(id, cursor string) sdk.TriggerSpec {
	return sdk.TriggerSpec{ID: id, Cursor: cursor, Source: &sdk.EvmContractEvent{
		Chain: chainKey, Address: sdk.Address(f.trigger), EventHash: sdk.Hash(f.topic0),
	}}
}

// emitted is one NewTrigger log as the chain has it.
type emitted struct {
	cursor string
	id     uint64 // SimpleTrigger's trigger id
	time   uint64 // its block's timestamp
}

// fire sends n addTrigger transactions, one after the other, and returns
// their logs.
func (f *fixture) fire(t *testing.T, n int) []emitted {
	t.Helper()
	ctx := testCtx(t, 30*time.Second)
	var out []emitted
	for range n {
		info, r, err := deploy.AddTrigger(ctx, f.sender, f.trigger, []byte("payload"))
		if err != nil {
			t.Fatalf("addTrigger: %v", err)
		}
		h, err := f.chain.Client.HeaderByNumber(ctx, r.BlockNumber)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, emitted{cursor: logCursor(logPos{block: r.BlockNumber.Uint64(), index: uint64(logOf(t, r).Index)}), id: info.TriggerID, time: h.Time})
	}
	return out
}

// logOf is the receipt's only log.
func logOf(t *testing.T, r *types.Receipt) *types.Log {
	t.Helper()
	if len(r.Logs) != 1 {
		t.Fatalf("receipt has %d logs, want 1", len(r.Logs))
	}
	return r.Logs[0]
}

// triggerID decodes the SimpleTrigger id an event carries.
func (f *fixture) triggerID(t *testing.T, ev sdk.TriggerEvent) uint64 {
	t.Helper()
	lg, ok := ev.Data.(*sdk.EvmLog)
	if !ok {
		t.Fatalf("event data is %T, want *sdk.EvmLog", ev.Data)
	}
	out, err := f.st.GetABI().Unpack("NewTrigger", lg.Data)
	if err != nil {
		t.Fatalf("unpack NewTrigger: %v", err)
	}
	info, err := contracts.DecodeTriggerInfo(out[0].([]byte))
	if err != nil {
		t.Fatal(err)
	}
	return info.TriggerID
}

// mine mines n blocks with evm_mine, one call each.
func (f *fixture) mine(t *testing.T, n int) {
	t.Helper()
	ctx := testCtx(t, 10*time.Second)
	for range n {
		if err := f.chain.RPC.CallContext(ctx, nil, "evm_mine"); err != nil {
			t.Fatalf("evm_mine: %v", err)
		}
	}
}

func (f *fixture) head(t *testing.T) uint64 {
	t.Helper()
	h, err := f.chain.Client.BlockNumber(testCtx(t, 5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// newWatcher returns a configured Watcher that is shut down when the test
// ends. dial, if not nil, replaces the RPC dialer.
func newWatcher(t *testing.T, config json.RawMessage, dial dialFunc) *Watcher {
	t.Helper()
	w := New(hclog.New(&hclog.LoggerOptions{Name: t.Name(), Level: hclog.Warn}))
	if dial != nil {
		w.dial = dial
	}
	t.Cleanup(func() { shutdown(t, w) })
	if err := w.Configure(testCtx(t, 10*time.Second), sdk.ConfigureRequest{DataDir: t.TempDir(), Config: config}); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	return w
}

func shutdown(t *testing.T, w *Watcher) {
	t.Helper()
	if err := w.Shutdown(testCtx(t, 10*time.Second)); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
}

// collector reads an Events stream into a list.
type collector struct {
	mu     sync.Mutex
	events []sdk.TriggerEvent
	more   chan struct{}
}

func collect(t *testing.T, w *Watcher) *collector {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ch, err := w.Events(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c := &collector{more: make(chan struct{})}
	go func() {
		for ev := range ch {
			c.mu.Lock()
			c.events = append(c.events, ev)
			close(c.more)
			c.more = make(chan struct{})
			c.mu.Unlock()
		}
	}()
	return c
}

// wait returns the events once there are at least n, failing after d.
func (c *collector) wait(t *testing.T, n int, d time.Duration) []sdk.TriggerEvent {
	t.Helper()
	deadline := time.After(d)
	for {
		c.mu.Lock()
		got, more := append([]sdk.TriggerEvent(nil), c.events...), c.more
		c.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-more:
		case <-deadline:
			t.Fatalf("%d events within %v, want %d: %v", len(got), d, n, cursors(got))
		}
	}
}

// quiet checks that no more than n events arrive within d.
func (c *collector) quiet(t *testing.T, n int, d time.Duration) {
	t.Helper()
	time.Sleep(d)
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.events) > n {
		t.Fatalf("%d events, want %d: %v", len(c.events), n, cursors(c.events))
	}
}

func cursors(evs []sdk.TriggerEvent) []string {
	out := make([]string, len(evs))
	for i, ev := range evs {
		out[i] = ev.TriggerID + "@" + ev.Cursor
	}
	return out
}

// gate is a dialer that can be held shut: while shut, dials wait.
type gate struct {
	mu   sync.Mutex
	open chan struct{} // closed while the gate is open
}

func newGate() *gate {
	g := &gate{open: make(chan struct{})}
	close(g.open)
	return g
}

func (g *gate) shut() {
	g.mu.Lock()
	defer g.mu.Unlock()
	select {
	case <-g.open:
		g.open = make(chan struct{})
	default:
	}
}

func (g *gate) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	select {
	case <-g.open:
	default:
		close(g.open)
	}
}

func (g *gate) dial(ctx context.Context, endpoint string) (*rpc.Client, error) {
	g.mu.Lock()
	open := g.open
	g.mu.Unlock()
	select {
	case <-open:
	case <-ctx.Done():
		return nil, errors.New("gate shut")
	}
	return rpc.DialContext(ctx, endpoint)
}

// eventually polls cond until it holds, failing after d.
func eventually(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %v: %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
