package e2e

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wavs-go/wavs/internal/modproxy"
)

// authorMain is the plugin a new author writes: a trigger kind of its
// own, "heartbeat", fired on every multiple of every_ms since the Unix
// epoch with that instant as its raw data, so every operator's node
// emits the same bytes.
const authorMain = `// Command wavs-plugin-myplugin declares the trigger kind "heartbeat".
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/sdk"
)

type heartbeat struct {
	q     *sdk.EventQueue
	mu    sync.Mutex
	every map[string]int64 // trigger id → interval, ms
	last  map[string]int64 // trigger id → last tick queued (the cursor), Unix ms
}

func newHeartbeat(hclog.Logger) *heartbeat {
	h := &heartbeat{q: sdk.NewEventQueue(256), every: map[string]int64{}, last: map[string]int64{}}
	go h.run()
	return h
}

func (h *heartbeat) run() {
	for now := range time.Tick(10 * time.Millisecond) {
		h.mu.Lock()
		for id, every := range h.every {
			if ms := now.UnixMilli() / every * every; ms > h.last[id] {
				h.last[id] = ms
				c := strconv.FormatInt(ms, 10)
				if err := h.q.Push(context.Background(), sdk.TriggerEvent{TriggerID: id, Cursor: c, Data: &sdk.RawData{Data: []byte(c)}}); errors.Is(err, sdk.ErrUnavailable) {
					h.mu.Unlock()
					return // closed: shut down
				}
			}
		}
		h.mu.Unlock()
	}
}

func (*heartbeat) Info() sdk.Info {
	return sdk.Info{Name: "myplugin", Version: "0.1.0", Kind: sdk.KindTrigger,
		TriggerKinds: []sdk.TriggerKind{{Name: "heartbeat", Description: "fires every every_ms milliseconds",
			Fields: []sdk.ConfigField{{Name: "every_ms", Type: sdk.FieldInteger, Required: true}}}}}
}

func (*heartbeat) Configure(_ context.Context, req sdk.ConfigureRequest) error {
	var own struct{}
	_, err := req.Section("plugin", &own)
	return err
}

func (*heartbeat) Health(context.Context) sdk.Health { return sdk.Health{Healthy: true, Message: "beating"} }

func (h *heartbeat) Shutdown(context.Context) error { return h.q.Close() }

func (h *heartbeat) AddTrigger(_ context.Context, spec sdk.TriggerSpec) error {
	var cfg struct {
		EveryMS int64 ` + "`json:\"every_ms\"`" + `
	}
	src, ok := spec.Source.(*sdk.KindSource)
	if !ok || src.Kind != "heartbeat" || json.Unmarshal(src.Config, &cfg) != nil || cfg.EveryMS < 1 {
		return fmt.Errorf("%w: trigger %q: want {\"heartbeat\": {\"every_ms\": 1 or more}}", sdk.ErrInvalidArgument, spec.ID)
	}
	acked, _ := strconv.ParseInt(spec.Cursor, 10, 64) // after a restart: resume after it
	h.mu.Lock()
	defer h.mu.Unlock()
	h.every[spec.ID], h.last[spec.ID] = cfg.EveryMS, max(acked, h.last[spec.ID])
	return nil
}

func (h *heartbeat) RemoveTrigger(_ context.Context, id string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.every[id]; !ok {
		return fmt.Errorf("%w: trigger %q", sdk.ErrNotFound, id)
	}
	delete(h.every, id)
	delete(h.last, id)
	h.q.Remove(id)
	return nil
}

func (h *heartbeat) Events(ctx context.Context) (<-chan sdk.TriggerEvent, error) {
	return h.q.Stream(ctx), nil
}

func (h *heartbeat) Ack(_ context.Context, id, cursor string) error {
	h.q.Ack(id, cursor)
	return nil
}

func main() { sdk.ServeTrigger(newHeartbeat) }
`

// authorTest is the author's conformance test.
const authorTest = `package main

import (
	"encoding/json"
	"testing"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/plugintest"
)

func TestConformance(t *testing.T) {
	plugintest.TriggerSuite(t, func(*testing.T) sdk.Trigger {
		return newHeartbeat(hclog.NewNullLogger())
	}, plugintest.TriggerOptions{
		Spec: func(id string) sdk.TriggerSpec {
			return sdk.TriggerSpec{ID: id, Source: &sdk.KindSource{Kind: "heartbeat", Config: json.RawMessage(` + "`" + `{"every_ms": 50}` + "`" + `)}}
		},
	})
}
`

