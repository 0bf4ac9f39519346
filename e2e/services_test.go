package e2e

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wavs-go/wavs/api"

	"github.com/wavs-go/wavs/internal/signer"
	"github.com/wavs-go/wavs/sdk"
)

// The public anvil test mnemonic: HD index 1 and 2 are these addresses.
const (
	testMnemonic = "test test test test test test test test test test test junk"
	addrIndex1   = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
	addrIndex2   = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"
)

func serviceJSON(name, manager, digest string, timeLimit int) []byte {
	return []byte(fmt.Sprintf(`{
  "name": %q, "status": "active",
  "manager": {"evm": {"chain": "evm:31337", "address": %q}},
  "workflows": {"main": {
    "trigger": {"cron": {"schedule": "@every 1s", "start_time": null, "end_time": null}},
    "component": {"source": {"digest": %q}, "permissions": {"allowed_http_hosts": "none"},
                  "fuel_limit": null, "time_limit_seconds": %d, "config": {}, "env_keys": []},
    "submit": "none"}}}`, name, manager, digest, timeLimit))
}

// serviceInfo is a service as the API describes it.
type serviceInfo = api.Service

// result is a result as the API describes it.
type result = api.Result

func upload(t *testing.T, n *node, component string) string {
	t.Helper()
	wasm, err := os.ReadFile(bins.components[component])
	if err != nil {
		t.Fatal(err)
	}
	var out struct{ Digest, Error string }
	if code := n.send("POST", "/components", "", wasm, &out); code != 201 {
		t.Fatalf("POST /components %s: %d %s", component, code, out.Error)
	}
	return out.Digest
}

func register(t testing.TB, n *node, body []byte) serviceInfo {
	t.Helper()
	var info serviceInfo
	var e struct{ Error string }
	raw := &json.RawMessage{}
	if code := n.send("POST", "/services", "", body, raw); code != 201 {
		_ = json.Unmarshal(*raw, &e)
		t.Fatalf("POST /services: %d %s", code, e.Error)
	}
	if err := json.Unmarshal(*raw, &info); err != nil {
		t.Fatal(err)
	}
	return info
}

func results(t testing.TB, n *node, id string) []result {
	t.Helper()
	var out api.ResultsPage
	if code := n.get("/services/"+id+"/results?limit=1000&payloads=true", &out); code != 200 {
		t.Fatalf("GET results: %d", code)
	}
	return out.Results
}

// counts decodes kv-counter payloads (32-byte uint256) and checks each
// result's signature against its signer.
func counts(t *testing.T, rs []result, signerAddr string) []int64 {
	t.Helper()
	var out []int64
	for _, r := range rs {
		payload, _ := hex.DecodeString(strings.TrimPrefix(r.Payload, "0x"))
		eid, _ := hex.DecodeString(strings.TrimPrefix(r.EventID, "0x"))
		sig, _ := hex.DecodeString(strings.TrimPrefix(r.Signature, "0x"))
		if len(payload) != 32 || len(eid) != 20 {
			t.Fatalf("result %+v: payload or event id has the wrong length", r)
		}
		var env sdk.Envelope
		copy(env.EventID[:], eid)
		env.Payload = payload
		got, err := signer.RecoverEnvelopeSigner(env, sig)
		if err != nil {
			t.Fatalf("result %s: %v", r.EventID, err)
		}
		if r.Signer != signerAddr || !strings.EqualFold("0x"+hex.EncodeToString(got[:]), signerAddr) {
			t.Fatalf("result %s signed by %s (recovered 0x%x), want %s", r.EventID, r.Signer, got, signerAddr)
		}
		out = append(out, new(big.Int).SetBytes(payload).Int64())
	}
	slices.Sort(out)
	return out
}

