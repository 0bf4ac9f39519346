package e2e

import (
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// tableBombWasm is an 84-byte component with an unbounded funcref table
// that it grows by 2^31-1 elements (16 GiB of host memory unbounded); when
// table.grow fails it traps.
var tableBombWasm = mustHex("0061736d01000000010c0260000060047f7f7f7f017f030201000404017000000503010001071302065f73746172740000066d656d6f727902000a180116000340d07041ffffffff07fc0f00417f470d000b000b")

// hugeTableWasm declares a table of 2^27 elements (1 GiB at instantiation).
var hugeTableWasm = mustHex("0061736d01000000010401600000030201000407017000808080400503010001071302065f73746172740000066d656d6f727902000a040102000b")

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// hostileComponents builds the hostile test components this file needs.
func hostileComponents(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	out := map[string]string{}
	for _, c := range []string{"memhog", "bigout", "stderrflood"} {
		path := filepath.Join(dir, c+".wasm")
		if err := wasmBuild(path, "./host/engine/testdata/components/"+c); err != nil {
			t.Fatal(err)
		}
		out[c] = path
	}
	out["loop"] = bins.components["loop"]
	path := filepath.Join(dir, "tablebomb.wasm")
	if err := os.WriteFile(path, tableBombWasm, 0o644); err != nil {
		t.Fatal(err)
	}
	out["tablebomb"] = path
	return out
}

func uploadFile(t *testing.T, n *node, path string) string {
	t.Helper()
	wasm, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out struct{ Digest, Error string }
	if code := n.send("POST", "/components", "", wasm, &out); code != 201 {
		t.Fatalf("POST /components %s: %d %s", path, code, out.Error)
	}
	return out.Digest
}

// workflowsJSON is a service of cron workflows: id → schedule, digest and
// time limit.
type wfSpec struct {
	schedule, digest string
	timeLimit        int
}

// hostileCase is a hostile component run as a service, and the cause it
// must be marked failed with.
type hostileCase struct {
	name, wasm string
	timeLimit  int
	cause      string
}

// registerHostile uploads each case's component, registers it as a
// service firing every second, and waits until the node marks it failed
// with its cause after three faults in a row. It returns the service ids
// by case name.
func registerHostile(t *testing.T, n *node, cases []hostileCase) map[string]string {
	t.Helper()
	ids := map[string]string{}
	for i, h := range cases {
		d := uploadFile(t, n, h.wasm)
		info := register(t, n, workflowsJSON(h.name, fmt.Sprintf("0x%040x", 0xbad0+i),
			map[string]wfSpec{"main": {"@every 1s", d, h.timeLimit}}))
		ids[h.name] = info.ID
	}
	for _, h := range cases {
		var info hostileInfo
		if !eventually(90*time.Second, func() bool {
			n.get("/services/"+ids[h.name], &info)
			return info.Status == "failed"
		}) {
			t.Fatalf("%s: not marked failed: %+v", h.name, info)
		}
		if !strings.Contains(info.LastError, h.cause) || !strings.Contains(info.LastError, "3 executions in a row") {
			t.Errorf("%s: last error %q does not name the cause %q", h.name, info.LastError, h.cause)
		}
		t.Logf("%s: %s", h.name, info.LastError)
	}
	return ids
}

func workflowsJSON(name, manager string, wfs map[string]wfSpec) []byte {
	var parts []string
	for id, w := range wfs {
		parts = append(parts, fmt.Sprintf(`%q: {
    "trigger": {"cron": {"schedule": %q, "start_time": null, "end_time": null}},
    "component": {"source": {"digest": %q}, "permissions": {"allowed_http_hosts": "none"},
                  "fuel_limit": null, "time_limit_seconds": %d, "config": {}, "env_keys": []},
    "submit": "none"}`, id, w.schedule, w.digest, w.timeLimit))
	}
	return []byte(fmt.Sprintf(`{"name": %q, "status": "active",
  "manager": {"evm": {"chain": "evm:31337", "address": %q}},
  "workflows": {%s}}`, name, manager, strings.Join(parts, ",\n")))
}

type hostileInfo struct {
	serviceInfo
	FaultsInARow int    `json:"faults_in_a_row"`
	Skipped      uint64 `json:"skipped"`
}

// counterRuns is how many results a service has (at most 1000).
func counterRuns(t *testing.T, n *node, id string) int64 {
	t.Helper()
	return int64(len(results(t, n, id)))
}

// rate measures a counter service's runs per second over d.
func rate(t *testing.T, n *node, id string, d time.Duration) float64 {
	t.Helper()
	start := counterRuns(t, n, id)
	time.Sleep(d)
	return float64(counterRuns(t, n, id)-start) / d.Seconds()
}

// procStatus reads a field of a process's /proc status, in MiB.
func procStatusMiB(pid int, field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1
	}
	for _, l := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(l, field+":"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb >> 10
		}
	}
	return -1
}

