package registry

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/wavs-go/wavs/host/engine"
	"github.com/wavs-go/wavs/host/plugins"
	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/host/store"
	"github.com/wavs-go/wavs/internal/signer"
	"github.com/wavs-go/wavs/sdk"
)

func TestServiceURIUpdatedTopic(t *testing.T) {
	want := crypto.Keccak256Hash([]byte("ServiceURIUpdated(string)")).Hex()
	if got := serviceURIUpdated.Hex(); got != want {
		t.Errorf("topic %s, want %s", got, want)
	}
}

func TestDecodeServiceURIUpdated(t *testing.T) {
	str, _ := abi.NewType("string", "", nil)
	args := abi.Arguments{{Type: str}}
	for _, uri := range []string{"", "https://example.com/service.json", strings.Repeat("é", 100)} {
		data, err := args.Pack(uri)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeServiceURIUpdated(data)
		if err != nil || got != uri {
			t.Errorf("decode %q: %q, %v", uri, got, err)
		}
	}
	good, _ := args.Pack("https://example.com/s.json")
	huge := make([]byte, 64)
	huge[31] = 32
	huge[62], huge[63] = 0xff, 0xff // a length of 65535
	farOffset := append([]byte{}, good...)
	farOffset[30] = 0x10 // offset 4096 + 32
	highBits := append([]byte{}, good...)
	highBits[0] = 1
	for name, data := range map[string][]byte{
		"empty":       nil,
		"short":       good[:40],
		"cut URI":     good[:len(good)-32],
		"huge length": huge,
		"far offset":  farOffset,
		"high bits":   highBits,
	} {
		if got, err := decodeServiceURIUpdated(data); err == nil {
			t.Errorf("%s: decoded %q", name, got)
		}
	}
}

// uriFixture is a registry with an unstarted trigger plugin (its triggers
// are recorded, no process runs), components stored by digest, and
// service JSON served on loopback by path.
type uriFixture struct {
	r      *Registry
	st     *store.Store
	plugin *plugins.Trigger
	srv    *httptest.Server
	mu     sync.Mutex
	docs   map[string]string
}

const (
	testMnemonic = "test test test test test test test test test test test junk"
	testManager  = "0x5fbdb2315678afecb367f032d93f642f64180aa3"
)