func TestServicesRunSurviveRestartAndRemove(t *testing.T) {
	data := t.TempDir()
	opts := nodeOptions{data: data, plugins: []string{"transport-none", "trigger-ticker"}, env: []string{"WAVS_SIGNING_MNEMONIC=" + testMnemonic}}
	n := startNode(t, opts)

	counter := register(t, n, serviceJSON("counter", "0x000000000000000000000000000000000000c0de", upload(t, n, "kv-counter"), 5))
	looper := register(t, n, serviceJSON("looper", "0x000000000000000000000000000000000000100b", upload(t, n, "loop"), 1))
	if counter.SigningAddress != addrIndex1 || looper.SigningAddress != addrIndex2 {
		t.Fatalf("signing addresses %s, %s; want HD index 1 and 2: %s, %s", counter.SigningAddress, looper.SigningAddress, addrIndex1, addrIndex2)
	}
	var st p2pStatus
	n.get("/p2p/status", &st)
	if !slices.Contains(st.SubscribedTopics, counter.Topic) || !slices.Contains(st.SubscribedTopics, looper.Topic) {
		t.Errorf("topics %v do not include %s and %s", st.SubscribedTopics, counter.Topic, looper.Topic)
	}

	// The counter keeps producing while the looping service is stopped
	// by its 1 s limit on every tick.
	if !eventually(15*time.Second, func() bool { return len(results(t, n, counter.ID)) >= 3 }) {
		t.Fatalf("counter produced %d results in 15s", len(results(t, n, counter.ID)))
	}
	var lp serviceInfo
	if !eventually(10*time.Second, func() bool { n.get("/services/"+looper.ID, &lp); return lp.LastError != "" }) {
		t.Fatalf("looping service has no error: %+v", lp)
	}
	if !strings.Contains(lp.LastError, "time") {
		t.Errorf("looping service's error %q does not say it ran out of time", lp.LastError)
	}
	if rs := results(t, n, looper.ID); len(rs) != 0 {
		t.Errorf("looping service produced results: %v", rs)
	}
	before := counts(t, results(t, n, counter.ID), addrIndex1)
	for i, c := range before {
		if c != int64(i+1) {
			t.Fatalf("counter values %v, want 1, 2, 3, ...", before)
		}
	}

	// Restart on the same data folder: services, keys and KV are kept.
	n.signal(syscall.SIGTERM)
	if err := n.wait(15 * time.Second); err != nil {
		t.Fatalf("wavs exit: %v", err)
	}
	n = startNode(t, opts)
	var again serviceInfo
	if code := n.get("/services/"+counter.ID, &again); code != 200 || again.SigningAddress != addrIndex1 || again.Name != "counter" {
		t.Fatalf("after restart GET service = %d %+v", code, again)
	}
	last := before[len(before)-1]
	if !eventually(15*time.Second, func() bool {
		c := counts(t, results(t, n, counter.ID), addrIndex1)
		return c[len(c)-1] > last+1
	}) {
		t.Fatal("counter did not go on after the restart")
	}
	after := counts(t, results(t, n, counter.ID), addrIndex1)
	for i := 1; i < len(after); i++ {
		if after[i] != after[i-1]+1 {
			t.Fatalf("counter values after restart %v: a gap or a repeat", after)
		}
	}

	// Remove: gone from the API and from the transport.
	if code := n.do("DELETE", "/services/"+counter.ID, "", nil); code != 200 {
		t.Fatalf("DELETE: %d", code)
	}
	if code := n.get("/services/"+counter.ID, &again); code != 404 {
		t.Errorf("GET removed service: %d", code)
	}
	n.get("/p2p/status", &st)
	if slices.Contains(st.SubscribedTopics, counter.Topic) {
		t.Errorf("topic %s still subscribed after removal", counter.Topic)
	}
}

