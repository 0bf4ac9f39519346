package api

// WAVS's HTTP API beside the node's own, under the same rules (Host,
// cross-origin, Content-Type, bearer token):
//
//   - POST /services {"service_manager": {"evm": {"chain", "address"}}}
//     registers by manager (204, no body, as WAVS answers);
//   - DELETE /services {"service_managers": [{"evm": {...}}, ...]} removes
//     each (204; 404 naming those not registered, and then none is
//     removed);
//   - GET /services/{chain}/{address}: the service JSON;
//   - POST /services/signer {"service_manager": ...}:
//     {"secp256k1": {"hd_index", "evm_address"}};
//   - with Options.DevEndpoints only (404 otherwise): POST
//     /dev/components, POST /dev/services, GET and POST
//     /dev/services/{hash}, POST /dev/triggers.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/wavs-go/wavs/host/registry"
	"github.com/wavs-go/wavs/host/service"
)

// WAVSServices is what the WAVS routes ask of the service registry
// besides Services.
type WAVSServices interface {
	// ServiceByManager is the service JSON of the registered service
	// whose manager is address on chain (sdk.ErrNotFound: none).
	ServiceByManager(ctx context.Context, chain, address string) ([]byte, error)
	// ServiceSigner is the HD index and address of that service's key.
	ServiceSigner(ctx context.Context, chain, address string) (registry.SignerInfo, error)
	// SaveDevService checks and saves a service JSON, returning its hash.
	SaveDevService(ctx context.Context, raw []byte) (string, error)
	// DevService is a saved service JSON, as saved.
	DevService(ctx context.Context, hash string) ([]byte, error)
	// AddDevService registers a saved service JSON like Add.
	AddDevService(ctx context.Context, hash string) (registry.Info, error)
	// SimulateTrigger fires a workflow with the given trigger data.
	SimulateTrigger(ctx context.Context, st registry.SimulatedTrigger) (registry.SimulationReport, error)
}

var _ WAVSServices = (*registry.Registry)(nil)

// maxTriggerRequest bounds POST /dev/triggers: raw data comes as a JSON
// array of numbers, up to 4 bytes of JSON a byte.
const maxTriggerRequest = 4 << 20

// wavsRoutes adds the WAVS routes that are not on paths of the node's own
// (POST and DELETE /services are in New).
func (s *server) wavsRoutes(mux *http.ServeMux) {
	mux.Handle("/services/{chain}/{address}", only("GET", s.read(s.withServices(s.serviceByManager))))
	mux.Handle("/services/signer", only("POST", s.mutation(s.withServices(s.serviceSigner))))
	if !s.opts.DevEndpoints {
		return // the catch-all answers 404
	}
	mux.Handle("/dev/components", only("POST", s.mutation(s.withServices(s.addComponent), typeWasm, "application/octet-stream")))
	mux.Handle("/dev/services", only("POST", s.mutation(s.withServices(s.saveDevService))))
	mux.Handle("/dev/services/{hash}", methods(map[string]http.HandlerFunc{
		// Public: a service manager's service URI may point here, and a
		// service JSON is what its manager publishes anyway.
		"GET":  s.withServices(s.devService),
		"POST": s.mutation(s.withServices(s.addDevService)),
	}))
	mux.Handle("/dev/triggers", only("POST", s.mutation(s.withServices(s.simulateTrigger))))
}

// wavs is the registry's WAVS side, or answers 501.
func wavs(w http.ResponseWriter, svc Services) (WAVSServices, bool) {
	ws, ok := svc.(WAVSServices)
	if !ok {
		writeError(w, http.StatusNotImplemented, "this node's registry does not serve the WAVS routes")
	}
	return ws, ok
}

