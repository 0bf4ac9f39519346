package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/wavs-go/wavs/host/registry"
	"github.com/wavs-go/wavs/sdk"
)

var (
	knownManager   = "0x" + strings.Repeat("c0", 20)
	unknownManager = "0x" + strings.Repeat("dd", 20)
	knownID, _     = registry.ManagerID("evm:31337", knownManager)
	unknownID, _   = registry.ManagerID("evm:31337", unknownManager)
	devHash        = strings.Repeat("ab", 32)
	devDoc         = `{"name":"saved",  "exactly":"as stored"}`
)

// wavsFake is a Services with the WAVS side, knowing one service (the
// manager knownManager on evm:31337) and one saved service JSON.
type wavsFake struct {
	*fakeServices
	sims []registry.SimulatedTrigger
}

func (f *wavsFake) AddByManager(_ context.Context, chain, address string) (registry.Info, error) {
	f.record("add by manager " + chain + " " + address)
	return registry.Info{ID: knownID}, nil
}
func (f *wavsFake) Get(_ context.Context, id string) (registry.Info, error) {
	f.record("get " + id)
	if id != knownID {
		return registry.Info{}, fmt.Errorf("%w: service %q", sdk.ErrNotFound, id)
	}
	return registry.Info{ID: id}, nil
}
func (f *wavsFake) Remove(_ context.Context, id string) error {
	f.record("remove " + id)
	return nil
}
func (f *wavsFake) ServiceByManager(_ context.Context, chain, address string) ([]byte, error) {
	f.record("service by manager")
	if id, _ := registry.ManagerID(chain, address); id != knownID {
		return nil, fmt.Errorf("%w: no service", sdk.ErrNotFound)
	}
	return []byte(`{"name":"known"}`), nil
}
func (f *wavsFake) ServiceSigner(_ context.Context, chain, address string) (registry.SignerInfo, error) {
	f.record("signer")
	if id, _ := registry.ManagerID(chain, address); id != knownID {
		return registry.SignerInfo{}, fmt.Errorf("%w: no service", sdk.ErrNotFound)
	}
	return registry.SignerInfo{HDIndex: 3, EvmAddress: "0x" + strings.Repeat("Ab", 20)}, nil
}
func (f *wavsFake) SaveDevService(_ context.Context, raw []byte) (string, error) {
	f.record("save dev service")
	return devHash, nil
}
func (f *wavsFake) DevService(_ context.Context, hash string) ([]byte, error) {
	f.record("dev service")
	if hash != devHash {
		return nil, fmt.Errorf("%w: hash", sdk.ErrNotFound)
	}
	return []byte(devDoc), nil
}
func (f *wavsFake) AddDevService(_ context.Context, hash string) (registry.Info, error) {
	f.record("add dev service " + hash)
	return registry.Info{ID: knownID}, nil
}
func (f *wavsFake) SimulateTrigger(_ context.Context, st registry.SimulatedTrigger) (registry.SimulationReport, error) {
	f.record("simulate")
	f.sims = append(f.sims, st)
	return registry.SimulationReport{EventIDs: []string{"0x01"}}, nil
}

type wavsBackend struct {
	*fakeBackend
	svc *wavsFake
}

func (b wavsBackend) Services() Services { return b.svc }

func manager(addr string) string {
	return `{"evm": {"chain": "evm:31337", "address": "` + addr + `"}}`
}