func TestServiceRegistrationErrors(t *testing.T) {
	n := startNode(t, nodeOptions{plugins: []string{"transport-none", "trigger-ticker"}, env: []string{"WAVS_SIGNING_KEY=ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"}})
	digest := upload(t, n, "echo-square")
	const cronTrigger = `{"cron": {"schedule": "@every 1s", "start_time": null, "end_time": null}}`
	edit := func(old, new string) []byte {
		body := string(serviceJSON("x", "0x000000000000000000000000000000000000beef", digest, 5))
		if !strings.Contains(body, old) {
			t.Fatalf("service JSON has no %s", old)
		}
		return []byte(strings.Replace(body, old, new, 1))
	}
	cases := []struct {
		name string
		body []byte
		code int
		want []string
	}{
		{"bad address", serviceJSON("x", "0x12", digest, 5), 400, []string{"manager.evm.address", `"0x12"`, "20-byte"}},
		{"unknown component", serviceJSON("x", "0x000000000000000000000000000000000000beef", strings.Repeat("ab", 32), 5), 400, []string{"component", "not on this node", "POST /components"}},
		{"not json", []byte("{"), 400, []string{"service JSON"}},
		{"time limit", serviceJSON("x", "0x000000000000000000000000000000000000beef", digest, 0), 400, []string{"time_limit_seconds"}},
		{"download url", edit(`"source": {"digest": "`+digest+`"}`, `"source": {"download": {"url": "https://example.com/x.wasm", "digest": "`+digest+`"}}`),
			400, []string{"component.source.download.url", `use "uri"`}},
		{"registry source", edit(`"source": {"digest": "`+digest+`"}`, `"source": {"registry": {"digest": "`+digest+`", "domain": null, "version": null, "package": "wavs:square"}}`),
			400, []string{"workflows.main.component.source.registry", "component registries are not configured on this node"}},
		{"kind without plugin", edit(cronTrigger, `{"hypercore_append": {"feed_key": "k"}}`),
			400, []string{"workflows.main.trigger", "hypercore_append: no loaded trigger plugin provides this kind"}},
		{"cosmos manager", edit(`{"evm": {"chain": "evm:31337", "address": "0x000000000000000000000000000000000000beef"}}`, `{"cosmos": {"chain": "cosmos:neutron-1", "address": "neutron1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5ma9uum"}}`),
			400, []string{"manager.cosmos", "no submit plugin serves chain cosmos:neutron-1"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var e struct{ Error string }
			if code := n.send("POST", "/services", "", c.body, &e); code != c.code {
				t.Fatalf("code %d, want %d: %s", code, c.code, e.Error)
			}
			for _, w := range c.want {
				if !strings.Contains(e.Error, w) {
					t.Errorf("error %q does not mention %q", e.Error, w)
				}
			}
		})
	}
	ok := serviceJSON("x", "0x000000000000000000000000000000000000beef", digest, 5)
	register(t, n, ok)
	var e struct{ Error string }
	if code := n.send("POST", "/services", "", ok, &e); code != 409 {
		t.Errorf("registering twice: %d %s, want 409", code, e.Error)
	}
	if code := n.send("POST", "/components", "", []byte("not wasm"), &e); code != 400 {
		t.Errorf("POST /components of junk: %d, want 400", code)
	}
	// A manual trigger needs no plugin: the service registers and runs
	// nothing until fired by hand.
	manual := []byte(strings.Replace(string(serviceJSON("manual", "0x000000000000000000000000000000000000cafe", digest, 5)), cronTrigger, `"manual"`, 1))
	register(t, n, manual)
}

func TestExecCommand(t *testing.T) {
	out, err := exec.Command(bins.wavs, "exec", "--component", bins.components["echo-square"], "--input", "7", "--json").Output()
	if err != nil {
		t.Fatalf("wavs exec: %v", err)
	}
	var got struct{ Responses []struct{ Payload string } }
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	want := "0x" + strings.Repeat("0", 62) + "31" // 49
	if len(got.Responses) != 1 || got.Responses[0].Payload != want {
		t.Errorf("echo-square of 7 = %+v, want %s", got.Responses, want)
	}

	// kv-counter starts at 1 in a fresh run.
	out, err = exec.Command(bins.wavs, "exec", "--component", bins.components["kv-counter"], "--input", "{}", "--json").Output()
	if err != nil || !strings.Contains(string(out), `"payload": "0x`+strings.Repeat("0", 63)+`1"`) {
		t.Errorf("kv-counter: %v: %s", err, out)
	}

	// http-fetch reaches an allowed host and only that.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "hello from the test server") }))
	defer srv.Close()
	out, err = exec.Command(bins.wavs, "exec", "--component", bins.components["http-fetch"], "--input", "{}",
		"--config", "url="+srv.URL+"/x", "--http", "127.0.0.1", "--outbound-allow", "127.0.0.0/8").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "hello from the test server") {
		t.Errorf("http-fetch allowed: %v: %s", err, out)
	}
	// Allowed by the workflow but loopback, which the operator did not
	// allow: refused at dial time.
	out, err = exec.Command(bins.wavs, "exec", "--component", bins.components["http-fetch"], "--input", "{}",
		"--config", "url="+srv.URL+"/x", "--http", "all").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "loopback address") {
		t.Errorf("http-fetch to loopback without --outbound-allow: %v: %s", err, out)
	}
	out, err = exec.Command(bins.wavs, "exec", "--component", bins.components["http-fetch"], "--input", "{}",
		"--config", "url="+srv.URL+"/x").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "127.0.0.1") {
		t.Errorf("http-fetch to a host not allowed: %v: %s", err, out)
	}

	cmd := exec.Command(bins.wavs, "exec", "--component", bins.components["loop"], "--input", "x", "--time-limit", "500ms")
	start := time.Now()
	out, err = cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "time") || time.Since(start) > 10*time.Second {
		t.Errorf("exec of a looping component: err %v after %v: %s", err, time.Since(start), out)
	}
}