// parseManager reads WAVS's ServiceManager, {"evm": {"chain", "address"}},
// or the same shape for any other chain family ({"<family>": {…}} whose
// chain key is of that family); the error names the field under where.
func parseManager(raw json.RawMessage, where string) (chain, address string, err error) {
	const want = `want {"evm": {"chain": "evm:<id>", "address": "0x…"}} or {"<family>": {"chain": "<family>:<id>", "address": "…"}}`
	if len(raw) == 0 || string(raw) == "null" {
		return "", "", fmt.Errorf("%s: missing: %s", where, want)
	}
	var m map[string]struct {
		Chain   *string `json:"chain"`
		Address *string `json:"address"`
	}
	if err := json.Unmarshal(raw, &m); err != nil || len(m) != 1 {
		return "", "", fmt.Errorf("%s: %s", where, want)
	}
	for family, v := range m {
		at := where + "." + family
		switch {
		case v.Chain == nil:
			return "", "", fmt.Errorf("%s.chain: missing", at)
		case v.Address == nil:
			return "", "", fmt.Errorf("%s.address: missing", at)
		case service.ChainFamily(*v.Chain) != family:
			return "", "", fmt.Errorf("%s.chain: %q is not a chain key of the %s family (%s:<id>)", at, *v.Chain, family, family)
		}
		if _, err := registry.ManagerID(*v.Chain, *v.Address); err != nil {
			return "", "", fmt.Errorf("%s.%s", at, strings.TrimPrefix(err.Error(), "invalid argument: "))
		}
		chain, address = *v.Chain, *v.Address
	}
	return chain, address, nil
}

// decodeBody decodes a JSON object body into v, or answers 400.
func decodeBody(w http.ResponseWriter, body []byte, v any, what string) bool {
	if err := json.Unmarshal(body, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("%s: %s: want %s", what, te.Field, te.Type))
		} else {
			writeError(w, http.StatusBadRequest, what+": not a JSON object: "+err.Error())
		}
		return false
	}
	return true
}