func TestWAVSRoutes(t *testing.T) {
	wasm := "application/wasm"
	cases := []struct {
		name string
		dev  bool
		r    req
		code int
		want string // in the body
		call string // the last call the registry got ("" none)
	}{
		// POST /services, WAVS's shape.
		{"add by manager", false, req{method: "POST", path: "/services", token: "tok", ctype: typeJSON, body: `{"service_manager": ` + manager(knownManager) + `}`}, 204, "", "add by manager evm:31337 " + knownManager},
		{"add needs the token", false, req{method: "POST", path: "/services", ctype: typeJSON, body: `{"service_manager": ` + manager(knownManager) + `}`}, 401, "Bearer", ""},
		{"add needs JSON", false, req{method: "POST", path: "/services", token: "tok", ctype: "text/plain", body: `{"service_manager": ` + manager(knownManager) + `}`}, 415, "Content-Type", ""},
		{"add names the missing field", false, req{method: "POST", path: "/services", token: "tok", ctype: typeJSON, body: `{"service_manager": {"evm": {"chain": "evm:31337"}}}`}, 400, "service_manager.evm.address", ""},
		{"add names a bad chain", false, req{method: "POST", path: "/services", token: "tok", ctype: typeJSON, body: `{"service_manager": {"evm": {"chain": "31337", "address": "` + knownManager + `"}}}`}, 400, "service_manager.evm.chain", ""},
		{"add: family without chain", false, req{method: "POST", path: "/services", token: "tok", ctype: typeJSON, body: `{"service_manager": {"cosmos": {}}}`}, 400, "service_manager.cosmos.chain: missing", ""},
		{"add: chain of another family", false, req{method: "POST", path: "/services", token: "tok", ctype: typeJSON, body: `{"service_manager": {"ledger": {"chain": "evm:1", "address": "ldg1x"}}}`}, 400, "is not a chain key of the ledger family", ""},
		{"add: two families", false, req{method: "POST", path: "/services", token: "tok", ctype: typeJSON, body: `{"service_manager": {"ledger": {}, "evm": {}}}`}, 400, "service_manager: want", ""},
		{"add: the node's own shape still", false, req{method: "POST", path: "/services", token: "tok", ctype: typeJSON, body: `{"chain": "evm:31337", "address": "` + knownManager + `"}`}, 201, `"id"`, "add by manager evm:31337 " + knownManager},
		{"add: a service JSON still", false, req{method: "POST", path: "/services", token: "tok", ctype: typeJSON, body: `{"name": "x", "workflows": {}}`}, 201, `"id"`, "add"},

		// DELETE /services.
		{"delete", false, req{method: "DELETE", path: "/services", token: "tok", body: `{"service_managers": [` + manager(knownManager) + `]}`}, 204, "", "remove " + knownID},
		{"delete names the unknown", false, req{method: "DELETE", path: "/services", token: "tok", body: `{"service_managers": [` + manager(knownManager) + `, ` + manager(unknownManager) + `]}`}, 404, "service_managers[1] (" + unknownManager + " on evm:31337", "get " + unknownID},
		{"delete needs the token", false, req{method: "DELETE", path: "/services", body: `{"service_managers": []}`}, 401, "Bearer", ""},
		{"delete names a bad entry", false, req{method: "DELETE", path: "/services", token: "tok", body: `{"service_managers": [{"evm": {"address": "0x01"}}]}`}, 400, "service_managers[0].evm.chain", ""},
		{"delete: no list", false, req{method: "DELETE", path: "/services", token: "tok", body: `{}`}, 400, "service_managers: missing", ""},
		{"delete: not JSON", false, req{method: "DELETE", path: "/services", token: "tok", body: `nope`}, 400, "not a JSON object", ""},

		// GET /services/{chain}/{address} beside /services/{id} and /services/{id}/results.
		{"service by manager", false, req{method: "GET", path: "/services/evm:31337/" + knownManager, token: "tok"}, 200, `"name": "known"`, "service by manager"},
		{"service by manager: unknown", false, req{method: "GET", path: "/services/evm:31337/" + unknownManager, token: "tok"}, 404, "no service", "service by manager"},
		{"service by manager: a read", false, req{method: "GET", path: "/services/evm:31337/" + knownManager}, 401, "Bearer", ""},
		{"service by id still", false, req{method: "GET", path: "/services/" + knownID, token: "tok"}, 200, knownID, "get " + knownID},
		{"results still", false, req{method: "GET", path: "/services/" + knownID + "/results", token: "tok"}, 200, "results", "results"},
		{"service by manager: GET only", false, req{method: "POST", path: "/services/evm:31337/" + knownManager, token: "tok", ctype: typeJSON}, 405, "GET", ""},

		// POST /services/signer.
		{"signer", false, req{method: "POST", path: "/services/signer", token: "tok", ctype: typeJSON, body: `{"service_manager": ` + manager(knownManager) + `}`}, 200, `"secp256k1": {`, "signer"},
		{"signer: unknown", false, req{method: "POST", path: "/services/signer", token: "tok", ctype: typeJSON, body: `{"service_manager": ` + manager(unknownManager) + `}`}, 404, "no service", "signer"},
		{"signer needs the token", false, req{method: "POST", path: "/services/signer", ctype: typeJSON, body: `{"service_manager": ` + manager(knownManager) + `}`}, 401, "Bearer", ""},
		{"signer names the field", false, req{method: "POST", path: "/services/signer", token: "tok", ctype: typeJSON, body: `{}`}, 400, "service_manager: missing", ""},

		// Dev routes, off: as if absent.
		{"dev components off", false, req{method: "POST", path: "/dev/components", token: "tok", ctype: wasm, body: "\x00asm"}, 404, "no such endpoint", ""},
		{"dev services off", false, req{method: "POST", path: "/dev/services", token: "tok", ctype: typeJSON, body: "{}"}, 404, "no such endpoint", ""},
		{"dev service off", false, req{method: "GET", path: "/dev/services/" + devHash}, 404, "no such endpoint", ""},
		{"dev add off", false, req{method: "POST", path: "/dev/services/" + devHash, token: "tok", ctype: typeJSON}, 404, "no such endpoint", ""},
		{"dev triggers off", false, req{method: "POST", path: "/dev/triggers", token: "tok", ctype: typeJSON, body: "{}"}, 404, "no such endpoint", ""},

		// Dev routes, on.
		{"dev component", true, req{method: "POST", path: "/dev/components", token: "tok", ctype: wasm, body: "\x00asm"}, 201, `"digest"`, "add component"},
		{"dev component needs the token", true, req{method: "POST", path: "/dev/components", ctype: wasm, body: "\x00asm"}, 401, "Bearer", ""},
		{"dev component: empty", true, req{method: "POST", path: "/dev/components", token: "tok", ctype: wasm}, 400, "empty", ""},
		{"save dev service", true, req{method: "POST", path: "/dev/services", token: "tok", ctype: typeJSON, body: `{"name": "x"}`}, 200, `"hash": "` + devHash, "save dev service"},
		{"save needs the token", true, req{method: "POST", path: "/dev/services", ctype: typeJSON, body: `{"name": "x"}`}, 401, "Bearer", ""},
		{"save: from another origin", true, req{method: "POST", path: "/dev/services", token: "tok", ctype: typeJSON, origin: "http://evil.example", body: `{"name": "x"}`}, 403, "cross-origin", ""},
		{"dev service, public", true, req{method: "GET", path: "/dev/services/" + devHash}, 200, devDoc, "dev service"},
		{"dev service unknown", true, req{method: "GET", path: "/dev/services/" + strings.Repeat("0", 64)}, 404, "hash", "dev service"},
		{"add dev service", true, req{method: "POST", path: "/dev/services/" + devHash, token: "tok", ctype: typeJSON}, 201, knownID, "add dev service " + devHash},
		{"add dev service needs the token", true, req{method: "POST", path: "/dev/services/" + devHash, ctype: typeJSON}, 401, "Bearer", ""},
		{"trigger", true, req{method: "POST", path: "/dev/triggers", token: "tok", ctype: typeJSON, body: `{"service_id": "s", "workflow_id": "w", "trigger": {"manual": null}, "data": {"Raw": [1, 2]}, "count": 2, "wait_for_completion": true}`}, 200, `"event_ids"`, "simulate"},
		{"trigger, not waited", true, req{method: "POST", path: "/dev/triggers", token: "tok", ctype: typeJSON, body: `{"service_id": "s", "workflow_id": "w", "trigger": {}, "data": {"Raw": []}}`}, 202, `"accepted"`, "simulate"},
		{"trigger needs the token", true, req{method: "POST", path: "/dev/triggers", ctype: typeJSON, body: `{}`}, 401, "Bearer", ""},
		{"trigger: no service_id", true, req{method: "POST", path: "/dev/triggers", token: "tok", ctype: typeJSON, body: `{"workflow_id": "w", "data": {"Raw": []}}`}, 400, "service_id", ""},
		{"trigger: no workflow_id", true, req{method: "POST", path: "/dev/triggers", token: "tok", ctype: typeJSON, body: `{"service_id": "s", "data": {"Raw": []}}`}, 400, "workflow_id", ""},
		{"trigger: no data", true, req{method: "POST", path: "/dev/triggers", token: "tok", ctype: typeJSON, body: `{"service_id": "s", "workflow_id": "w"}`}, 400, "data: missing", ""},
		{"trigger: bad data", true, req{method: "POST", path: "/dev/triggers", token: "tok", ctype: typeJSON, body: `{"service_id": "s", "workflow_id": "w", "data": {"Raw": [300]}}`}, 400, "data: Raw[0]", ""},
		{"trigger: count", true, req{method: "POST", path: "/dev/triggers", token: "tok", ctype: typeJSON, body: `{"service_id": "s", "workflow_id": "w", "data": {"Raw": []}, "count": 101}`}, 400, "count: 101", ""},
		{"trigger: count type", true, req{method: "POST", path: "/dev/triggers", token: "tok", ctype: typeJSON, body: `{"service_id": "s", "workflow_id": "w", "data": {"Raw": []}, "count": "x"}`}, 400, "count", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := &wavsFake{fakeServices: &fakeServices{}}
			h := New(wavsBackend{fakeBackend: newFake(), svc: f}, Options{BearerToken: "tok", DevEndpoints: c.dev})
			rec := do(h, c.r)
			if rec.Code != c.code {
				t.Errorf("code = %d, want %d: %s", rec.Code, c.code, rec.Body)
			}
			if !strings.Contains(rec.Body.String(), c.want) {
				t.Errorf("body %s does not have %q", rec.Body, c.want)
			}
			if c.code != 204 && rec.Header().Get("Content-Type") != "application/json" {
				t.Errorf("Content-Type %q", rec.Header().Get("Content-Type"))
			}
			last := ""
			if len(f.calls) > 0 {
				last = f.calls[len(f.calls)-1]
			}
			if last != c.call {
				t.Errorf("last call %q, want %q (all: %q)", last, c.call, f.calls)
			}
		})
	}
}

