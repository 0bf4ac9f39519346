// Package api is the node's HTTP API.
//
// Every response is JSON, errors included ({"error": "..."} with a 4xx or
// 5xx code), but for the status page (/ and /ui/*, HTML, script and
// style), /metrics (the Prometheus text format) and the 204 (no body)
// with which the WAVS routes POST and DELETE /services answer, as WAVS
// does (wavs.go).
//
// Who may call what:
//   - every request must name the node in its Host header (an address it
//     listens on, or one of Options.AllowedHosts), else 421: a page that
//     reached the node by DNS rebinding reads nothing;
//   - calls that change the node always need "Authorization: Bearer
//     <token>" (401), are refused to pages of other origins (403), and a
//     POST must send Content-Type application/json (application/wasm for
//     a component) (415), which no cross-origin page can send without a
//     CORS preflight the API never grants;
//   - reads of services and results need the token too unless
//     Options.PublicReads.
package api

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"sort"
	"strings"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/host/aggregator"
	"github.com/wavs-go/wavs/host/plugins"
	"github.com/wavs-go/wavs/host/registry"
	"github.com/wavs-go/wavs/sdk"
)

// Backend is what the API asks of the node.
type Backend interface {
	Version() string
	// OperatorAddress is the operator's signing address, "" if no key is set.
	OperatorAddress() string
	Plugins() []plugins.Status
	TransportStatus(ctx context.Context) (sdk.TransportStatus, error)
	// RestartPlugin replaces a plugin's process; sdk.ErrNotFound for an
	// unknown name.
	RestartPlugin(name string) error
	// Services is the service registry, nil while the node starts.
	Services() Services
	// AggregatorStatus is what the aggregator counted; sdk.ErrUnavailable
	// while the node starts.
	AggregatorStatus(ctx context.Context) (aggregator.Status, error)
	// DropPending removes a pending submission (an event id, 0x hex):
	// sdk.ErrNotFound when it is not pending, sdk.ErrInvalidArgument for a
	// malformed id.
	DropPending(ctx context.Context, eventID string) error
	// MetricsHandler serves GET /metrics; nil while the node starts.
	MetricsHandler() http.Handler
}

// Options tune the API.
type Options struct {
	// BearerToken is required by every call that changes the node (and by
	// reads unless PublicReads). With none, those calls are refused: the
	// node always sets one.
	BearerToken string
	// PublicReads lets GET /services, /services/{id} and
	// /services/{id}/results answer without the token.
	PublicReads bool
	// AllowedHosts are the Host header values answered: "name:port", or
	// "name" for any port. Nil answers any Host (tests only).
	AllowedHosts []string
	// AnyIPOnPort, when not 0, also answers a Host that is an IP address
	// with this port: the node listens on every interface, and an IP
	// address cannot be rebound the way a DNS name can.
	AnyIPOnPort int
	// DevEndpoints serves WAVS's development routes under /dev/ (see
	// wavs.go); without it they answer 404.
	DevEndpoints bool
	Logger       hclog.Logger
}

// New returns the API's handler.
func New(b Backend, o Options) http.Handler {
	if o.Logger == nil {
		o.Logger = hclog.NewNullLogger()
	}
	s := &server{b: b, opts: o}
	mux := http.NewServeMux()
	mux.Handle("/health", only("GET", s.health))
	mux.Handle("/info", only("GET", s.info))
	mux.Handle("/p2p/status", only("GET", s.p2pStatus))
	mux.Handle("/aggregator", only("GET", s.read(s.aggregatorStatus)))
	mux.Handle("/aggregator/pending/{event_id}", only("DELETE", s.mutation(s.dropPending)))
	mux.Handle("/plugins/{name}/restart", only("POST", s.mutation(s.restartPlugin)))
	mux.Handle("/components", only("POST", s.mutation(s.withServices(s.addComponent), typeWasm, "application/octet-stream")))
	mux.Handle("/components/{digest}", only("DELETE", s.mutation(s.withServices(s.removeComponent))))
	mux.Handle("/services/{id}/reset", only("POST", s.mutation(s.withServices(s.resetService))))
	mux.Handle("/services", methods(map[string]http.HandlerFunc{
		"GET":    s.read(s.withServices(s.listServices)),
		"POST":   s.mutation(s.withServices(s.addService)),
		"DELETE": s.mutation(s.withServices(s.deleteServices)),
	}))
	mux.Handle("/services/{id}", methods(map[string]http.HandlerFunc{
		"GET":    s.read(s.withServices(s.getService)),
		"DELETE": s.mutation(s.withServices(s.removeService)),
	}))
	mux.Handle("/services/{id}/results", only("GET", s.read(s.withServices(s.serviceResults))))
	s.wavsRoutes(mux)
	mux.Handle("/metrics", only("GET", s.metrics))
	// The status page: / and its assets under /ui/.
	mux.Handle("/{$}", only("GET", s.statusPage))
	mux.Handle("/ui/", only("GET", s.uiAssets))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such endpoint: "+r.URL.Path)
	})
	return s.recoverPanics(s.checkHost(mux))
}

type server struct {
	b    Backend
	opts Options
}

// only answers 405 with a JSON body for any other method.
func only(method string, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method && !(method == "GET" && r.Method == "HEAD") {
			w.Header().Set("Allow", method)
			writeError(w, http.StatusMethodNotAllowed, r.Method+" "+r.URL.Path+": method not allowed (use "+method+")")
			return
		}
		h(w, r)
	})
}

// methods routes by method and answers 405 with a JSON body otherwise.
func methods(hs map[string]http.HandlerFunc) http.Handler {
	allowed := make([]string, 0, len(hs))
	for m := range hs {
		allowed = append(allowed, m)
	}
	sort.Strings(allowed)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, ok := hs[r.Method]
		if !ok && r.Method == "HEAD" {
			h, ok = hs["GET"]
		}
		if !ok {
			w.Header().Set("Allow", strings.Join(allowed, ", "))
			writeError(w, http.StatusMethodNotAllowed, r.Method+" "+r.URL.Path+": method not allowed (use "+strings.Join(allowed, " or ")+")")
			return
		}
		h(w, r)
	})
}

// auth requires the bearer token; with none set, it refuses every call.
func (s *server) auth(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if s.opts.BearerToken == "" || !ok || subtle.ConstantTimeCompare([]byte(got), []byte(s.opts.BearerToken)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="wavs"`)
			writeError(w, http.StatusUnauthorized, "this call needs the header Authorization: Bearer <token> with the node's bearer token ([wavs] bearer_token, WAVS_BEARER_TOKEN, or the api-token file in the node's data folder)")
			return
		}
		h(w, r)
	}
}

// recoverPanics turns a handler's panic into a 500 instead of a dead
// connection; the node keeps serving.
func (s *server) recoverPanics(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.opts.Logger.Error("api handler panicked", "path", r.URL.Path, "panic", v)
				writeError(w, http.StatusInternalServerError, "internal error")
			}
		}()
		h.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, Error{Error: msg})
}

// statusFor maps an error from the node to an HTTP code.
func statusFor(err error) int {
	switch {
	case errors.Is(err, sdk.ErrInvalidArgument):
		return http.StatusBadRequest
	case errors.Is(err, sdk.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, registry.ErrExists), errors.Is(err, registry.ErrBusy), errors.Is(err, registry.ErrInUse):
		return http.StatusConflict
	case errors.Is(err, sdk.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}