// addByWAVSManager is POST /services with WAVS's AddServiceRequest.
func (s *server) addByWAVSManager(w http.ResponseWriter, r *http.Request, svc Services, raw json.RawMessage) {
	chain, address, err := parseManager(raw, "service_manager")
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if _, err := svc.AddByManager(r.Context(), chain, address); err != nil {
		writeError(w, statusFor(err), err.Error())
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// deleteServices is DELETE /services with WAVS's DeleteServicesRequest.
func (s *server) deleteServices(w http.ResponseWriter, r *http.Request, svc Services) {
	body, ok := readBody(w, r, maxServiceJSON, "the request body")
	if !ok {
		return
	}
	var req struct {
		ServiceManagers []json.RawMessage `json:"service_managers"`
	}
	if !decodeBody(w, body, &req, "the request body") {
		return
	}
	if req.ServiceManagers == nil {
		writeError(w, http.StatusBadRequest, `service_managers: missing: want [{"evm": {"chain", "address"}}, ...]`)
		return
	}
	type target struct{ id, name string }
	var targets []target
	var unknown []string
	for i, raw := range req.ServiceManagers {
		chain, address, err := parseManager(raw, fmt.Sprintf("service_managers[%d]", i))
		if err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		id, _ := registry.ManagerID(chain, address)
		name := address + " on " + chain
		if _, err := svc.Get(r.Context(), id); err != nil {
			if statusFor(err) != http.StatusNotFound {
				writeError(w, statusFor(err), err.Error())
				return
			}
			unknown = append(unknown, fmt.Sprintf("service_managers[%d] (%s, service id %s)", i, name, id))
			continue
		}
		targets = append(targets, target{id, name})
	}
	if len(unknown) > 0 {
		writeError(w, http.StatusNotFound, "not registered, so nothing was removed: "+strings.Join(unknown, "; "))
		return
	}
	var removed []string
	for _, t := range targets {
		if err := svc.Remove(r.Context(), t.id); err != nil {
			msg := fmt.Sprintf("remove the service of %s: %v", t.name, err)
			if len(removed) > 0 {
				msg += " (removed before it: " + strings.Join(removed, ", ") + ")"
			}
			writeError(w, statusFor(err), msg)
			return
		}
		removed = append(removed, t.name)
	}
	w.WriteHeader(http.StatusNoContent)
}

// serviceByManager is GET /services/{chain}/{address}.
func (s *server) serviceByManager(w http.ResponseWriter, r *http.Request, svc Services) {
	ws, ok := wavs(w, svc)
	if !ok {
		return
	}
	raw, err := ws.ServiceByManager(r.Context(), r.PathValue("chain"), r.PathValue("address"))
	if err != nil {
		writeError(w, statusFor(err), err.Error())
		return
	}
	writeJSON(w, http.StatusOK, json.RawMessage(raw))
}

// serviceSigner is POST /services/signer.
func (s *server) serviceSigner(w http.ResponseWriter, r *http.Request, svc Services) {
	ws, ok := wavs(w, svc)
	if !ok {
		return
	}
	body, ok := readBody(w, r, maxServiceJSON, "the request body")
	if !ok {
		return
	}
	var req struct {
		ServiceManager json.RawMessage `json:"service_manager"`
	}
	if !decodeBody(w, body, &req, "the request body") {
		return
	}
	chain, address, err := parseManager(req.ServiceManager, "service_manager")
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	info, err := ws.ServiceSigner(r.Context(), chain, address)
	if err != nil {
		writeError(w, statusFor(err), err.Error())
		return
	}
	type secp struct {
		HDIndex    uint32 `json:"hd_index"`
		EvmAddress string `json:"evm_address"`
	}
	writeJSON(w, http.StatusOK, map[string]secp{"secp256k1": {HDIndex: info.HDIndex, EvmAddress: info.EvmAddress}})
}

// saveDevService is POST /dev/services.
func (s *server) saveDevService(w http.ResponseWriter, r *http.Request, svc Services) {
	ws, ok := wavs(w, svc)
	if !ok {
		return
	}
	body, ok := readBody(w, r, maxServiceJSON, "the service JSON")
	if !ok {
		return
	}
	hash, err := ws.SaveDevService(r.Context(), body)
	if err != nil {
		writeError(w, statusFor(err), err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"hash": hash})
}

// devService is GET /dev/services/{hash}: the saved bytes, unchanged.
func (s *server) devService(w http.ResponseWriter, r *http.Request, svc Services) {
	ws, ok := wavs(w, svc)
	if !ok {
		return
	}
	raw, err := ws.DevService(r.Context(), r.PathValue("hash"))
	if err != nil {
		writeError(w, statusFor(err), err.Error())
		return
	}
	w.Header().Set("Content-Type", typeJSON)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(raw)
}

// addDevService is POST /dev/services/{hash}.
func (s *server) addDevService(w http.ResponseWriter, r *http.Request, svc Services) {
	ws, ok := wavs(w, svc)
	if !ok {
		return
	}
	info, err := ws.AddDevService(r.Context(), r.PathValue("hash"))
	if err != nil {
		writeError(w, statusFor(err), err.Error())
		return
	}
	writeJSON(w, http.StatusCreated, info)
}

// simulateTrigger is POST /dev/triggers with WAVS's
// SimulatedTriggerRequest.
func (s *server) simulateTrigger(w http.ResponseWriter, r *http.Request, svc Services) {
	ws, ok := wavs(w, svc)
	if !ok {
		return
	}
	body, ok := readBody(w, r, maxTriggerRequest, "the request body")
	if !ok {
		return
	}
	var req struct {
		ServiceID  *string `json:"service_id"`
		WorkflowID *string `json:"workflow_id"`
		// Trigger is the workflow's trigger as WAVS has it; the node runs
		// the workflow it has registered, so it is not read.
		Trigger           json.RawMessage `json:"trigger"`
		Data              json.RawMessage `json:"data"`
		Count             *int            `json:"count"`
		WaitForCompletion bool            `json:"wait_for_completion"`
	}
	if !decodeBody(w, body, &req, "the request body") {
		return
	}
	switch {
	case req.ServiceID == nil || *req.ServiceID == "":
		writeError(w, http.StatusBadRequest, "service_id: missing")
		return
	case req.WorkflowID == nil || *req.WorkflowID == "":
		writeError(w, http.StatusBadRequest, "workflow_id: missing")
		return
	case len(bytes.TrimSpace(req.Data)) == 0 || string(req.Data) == "null":
		writeError(w, http.StatusBadRequest, `data: missing: want trigger data such as {"Raw": [1, 2, 3]}`)
		return
	}
	data, err := registry.ParseTriggerData(req.Data)
	if err != nil {
		writeError(w, http.StatusBadRequest, "data: "+err.Error())
		return
	}
	count := 1
	if req.Count != nil {
		count = *req.Count
	}
	if count < 1 || count > registry.MaxSimulatedCount {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("count: %d: want 1..%d", count, registry.MaxSimulatedCount))
		return
	}
	rep, err := ws.SimulateTrigger(r.Context(), registry.SimulatedTrigger{
		ServiceID: *req.ServiceID, WorkflowID: *req.WorkflowID, Data: data, Count: count, Wait: req.WaitForCompletion,
	})
	if err != nil {
		writeError(w, statusFor(err), err.Error())
		return
	}
	if !req.WaitForCompletion {
		writeJSON(w, http.StatusAccepted, map[string]any{"status": "accepted", "count": count})
		return
	}
	writeJSON(w, http.StatusOK, rep)
}