// The unknown one of a DELETE removes nothing; the known ones all go.
func TestWAVSDeleteServices(t *testing.T) {
	f := &wavsFake{fakeServices: &fakeServices{}}
	h := New(wavsBackend{fakeBackend: newFake(), svc: f}, Options{BearerToken: "tok"})
	rec := do(h, req{method: "DELETE", path: "/services", token: "tok", body: `{"service_managers": [` + manager(unknownManager) + `, ` + manager(knownManager) + `]}`})
	if rec.Code != 404 || !strings.Contains(rec.Body.String(), "service_managers[0]") || strings.Contains(strings.Join(f.calls, ","), "remove") {
		t.Fatalf("= %d %s; calls %q", rec.Code, rec.Body, f.calls)
	}
	other := strings.Replace(manager(knownManager), "evm:31337", "evm:1", 1)
	rec = do(h, req{method: "DELETE", path: "/services", token: "tok", body: `{"service_managers": [` + manager(knownManager) + `, ` + other + `]}`})
	if rec.Code != 404 || !strings.Contains(rec.Body.String(), "service_managers[1] ("+knownManager+" on evm:1") {
		t.Errorf("another chain: %d %s", rec.Code, rec.Body)
	}
}

func TestWAVSSignerAndTriggerShapes(t *testing.T) {
	f := &wavsFake{fakeServices: &fakeServices{}}
	h := New(wavsBackend{fakeBackend: newFake(), svc: f}, Options{BearerToken: "tok", DevEndpoints: true})
	rec := do(h, req{method: "POST", path: "/services/signer", token: "tok", ctype: typeJSON, body: `{"service_manager": ` + manager(knownManager) + `}`})
	var got map[string]map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if s := got["secp256k1"]; len(got) != 1 || len(s) != 2 || s["hd_index"] != 3.0 || s["evm_address"] != "0x"+strings.Repeat("Ab", 20) {
		t.Errorf("signer = %s", rec.Body)
	}

	rec = do(h, req{method: "POST", path: "/dev/triggers", token: "tok", ctype: typeJSON, body: `{"service_id": "s", "workflow_id": "w", "trigger": {"manual": null}, "data": {"Raw": [1, 2]}, "count": 2, "wait_for_completion": true}`})
	if rec.Code != 200 || len(f.sims) != 1 {
		t.Fatalf("= %d %s", rec.Code, rec.Body)
	}
	st := f.sims[0]
	if st.ServiceID != "s" || st.WorkflowID != "w" || st.Count != 2 || !st.Wait || string(st.Data.Raw) != "\x01\x02" {
		t.Errorf("simulated = %+v", st)
	}
	rec = do(h, req{method: "POST", path: "/dev/triggers", token: "tok", ctype: typeJSON, body: `{"service_id": "s", "workflow_id": "w", "data": {"Cron": {"trigger_time": 5}}}`})
	if rec.Code != 202 || len(f.sims) != 2 || f.sims[1].Count != 1 || f.sims[1].Wait || f.sims[1].Data.Cron == nil {
		t.Errorf("default count, not waited: %d %s %+v", rec.Code, rec.Body, f.sims)
	}
	// The saved document comes back byte for byte.
	rec = httptest.NewRecorder()
	hr := httptest.NewRequest("GET", "/dev/services/"+devHash, nil)
	h.ServeHTTP(rec, hr)
	if rec.Body.String() != devDoc || rec.Header().Get("Content-Type") != "application/json" {
		t.Errorf("GET /dev/services = %q (%s)", rec.Body, rec.Header().Get("Content-Type"))
	}
}
