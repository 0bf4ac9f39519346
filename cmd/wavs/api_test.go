package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wavs-go/wavs/host/config"
	"github.com/wavs-go/wavs/internal/apitoken"
)

const (
	svcID    = "5d1b3a0c8f2e4d6a9b7c1e3f5a7d9b1c3e5f7a9b1d3f5a7c9e1b3d5f7a9c1e3b"
	svcAddr  = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
	opAddr   = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
	peerAddr = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"
	txHash   = "0x9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	token    = "s3cret-token"
)

var (
	serviceBody = `{"id": "` + svcID + `", "name": "counter", "status": "active", "signing_address": "` + svcAddr + `",
  "signing_index": 1, "topic": "wavs/service/` + svcID + `", "registered_at": "2026-01-02T03:04:05Z",
  "updated_at": "2026-01-02T03:04:06Z", "workflows": ["count", "main"], "service": {"name": "counter"}}`
	resultsBody = `{"results": [
  {"event_id": "0x1111111111111111111111111111111111111111", "service_id": "` + svcID + `", "workflow_id": "count",
   "payload": "0x01", "signer": "` + svcAddr + `", "signature": "0x22", "status": "landed",
   "created_at": "2026-01-02T03:05:00Z", "quorum_at": "2026-01-02T03:05:01Z", "signers": ["` + svcAddr + `", "` + peerAddr + `"],
   "tx_hash": "` + txHash + `", "block_number": 8},
  {"event_id": "0x2222222222222222222222222222222222222222", "service_id": "` + svcID + `", "workflow_id": "count",
   "payload": "0x02", "signer": "` + svcAddr + `", "signature": "0x33", "status": "failed", "error": "quorum\nnot met",
   "created_at": "2026-01-02T03:04:50Z"}]}`
	p2pBody = `{"enabled": true, "local_peer_id": "12D3KooWLocal", "listen_addresses": ["/ip4/127.0.0.1/tcp/9000"],
  "external_addresses": [], "connected_peers": 1, "peer_ids": ["12D3KooWPeer"], "subscribed_topics": ["wavs/service/x"],
  "topic_peer_counts": {"wavs/service/x": 1}}`
	aggregatorBody = `{"pending": 2, "pending_events": [
  {"event_id": "0x3333333333333333333333333333333333333333", "service_id": "` + svcID + `", "workflow_id": "count",
   "since": "2026-01-02T03:06:00Z", "attempts": 3, "waiting": "waiting for signatures", "signers": ["` + svcAddr + `", "` + peerAddr + `"],
   "signed_weight": "66", "verdict": "validate: InsufficientQuorum(66, 2, 100)"},
  {"event_id": "0x4444444444444444444444444444444444444444", "service_id": "` + svcID + `", "workflow_id": "main",
   "since": "2026-01-02T03:07:00Z", "attempts": 0, "waiting": "quorum reached; this operator is 2 of 3", "signers": ["` + svcAddr + `"],
   "signed_weight": "200", "total_weight": "300", "threshold": "2/3", "threshold_weight": "250", "verdict": "validate passes"}]}`
	p2pOffBody = `{"enabled": false, "local_peer_id": "", "listen_addresses": [], "external_addresses": [],
  "connected_peers": 0, "peer_ids": [], "subscribed_topics": [], "topic_peer_counts": {}}`
)

// seen is a request the fake node received.
type seen struct {
	method, uri, auth, contentType, body string
}

// reply is the fake node's answer to a route.
type reply struct {
	code  int
	body  string
	delay time.Duration
}

// fakeNode mimics the node's HTTP API.
type fakeNode struct {
	*httptest.Server
	mu   sync.Mutex
	seen []seen
}