func newURIFixture(t *testing.T) *uriFixture {
	t.Helper()
	ctx := t.Context()
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "wavs.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	eng, err := engine.New(ctx, engine.Options{ComponentsDir: filepath.Join(dir, "components")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close(context.Background()) })
	sig, err := signer.FromEnv(func(k string) (string, bool) { return testMnemonic, k == signer.EnvMnemonic })
	if err != nil {
		t.Fatal(err)
	}
	sup := plugins.NewSupervisor(plugins.Found{Name: "trigger-test", Info: sdk.Info{
		Kind:         sdk.KindTrigger,
		Capabilities: []string{"trigger:evm_contract_event", "trigger:block_interval", "trigger:cron"},
	}}, plugins.Options{})
	f := &uriFixture{st: st, plugin: plugins.NewTrigger(sup), docs: map[string]string{}}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		doc, ok := f.docs[r.URL.Path]
		f.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(doc))
	}))
	t.Cleanup(f.srv.Close)
	f.r = New(Options{
		Store: st, Engine: eng, Signer: sig, Triggers: []*plugins.Trigger{f.plugin},
		HTTPClient: loopbackClient(t), DevMode: true,
	})
	for _, c := range []string{"component-x", "component-y"} {
		if err := os.WriteFile(filepath.Join(dir, "components", digestOf(c)+".wasm"), testModule(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func digestOf(name string) string {
	d := sha256.Sum256(testModule(name))
	return hex.EncodeToString(d[:])
}

// testModule is a tiny valid wasip1 module standing for the component
// name (each name its own memory size): an empty _start and a memory.
func testModule(name string) []byte {
	pages := map[string]byte{"component-x": 1, "component-y": 2}[name]
	if pages == 0 {
		pages = 3 // any other name: a module never stored
	}
	m := []byte("\x00asm\x01\x00\x00\x00")
	m = append(m, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00) // type: func() -> ()
	m = append(m, 0x03, 0x02, 0x01, 0x00)             // function 0 of type 0
	m = append(m, 0x05, 0x03, 0x01, 0x00, pages)      // memory
	m = append(m, 0x07, 0x13, 0x02, 0x06)             // exports
	m = append(m, "_start"...)
	m = append(m, 0x00, 0x00, 0x06)
	m = append(m, "memory"...)
	m = append(m, 0x02, 0x00)
	return append(m, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b) // code: end
}

// serve publishes doc at path and returns its URL.
func (f *uriFixture) serve(path, doc string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.docs[path] = doc
	return f.srv.URL + path
}

// serviceDoc is a service JSON of the test manager with the workflows
// given as id → (trigger JSON, component name, config JSON).
func serviceDoc(name string, workflows ...[4]string) string {
	var wfs []string
	for _, w := range workflows {
		wfs = append(wfs, fmt.Sprintf(`%q: {"trigger": %s, "component": {"source": {"digest": %q}, "config": %s}, "submit": "none"}`,
			w[0], w[1], digestOf(w[2]), w[3]))
	}
	return fmt.Sprintf(`{"name": %q, "status": "active", "manager": {"evm": {"chain": "evm:31337", "address": %q}}, "workflows": {%s}}`,
		name, testManager, strings.Join(wfs, ", "))
}

func cronTrigger(schedule string) string { return fmt.Sprintf(`{"cron": {"schedule": %q}}`, schedule) }

func logTrigger(address string) string {
	return fmt.Sprintf(`{"evm_contract_event": {"chain": "evm:31337", "address": %q, "event_hash": "0x%s"}}`, address, strings.Repeat("ab", 32))
}

const (
	addrOld = "0x1111111111111111111111111111111111111111"
	addrNew = "0x2222222222222222222222222222222222222222"
)

// uriEvent is a ServiceURIUpdated log of the test manager announcing uri.
func uriEvent(t *testing.T, id, uri, cursor string) sdk.TriggerEvent {
	t.Helper()
	str, _ := abi.NewType("string", "", nil)
	data, err := abi.Arguments{{Type: str}}.Pack(uri)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := service.ParseAddress(testManager)
	return sdk.TriggerEvent{TriggerID: managerWatchID(id), Cursor: cursor, Data: &sdk.EvmLog{
		Chain: "evm:31337", Address: sdk.Address(m), Topics: []sdk.Hash{serviceURIUpdated}, Data: data, BlockNumber: 9,
	}}
}

func (f *uriFixture) triggerIDs(id string) []string {
	f.r.mu.RLock()
	defer f.r.mu.RUnlock()
	var out []string
	for tid, b := range f.r.triggers {
		if b.serviceID == id {
			out = append(out, strings.TrimPrefix(tid, id+"/"))
		}
	}
	return sortedKeys(func() map[string]bool {
		m := map[string]bool{}
		for _, s := range out {
			m[s] = true
		}
		return m
	}())
}

func TestServiceURIUpdateSwapsInPlace(t *testing.T) {
	ctx := t.Context()
	f := newURIFixture(t)
	v1 := serviceDoc("v1",
		[4]string{"keep", cronTrigger("@every 1m"), "component-x", `{}`},
		[4]string{"gone", cronTrigger("@every 1m"), "component-x", `{}`},
		[4]string{"moved", logTrigger(addrOld), "component-x", `{}`},
	)
	in, err := f.r.Add(ctx, []byte(v1))
	if err != nil {
		t.Fatal(err)
	}
	id := in.ID
	if got := strings.Join(f.triggerIDs(id), ","); got != "$manager,gone,keep,moved" {
		t.Fatalf("triggers %s", got)
	}
	for _, wid := range []string{"keep", "gone", "moved"} {
		if err := f.st.PutCursor(ctx, service.TriggerID(id, wid), "cursor-of-"+wid); err != nil {
			t.Fatal(err)
		}
	}
	f.r.mu.RLock()
	key := f.r.services[id].key
	f.r.mu.RUnlock()

	v2 := serviceDoc("v2",
		[4]string{"keep", cronTrigger("@every 1m"), "component-y", `{"mode": "new"}`},
		[4]string{"moved", logTrigger(addrNew), "component-x", `{}`},
		[4]string{"added", cronTrigger("@every 5m"), "component-y", `{}`},
	)
	uri := f.serve("/v2.json", v2)
	f.r.handle(ctx, f.plugin, uriEvent(t, id, uri, "00000000000000000009:0000000000"))

	got, err := f.r.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "v2" || string(got.Service) != v2 || strings.Join(got.Workflows, ",") != "added,keep,moved" {
		t.Errorf("after the update: name %q, workflows %v, service %s", got.Name, got.Workflows, got.Service)
	}
	if got.SigningIndex != in.SigningIndex || got.SigningAddress != in.SigningAddress || got.LastError != "" {
		t.Errorf("signing %d %s (was %d %s), last error %q", got.SigningIndex, got.SigningAddress, in.SigningIndex, in.SigningAddress, got.LastError)
	}
	f.r.mu.RLock()
	e := f.r.services[id]
	f.r.mu.RUnlock()
	if e.key != key || e.svc.Name != "v2" || e.svc.Workflows["keep"].Component.Config["mode"] != "new" {
		t.Errorf("running entry: key changed %v, service %+v", e.key != key, e.svc)
	}
	if got := strings.Join(f.triggerIDs(id), ","); got != "$manager,added,keep,moved" {
		t.Errorf("triggers %s", got)
	}
	// The unchanged trigger keeps its cursor; the changed and removed ones
	// lose theirs; the watch's is the event's.
	for wid, want := range map[string]string{"keep": "cursor-of-keep", "gone": "", "moved": "", "added": "", managerWatch: "00000000000000000009:0000000000"} {
		c, _, err := f.st.Cursor(ctx, service.TriggerID(id, wid))
		if err != nil || c != want {
			t.Errorf("cursor of %s: %q, %v; want %q", wid, c, err, want)
		}
	}
	// An event of the moved workflow's old contract, still on its way, is
	// dropped; one of its new contract goes on to the workflow.
	old, _ := service.ParseAddress(addrOld)
	nw, _ := service.ParseAddress(addrNew)
	topic := sdk.Hash{}
	copy(topic[:], mustHex(strings.Repeat("ab", 32)))
	for addr, wantDone := range map[sdk.Address]bool{sdk.Address(old): true, sdk.Address(nw): false} {
		release, done := f.r.updateGate(ctx, f.plugin, sdk.TriggerEvent{TriggerID: service.TriggerID(id, "moved"), Cursor: "c",
			Data: &sdk.EvmLog{Chain: "evm:31337", Address: addr, Topics: []sdk.Hash{topic}}})
		release()
		if done != wantDone {
			t.Errorf("event from %s: dropped %v, want %v", addr.Hex(), done, wantDone)
		}
	}

	// The same service again (another URI, other formatting): no change.
	before, _ := f.r.Get(ctx, id)
	same := f.serve("/same.json", " "+v2+"\n")
	f.r.handle(ctx, f.plugin, uriEvent(t, id, same, "00000000000000000010:0000000000"))
	after, _ := f.r.Get(ctx, id)
	if !after.UpdatedAt.Equal(before.UpdatedAt) || string(after.Service) != v2 {
		t.Errorf("an update to the same service changed it: %v → %v", before.UpdatedAt, after.UpdatedAt)
	}

	// Removed with its watch and every cursor.
	if err := f.r.Remove(ctx, id); err != nil {
		t.Fatal(err)
	}
	if got := f.triggerIDs(id); len(got) != 0 {
		t.Errorf("triggers after Remove: %v", got)
	}
	if c, ok, _ := f.st.Cursor(ctx, managerWatchID(id)); ok {
		t.Errorf("watch cursor after Remove: %q", c)
	}
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// A URI that cannot be fetched or is not a service keeps the old service
// running, records the error with the URI, and the event is acknowledged.
func TestServiceURIUpdateBadURIKeepsService(t *testing.T) {
	ctx := t.Context()
	f := newURIFixture(t)
	v1 := serviceDoc("v1", [4]string{"only", cronTrigger("@every 1m"), "component-x", `{}`})
	in, err := f.r.Add(ctx, []byte(v1))
	if err != nil {
		t.Fatal(err)
	}
	otherManager := strings.Replace(serviceDoc("other", [4]string{"only", cronTrigger("@every 1m"), "component-x", `{}`}), testManager, addrOld, 1)
	missingComponent := serviceDoc("v2", [4]string{"only", cronTrigger("@every 1m"), "component-z", `{}`})
	for i, c := range []struct{ uri, want string }{
		{f.srv.URL + "/missing.json", "HTTP 404"},
		{f.serve("/junk.json", `{"name": 1}`), "is not a service"},
		{f.serve("/other.json", otherManager), "names another manager"},
		{f.serve("/nocomp.json", missingComponent), "component"},
		{"file:///etc/passwd", "scheme"},
	} {
		cursor := fmt.Sprintf("%020d:0000000000", i+1)
		f.r.handle(ctx, f.plugin, uriEvent(t, in.ID, c.uri, cursor))
		got, err := f.r.Get(ctx, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		if string(got.Service) != v1 || got.Name != "v1" {
			t.Errorf("%s: the service changed to %s", c.uri, got.Service)
		}
		if !strings.Contains(got.LastError, c.want) || !strings.Contains(got.LastError, "service URI update") {
			t.Errorf("%s: last error %q, want it to say %q", c.uri, got.LastError, c.want)
		}
		if ack, _, _ := f.st.Cursor(ctx, managerWatchID(in.ID)); ack != cursor {
			t.Errorf("%s: watch cursor %q, want the event's %q (acknowledged)", c.uri, ack, cursor)
		}
	}
	// A log that does not decode is recorded too.
	ev := uriEvent(t, in.ID, "", "00000000000000000099:0000000000")
	ev.Data.(*sdk.EvmLog).Data = []byte{1, 2, 3}
	f.r.handle(ctx, f.plugin, ev)
	if got, _ := f.r.Get(ctx, in.ID); !strings.Contains(got.LastError, "ServiceURIUpdated") {
		t.Errorf("undecodable log: last error %q", got.LastError)
	}
	// A good update afterwards clears it.
	v2 := serviceDoc("v2", [4]string{"only", cronTrigger("@every 1m"), "component-y", `{}`})
	f.r.handle(ctx, f.plugin, uriEvent(t, in.ID, f.serve("/v2.json", v2), "00000000000000000100:0000000000"))
	if got, _ := f.r.Get(ctx, in.ID); got.Name != "v2" || got.LastError != "" || got.SigningIndex != in.SigningIndex {
		t.Errorf("after a good update: %s, last error %q, index %d (was %d)", got.Name, got.LastError, got.SigningIndex, in.SigningIndex)
	}
}

// A service whose manager's chain no trigger plugin serves is registered
// and runs, without a watch.
func TestServiceURIWatchNeedsAPlugin(t *testing.T) {
	ctx := t.Context()
	f := newURIFixture(t)
	sup := plugins.NewSupervisor(plugins.Found{Name: "cron-only", Info: sdk.Info{Kind: sdk.KindTrigger, Capabilities: []string{"trigger:cron"}}}, plugins.Options{})
	f.r.o.Triggers = []*plugins.Trigger{plugins.NewTrigger(sup)}
	in, err := f.r.Add(ctx, []byte(serviceDoc("v1", [4]string{"only", cronTrigger("@every 1m"), "component-x", `{}`})))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(f.triggerIDs(in.ID), ","); got != "only" {
		t.Errorf("triggers %s, want only the workflow's", got)
	}
}

// An update waits for the events of the service being handled, which
// finish with the version they started with.
func TestServiceURIUpdateWaitsForEventsInFlight(t *testing.T) {
	ctx := t.Context()
	f := newURIFixture(t)
	in, err := f.r.Add(ctx, []byte(serviceDoc("v1", [4]string{"only", cronTrigger("@every 1m"), "component-x", `{}`})))
	if err != nil {
		t.Fatal(err)
	}
	release, done := f.r.updateGate(ctx, f.plugin, sdk.TriggerEvent{TriggerID: service.TriggerID(in.ID, "only"), Cursor: "c", Data: &sdk.CronTick{}})
	if done {
		t.Fatal("a workflow event was taken by the gate")
	}
	f.r.mu.RLock()
	running := f.r.services[in.ID]
	f.r.mu.RUnlock()
	uri := f.serve("/v2.json", serviceDoc("v2", [4]string{"only", cronTrigger("@every 1m"), "component-y", `{}`}))
	updated := make(chan error, 1)
	go func() { updated <- f.r.updateFromURI(ctx, in.ID, uri) }()
	select {
	case err := <-updated:
		t.Fatalf("the update finished (%v) while an event was being handled", err)
	case <-time.After(300 * time.Millisecond):
	}
	if running.svc.Name != "v1" {
		t.Errorf("the event's entry changed under it: %s", running.svc.Name)
	}
	if got, _ := f.r.Get(ctx, in.ID); got.Name != "v1" {
		t.Errorf("GET shows %s before the update could run", got.Name)
	}
	release()
	select {
	case err := <-updated:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the update did not finish after the event")
	}
	if got, _ := f.r.Get(ctx, in.ID); got.Name != "v2" {
		t.Errorf("after the event: %s", got.Name)
	}
}
