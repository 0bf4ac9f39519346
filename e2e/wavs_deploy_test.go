package e2e

import (
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/wavs-go/wavs/contracts/anviltest"
	"github.com/wavs-go/wavs/contracts/deploy"
)

// TestWAVSDeployWithAggregatorComponent deploys a service the way WAVS's
// own scripts do, through WAVS's API shapes only: the operator component
// (square-js) and an aggregator component (aggregator-js, whose config
// maps the chain to the handler) uploaded with POST /dev/components, the
// service JSON (submit {"aggregator": {"component", "signature_kind"}})
// saved with POST /dev/services on the first node, the manager's service
// URI set to that node's /dev/services/<hash>, and each node registering
// with POST /services {"service_manager": ...}. A trigger's result lands
// once, on the handler the aggregator component picked, for one operator
// and for three.
func TestWAVSDeployWithAggregatorComponent(t *testing.T) {
	for _, n := range []int{1, 3} {
		t.Run(fmt.Sprintf("operators=%d", n), func(t *testing.T) { wavsDeploy(t, n, false) })
	}
	// The aggregator component asks for a 4 s timer first; the node stops
	// while it runs and starts again: the timer is kept and fires late.
	t.Run("timer across a restart", func(t *testing.T) { wavsDeploy(t, 1, true) })
}