func newFakeNode(t *testing.T, overrides map[string]reply) *fakeNode {
	t.Helper()
	routes := map[string]reply{
		"GET /info":                        {200, `{"version": "dev", "plugin_protocol_version": 2, "operator_address": "` + opAddr + `", "plugins": []}`, 0},
		"GET /services":                    {200, `{"services": [` + serviceBody + `]}`, 0},
		"POST /services":                   {201, serviceBody, 0},
		"GET /services/{id}":               {200, serviceBody, 0},
		"DELETE /services/{id}":            {200, `{"removed": "` + svcID + `"}`, 0},
		"GET /services/{id}/results":       {200, resultsBody, 0},
		"GET /p2p/status":                  {200, p2pBody, 0},
		"POST /plugins/{name}/restart":     {202, `{}`, 0},
		"GET /aggregator":                  {200, aggregatorBody, 0},
		"DELETE /aggregator/pending/{id}":  {200, `{"dropped": "x"}`, 0},
		"POST /components":                 {201, `{"digest": "x"}`, 0},
		"DELETE /components/{digest}":      {200, `{"removed": "x"}`, 0},
		"POST /services/{id}/reset":        {200, serviceBody, 0},
		"GET /health":                      {200, `{"status": "ok"}`, 0},
		"DELETE /services/{id}/results":    {405, `{"error": "no"}`, 0},
		"PATCH /services/{id}/results/{x}": {405, `{"error": "no"}`, 0},
	}
	for k, v := range overrides {
		routes[k] = v
	}
	f := &fakeNode{}
	mux := http.NewServeMux()
	for pattern, rep := range routes {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			if rep.delay > 0 {
				select {
				case <-time.After(rep.delay):
				case <-r.Context().Done():
					return
				}
			}
			ct := "application/json"
			if rep.code == 0 {
				ct, rep.code = "text/html", 200
			}
			w.Header().Set("Content-Type", ct)
			w.WriteHeader(rep.code)
			io.WriteString(w, rep.body)
		})
	}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.seen = append(f.seen, seen{r.Method, r.URL.RequestURI(), r.Header.Get("Authorization"), r.Header.Get("Content-Type"), string(body)})
		f.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeNode) requests() []seen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seen(nil), f.seen...)
}

