package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/wavs-go/wavs/host/registry"
	"github.com/wavs-go/wavs/host/store"
)

// Body limits of the mutating endpoints.
const (
	maxServiceJSON   = 1 << 20
	maxComponentWasm = 64 << 20
)

// Services is what the API asks of the node's service registry.
type Services interface {
	AddComponent(ctx context.Context, wasm []byte) (string, error)
	Add(ctx context.Context, serviceJSON []byte) (registry.Info, error)
	AddByManager(ctx context.Context, chain, address string) (registry.Info, error)
	List(ctx context.Context) ([]registry.Info, error)
	Get(ctx context.Context, id string) (registry.Info, error)
	Remove(ctx context.Context, id string) error
	// ResultsPage lists one page of a service's results, newest first.
	ResultsPage(ctx context.Context, id string, q store.ResultsQuery) (registry.ResultsPage, error)
	// RemoveComponent deletes a stored component no service uses
	// (registry.ErrInUse when one does).
	RemoveComponent(ctx context.Context, digest string) error
	// Reset clears a service marked failed, so that its triggers run
	// again.
	Reset(ctx context.Context, id string) (registry.Info, error)
}

func (s *server) services() (Services, bool) {
	svc := s.b.Services()
	return svc, svc != nil
}

// readBody reads at most limit bytes, or answers 413.
func readBody(w http.ResponseWriter, r *http.Request, limit int64, what string) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("%s is larger than %d bytes", what, limit))
		} else {
			writeError(w, http.StatusBadRequest, "reading "+what+": "+err.Error())
		}
		return nil, false
	}
	if len(body) == 0 {
		writeError(w, http.StatusBadRequest, what+" is empty")
		return nil, false
	}
	return body, true
}

func (s *server) withServices(h func(http.ResponseWriter, *http.Request, Services)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		svc, ok := s.services()
		if !ok {
			writeError(w, http.StatusServiceUnavailable, "the node is starting")
			return
		}
		h(w, r, svc)
	}
}

func (s *server) addComponent(w http.ResponseWriter, r *http.Request, svc Services) {
	wasm, ok := readBody(w, r, maxComponentWasm, "the component")
	if !ok {
		return
	}
	digest, err := svc.AddComponent(r.Context(), wasm)
	if err != nil {
		writeError(w, statusFor(err), err.Error())
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"digest": digest})
}

func (s *server) addService(w http.ResponseWriter, r *http.Request, svc Services) {
	body, ok := readBody(w, r, maxServiceJSON, "the service JSON")
	if !ok {
		return
	}
	// Either a service definition, or {"chain": …, "address": …} naming a
	// service manager whose service URI leads to one, or WAVS's
	// {"service_manager": {"evm": {…}}} (wavs.go).
	var byManager struct {
		Chain          string          `json:"chain"`
		Address        string          `json:"address"`
		Workflows      json.RawMessage `json:"workflows"`
		ServiceManager json.RawMessage `json:"service_manager"`
	}
	var info registry.Info
	var err error
	decoded := json.Unmarshal(body, &byManager) == nil
	if decoded && byManager.ServiceManager != nil && byManager.Workflows == nil {
		s.addByWAVSManager(w, r, svc, byManager.ServiceManager)
		return
	}
	if decoded && byManager.Address != "" && byManager.Workflows == nil {
		info, err = svc.AddByManager(r.Context(), byManager.Chain, byManager.Address)
	} else {
		info, err = svc.Add(r.Context(), body)
	}
	if err != nil {
		writeError(w, statusFor(err), err.Error())
		return
	}
	writeJSON(w, http.StatusCreated, info)
}

func (s *server) listServices(w http.ResponseWriter, r *http.Request, svc Services) {
	list, err := svc.List(r.Context())
	if err != nil {
		writeError(w, statusFor(err), err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"services": list})
}

func (s *server) getService(w http.ResponseWriter, r *http.Request, svc Services) {
	info, err := svc.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		writeError(w, statusFor(err), err.Error())
		return
	}
	writeJSON(w, http.StatusOK, info)
}

func (s *server) removeService(w http.ResponseWriter, r *http.Request, svc Services) {
	id := r.PathValue("id")
	if err := svc.Remove(r.Context(), id); err != nil {
		writeError(w, statusFor(err), err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"removed": id})
}

func (s *server) removeComponent(w http.ResponseWriter, r *http.Request, svc Services) {
	digest := r.PathValue("digest")
	if err := svc.RemoveComponent(r.Context(), digest); err != nil {
		writeError(w, statusFor(err), err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"removed": digest})
}

func (s *server) resetService(w http.ResponseWriter, r *http.Request, svc Services) {
	info, err := svc.Reset(r.Context(), r.PathValue("id"))
	if err != nil {
		writeError(w, statusFor(err), err.Error())
		return
	}
	writeJSON(w, http.StatusOK, info)
}

// Bounds of GET /services/{id}/results.
const (
	defaultResultsLimit = 100
	maxResultsLimit     = 1000
	// maxResultsBytes bounds one page by the stored size of its results:
	// a page ends early (with a next_cursor) rather than pass it.
	maxResultsBytes = 4 << 20
)

// serviceResults answers one page of results, newest first:
// ?limit=1..1000 (default 100), ?cursor=<next_cursor of the page before>,
// ?payloads=true to include the payloads.
func (s *server) serviceResults(w http.ResponseWriter, r *http.Request, svc Services) {
	q := store.ResultsQuery{Limit: defaultResultsLimit, MaxBytes: maxResultsBytes, Cursor: r.URL.Query().Get("cursor")}
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxResultsLimit {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("limit=%q: want a number 1..%d (page on with cursor=<next_cursor>)", v, maxResultsLimit))
			return
		}
		q.Limit = n
	}
	if v := r.URL.Query().Get("payloads"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("payloads=%q: want true or false", v))
			return
		}
		q.WithPayload = b
	}
	page, err := svc.ResultsPage(r.Context(), r.PathValue("id"), q)
	if err != nil {
		writeError(w, statusFor(err), err.Error())
		return
	}
	writeJSON(w, http.StatusOK, page)
}