// TestHostileComponents runs hostile components beside a normal service
// on one node: the node stays up, the normal service keeps its rate while
// a service loops in every lane with a 3600 s time limit, and each failing
// component's service is marked failed with its cause and skipped, also
// after a restart.
func TestHostileComponents(t *testing.T) {
	comps := hostileComponents(t)
	data := t.TempDir()
	opts := nodeOptions{
		data:    data,
		plugins: []string{"transport-none", "trigger-ticker"},
		env:     []string{"WAVS_SIGNING_MNEMONIC=" + testMnemonic},
		config: `[wavs.engine]
max_concurrent = 2
memory_limit_mib = 64
max_time_limit_seconds = 3600
max_consecutive_failures = 3
`,
	}
	n := startNode(t, opts)

	// The normal service, alone.
	// The normal service, alone: four workflows firing every second.
	counter := upload(t, n, "kv-counter")
	normal := register(t, n, workflowsJSON("normal", "0x000000000000000000000000000000000000c0de", map[string]wfSpec{
		"a": {"@every 1s", counter, 5}, "b": {"@every 1s", counter, 5}, "c": {"@every 1s", counter, 5}, "d": {"@every 1s", counter, 5},
	}))
	if !eventually(30*time.Second, func() bool { return counterRuns(t, n, normal.ID) >= 8 }) {
		t.Fatalf("the normal service did not run")
	}
	alone := rate(t, n, normal.ID, 8*time.Second)

	// A hog: three workflows that loop for up to an hour.
	loop := uploadFile(t, n, comps["loop"])
	hog := register(t, n, workflowsJSON("hog", "0x000000000000000000000000000000000000b00b", map[string]wfSpec{
		"a": {"@every 1s", loop, 3600}, "b": {"@every 1s", loop, 3600}, "c": {"@every 1s", loop, 3600},
	}))
	time.Sleep(3 * time.Second) // the hog takes every slot it can
	beside := rate(t, n, normal.ID, 8*time.Second)
	t.Logf("normal service: %.2f runs/s alone, %.2f runs/s beside a 3-lane 3600 s looper (ratio %.2f)", alone, beside, beside/alone)
	if beside < alone/2 {
		t.Errorf("the normal service fell from %.2f to %.2f runs/s beside the hog", alone, beside)
	}

	// Uploads: a table of 2^27 elements is refused, the table bomb is
	// accepted (its table gets a maximum).
	var e struct{ Error string }
	if code := n.send("POST", "/components", "", hugeTableWasm, &e); code != 400 || !strings.Contains(e.Error, "table elements") {
		t.Errorf("a 2^27-element table: %d %q, want 400 naming the table limit", code, e.Error)
	}

	// The hostile services; each is marked failed with its cause.
	hostile := []struct {
		name, component string
		timeLimit       int
		cause           string
	}{
		{"tablebomb", "tablebomb", 5, "trap"},
		{"memorybomb", "memhog", 30, "out of memory"},
		{"infiniteloop", "loop", 1, "timeout"},
		{"hugeoutput", "bigout", 30, "output too large"},
		{"stderrflood", "stderrflood", 1, "timeout"},
	}
	var cases []hostileCase
	for _, h := range hostile {
		cases = append(cases, hostileCase{h.name, comps[h.component], h.timeLimit, h.cause})
	}
	ids := registerHostile(t, n, cases)
	var tb hostileInfo
	if !eventually(10*time.Second, func() bool { n.get("/services/"+ids["tablebomb"], &tb); return tb.Skipped > 0 }) {
		t.Errorf("the failed table bomb's events are not skipped: %+v", tb)
	}
	select {
	case <-n.done:
		t.Fatalf("the node died: %v", n.err)
	default:
	}
	if pid := n.cmd.Process.Pid; pid > 0 {
		t.Logf("node RSS now %d MiB, peak %d MiB (memory limit 64 MiB, 2 slots)", procStatusMiB(pid, "VmRSS"), procStatusMiB(pid, "VmHWM"))
	}
	if len(n.log.String()) > 64<<20 {
		t.Errorf("node log is %d MiB: the stderr flood reached it", len(n.log.String())>>20)
	}
	if before := counterRuns(t, n, normal.ID); !eventually(10*time.Second, func() bool { return counterRuns(t, n, normal.ID) > before+5 }) {
		t.Errorf("the normal service stopped beside the hostile ones")
	}

	// A restart keeps them failed, and the node up.
	n.signal(syscall.SIGTERM)
	if err := n.wait(30 * time.Second); err != nil {
		t.Fatalf("wavs exit: %v", err)
	}
	n = startNode(t, opts)
	if code := n.do("DELETE", "/services/"+hog.ID, "", nil); code != 200 {
		t.Errorf("DELETE hog: %d", code)
	}
	for _, h := range hostile {
		var info hostileInfo
		if code := n.get("/services/"+ids[h.name], &info); code != 200 || info.Status != "failed" {
			t.Errorf("%s after a restart: %d %+v", h.name, code, info)
		}
	}
	if !eventually(10*time.Second, func() bool { n.get("/services/"+ids["tablebomb"], &tb); return tb.Skipped > 0 }) {
		t.Errorf("after a restart the table bomb's events are not skipped: %+v", tb)
	}
	if before := counterRuns(t, n, normal.ID); !eventually(15*time.Second, func() bool { return counterRuns(t, n, normal.ID) > before+5 }) {
		t.Errorf("the normal service did not go on after the restart")
	}
	select {
	case <-n.done:
		t.Fatalf("the node died after the restart: %v", n.err)
	default:
	}
}

// TestHostileTimeLimitOverCeiling: a workflow asking more time than the
// node's ceiling (300 s by default) is refused, naming the field, the value
// and the range.
func TestHostileTimeLimitOverCeiling(t *testing.T) {
	n := startNode(t, nodeOptions{plugins: []string{"transport-none", "trigger-ticker"}, env: []string{"WAVS_SIGNING_MNEMONIC=" + testMnemonic}})
	var e struct{ Error string }
	body := serviceJSON("x", "0x000000000000000000000000000000000000beef", upload(t, n, "loop"), 3600)
	if code := n.send("POST", "/services", "", body, &e); code != 400 {
		t.Fatalf("code %d, want 400: %s", code, e.Error)
	}
	for _, w := range []string{"workflows.main.component.time_limit_seconds = 3600", "1..300", "max_time_limit_seconds"} {
		if !strings.Contains(e.Error, w) {
			t.Errorf("error %q does not mention %q", e.Error, w)
		}
	}
}