func TestNodeCommands(t *testing.T) {
	t.Setenv(envBearerToken, "")
	t.Setenv(envNode, "")
	t.Setenv(envConfig, "")
	dir := t.TempDir()
	// No node on this machine unless a case says so: an empty data folder.
	noData := filepath.Join(dir, "no-node")
	t.Setenv(config.EnvData, noData)
	// A node's data folder with the token it made on its first start.
	nodeData := filepath.Join(dir, "node-data")
	if err := os.MkdirAll(nodeData, 0o700); err != nil {
		t.Fatal(err)
	}
	fileToken, _, err := apitoken.Ensure(nodeData)
	if err != nil {
		t.Fatal(err)
	}
	svcFile := filepath.Join(dir, "svc.json")
	if err := os.WriteFile(svcFile, []byte(`{"name": "counter", "workflows": {}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	badFile := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(badFile, []byte(`{"name": `), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name      string
		args      []string
		stdin     string
		env       map[string]string
		routes    map[string]reply
		noNode    bool     // do not add --node <fake node>
		code      int      // exit code
		calls     []string // "METHOD URI" in order
		body      string   // body of the last call
		auth      string   // Authorization of the calls that change the node
		out       []string // in stdout, in order
		errOut    []string // in stderr
		json      bool     // stdout must be JSON
		notOutput []string // neither in stdout nor in stderr
	}{
		// service list
		{name: "list table", args: []string{"service", "list"},
			calls: []string{"GET /services"},
			out:   []string{"ID", "NAME", "STATUS", "SIGNING ADDRESS", "WORKFLOWS", svcID, "counter", "active", svcAddr, "count,main"}},
		{name: "list json", args: []string{"service", "list", "--json"}, json: true,
			calls: []string{"GET /services"}, out: []string{`"services": [`, `"id": "` + svcID + `"`, `"service": {`}},
		{name: "list empty", args: []string{"service", "list"}, routes: map[string]reply{"GET /services": {200, `{"services": []}`, 0}},
			out: []string{"no services"}},
		{name: "list from WAVS_NODE", args: []string{"service", "list"}, noNode: true, env: map[string]string{envNode: "NODE"},
			calls: []string{"GET /services"}, out: []string{svcID}},
		{name: "list starting", args: []string{"service", "list"}, routes: map[string]reply{"GET /services": {503, `{"error": "the node is starting"}`, 0}},
			code: 1, errOut: []string{"wavs service list: the node is starting (HTTP 503)\n"}},
		{name: "list stray", args: []string{"service", "list", "x"}, code: 2, errOut: []string{`unexpected argument "x"`, "Usage: wavs service list"}},

		// service add
		{name: "add file", args: []string{"service", "add", svcFile, "--token", token},
			calls: []string{"POST /services"}, body: `{"name": "counter", "workflows": {}}`, auth: "Bearer " + token,
			out: []string{"registered service counter", "ID:", svcID, "Signing address:", svcAddr + " (HD index 1)", "Workflows:", "count, main"}, notOutput: []string{token}},
		{name: "add token from env", args: []string{"service", "add", svcFile}, env: map[string]string{envBearerToken: token},
			calls: []string{"POST /services"}, auth: "Bearer " + token, out: []string{"registered service counter"}},
		{name: "add no token", args: []string{"service", "add", svcFile},
			calls: []string{"POST /services"}, auth: "", out: []string{"registered service counter"}},
		{name: "add stdin json", args: []string{"service", "add", "--json", "-"}, stdin: `{"name": "from stdin"}`, json: true,
			calls: []string{"POST /services"}, body: `{"name": "from stdin"}`, out: []string{`"id": "` + svcID + `"`}},
		{name: "add manager", args: []string{"service", "add", "--manager", "0x000000000000000000000000000000000000c0de", "--chain", "evm:31337", "--token", token},
			calls: []string{"POST /services"}, body: `{"address":"0x000000000000000000000000000000000000c0de","chain":"evm:31337"}`, auth: "Bearer " + token,
			out: []string{"registered service counter"}},
		{name: "add rejected", args: []string{"service", "add", svcFile, "--token", token},
			routes: map[string]reply{"POST /services": {400, `{"error": "workflows.main.component: not on this node"}`, 0}},
			auth:   "Bearer " + token, code: 1, errOut: []string{"wavs service add: workflows.main.component: not on this node (HTTP 400)\n"}, notOutput: []string{token}},
		{name: "add conflict", args: []string{"service", "add", svcFile},
			routes: map[string]reply{"POST /services": {409, `{"error": "service exists"}`, 0}},
			code:   1, errOut: []string{"service exists (HTTP 409)"}},
		{name: "add unauthorized", args: []string{"service", "add", svcFile},
			routes: map[string]reply{"POST /services": {401, `{"error": "this call needs the header Authorization: Bearer <token>"}`, 0}},
			code:   1, errOut: []string{"(set --token or WAVS_BEARER_TOKEN, or --data", "(HTTP 401)"}},
		{name: "add token from the data folder", args: []string{"service", "add", svcFile, "--data", nodeData},
			calls: []string{"POST /services"}, auth: "Bearer " + fileToken, out: []string{"registered service counter"}, notOutput: []string{fileToken}},
		{name: "list token from WAVS_DATA", args: []string{"service", "list"}, env: map[string]string{config.EnvData: nodeData},
			calls: []string{"GET /services"}, auth: "Bearer " + fileToken, out: []string{svcID}},
		{name: "add flag token over the file", args: []string{"service", "add", svcFile, "--data", nodeData, "--token", token},
			calls: []string{"POST /services"}, auth: "Bearer " + token},
		{name: "add no token file", args: []string{"service", "add", svcFile},
			routes: map[string]reply{"POST /services": {401, `{"error": "needs the token"}`, 0}},
			code:   1, errOut: []string{"set --token or WAVS_BEARER_TOKEN, or --data to the node's data folder", "no-node/api-token", "(HTTP 401)"}},
		{name: "add wrong token", args: []string{"service", "add", svcFile, "--token", token},
			routes: map[string]reply{"POST /services": {401, `{"error": "bad token"}`, 0}},
			auth:   "Bearer " + token, code: 1, errOut: []string{"wavs service add: bad token (HTTP 401)\n"}, notOutput: []string{token}},
		{name: "add not json", args: []string{"service", "add", badFile}, code: 1, errOut: []string{"bad.json is not JSON"}},
		{name: "add no file", args: []string{"service", "add", filepath.Join(dir, "nope.json")}, code: 1, errOut: []string{"nope.json"}},
		{name: "add empty stdin", args: []string{"service", "add", "-"}, code: 1, errOut: []string{"stdin is empty"}},
		{name: "add nothing", args: []string{"service", "add"}, code: 2, errOut: []string{"missing argument", "Usage: wavs service add"}},
		{name: "add manager only", args: []string{"service", "add", "--manager", "0x01"}, code: 2, errOut: []string{"--manager and --chain go together"}},
		{name: "add both", args: []string{"service", "add", svcFile, "--manager", "0x01", "--chain", "evm:1"}, code: 2, errOut: []string{"not both"}},
		{name: "add two files", args: []string{"service", "add", svcFile, svcFile}, code: 2, errOut: []string{"unexpected argument"}},

		// pending
		{name: "pending list", args: []string{"pending", "list"}, calls: []string{"GET /aggregator"},
			out: []string{"2 pending", "SINCE", "EVENT ID", "SIGNED", "NEEDS", "WAITING FOR",
				"0x3333333333333333333333333333333333333333", "66", "validate: InsufficientQuorum(66, 2, 100)",
				"0x4444444444444444444444444444444444444444", "200 of 300", "2/3, ≥ 250", "quorum reached; this operator is 2 of 3"}},
		{name: "pending list json", args: []string{"pending", "list", "--json"}, json: true, calls: []string{"GET /aggregator"},
			out: []string{`"pending_events": [`}},
		{name: "pending list empty", args: []string{"pending", "list"}, routes: map[string]reply{"GET /aggregator": {200, `{"pending": 0, "pending_events": []}`, 0}},
			out: []string{"nothing pending"}},
		{name: "pending drop", args: []string{"pending", "drop", "0x3333333333333333333333333333333333333333", "--token", token},
			calls: []string{"DELETE /aggregator/pending/0x3333333333333333333333333333333333333333"}, auth: "Bearer " + token,
			out: []string{"dropped 0x3333333333333333333333333333333333333333"}, notOutput: []string{token}},
		{name: "pending drop unknown", args: []string{"pending", "drop", "0x5555555555555555555555555555555555555555"},
			routes: map[string]reply{"DELETE /aggregator/pending/{id}": {404, `{"error": "no pending submission of event 0x55…"}`, 0}},
			code:   1, errOut: []string{"wavs pending drop: no pending submission of event 0x55… (HTTP 404)"}},
		{name: "pending drop nothing", args: []string{"pending", "drop"}, code: 2, errOut: []string{"missing argument", "Usage: wavs pending drop"}},

		// service remove
		{name: "remove", args: []string{"service", "remove", svcID, "--token", token},
			calls: []string{"DELETE /services/" + svcID}, auth: "Bearer " + token, out: []string{"removed service " + svcID}},
		{name: "remove json", args: []string{"service", "remove", "--json", svcID}, json: true,
			calls: []string{"DELETE /services/" + svcID}, out: []string{`"removed": "` + svcID + `"`}},
		{name: "remove escapes", args: []string{"service", "remove", "a/b c"},
			calls: []string{"DELETE /services/a%2Fb%20c"}, routes: map[string]reply{"DELETE /services/{id}": {404, `{"error": "not found: service \"a/b c\""}`, 0}},
			code: 1, errOut: []string{`wavs service remove: not found: service "a/b c" (HTTP 404)`}},
		{name: "remove no id", args: []string{"service", "remove"}, code: 2, errOut: []string{"missing argument: SERVICE-ID"}},
		{name: "remove empty id", args: []string{"service", "remove", ""}, code: 2, errOut: []string{"missing argument: SERVICE-ID"}},

		// service reset
		{name: "reset", args: []string{"service", "reset", svcID, "--token", token},
			calls: []string{"POST /services/" + svcID + "/reset"}, auth: "Bearer " + token, out: []string{"service " + svcID + " is active again"}},
		{name: "reset no id", args: []string{"service", "reset"}, code: 2, errOut: []string{"missing argument: SERVICE-ID"}},

		// component remove
		{name: "component remove", args: []string{"component", "remove", "abcd", "--token", token},
			calls: []string{"DELETE /components/abcd"}, auth: "Bearer " + token, out: []string{"removed component abcd"}},
		{name: "component remove in use", args: []string{"component", "remove", "abcd"},
			routes: map[string]reply{"DELETE /components/{digest}": {409, `{"error": "component in use: by service counter"}`, 0}},
			code:   1, errOut: []string{"wavs component remove: component in use: by service counter (HTTP 409)"}},

		// service status
		{name: "status", args: []string{"service", "status", svcID},
			calls: []string{"GET /services/" + svcID, "GET /services/" + svcID + "/results?limit=10"},
			out: []string{"ID:", svcID, "Status:", "active", "Last error:", "-", "Topic:", "wavs/service/" + svcID,
				"Latest results (2, newest first):", "CREATED", "WORKFLOW", "EVENT ID", "STATUS", "SIGNERS", "QUORUM AT", "TX HASH",
				"2026-01-02T03:05:00Z", "count", "0x1111111111111111111111111111111111111111", "landed", svcAddr + "," + peerAddr, "2026-01-02T03:05:01Z", txHash,
				"0x2222222222222222222222222222222222222222", "failed (quorum not met)"}},
		{name: "status limit after id", args: []string{"service", "status", svcID, "--limit", "3"},
			calls: []string{"GET /services/" + svcID, "GET /services/" + svcID + "/results?limit=3"}, out: []string{"Latest results"}},
		{name: "status json", args: []string{"service", "status", "--json", "--limit=1", svcID}, json: true,
			calls: []string{"GET /services/" + svcID, "GET /services/" + svcID + "/results?limit=1"},
			out:   []string{`"service": {`, `"id": "` + svcID + `"`, `"results": [`, `"tx_hash": "` + txHash + `"`}},
		{name: "status no results", args: []string{"service", "status", svcID},
			routes: map[string]reply{"GET /services/{id}/results": {200, `{"results": []}`, 0}}, out: []string{"Status:", "no results yet"}},
		{name: "status unknown", args: []string{"service", "status", "nope"},
			routes: map[string]reply{"GET /services/{id}": {404, `{"error": "not found: service \"nope\""}`, 0}},
			calls:  []string{"GET /services/nope"}, code: 1, errOut: []string{`wavs service status: not found: service "nope" (HTTP 404)`}},
		{name: "status bad limit", args: []string{"service", "status", svcID, "--limit", "0"}, code: 2, errOut: []string{"--limit 0: want a number 1..1000"}},
		{name: "status no id", args: []string{"service", "status"}, code: 2, errOut: []string{"missing argument: SERVICE-ID", "Usage: wavs service status"}},

		// p2p status
		{name: "p2p", args: []string{"p2p", "status", "--token", token},
			calls: []string{"GET /p2p/status"}, auth: "Bearer " + token,
			out: []string{"Enabled:", "yes", "Local peer id:", "12D3KooWLocal", "Listen addresses:", "/ip4/127.0.0.1/tcp/9000",
				"External addresses:", "-", "Connected peers:", "1", "Peers:", "12D3KooWPeer", "TOPIC", "SUBSCRIBED", "PEERS", "wavs/service/x", "yes", "1"}},
		{name: "p2p off", args: []string{"p2p", "status"}, routes: map[string]reply{"GET /p2p/status": {200, p2pOffBody, 0}},
			out: []string{"Enabled:", "no (single-operator mode)", "Connected peers:", "0", "no topics"}},
		{name: "p2p json", args: []string{"p2p", "status", "--json"}, json: true, out: []string{`"enabled": true`, `"topic_peer_counts": {`}},
		{name: "p2p down", args: []string{"p2p", "status"}, routes: map[string]reply{"GET /p2p/status": {503, `{"error": "transport: unavailable"}`, 0}},
			code: 1, errOut: []string{"wavs p2p status: transport: unavailable (HTTP 503)"}},
		{name: "p2p nothing", args: []string{"p2p"}, noNode: true, code: 2, errOut: []string{"wavs p2p: missing command", "status"}},
		{name: "p2p unknown", args: []string{"p2p", "peers"}, code: 2, errOut: []string{`wavs p2p: unknown command "peers"`}},

		// signer
		{name: "signer", args: []string{"signer", "--token", token}, calls: []string{"GET /info", "GET /services"}, auth: "Bearer " + token,
			out: []string{"Operator address: " + opAddr, "SERVICE ID", "NAME", "SIGNING ADDRESS", "HD INDEX", svcID, "counter", svcAddr, "1"}},
		{name: "signer json", args: []string{"signer", "--json"}, json: true,
			out: []string{`"operator_address": "` + opAddr + `"`, `"signing_address": "` + svcAddr + `"`, `"signing_index": 1`}},
		{name: "signer no key", args: []string{"signer"},
			routes: map[string]reply{"GET /info": {200, `{"version": "dev", "plugins": []}`, 0}, "GET /services": {200, `{"services": []}`, 0}},
			out:    []string{"Operator address: none", "WAVS_SIGNING_MNEMONIC", "no services"}},

		// the group
		{name: "service nothing", args: []string{"service"}, noNode: true, code: 2, errOut: []string{"wavs service: missing command", "add", "list", "status", "remove"}},
		{name: "service flags first", args: []string{"service"}, code: 2, errOut: []string{`wavs service: "--node" comes after the command`}},
		{name: "service unknown", args: []string{"service", "show"}, code: 2, errOut: []string{`wavs service: unknown command "show"`}},

		// the connection
		{name: "not a node", args: []string{"service", "list"}, routes: map[string]reply{"GET /services": {0, "<html>hi</html>", 0}},
			code: 1, errOut: []string{"not JSON", "is http://127.0.0.1:"}},
		{name: "not json error", args: []string{"service", "list"}, routes: map[string]reply{"GET /services": {502, "bad gateway", 0}},
			code: 1, errOut: []string{"wavs service list: bad gateway (HTTP 502)"}},
		{name: "timeout", args: []string{"service", "list", "--timeout", "100ms"}, routes: map[string]reply{"GET /services": {200, `{}`, 5 * time.Second}},
			code: 1, errOut: []string{"no answer from the node at http://127.0.0.1:", "within 100ms (--timeout)"}},
		{name: "bad timeout", args: []string{"service", "list", "--timeout", "0s"}, code: 2, errOut: []string{"--timeout 0s"}},
		{name: "bad node", args: []string{"signer", "--node", "ftp://x"}, noNode: true, code: 2, errOut: []string{`--node: "ftp://x"`, "Usage: wavs signer"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFakeNode(t, c.routes)
			for k, v := range c.env {
				t.Setenv(k, strings.ReplaceAll(v, "NODE", f.URL))
			}
			args := c.args
			if !c.noNode {
				args = append(append([]string{}, args...), "--node", f.URL)
			}
			var stdout, stderr bytes.Buffer
			code := Main(context.Background(), args, strings.NewReader(c.stdin), &stdout, &stderr)
			if code != c.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, c.code, &stdout, &stderr)
			}
			reqs := f.requests()
			if c.calls != nil {
				var got []string
				for _, r := range reqs {
					got = append(got, r.method+" "+r.uri)
				}
				if strings.Join(got, "\n") != strings.Join(c.calls, "\n") {
					t.Errorf("calls %q, want %q", got, c.calls)
				}
			}
			for _, r := range reqs {
				// Every call carries the token there is: a node may keep
				// its reads private.
				if r.auth != c.auth {
					t.Errorf("%s %s: Authorization %q, want %q", r.method, r.uri, r.auth, c.auth)
				}
				if r.method != "GET" && r.contentType != "application/json" && r.contentType != "application/wasm" {
					t.Errorf("%s %s: Content-Type %q, want application/json", r.method, r.uri, r.contentType)
				}
			}
			if c.body != "" {
				if len(reqs) == 0 || reqs[len(reqs)-1].body != c.body || reqs[len(reqs)-1].contentType != "application/json" {
					t.Errorf("requests %+v: want the last one's body %s, as application/json", reqs, c.body)
				}
			}
			rest := stdout.String()
			for _, w := range c.out {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Errorf("stdout does not contain %q (in this order):\n%s", w, &stdout)
					break
				}
				rest = rest[i+len(w):]
			}
			for _, w := range c.errOut {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr does not contain %q:\n%s", w, &stderr)
				}
			}
			if c.code != 0 && stdout.Len() != 0 {
				t.Errorf("stdout %q after a failure, want nothing", &stdout)
			}
			if c.code == 0 && stderr.Len() != 0 {
				t.Errorf("stderr %q after a success, want nothing", &stderr)
			}
			if c.json && !json.Valid(stdout.Bytes()) {
				t.Errorf("stdout is not JSON:\n%s", &stdout)
			}
			for _, s := range c.notOutput {
				if strings.Contains(stdout.String()+stderr.String(), s) {
					t.Errorf("the output shows %q", s)
				}
			}
		})
	}
}

func TestConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	for _, args := range [][]string{
		{"service", "list"}, {"service", "add", "--manager", "0x01", "--chain", "evm:1"}, {"service", "status", "x"},
		{"service", "remove", "x"}, {"p2p", "status"}, {"signer"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Main(context.Background(), append(args, "--node", url), nil, &stdout, &stderr)
			name := args[0]
			if name != "signer" {
				name += " " + args[1]
			}
			want := fmt.Sprintf("wavs %s: cannot reach the node at %s: connection refused; is it running? (set --node URL or WAVS_NODE", name, url)
			if code != 1 || !strings.Contains(stderr.String(), want) {
				t.Errorf("exit %d, stderr %q; want 1 and %q", code, &stderr, want)
			}
		})
	}
}

func TestTokenNeverPrinted(t *testing.T) {
	t.Setenv(envBearerToken, token)
	for _, c := range commands {
		if len(c.args) < 2 && c.args[0] != "signer" {
			continue
		}
		var stdout, stderr bytes.Buffer
		Main(context.Background(), append(append([]string{}, c.args...), "--help"), nil, &stdout, &stderr)
		if strings.Contains(stdout.String()+stderr.String(), token) {
			t.Errorf("%v --help shows the token", c.args)
		}
	}
}

func TestParseNodeURL(t *testing.T) {
	for in, want := range map[string]string{
		"http://127.0.0.1:8000":   "http://127.0.0.1:8000",
		"http://127.0.0.1:8000/":  "http://127.0.0.1:8000",
		"127.0.0.1:8000":          "http://127.0.0.1:8000",
		"https://node.example/x/": "https://node.example/x",
		"ftp://x":                 "",
		"http://":                 "",
		"http://h/?q=1":           "",
	} {
		u, err := parseNodeURL(in)
		got := ""
		if err == nil {
			got = u.String()
		}
		if got != want {
			t.Errorf("parseNodeURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

// The token found on this machine goes to a node on loopback only.
func TestLocalTokenOnlyToLoopback(t *testing.T) {
	dir := t.TempDir()
	tok, _, err := apitoken.Ensure(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(envConfig, "")
	cases := map[string]string{
		"http://127.0.0.1:8000": tok, "http://localhost:8000": tok, "http://[::1]:8000": tok,
		"http://192.0.2.1:8000": "", "https://wavs.example.com": "",
	}
	for node, want := range cases {
		u, err := parseNodeURL(node)
		if err != nil {
			t.Fatal(err)
		}
		a := &apiFlags{data: dir}
		if got, note := a.localToken(u); got != want {
			t.Errorf("node %s: token %q (%s), want %q", node, got, note, want)
		}
	}
}
