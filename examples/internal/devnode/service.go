package devnode

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/wavs-go/wavs/contracts/deploy"
)

// SquareService serves, on 127.0.0.1, the example service that squares
// the number a SimpleTrigger carries: its service JSON (what the service
// manager's getServiceURI points at) and its component.
type SquareService struct {
	URL       string // http://127.0.0.1:<port>
	component string
	wasm      []byte
	srv       *http.Server

	mu   sync.Mutex
	json []byte
}

// SquareComponents are the components that square a SimpleTrigger's
// number: evm-square (the node's wasip1 ABI) and the WAVS components
// (WASI 0.2, world wavs:operator) square-go and square-js.
var SquareComponents = []string{"evm-square", "square-go", "square-js"}

// ServeSquare reads bin/components/<component>.wasm (one of
// SquareComponents) and starts serving; the service JSON answers 404
// until Publish.
func ServeSquare(bin, component string) (*SquareService, error) {
	if !slices.Contains(SquareComponents, component) {
		return nil, fmt.Errorf("component %q: want one of %s", component, strings.Join(SquareComponents, ", "))
	}
	wasm, err := os.ReadFile(filepath.Join(bin, "components", component+".wasm"))
	if err != nil {
		how := "make build"
		if component != "evm-square" {
			how = "make wasm-components"
		}
		return nil, fmt.Errorf("%w (%s builds it)", err, how)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &SquareService{URL: "http://" + ln.Addr().String(), component: component, wasm: wasm}
	mux := http.NewServeMux()
	mux.HandleFunc("/service.json", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		body := s.json
		s.mu.Unlock()
		if body == nil {
			http.NotFound(w, r)
			return
		}
		w.Write(body)
	})
	mux.HandleFunc("/component.wasm", func(w http.ResponseWriter, _ *http.Request) { w.Write(wasm) })
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go s.srv.Serve(ln)
	return s, nil
}

// ServiceURI is where the service JSON is served.
func (s *SquareService) ServiceURI() string { return s.URL + "/service.json" }

// Publish serves the service JSON named name for the contracts at addrs
// on chain (e.g. "evm:31337"). For the WAVS pair the component answers in
// the example handler's DataWithId format, for this repository's pair as
// a uint256.
func (s *SquareService) Publish(name, chain string, addrs deploy.Addresses) {
	digest := sha256.Sum256(s.wasm)
	wavs := addrs.Pair == deploy.PairWAVS
	var config string
	switch {
	case s.component == "evm-square" && wavs:
		config = `{"payload": "data_with_id"}`
	case s.component == "evm-square":
		config = `{}`
	case wavs: // the WAVS components answer in DataWithId unless told
		config = `{}`
	default:
		config = `{"payload": "uint256"}`
	}
	body := fmt.Appendf(nil, `{
  "name": %q, "status": "active",
  "manager": {"evm": {"chain": %q, "address": %q}},
  "workflows": {"square": {
    "trigger": {"evm_contract_event": {"address": %q, "chain": %q, "event_hash": %q}},
    "component": {"source": {"download": {"uri": %q, "digest": %q}},
                  "permissions": {"allowed_http_hosts": "none"},
                  "fuel_limit": null, "time_limit_seconds": 10, "config": %s, "env_keys": []},
    "submit": {"aggregator": {"chain": %q, "address": %q}}}}}`,
		name, chain, strings.ToLower(addrs.ServiceManager.Hex()),
		strings.ToLower(addrs.SimpleTrigger.Hex()), chain, crypto.Keccak256Hash([]byte("NewTrigger(bytes)")).Hex(),
		s.URL+"/component.wasm", hex.EncodeToString(digest[:]), config,
		chain, strings.ToLower(addrs.ServiceHandler.Hex()))
	s.mu.Lock()
	s.json = body
	s.mu.Unlock()
}

// Close stops serving.
func (s *SquareService) Close() { s.srv.Close() }