// TestAuthorPath does what docs/plugins.md tells a new plugin author, in a
// folder outside this tree, and times each step: make a module, write a
// trigger plugin and its conformance test, require the SDK by version
// (from a module proxy written from sdk/, as `make sdk-proxy` does; no
// replace, no workspace), test, build into a plugins folder, list it with
// `wavs plugins`, and run a node that loads it.
func TestAuthorPath(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	begin := time.Now()
	type step struct {
		name string
		took time.Duration
	}
	var steps []step
	timed := func(name string, f func()) {
		t.Helper()
		start := time.Now()
		f()
		steps = append(steps, step{name, time.Since(start)})
	}
	// The table is logged even when a step fails.
	warm := "unknown"
	defer func() {
		var b strings.Builder
		fmt.Fprintf(&b, "a new author's path (build cache: %s)\n", warm)
		for i, s := range steps {
			fmt.Fprintf(&b, "  %d. %-52s %8v\n", i+1, s.name, s.took.Round(time.Millisecond))
		}
		fmt.Fprintf(&b, "  %-55s %8v", "total (with the proxy and the checks)", time.Since(begin).Round(time.Millisecond))
		t.Log(b.String())
	}()

	// The SDK at its version, in a proxy tree of this test's own.
	const sdkModule = "github.com/wavs-go/wavs/sdk"
	version, err := modproxy.ReadVersion(filepath.Join("..", "sdk", "VERSION"))
	if err != nil {
		t.Fatal(err)
	}
	sdkDir, err := filepath.Abs(filepath.Join("..", "sdk"))
	if err != nil {
		t.Fatal(err)
	}
	proxy := t.TempDir()
	if _, err := modproxy.Write(proxy, sdkDir, version, time.Now()); err != nil {
		t.Fatal(err)
	}
	environ, err := modproxy.Environ(proxy, t.TempDir(), []string{sdkModule})
	if err != nil {
		t.Fatal(err)
	}

	mod := t.TempDir() // outside the tree: no go.work above it
	plugins := t.TempDir()
	run := func(name string, args ...string) []byte {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = mod
		cmd.Env = environ
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s%s", filepath.Base(name), strings.Join(args, " "), err, out, stderr.Bytes())
		}
		return out
	}

	timed("go mod init example.com/myplugin", func() { run(gobin, "mod", "init", "example.com/myplugin") })
	timed("write main.go and main_test.go", func() {
		for name, src := range map[string]string{"main.go": authorMain, "main_test.go": authorTest} {
			if err := os.WriteFile(filepath.Join(mod, name), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	})
	timed("go get "+sdkModule+"@"+version, func() { run(gobin, "get", sdkModule+"@"+version) })
	timed("go mod tidy", func() { run(gobin, "mod", "tidy") })
	gomod, err := os.ReadFile(filepath.Join(mod, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(gomod, []byte(sdkModule+" "+version+"\n")) || bytes.Contains(gomod, []byte("replace")) {
		t.Fatalf("go.mod does not require %s %s directly, without replace:\n%s", sdkModule, version, gomod)
	}

	// Not a step: how much of the plugin's build the build cache holds.
	stale := strings.Fields(string(run(gobin, "list", "-deps", "-f", "{{if and .Stale (not .Standard)}}{{.ImportPath}}{{end}}", ".")))
	total := strings.Fields(string(run(gobin, "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".")))
	if len(stale) <= 1 {
		warm = fmt.Sprintf("warm, %d of %d non-standard packages to compile", len(stale), len(total))
	} else {
		warm = fmt.Sprintf("cold, %d of %d non-standard packages to compile", len(stale), len(total))
	}

	var testOut []byte
	timed("go test ./... (plugintest.TriggerSuite)", func() { testOut = run(gobin, "test", "-count=1", "-v", "./...") })
	for _, check := range []string{"EventCarriesIDAndCursor", "UnackedEventRedelivered", "RemovedTriggerFallsSilent", "ResumeAfterRestart", "Deterministic"} {
		if !bytes.Contains(testOut, []byte("--- PASS: TestConformance/"+check+" ")) {
			t.Errorf("go test: the conformance check %s did not pass:\n%s", check, testOut)
		}
	}
	if !bytes.Contains(testOut, []byte("ok  \texample.com/myplugin")) {
		t.Fatalf("go test: %s", testOut)
	}
	bin := filepath.Join(plugins, "wavs-plugin-myplugin")
	timed("go build -o <plugins>/wavs-plugin-myplugin .", func() { run(gobin, "build", "-o", bin, ".") })
	var described struct {
		Name         string `json:"name"`
		Kind         string `json:"kind"`
		TriggerKinds []struct {
			Name string `json:"name"`
		} `json:"trigger_kinds"`
	}
	timed("wavs-plugin-myplugin describe", func() {
		if err := json.Unmarshal(run(bin, "describe"), &described); err != nil {
			t.Fatalf("describe: %v", err)
		}
	})
	if described.Name != "myplugin" || described.Kind != "trigger" || len(described.TriggerKinds) != 1 || described.TriggerKinds[0].Name != "heartbeat" {
		t.Errorf("describe = %+v", described)
	}

	// The node's own transport beside it, copied in.
	copyFile(t, bins.plugins["transport-none"], filepath.Join(plugins, "wavs-plugin-transport-none"))
	var table []byte
	timed("wavs plugins <plugins>", func() { table = run(bins.wavs, "plugins", plugins) })
	sum := fileSHA256(t, bin)
	var row []string
	for line := range strings.SplitSeq(string(table), "\n") {
		if f := strings.Fields(line); len(f) > 0 && f[0] == "myplugin" {
			row = f
		}
	}
	if len(row) != 5 || row[1] != "trigger" || row[3] != "trigger:heartbeat" || row[4] != sum {
		t.Fatalf("wavs plugins does not list myplugin as a trigger of kind heartbeat with sha256 %s:\n%s", sum, table)
	}

	// The node, with the plugin pinned as docs/plugins.md says.
	config := fmt.Sprintf("[plugins.myplugin]\nsha256 = %q\n\n[plugins.myplugin.config]\n", sum)
	var n *node
	var p struct {
		State   string
		Healthy bool
		PID     int
	}
	timed("wavs run --plugins <plugins>: /info shows it healthy", func() {
		n = startNode(t, nodeOptions{dir: plugins, config: config})
		if !eventually(30*time.Second, func() bool {
			for _, q := range n.info().Plugins {
				if q.Name == "myplugin" {
					p.State, p.Healthy, p.PID = q.State, q.Healthy, q.PID
				}
			}
			return p.State == "running" && p.Healthy
		}) {
			t.Fatalf("myplugin not running and healthy within 30s: %+v", n.info())
		}
	})

	// Nothing listens beyond loopback: the node's API is on 127.0.0.1 and
	// the plugins speak to it over unix sockets.
	pids := map[string]int{"wavs": n.cmd.Process.Pid}
	for name, pid := range n.pluginPIDs() {
		pids[name] = pid
	}
	api := strings.TrimPrefix(n.url, "http://")
	sawAPI := false
	for name, pid := range pids {
		for _, addr := range listening(t, pid) {
			sawAPI = sawAPI || addr == api
			if host, _, _ := net.SplitHostPort(addr); host != "127.0.0.1" {
				t.Errorf("%s (pid %d) listens on %s", name, pid, addr)
			}
		}
	}
	if !sawAPI {
		t.Errorf("the node's API socket %s is not among its listening sockets: the check sees nothing", api)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o755); err != nil {
		t.Fatal(err)
	}
}

func fileSHA256(t *testing.T, file string) string {
	t.Helper()
	out, err := exec.Command("sha256sum", file).Output()
	if err != nil {
		t.Fatalf("sha256sum: %v", err)
	}
	return strings.Fields(string(out))[0]
}

// listening returns the local addresses of the TCP sockets process pid
// listens on and of its UDP sockets, read from /proc (Linux).
func listening(t *testing.T, pid int) []string {
	t.Helper()
	fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		t.Fatalf("sockets of pid %d: %v", pid, err)
	}
	inodes := map[string]bool{}
	for _, fd := range fds {
		link, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, fd.Name()))
		if inode, ok := strings.CutPrefix(link, "socket:["); err == nil && ok {
			inodes[strings.TrimSuffix(inode, "]")] = true
		}
	}
	var out []string
	for _, proto := range []string{"tcp", "tcp6", "udp", "udp6"} {
		f, err := os.Open(fmt.Sprintf("/proc/%d/net/%s", pid, proto))
		if err != nil {
			continue // no IPv6
		}
		sc := bufio.NewScanner(f)
		sc.Scan() // the header
		for sc.Scan() {
			// sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
			fields := strings.Fields(sc.Text())
			if len(fields) < 10 || !inodes[fields[9]] {
				continue
			}
			if strings.HasPrefix(proto, "tcp") && fields[3] != "0A" { // LISTEN
				continue
			}
			out = append(out, procAddr(t, fields[1]))
		}
		f.Close()
	}
	return out
}

// procAddr reads /proc/net's "<hex ip>:<hex port>"; the address is in
// 32-bit words of the host's (little-endian) byte order.
func procAddr(t *testing.T, s string) string {
	t.Helper()
	ipHex, portHex, _ := strings.Cut(s, ":")
	raw, err := hex.DecodeString(ipHex)
	port, perr := strconv.ParseUint(portHex, 16, 16)
	if err != nil || perr != nil || len(raw)%4 != 0 {
		t.Fatalf("/proc/net address %q", s)
	}
	for i := 0; i < len(raw); i += 4 {
		raw[i], raw[i+1], raw[i+2], raw[i+3] = raw[i+3], raw[i+2], raw[i+1], raw[i]
	}
	return net.JoinHostPort(net.IP(raw).String(), strconv.FormatUint(port, 10))
}
