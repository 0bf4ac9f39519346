package e2e

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// addrIndex0 is HD index 0 of testMnemonic: the operator's own address.
const addrIndex0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"

// cliRun is one run of the wavs CLI.
type cliRun struct {
	stdout, stderr string
	code           int
}

// cli runs `wavs args...` with only env (and PATH, HOME) in its
// environment and stdin as its input.
func cli(t *testing.T, env []string, stdin string, args ...string) cliRun {
	t.Helper()
	cmd := exec.Command(bins.wavs, args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, env...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("wavs %s still running after 30s", strings.Join(args, " "))
	}
	r := cliRun{stdout: stdout.String(), stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	default:
		t.Fatalf("wavs %s: %v", strings.Join(args, " "), err)
	}
	return r
}

// ok fails the test unless the run exited 0 with nothing on stderr.
func (r cliRun) ok(t *testing.T, what string) cliRun {
	t.Helper()
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("%s: exit %d\nstdout: %s\nstderr: %s", what, r.code, r.stdout, r.stderr)
	}
	return r
}

// decode parses the run's stdout as JSON into v.
func (r cliRun) decode(t *testing.T, what string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.stdout), v); err != nil {
		t.Fatalf("%s: %v\n%s", what, err, r.stdout)
	}
}

// containsAll fails the test unless s holds every one of want.
func containsAll(t *testing.T, what, s string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(s, w) {
			t.Errorf("%s does not show %q:\n%s", what, w, s)
		}
	}
}