func wavsDeploy(t *testing.T, operators int, timer bool) {
	square, err := os.ReadFile(wavsComponent(t, "square-js"))
	if err != nil {
		t.Fatal(err)
	}
	agg, err := os.ReadFile(wavsComponent(t, "aggregator-js"))
	if err != nil {
		t.Fatal(err)
	}
	chain := anviltest.Start(t)
	c := &quorumCluster{chainSetup: &chainSetup{chain: chain}}
	var ops []deploy.Operator
	for i := range operators {
		k := newSigningKey(t)
		c.ops = append(c.ops, &operatorNode{key: k})
		ops = append(ops, deploy.Operator{Address: chain.Accounts[1+i], SigningKey: crypto.PubkeyToAddress(k.PublicKey), Weight: big.NewInt(100)})
	}
	addrs, err := deploy.DeployAll(t.Context(), chain.Client, chain.Keys[0], deploy.Options{Pair: deploy.PairWAVS, Operators: ops, QuorumNumerator: 2, QuorumDenominator: 3})
	if err != nil {
		t.Fatal(err)
	}
	c.addrs = addrs

	// The nodes: dev routes on (the WAVS deploy flow uses them).
	for i, op := range c.ops {
		cfg := "wavs.dev_endpoints = true\n"
		plugins := []string{"transport-none", "trigger-evm", "submit-evm"}
		if operators > 1 {
			cfg += clusterTOML(chain, c.bootstrap, "", "")
			plugins[0] = "transport-libp2p"
		} else {
			cfg += chainConfig(chain) + instantTriggers
		}
		op.opts = nodeOptions{data: t.TempDir(), plugins: plugins, config: cfg, env: []string{
			"WAVS_SIGNING_KEY=" + keyHex(op.key),
			"WAVS_EVM_CREDENTIAL=" + keyHex(chain.Keys[7+i]),
		}}
		op.node = startNode(t, op.opts)
		if operators > 1 && i == 0 {
			var st p2pStatus
			if code := op.get("/p2p/status", &st); code != 200 || st.LocalPeerID == nil || len(st.ListenAddresses) == 0 {
				t.Fatalf("/p2p/status = %d %+v", code, st)
			}
			c.bootstrap = st.ListenAddresses[0]
			if !strings.Contains(c.bootstrap, "/p2p/") {
				c.bootstrap += "/p2p/" + *st.LocalPeerID
			}
		}
		if operators > 1 {
			var st p2pStatus
			op.get("/p2p/status", &st)
			op.peerID = *st.LocalPeerID
		}
	}

	// Components, on every node (a digest source names a stored one).
	upload := func(op *operatorNode, wasm []byte) string {
		code, body := wavsCall(t, op.node, "POST", "/dev/components", "application/wasm", wasm)
		var r struct{ Digest string }
		if json.Unmarshal(body, &r); code != 201 || len(r.Digest) != 64 {
			t.Fatalf("POST /dev/components: %d %s", code, body)
		}
		return r.Digest
	}
	var squareDigest, aggDigest string
	for _, op := range c.ops {
		squareDigest, aggDigest = upload(op, square), upload(op, agg)
	}

	// The service JSON as WAVS's tools write it.
	manager := strings.ToLower(addrs.ServiceManager.Hex())
	svcJSON := fmt.Sprintf(`{
  "name": "wavs-square",
  "workflows": {
    "default": {
      "trigger": {"evm_contract_event": {"address": %q, "chain": "evm:31337", "event_hash": %q}},
      "component": {"source": {"digest": %q}, "permissions": {"allowed_http_hosts": "none", "file_system": false, "raw_sockets": false, "dns_resolution": false},
                    "fuel_limit": null, "time_limit_seconds": 30, "config": {"payload": "data_with_id"}, "env_keys": []},
      "submit": {"aggregator": {
        "component": {"source": {"digest": %q}, "permissions": {}, "fuel_limit": null, "time_limit_seconds": null,
                      "config": {"evm:31337": %q%s}, "env_keys": []},
        "signature_kind": {"algorithm": "secp256k1", "prefix": "eip191"}}}
    }
  },
  "status": "active",
  "manager": {"evm": {"chain": "evm:31337", "address": %q}}
}`, strings.ToLower(addrs.SimpleTrigger.Hex()), crypto.Keccak256Hash([]byte("NewTrigger(bytes)")).Hex(),
		squareDigest, aggDigest, addrs.ServiceHandler.Hex(), timerConfig(timer), manager)
	code, body := wavsCall(t, c.ops[0].node, "POST", "/dev/services", "application/json", []byte(svcJSON))
	var saved struct{ Hash string }
	if json.Unmarshal(body, &saved); code != 200 || len(saved.Hash) != 64 {
		t.Fatalf("POST /dev/services: %d %s", code, body)
	}
	owner, err := deploy.NewSender(t.Context(), chain.Client, chain.Keys[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := deploy.SetServiceURI(t.Context(), owner, addrs.ServiceManager, c.ops[0].url+"/dev/services/"+saved.Hash); err != nil {
		t.Fatal(err)
	}
	mgr := fmt.Sprintf(`{"service_manager": {"evm": {"chain": "evm:31337", "address": %q}}}`, manager)
	for i, op := range c.ops {
		if code, body := wavsCall(t, op.node, "POST", "/services", "application/json", []byte(mgr)); code != 204 {
			t.Fatalf("node %d: POST /services {service_manager}: %d %s", i, code, body)
		}
	}
	var svc serviceInfo
	if code := c.ops[0].get("/services/"+serviceIDOf(t, c.ops[0]), &svc); code != 200 {
		t.Fatalf("GET /services: %d", code)
	}
	c.serviceID, c.topic = svc.ID, svc.Topic
	if operators > 1 {
		c.meshed(t, slices.Collect(func(yield func(int) bool) {
			for i := range operators {
				if !yield(i) {
					return
				}
			}
		})...)
	}

	s, err := deploy.NewSender(t.Context(), chain.Client, chain.Keys[4])
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []string{"7", "12"} {
		if _, _, err := deploy.AddTrigger(t.Context(), s, addrs.SimpleTrigger, []byte(x)); err != nil {
			t.Fatal(err)
		}
	}
	if timer {
		op := c.ops[0]
		if !eventually(30*time.Second, func() bool { return strings.Count(op.log.String(), "aggregator component asked for a timer") == 2 }) {
			t.Fatalf("no timers asked for\n%s", op.log)
		}
		op.stop(t)
		if got := c.handled(t); len(got) != 0 {
			t.Fatalf("landed before the timers fired: %v", got)
		}
		time.Sleep(4 * time.Second) // due while the node is down
		op.node = startNode(t, op.opts)
	}
	var got map[string]int64
	if !eventually(90*time.Second, func() bool { got = c.handled(t); return len(got) == 2 }) {
		t.Fatalf("handler holds %v after 90s\n%s", got, c.ops[0].log)
	}
	vals := slices.Sorted(func(yield func(int64) bool) {
		for _, v := range got {
			if !yield(v) {
				return
			}
		}
	})
	if !slices.Equal(vals, []int64{49, 144}) {
		t.Errorf("handler holds %v, want 49 and 144", vals)
	}
	// The aggregator component heard of each landing.
	if !eventually(30*time.Second, func() bool {
		n := 0
		for _, op := range c.ops {
			n += strings.Count(op.log.String(), "aggregator-js: submitted 0x")
		}
		return n >= 2
	}) {
		t.Errorf("no handle-submit-callback logged\n%s", c.ops[0].log)
	}
	// Settled: still once each.
	time.Sleep(2 * time.Second)
	if got = c.handled(t); len(got) != 2 {
		t.Errorf("handler holds %v", got)
	}
}

func timerConfig(on bool) string {
	if on {
		return `, "timer_delay_secs": "4"`
	}
	return ""
}

// serviceIDOf is the id of the one service a node runs.
func serviceIDOf(t *testing.T, op *operatorNode) string {
	t.Helper()
	var list struct {
		Services []serviceInfo `json:"services"`
	}
	if code := op.get("/services", &list); code != 200 || len(list.Services) != 1 {
		t.Fatalf("GET /services: %d %+v", code, list)
	}
	return list.Services[0].ID
}
