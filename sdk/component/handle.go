package component

import (
	"encoding/json"
	"errors"
	"os"
	"sync"

	"github.com/wavs-go/wavs/sdk/component/abi"
)

// registered is the handler Handle registered, nil before.
var registered Handler

// Handle registers h as the component's handler for a reactor build
// (GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared): the host calls
// the module's wavs_run export once per trigger, in a fresh instance, and
// wavs_run runs h as Run would. Call it from an init function (or a
// package-level variable's initializer): a reactor's main function never
// runs. Registering again replaces the handler; a nil h panics.
//
// Handle has no effect on a command build, whose main calls Run. A
// component that builds in both shapes does both:
//
//	func init() { component.Handle(handle) }
//	func main() { component.Run(handle) }
func Handle(h Handler) {
	if h == nil {
		panic("component: Handle(nil)")
	}
	registered = h
	if os.Getenv(snapshotEnv) == "1" {
		warmOnce.Do(warmUp)
	}
}

// snapshotEnv is set to "1" in the environment of an initialisation the
// node snapshots (and in no execution's).
const snapshotEnv = "WAVS_SNAPSHOT"

var warmOnce sync.Once

// warmUp runs the ABI's encodings once on sample values: encoding/json
// builds its per-type caches on a type's first use, which in a fresh
// instance costs more than the rest of a small handler. Called from
// Handle during an initialisation the node snapshots, it puts them in the
// snapshot, so no execution pays for them; elsewhere it would only add to
// each execution.
func warmUp() {
	b32 := make([]byte, 32)
	chains := map[string]Chain{"evm:1": {ChainID: "1", HTTPEndpoint: "http://x", WSEndpoints: []string{"ws://x"}}}
	for _, t := range []Trigger{
		{EvmLog: &EvmLog{Chain: "evm:1", Address: make([]byte, 20), Topics: [][]byte{b32}, Data: b32, BlockHash: b32, TxHash: b32, BlockTimestamp: 1}},
		{Block: &BlockTick{Chain: "evm:1", BlockHash: b32}},
		{Cron: &CronTick{UnixNano: 1}},
		{Raw: b32},
	} {
		if raw, err := EncodeInput(Input{ServiceID: "s", WorkflowID: "w", Trigger: t, Config: map[string]string{"k": "v"}, Chains: chains}); err == nil {
			_, _ = DecodeInput(raw)
		}
	}
	EncodeOutput([]Response{{Payload: b32, EventIDSalt: b32}}, nil)
	EncodeOutput(nil, errors.New("e"))
	_, _ = json.Marshal(abi.FetchRequest{Method: "GET", URL: "http://x", Headers: map[string]string{"k": "v"}, Body: b32})
	var res abi.FetchResponse
	_ = json.Unmarshal([]byte(`{"status":200,"headers":{"k":"v"},"body":"0x00"}`), &res)

}

// errNoHandler is the output of wavs_run when nothing was registered.
const errNoHandler = "component: no handler registered: a reactor (-buildmode=c-shared) must call component.Handle from an init function, since its main does not run"
