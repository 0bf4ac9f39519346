package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wavs-go/wavs/contracts/deploy"
	"github.com/wavs-go/wavs/internal/apitoken"
)

// TestAPISecurityTokenFile: a node with no token configured makes one in
// its data folder (0600), logs where (never the token), refuses changes
// without it, and the CLI finds it there; a Host the node is not bound as
// gets 421.
func TestAPISecurityTokenFile(t *testing.T) {
	data := t.TempDir()
	n := startNode(t, nodeOptions{data: data, plugins: []string{"transport-none", "trigger-ticker"}, env: []string{"WAVS_SIGNING_MNEMONIC=" + testMnemonic}})
	path := filepath.Join(data, "api-token")
	st, err := os.Stat(path)
	if err != nil {
		t.Fatalf("no token file: %v", err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("token file mode %04o, want 0600", st.Mode().Perm())
	}
	tok, err := apitoken.Read(data)
	if err != nil {
		t.Fatal(err)
	}
	if !eventually(5*time.Second, func() bool { return strings.Contains(n.log.String(), path) }) {
		t.Errorf("the log does not name the token file %s", path)
	}
	if strings.Contains(n.log.String(), tok) {
		t.Error("the token appears in the node's log")
	}

	// Without the token nothing changes, with it the node answers.
	body := serviceJSON("counter", "0x000000000000000000000000000000000000c0de", upload(t, n, "kv-counter"), 5)
	var e struct{ Error string }
	if code := n.send("POST", "/services", noToken, body, &e); code != 401 {
		t.Errorf("POST /services without a token = %d %s, want 401", code, e.Error)
	}
	if code := n.send("POST", "/plugins/transport-none/restart", noToken, nil, &e); code != 401 {
		t.Errorf("restart without a token = %d, want 401", code)
	}
	if strings.Contains(e.Error, tok) {
		t.Error("an error shows the token")
	}

	// The CLI finds the token through the node's data folder: --data, or
	// WAVS_DATA.
	file := filepath.Join(t.TempDir(), "svc.json")
	if err := os.WriteFile(file, body, 0o600); err != nil {
		t.Fatal(err)
	}
	r := cli(t, nil, "", "service", "add", file, "--node", n.url, "--data", data)
	r.ok(t, "service add --data")
	if strings.Contains(r.stdout+r.stderr, tok) {
		t.Error("the CLI printed the token")
	}
	r = cli(t, []string{"WAVS_DATA=" + data, "WAVS_NODE=" + n.url}, "", "service", "list")
	r.ok(t, "service list with WAVS_DATA")
	if !strings.Contains(r.stdout, "counter") {
		t.Errorf("service list: %s", r.stdout)
	}
	// Another folder has no token: the node's 401, and where the CLI looked.
	r = cli(t, []string{"WAVS_NODE=" + n.url}, "", "service", "remove", "abc")
	if r.code != 1 || !strings.Contains(r.stderr, "(HTTP 401)") || !strings.Contains(r.stderr, "api-token") {
		t.Errorf("service remove without the token: exit %d, %s", r.code, r.stderr)
	}

	// The same token survives a restart.
	n.signal(syscall.SIGTERM)
	_ = n.wait(30 * time.Second)
	n = startNode(t, nodeOptions{data: data, plugins: []string{"transport-none", "trigger-ticker"}, env: []string{"WAVS_SIGNING_MNEMONIC=" + testMnemonic}})
	if again, err := apitoken.Read(data); err != nil || again != tok {
		t.Errorf("after a restart the token changed (%v)", err)
	}
	if code := n.send("DELETE", "/services/nope", "", nil, &e); code != 404 {
		t.Errorf("DELETE with the file's token after a restart = %d, want 404", code)
	}

	// DNS rebinding: a name the node is not bound as gets 421, reads too.
	for host, want := range map[string]int{"rebind.example:" + portOf(n): 421, "127.0.0.1:" + portOf(n): 200, "localhost:" + portOf(n): 200} {
		req, _ := http.NewRequest("GET", n.url+"/services", nil)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET /services with Host %s = %d, want %d", host, resp.StatusCode, want)
		}
	}
}

func portOf(n *node) string { return n.url[strings.LastIndexByte(n.url, ':')+1:] }

