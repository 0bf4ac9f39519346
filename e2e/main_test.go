// Package e2e runs the real wavs binary with real plugin processes.
//
// The binaries come from WAVS_E2E_BIN (make test sets it to bin/) or, when
// it is unset, are built once into a temporary folder for the whole run.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wavs-go/wavs/internal/apitoken"
)

// bins holds the paths of the binaries under test.
var bins struct {
	wavs       string
	plugins    map[string]string // plugin name → executable
	components map[string]string // component name → .wasm
}

// exampleComponents are built into <bin>/components by make; testComponents
// (hostile ones) are always built here.
var (
	exampleComponents = []string{"echo-square", "kv-counter", "http-fetch", "evm-square"}
	testComponents    = []string{"loop"}
	// shippedPlugins are built into <bin>/plugins by make.
	shippedPlugins = []string{"transport-none", "submit-evm", "trigger-evm", "transport-libp2p"}
)

func TestMain(m *testing.M) {
	code, err := setup(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e setup:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func setup(m *testing.M) (int, error) {
	bins.plugins = map[string]string{}
	bins.components = map[string]string{}
	dir := os.Getenv("WAVS_E2E_BIN")
	tmp, err := os.MkdirTemp("", "wavs-e2e-bin-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)
	if dir == "" {
		dir = tmp
		builds := [][]string{{"build", "-o", filepath.Join(dir, "wavs"), "./cmd/wavs"}}
		for _, p := range shippedPlugins {
			builds = append(builds, []string{"build", "-o", filepath.Join(dir, "plugins", "wavs-plugin-"+p), "./plugins/" + p})
		}
		for _, args := range builds {
			if err := goCmd("..", args...); err != nil {
				return 0, err
			}
		}
		if err := goCmd("../examples/trigger-ticker", "build", "-o", filepath.Join(dir, "examples", "wavs-plugin-trigger-ticker"), "."); err != nil {
			return 0, err
		}
		for _, c := range exampleComponents {
			if err := wasmBuild(filepath.Join(dir, "components", c+".wasm"), "./examples/components/"+c); err != nil {
				return 0, err
			}
		}
	}
	for _, c := range testComponents {
		out := filepath.Join(tmp, "components", c+".wasm")
		if err := wasmBuild(out, "./host/engine/testdata/components/"+c); err != nil {
			return 0, err
		}
		bins.components[c] = out
	}
	for _, c := range exampleComponents {
		bins.components[c] = filepath.Join(dir, "components", c+".wasm")
	}
	// The test-only plugin is always built here: it is never shipped.
	if err := goCmd("..", "build", "-o", filepath.Join(tmp, "wavs-plugin-trigger-burst"), "./internal/testplugins/trigger-burst"); err != nil {
		return 0, err
	}
	bins.wavs = filepath.Join(dir, "wavs")
	for _, p := range shippedPlugins {
		bins.plugins[p] = filepath.Join(dir, "plugins", "wavs-plugin-"+p)
	}
	bins.plugins["trigger-ticker"] = filepath.Join(dir, "examples", "wavs-plugin-trigger-ticker")
	bins.plugins["trigger-burst"] = filepath.Join(tmp, "wavs-plugin-trigger-burst")
	for _, p := range append(append([]string{bins.wavs}, values(bins.plugins)...), values(bins.components)...) {
		if _, err := os.Stat(p); err != nil {
			return 0, fmt.Errorf("%w (run make build examples, or unset WAVS_E2E_BIN)", err)
		}
	}
	return m.Run(), nil
}

func values(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func wasmBuild(out, pkg string) error {
	return goEnv("..", []string{"GOOS=wasip1", "GOARCH=wasm"}, "build", "-o", out, pkg)
}

func goCmd(dir string, args ...string) error { return goEnv(dir, nil, args...) }

func goEnv(dir string, env []string, args ...string) error {
	cmd := exec.Command("go", args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go %s: %w", strings.Join(args, " "), err)
	}
	return nil
}

// pluginDir makes a plugins folder holding the named plugins (symlinks, so
// nothing is copied).
func pluginDir(t testing.TB, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, n := range names {
		src, ok := bins.plugins[n]
		if !ok {
			t.Fatalf("no plugin %q under test", n)
		}
		if err := os.Symlink(src, filepath.Join(dir, "wavs-plugin-"+n)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// node is a running wavs process.
type node struct {
	t    testing.TB
	cmd  *exec.Cmd
	url  string
	data string // the data folder
	log  *syncBuffer
	done chan struct{}
	err  error // the process's exit, once done is closed
}

type nodeOptions struct {
	data    string   // data folder ("" = a new one)
	plugins []string // plugin names for the plugins folder
	config  string   // wavs.toml content ("" = no file)
	env     []string // extra environment
	args    []string // extra arguments
	// dir, if set, is the plugins folder as it is (plugins is unused).
	dir string
}

// startNode runs `wavs run` and waits until its API answers.
func startNode(t testing.TB, o nodeOptions) *node {
	t.Helper()
	n := launch(t, o)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-n.done:
			t.Fatalf("wavs exited while starting: %v\n%s", n.err, n.log)
		default:
		}
		if resp, err := http.Get(n.url + "/health"); err == nil {
			resp.Body.Close()
			return n
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("wavs API did not answer within 30s\n%s", n.log)
	return nil
}

// launch starts `wavs run` without waiting for it.
func launch(t testing.TB, o nodeOptions) *node {
	t.Helper()
	data := o.data
	if data == "" {
		data = t.TempDir()
	}
	port := freePort(t)
	plugins := o.dir
	if plugins == "" {
		plugins = pluginDir(t, o.plugins...)
	}
	args := []string{"run", "--plugins", plugins, "--data", data, "--host", "127.0.0.1", "--port", strconv.Itoa(port), "--log-level", "debug"}
	if o.config != "" {
		path := filepath.Join(data, "wavs.toml")
		if err := os.WriteFile(path, []byte(o.config), 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, "--config", path)
	}
	args = append(args, o.args...)
	cmd := exec.Command(bins.wavs, args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + data}, o.env...)
	n := &node{t: t, cmd: cmd, url: fmt.Sprintf("http://127.0.0.1:%d", port), data: data, log: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = n.log, n.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		n.err = cmd.Wait()
		close(n.done)
	}()
	t.Cleanup(func() {
		n.signal(syscall.SIGKILL)
		<-n.done
		if t.Failed() {
			t.Logf("wavs log:\n%s", n.log)
		}
		// WAVS_E2E_LOGS=<folder> keeps every node's log, for looking at
		// timings after a passing run too.
		if dir := os.Getenv("WAVS_E2E_LOGS"); dir != "" {
			_ = os.WriteFile(filepath.Join(dir, fmt.Sprintf("wavs-%d.log", cmd.Process.Pid)), []byte(n.log.String()), 0o644)
		}
	})
	return n
}

func (n *node) signal(sig syscall.Signal) {
	select {
	case <-n.done:
	default:
		_ = n.cmd.Process.Signal(sig)
	}
}

// wait waits for the process to exit.
func (n *node) wait(d time.Duration) error {
	select {
	case <-n.done:
		return n.err
	case <-time.After(d):
		n.t.Fatalf("wavs still running %v after it was asked to stop\n%s", d, n.log)
		return nil
	}
}

// get fetches path and decodes the JSON body into v; it returns the code.
func (n *node) get(path string, v any) int {
	n.t.Helper()
	return n.do("GET", path, "", v)
}

func (n *node) do(method, path, token string, v any) int {
	n.t.Helper()
	return n.send(method, path, token, nil, v)
}

// noToken makes send call without any token.
const noToken = "-"

// send makes a request with a body and decodes the JSON answer into v.
// An empty token means the node's own: the one it made in its data
// folder, if it made one (noToken sends none); a POST carries the content
// type the node wants.
func (n *node) send(method, path, token string, body []byte, v any) int {
	n.t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, n.url+path, rd)
	if err != nil {
		n.t.Fatal(err)
	}
	switch token {
	case noToken:
	case "":
		if tok, err := apitoken.Read(n.data); err == nil {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
	default:
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if method == http.MethodPost {
		ctype := "application/json"
		if path == "/components" {
			ctype = "application/wasm"
		}
		req.Header.Set("Content-Type", ctype)
	}
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		n.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		n.t.Errorf("%s %s: Content-Type %q, want application/json", method, path, ct)
	}
	if v != nil {
		if err := json.Unmarshal(answer, v); err != nil {
			n.t.Fatalf("%s %s: %v: %s", method, path, err, answer)
		}
	}
	return resp.StatusCode
}

// info is the part of GET /info the tests read.
type info struct {
	Version         string `json:"version"`
	ProtocolVersion int    `json:"plugin_protocol_version"`
	OperatorAddress string `json:"operator_address"`
	Plugins         []struct {
		Name     string `json:"name"`
		Kind     string `json:"kind"`
		Version  string `json:"version"`
		State    string `json:"state"`
		Healthy  bool   `json:"healthy"`
		Restarts int    `json:"restarts"`
		PID      int    `json:"pid"`
	} `json:"plugins"`
}

func (n *node) info() info {
	n.t.Helper()
	var i info
	if code := n.get("/info", &i); code != 200 {
		n.t.Fatalf("GET /info: %d", code)
	}
	return i
}

// pluginPIDs returns the process ids of the node's running plugins.
func (n *node) pluginPIDs() map[string]int {
	n.t.Helper()
	out := map[string]int{}
	for _, p := range n.info().Plugins {
		if p.PID == 0 {
			n.t.Fatalf("plugin %s has no pid (state %s)", p.Name, p.State)
		}
		out[p.Name] = p.PID
	}
	return out
}

// alive reports whether pid is a live (not zombie) process.
func alive(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// The state follows the command name in parentheses.
	s := string(stat)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2] != 'Z' && s[i+2] != 'X'
	}
	return true
}

// eventually polls cond every 50ms until it holds or d passes.
func eventually(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
}