func TestCLIAgainstANode(t *testing.T) {
	const token = "e2e-cli-token"
	n := startNode(t, nodeOptions{
		plugins: []string{"transport-none", "trigger-ticker"},
		env:     []string{"WAVS_SIGNING_MNEMONIC=" + testMnemonic, "WAVS_BEARER_TOKEN=" + token},
	})
	node := []string{"WAVS_NODE=" + n.url}
	withToken := append([]string{"WAVS_BEARER_TOKEN=" + token}, node...)

	// The component goes up by the CLI, which prints its digest.
	wasm, err := os.ReadFile(bins.components["kv-counter"])
	if err != nil {
		t.Fatal(err)
	}
	var up struct{ Digest string }
	up.Digest = strings.TrimSpace(cli(t, withToken, "", "component", "add", bins.components["kv-counter"]).ok(t, "component add").stdout)
	if sum := sha256.Sum256(wasm); up.Digest != hex.EncodeToString(sum[:]) {
		t.Fatalf("component add printed %q, want the sha256 of the wasm", up.Digest)
	}
	file := filepath.Join(t.TempDir(), "counter.json")
	if err := os.WriteFile(file, serviceJSON("counter", "0x000000000000000000000000000000000000c0de", up.Digest, 5), 0o600); err != nil {
		t.Fatal(err)
	}

	// Without the token the node refuses, and the CLI says why.
	r := cli(t, node, "", "service", "add", file)
	if r.code != 1 || !strings.HasPrefix(r.stderr, "wavs service add: ") || !strings.Contains(r.stderr, "(HTTP 401)") || !strings.Contains(r.stderr, "--token") {
		t.Errorf("service add without a token: exit %d, stderr %q; want 1 and the node's 401", r.code, r.stderr)
	}

	// --token, --node and --json.
	var counter serviceInfo
	cli(t, nil, "", "service", "add", file, "--node", n.url, "--token", token, "--json").ok(t, "service add --json").decode(t, "service add --json", &counter)
	if counter.Name != "counter" || counter.SigningAddress != addrIndex1 || len(counter.ID) != 64 {
		t.Fatalf("service add --json = %+v, want counter signing with %s", counter, addrIndex1)
	}
	// The token from the environment, the JSON from stdin, a table.
	r = cli(t, withToken, string(serviceJSON("second", "0x000000000000000000000000000000000000beef", up.Digest, 5)), "service", "add", "-").ok(t, "service add -")
	containsAll(t, "service add -", r.stdout, "registered service second", "Signing address:", addrIndex2+" (HD index 2)", "Workflows:", "main")
	// Registering the same service again: the node's 409, its message.
	r = cli(t, withToken, "", "service", "add", file)
	if r.code != 1 || !strings.Contains(r.stderr, "(HTTP 409)") || strings.Contains(r.stdout+r.stderr, token) {
		t.Errorf("service add twice: exit %d, stderr %q; want 1 and the node's 409 (and no token)", r.code, r.stderr)
	}

	var list struct{ Services []serviceInfo }
	cli(t, node, "", "service", "list", "--json").ok(t, "service list --json").decode(t, "service list --json", &list)
	if len(list.Services) != 2 {
		t.Fatalf("service list --json: %+v, want 2 services", list.Services)
	}
	var second serviceInfo
	for _, s := range list.Services {
		if s.Name == "second" {
			second = s
		}
	}
	if second.ID == "" || second.SigningAddress != addrIndex2 {
		t.Fatalf("service list --json: %+v, want the second service signing with %s", list.Services, addrIndex2)
	}
	r = cli(t, node, "", "service", "list").ok(t, "service list")
	containsAll(t, "service list", r.stdout, "ID", "NAME", "STATUS", "SIGNING ADDRESS", "WORKFLOWS",
		counter.ID, "counter", addrIndex1, second.ID, "second", addrIndex2, "active", "main")

	// The counter signs a result every second.
	if !eventually(20*time.Second, func() bool { return len(results(t, n, counter.ID)) >= 2 }) {
		t.Fatalf("the counter produced %d results in 20s", len(results(t, n, counter.ID)))
	}
	var status struct {
		Service serviceInfo `json:"service"`
		Results []result    `json:"results"`
	}
	cli(t, node, "", "service", "status", counter.ID, "--limit", "1", "--json").ok(t, "service status --json").decode(t, "service status --json", &status)
	if status.Service.ID != counter.ID || status.Service.Topic != counter.Topic || len(status.Results) != 1 || status.Results[0].Signer != addrIndex1 {
		t.Fatalf("service status --limit 1 --json = %+v, want the counter and 1 result signed by %s", status, addrIndex1)
	}
	r = cli(t, node, "", "service", "status", counter.ID).ok(t, "service status")
	latest := results(t, n, counter.ID)
	containsAll(t, "service status", r.stdout, "ID:", counter.ID, "Name:", "counter", "Status:", "active",
		"Signing address:", addrIndex1+" (HD index 1)", "Topic:", counter.Topic,
		"Latest results (", "CREATED", "WORKFLOW", "EVENT ID", "STATUS", "SIGNERS", "QUORUM AT", "TX HASH",
		status.Results[0].EventID, status.Results[0].Status)
	if rows := strings.Count(r.stdout, "\n"+latest[len(latest)-1].CreatedAt.UTC().Format("2006-01-02")); rows < 2 || rows > 10 {
		t.Errorf("service status shows %d results, want 2..10 (--limit defaults to 10):\n%s", rows, r.stdout)
	}

	var signer struct {
		OperatorAddress string `json:"operator_address"`
		Services        []struct {
			ID             string `json:"id"`
			SigningAddress string `json:"signing_address"`
			SigningIndex   int    `json:"signing_index"`
		} `json:"services"`
	}
	cli(t, node, "", "signer", "--json").ok(t, "signer --json").decode(t, "signer --json", &signer)
	if signer.OperatorAddress != addrIndex0 || len(signer.Services) != 2 {
		t.Fatalf("signer --json = %+v, want operator %s and 2 services", signer, addrIndex0)
	}
	for _, s := range signer.Services {
		want := map[string]string{counter.ID: addrIndex1, second.ID: addrIndex2}[s.ID]
		if s.SigningAddress != want {
			t.Errorf("signer --json: service %s signs with %s, want %s", s.ID, s.SigningAddress, want)
		}
	}
	r = cli(t, node, "", "signer").ok(t, "signer")
	containsAll(t, "signer", r.stdout, "Operator address: "+addrIndex0, "SERVICE ID", "SIGNING ADDRESS", "HD INDEX",
		counter.ID, addrIndex1, second.ID, addrIndex2)

	var st p2pStatus
	cli(t, node, "", "p2p", "status", "--json").ok(t, "p2p status --json").decode(t, "p2p status --json", &st)
	if st.Enabled == nil || *st.Enabled || !slices.Contains(st.SubscribedTopics, counter.Topic) {
		t.Errorf("p2p status --json = %+v, want enabled false and the counter's topic %s", st, counter.Topic)
	}
	r = cli(t, node, "", "p2p", "status").ok(t, "p2p status")
	containsAll(t, "p2p status", r.stdout, "Enabled:", "no (single-operator mode)", "Connected peers:", "0", "TOPIC", counter.Topic, second.Topic)

	// Remove: the token is needed; then the service is gone.
	r = cli(t, node, "", "service", "remove", counter.ID)
	if r.code != 1 || !strings.Contains(r.stderr, "wavs service remove: ") || !strings.Contains(r.stderr, "(HTTP 401)") {
		t.Errorf("service remove without a token: exit %d, stderr %q", r.code, r.stderr)
	}
	r = cli(t, node, "", "service", "remove", "--token", token, counter.ID).ok(t, "service remove")
	containsAll(t, "service remove", r.stdout, "removed service "+counter.ID)
	var removed map[string]string
	cli(t, withToken, "", "service", "remove", second.ID, "--json").ok(t, "service remove --json").decode(t, "service remove --json", &removed)
	if removed["removed"] != second.ID {
		t.Errorf("service remove --json = %v", removed)
	}
	r = cli(t, node, "", "service", "status", counter.ID)
	if r.code != 1 || !strings.HasPrefix(r.stderr, "wavs service status: ") || !strings.Contains(r.stderr, "(HTTP 404)") {
		t.Errorf("service status of a removed service: exit %d, stderr %q; want 1 and the node's 404", r.code, r.stderr)
	}
	r = cli(t, node, "", "service", "list").ok(t, "service list")
	if strings.TrimSpace(r.stdout) != "no services" {
		t.Errorf("service list with none: %q, want \"no services\"", r.stdout)
	}
	if r = cli(t, node, "", "signer").ok(t, "signer"); !strings.Contains(r.stdout, "no services") {
		t.Errorf("signer with no services:\n%s", r.stdout)
	}
	if strings.Contains(n.log.String(), token) {
		t.Error("the bearer token appears in the node's log")
	}
}

func TestCLINodeDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	r := cli(t, []string{"WAVS_NODE=" + url}, "", "service", "list")
	want := fmt.Sprintf("wavs service list: cannot reach the node at %s: connection refused", url)
	if r.code != 1 || !strings.HasPrefix(r.stderr, want) || !strings.Contains(r.stderr, "--node") {
		t.Errorf("service list with no node: exit %d, stderr %q; want 1 and %q, naming --node", r.code, r.stderr, want)
	}
}

func TestCLIHelpAndBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"run"}, {"exec"}, {"plugins"}, {"version"},
		{"service", "add"}, {"service", "list"}, {"service", "status"}, {"service", "remove"},
		{"p2p", "status"}, {"signer"},
	} {
		name := strings.Join(args, " ")
		r := cli(t, nil, "", append(slices.Clone(args), "--help")...)
		if r.code != 0 || !strings.HasPrefix(r.stdout, "Usage: wavs "+name) || r.stderr != "" {
			t.Errorf("wavs %s --help: exit %d, stdout %q, stderr %q; want 0 and the usage on stdout", name, r.code, r.stdout, r.stderr)
		}
		r = cli(t, nil, "", append(slices.Clone(args), "--no-such-flag")...)
		if r.code != 2 || !strings.Contains(r.stderr, "flag provided but not defined: -no-such-flag") || !strings.Contains(r.stderr, "Usage: wavs "+name) {
			t.Errorf("wavs %s --no-such-flag: exit %d, stderr %q; want 2 and the usage on stderr", name, r.code, r.stderr)
		}
	}
	for _, args := range [][]string{{"--help"}, {"service", "--help"}, {"p2p", "--help"}} {
		if r := cli(t, nil, "", args...); r.code != 0 || !strings.Contains(r.stdout, "Commands:") {
			t.Errorf("wavs %s: exit %d, stdout %q", strings.Join(args, " "), r.code, r.stdout)
		}
	}
	for _, args := range [][]string{{"service"}, {"service", "bogus"}, {"p2p", "bogus"}, {"service", "status"}, {"service", "remove"}, {"service", "add"}} {
		if r := cli(t, nil, "", args...); r.code != 2 || !strings.Contains(r.stderr, "Usage:") {
			t.Errorf("wavs %s: exit %d, stderr %q; want 2 and the usage", strings.Join(args, " "), r.code, r.stderr)
		}
	}
}