// TestAPISecurityConcurrentRegistration: six simultaneous POSTs of one
// service give exactly one 201; the others 409.
func TestAPISecurityConcurrentRegistration(t *testing.T) {
	n := startNode(t, nodeOptions{plugins: []string{"transport-none", "trigger-ticker"}, env: []string{"WAVS_SIGNING_MNEMONIC=" + testMnemonic}})
	body := serviceJSON("counter", "0x000000000000000000000000000000000000c0de", upload(t, n, "kv-counter"), 5)
	for round := range 3 {
		codes := make([]int, 6)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range codes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				codes[i] = n.send("POST", "/services", "", body, nil)
			}()
		}
		close(start)
		wg.Wait()
		created, conflicts := 0, 0
		for _, c := range codes {
			switch c {
			case 201:
				created++
			case 409:
				conflicts++
			}
		}
		if created != 1 || conflicts != 5 {
			t.Fatalf("round %d: codes %v, want one 201 and five 409", round, codes)
		}
		var list struct{ Services []serviceInfo }
		n.get("/services", &list)
		if len(list.Services) != 1 {
			t.Fatalf("round %d: %d services, want 1", round, len(list.Services))
		}
		if code := n.do("DELETE", "/services/"+list.Services[0].ID, "", nil); code != 200 {
			t.Fatalf("remove: %d", code)
		}
	}
}

// TestAPISecurityResults: result lists are paged (limit at most 1000, a
// cursor, payloads only when asked), need the token when reads are not
// public, and a service keeps at most results_per_service results.
func TestAPISecurityResults(t *testing.T) {
	cfg := "[wavs]\npublic_reads = false\n\n[wavs.quotas]\nresults_per_service = 4\n"
	n := startNode(t, nodeOptions{config: cfg, plugins: []string{"transport-none", "trigger-ticker"}, env: []string{"WAVS_SIGNING_MNEMONIC=" + testMnemonic}})
	svc := register(t, n, serviceJSON("counter", "0x000000000000000000000000000000000000c0de", upload(t, n, "kv-counter"), 5))
	type page struct {
		Results    []map[string]any `json:"results"`
		NextCursor string           `json:"next_cursor"`
		Error      string           `json:"error"`
	}
	path := "/services/" + svc.ID + "/results"
	// The cron fires every second: wait until the quota has pruned some.
	var p page
	if !eventually(20*time.Second, func() bool {
		n.get(path+"?limit=1000", &p)
		return len(p.Results) >= 4
	}) {
		t.Fatalf("results: %+v", p)
	}
	time.Sleep(3 * time.Second) // a few more results, each pruning the oldest
	n.get(path+"?limit=1000", &p)
	if len(p.Results) != 4 {
		t.Errorf("%d results kept, want results_per_service = 4", len(p.Results))
	}
	if _, ok := p.Results[0]["payload"]; ok {
		t.Error("a listing shows payloads without payloads=true")
	}

	var all []string
	cursor := ""
	for i := 0; i < 10; i++ {
		q := path + "?limit=3&payloads=true"
		if cursor != "" {
			q += "&cursor=" + cursor
		}
		var pg page
		if code := n.get(q, &pg); code != 200 {
			t.Fatalf("GET %s: %d %s", q, code, pg.Error)
		}
		for _, r := range pg.Results {
			if s, _ := r["payload"].(string); !strings.HasPrefix(s, "0x") {
				t.Errorf("payloads=true: result without a payload: %v", r)
			}
			all = append(all, r["event_id"].(string))
		}
		if cursor = pg.NextCursor; cursor == "" {
			break
		}
	}
	if len(all) < 4 {
		t.Errorf("paging gave %d results, want at least 4", len(all))
	}

	var e page
	if code := n.get(path+"?limit=10000", &e); code != 400 || !strings.Contains(e.Error, "1..1000") {
		t.Errorf("limit=10000: %d %s, want 400", code, e.Error)
	}
	for _, read := range []string{"/services", "/services/" + svc.ID, path} {
		if code := n.do("GET", read, noToken, nil); code != 401 {
			t.Errorf("GET %s without a token on a node with public_reads = false: %d, want 401", read, code)
		}
	}
	if code := n.do("GET", "/health", noToken, nil); code != 200 {
		t.Errorf("GET /health without a token: %d", code)
	}
}

