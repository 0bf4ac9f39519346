package e2e

import (
	"encoding/hex"
	"encoding/json"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/wavs-go/wavs/contracts/anviltest"
	"github.com/wavs-go/wavs/contracts/deploy"
)

// wavsComponent is the path of a WAVS test component (WASI 0.2, world
// wavs:operator) that make wasm-components builds beside the binaries; the
// test skips without it unless WAVS_REQUIRE_COMPONENTS=1.
func wavsComponent(t *testing.T, name string) string {
	t.Helper()
	path := filepath.Join(filepath.Dir(bins.wavs), "components", name+".wasm")
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("WAVS_REQUIRE_COMPONENTS") == "1" {
			t.Fatalf("no %s (make wasm-components) and WAVS_REQUIRE_COMPONENTS=1: %v", path, err)
		}
		t.Skipf("no %s: run make wasm-components", path)
	}
	return path
}

// TestWAVSComponentLandsOnChain: unmodified WAVS components of both
// shapes — a componentize-js component and a Go module wrapped with the
// preview1 adapter (cargo-component's shape) — run as a service on anvil
// against the WAVS-like contracts: the trigger's square lands on chain in
// the DataWithId format the WAVS example handler decodes.
func TestWAVSComponentLandsOnChain(t *testing.T) {
	for _, name := range []string{"square-go", "square-js"} {
		t.Run(name, func(t *testing.T) {
			wasm := wavsComponent(t, name)
			chain := anviltest.Start(t)
			addrs := deployServiceOf(t, chain, deploy.Options{
				Pair:      deploy.PairWAVS,
				Operators: []deploy.Operator{{Address: chain.Accounts[1], SigningKey: common.HexToAddress(addrIndex1), Weight: big.NewInt(100)}},
			}, wasm, `{}`)
			c := &chainSetup{
				chain: chain, addrs: addrs, cfg: chainConfig(chain) + instantTriggers,
				env: []string{
					"WAVS_SIGNING_MNEMONIC=" + testMnemonic,
					"WAVS_EVM_CREDENTIAL=" + hex.EncodeToString(crypto.FromECDSA(chain.Keys[9])),
				},
			}
			n := startNode(t, c.nodeOptions(""))
			svc := c.registerByManager(t, n)
			s, err := deploy.NewSender(t.Context(), chain.Client, chain.Keys[2])
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range []string{"7", "12"} {
				if _, _, err := deploy.AddTrigger(t.Context(), s, addrs.SimpleTrigger, []byte(x)); err != nil {
					t.Fatal(err)
				}
			}
			var got map[string]int64
			if !eventually(60*time.Second, func() bool { got = c.handled(t); return len(got) == 2 }) {
				t.Fatalf("handler holds %v after 60s\n%s", got, n.log)
			}
			want := map[int64]bool{49: true, 144: true}
			for id, v := range got {
				if !want[v] {
					t.Errorf("event %s: payload %d, want 49 or 144", id, v)
				}
				delete(want, v)
			}
			var rs []result
			if !eventually(10*time.Second, func() bool {
				rs = results(t, n, svc.ID)
				return len(rs) == 2 && rs[0].Status == "submitted" && rs[1].Status == "submitted"
			}) {
				t.Errorf("results %+v, want two submitted", rs)
			}
		})
	}
}

// TestExecWAVSComponent: `wavs exec --component` runs a WAVS component
// (echo-wat, the hand-written one): raw input comes back as the payload,
// with no salt; a trigger that is not raw fails with the component's own
// error text.
func TestExecWAVSComponent(t *testing.T) {
	echo := wavsComponent(t, "echo-wat")
	out, err := exec.Command(bins.wavs, "exec", "--component", echo, "--input", "hello, wavs", "--json").Output()
	if err != nil {
		t.Fatalf("wavs exec: %v: %s", err, out)
	}
	var got struct {
		Responses []struct {
			Payload, Text string
			EventIDSalt   string `json:"event_id_salt"`
		}
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	want := "0x" + hex.EncodeToString([]byte("hello, wavs"))
	if len(got.Responses) != 1 || got.Responses[0].Payload != want || got.Responses[0].Text != "hello, wavs" || got.Responses[0].EventIDSalt != "" {
		t.Errorf("echo-wat of %q = %+v, want payload %s and no salt", "hello, wavs", got.Responses, want)
	}
	out, err = exec.Command(bins.wavs, "exec", "--component", echo, "--input", `{"cron": {"unix_nano": 1700000000000000000}}`).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "echo-wat: only raw triggers") {
		t.Errorf("echo-wat of a cron trigger: %v: %s", err, out)
	}
}