// TestAPISecurityBrowserCSRF: a page from another 127.0.0.1 port, in
// headless Chromium, tries forms and fetches that register a service and
// restart a plugin, even holding the token; nothing changes. A DNS name
// rebound to 127.0.0.1 gets 421.
func TestAPISecurityBrowserCSRF(t *testing.T) {
	b := needBrowser(t)
	data := t.TempDir()
	n := startNode(t, nodeOptions{data: data, plugins: []string{"transport-none", "trigger-ticker"}, env: []string{"WAVS_SIGNING_MNEMONIC=" + testMnemonic}})
	tok, err := apitoken.Read(data)
	if err != nil {
		t.Fatal(err)
	}
	svcBody := string(serviceJSON("csrf", "0x000000000000000000000000000000000000c0de", upload(t, n, "kv-counter"), 5))
	pidsBefore := n.pluginPIDs()

	page := csrfPage(n.url, tok, svcBody)
	attacker := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page)
	}))
	t.Cleanup(attacker.Close)

	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, b.node, filepath.Join("testdata", "browser", "csrf.mjs"),
		"--tools", b.tools, "--chromium", b.chromium, "--profile", filepath.Join(dir, "profile"),
		"--node-port", portOf(n), attacker.URL+"/")
	cmd.WaitDelay = 10 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("csrf.mjs: %v\nstderr:\n%s\nstdout:\n%s", err, stderr.String(), stdout.String())
	}
	var rep struct {
		Attempts     map[string]string `json:"attempts"`
		RebindStatus int               `json:"rebind_status"`
		RebindBody   string            `json:"rebind_body"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("csrf.mjs printed no JSON: %v\n%s", err, stdout.String())
	}
	t.Logf("what the attacker's page saw: %v", rep.Attempts)
	if len(rep.Attempts) < 6 {
		t.Errorf("the page made %d attempts, want all of them: %v", len(rep.Attempts), rep.Attempts)
	}
	for name, got := range rep.Attempts {
		if strings.HasPrefix(got, "2") {
			t.Errorf("attempt %q: the page read a success (%s)", name, got)
		}
	}
	if rep.RebindStatus != 421 {
		t.Errorf("GET http://rebind.test:%s/services = %d %s, want 421", portOf(n), rep.RebindStatus, rep.RebindBody)
	}

	// Nothing changed: no service, the plugin never restarted.
	var list struct{ Services []serviceInfo }
	if code := n.get("/services", &list); code != 200 || len(list.Services) != 0 {
		t.Errorf("services after the attack: %d %+v, want none", code, list.Services)
	}
	time.Sleep(time.Second)
	for _, p := range n.info().Plugins {
		if p.Restarts != 0 || p.PID != pidsBefore[p.Name] {
			t.Errorf("plugin %s restarted (%d restarts, pid %d, was %d)", p.Name, p.Restarts, p.PID, pidsBefore[p.Name])
		}
	}
	if strings.Contains(n.log.String(), "service registered") {
		t.Error("the log shows a registration")
	}
}

// csrfPage is the attacker's page: every way a page of another origin can
// send a POST or DELETE to the node, with and without the token.
func csrfPage(node, token, svc string) string {
	js := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	// A text/plain form posts "name=value": split the JSON so that the
	// body is the service JSON with a stray "=" inside a string.
	cut := strings.Index(svc, `"status"`)
	return fmt.Sprintf(`<!doctype html><html><head><title>attacker</title></head><body>
<form id="f1" method="POST" action=%[1]s target="s1"></form>
<form id="f2" method="POST" action=%[2]s enctype="text/plain" target="s2"><input name=%[3]s value=%[4]s></form>
<form id="f3" method="POST" action=%[2]s target="s3"><input name="service" value=%[5]s></form>
<iframe name="s1"></iframe><iframe name="s2"></iframe><iframe name="s3"></iframe>
<script>
const NODE = %[6]s, TOKEN = %[7]s, SVC = %[8]s;
const out = {};
async function attempt(name, f) {
  try {
    const r = await f();
    out[name] = r.type === "opaque" ? "opaque (no answer readable)" : String(r.status);
  } catch (e) { out[name] = "refused: " + e.message; }
}
(async () => {
  await attempt("no-cors fetch POST /services text/plain", () => fetch(NODE + "/services", {method: "POST", mode: "no-cors", headers: {"Content-Type": "text/plain"}, body: SVC}));
  await attempt("no-cors fetch POST /services with the token", () => fetch(NODE + "/services", {method: "POST", mode: "no-cors", headers: {"Content-Type": "text/plain", "Authorization": "Bearer " + TOKEN}, body: SVC}));
  await attempt("no-cors fetch POST restart", () => fetch(NODE + "/plugins/transport-none/restart", {method: "POST", mode: "no-cors"}));
  await attempt("cors fetch POST /services json with the token", () => fetch(NODE + "/services", {method: "POST", headers: {"Content-Type": "application/json", "Authorization": "Bearer " + TOKEN}, body: SVC}));
  await attempt("cors fetch POST restart json with the token", () => fetch(NODE + "/plugins/transport-none/restart", {method: "POST", headers: {"Content-Type": "application/json", "Authorization": "Bearer " + TOKEN}}));
  await attempt("cors fetch GET /services", () => fetch(NODE + "/services"));
  await attempt("sendBeacon POST /services", async () => ({type: navigator.sendBeacon(NODE + "/services", new Blob([SVC], {type: "text/plain"})) ? "opaque" : "refused", status: 0}));
  for (const id of ["f1", "f2", "f3"]) document.getElementById(id).submit();
  await new Promise((r) => setTimeout(r, 2000));
  out["forms submitted"] = "opaque";
  window.__done = out;
})();
</script></body></html>`,
		strconv.Quote(node+"/plugins/transport-none/restart"), strconv.Quote(node+"/services"),
		strconv.Quote(svc[:cut]+`"x`), strconv.Quote(`", `+svc[cut:]), strconv.Quote(svc),
		js(node), js(token), js(svc))
}

// TestAPISecurityChainCheck: a service JSON posted directly that names a
// real manager on a configured chain must be what the manager's
// getServiceURI() leads to; dev_mode turns the check off.
func TestAPISecurityChainCheck(t *testing.T) {
	c := setupChain(t, deploy.PairRepo)
	n := startNode(t, c.nodeOptions(t.TempDir()))
	real := c.registerByManager(t, n)
	var full struct {
		Service json.RawMessage `json:"service"`
	}
	if code := n.get("/services/"+real.ID, &full); code != 200 {
		t.Fatalf("GET the service: %d", code)
	}
	if code := n.do("DELETE", "/services/"+real.ID, "", nil); code != 200 {
		t.Fatalf("remove: %d", code)
	}
	handler := strings.ToLower(c.addrs.ServiceHandler.Hex())
	forged := bytes.ReplaceAll(full.Service, []byte(handler), []byte("0x000000000000000000000000000000000000dead"))
	if bytes.Equal(forged, full.Service) {
		t.Fatalf("the service JSON does not name the handler %s: %s", handler, full.Service)
	}

	// The forged JSON names the real manager, so it would get the real
	// service's id and signing key: refused.
	var e struct{ Error string }
	if code := n.send("POST", "/services", "", forged, &e); code != 400 || !strings.Contains(e.Error, "differs from the one its service manager") {
		t.Errorf("forged service JSON: %d %s, want 400 saying it differs", code, e.Error)
	}
	var list struct{ Services []serviceInfo }
	if n.get("/services", &list); len(list.Services) != 0 {
		t.Errorf("services after the forged registration: %+v", list.Services)
	}
	// The real JSON, however formatted, is accepted directly.
	var indented bytes.Buffer
	if err := json.Indent(&indented, full.Service, "", "    "); err != nil {
		t.Fatal(err)
	}
	var info serviceInfo
	if code := n.send("POST", "/services", "", indented.Bytes(), &info); code != 201 || info.ID != real.ID {
		t.Errorf("the manager's own JSON posted directly: %d %+v, want 201 with id %s", code, info, real.ID)
	}

	// A development node with dev_mode takes the JSON as it is.
	opts := c.nodeOptions(t.TempDir())
	opts.config = "wavs.dev_mode = true\n" + opts.config
	dev := startNode(t, opts)
	if code := dev.send("POST", "/services", "", forged, &e); code != 201 {
		t.Errorf("dev_mode: forged JSON = %d %s, want 201", code, e.Error)
	}
	if !strings.Contains(dev.log.String(), "dev mode") {
		t.Error("a dev_mode node does not warn in its log")
	}
}
