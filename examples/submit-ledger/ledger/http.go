package ledger

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// maxRequest bounds a request body.
const maxRequest = 4 << 20

// Handler is the ledger's HTTP API:
//
//	GET  /info                            Info
//	GET  /head                            the last Block
//	GET  /blocks/{height}                 a Block
//	GET  /txs/{id}                        a TxRecord
//	POST /txs                             a Tx → Receipt (any type)
//	POST /validate                        a submit Tx → Validation (dry run)
//	GET  /accounts/{address}              an Account
//	GET  /managers/{address}/operators    OperatorSet (?height=, default the head)
//	GET  /handlers/{address}/txs          HandlerTxs (?from=, ?limit=)
//	POST /admin/managers                  {name, operators, threshold, service_uri} → Receipt
//	POST /admin/managers/{address}/operators    {operators, threshold} → Receipt
//	POST /admin/managers/{address}/service-uri  {service_uri} → Receipt
//	POST /admin/handlers                  {name, manager} → Receipt
//
// Errors are an Error as JSON, with status 400 (malformed), 404 (no such
// block, transaction or account), 409 (a duplicate transaction, or an
// event the handler already handled) or 422 (refused by the ledger's
// rules).
func (l *Ledger) Handler() http.Handler {
	mux := http.NewServeMux()
	get := func(pattern string, f func(r *http.Request) (any, error)) {
		mux.HandleFunc("GET "+pattern, func(w http.ResponseWriter, r *http.Request) {
			v, err := f(r)
			answer(w, v, err)
		})
	}
	post := func(pattern string, f func(r *http.Request, body []byte) (any, error)) {
		mux.HandleFunc("POST "+pattern, func(w http.ResponseWriter, r *http.Request) {
			body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequest))
			if err != nil {
				answer(w, nil, badRequest("request body: %v", err))
				return
			}
			v, err := f(r, body)
			answer(w, v, err)
		})
	}
	get("/info", func(*http.Request) (any, error) { return l.Info(), nil })
	get("/head", func(*http.Request) (any, error) { return l.Head(), nil })
	get("/blocks/{height}", func(r *http.Request) (any, error) {
		h, err := strconv.ParseUint(r.PathValue("height"), 10, 64)
		if err != nil {
			return nil, badRequest("height %q: want a decimal number", r.PathValue("height"))
		}
		return l.BlockAt(h)
	})
	get("/txs/{id}", func(r *http.Request) (any, error) { return l.Tx(r.PathValue("id")) })
	post("/txs", func(_ *http.Request, body []byte) (any, error) {
		var tx Tx
		if err := decode(body, &tx); err != nil {
			return nil, err
		}
		return l.Apply(tx)
	})
	post("/validate", func(_ *http.Request, body []byte) (any, error) {
		var tx Tx
		if err := decode(body, &tx); err != nil {
			return nil, err
		}
		return l.Validate(tx)
	})
	get("/accounts/{address}", func(r *http.Request) (any, error) { return l.Account(r.PathValue("address")) })
	get("/managers/{address}/operators", func(r *http.Request) (any, error) {
		height := l.Head().Height
		if s := r.URL.Query().Get("height"); s != "" {
			h, err := strconv.ParseUint(s, 10, 64)
			if err != nil {
				return nil, badRequest("height %q: want a decimal number", s)
			}
			height = h
		}
		return l.Operators(r.PathValue("address"), height)
	})
	get("/handlers/{address}/txs", func(r *http.Request) (any, error) {
		q := r.URL.Query()
		from, limit := uint64(0), 0
		if s := q.Get("from"); s != "" {
			n, err := strconv.ParseUint(s, 10, 64)
			if err != nil {
				return nil, badRequest("from %q: want a decimal number", s)
			}
			from = n
		}
		if s := q.Get("limit"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 {
				return nil, badRequest("limit %q: want a positive number", s)
			}
			limit = n
		}
		return l.HandlerTxs(r.PathValue("address"), from, limit)
	})
	post("/admin/managers", func(_ *http.Request, body []byte) (any, error) {
		var req struct {
			Name       string     `json:"name"`
			Operators  []Operator `json:"operators"`
			Threshold  *Threshold `json:"threshold"`
			ServiceURI string     `json:"service_uri"`
		}
		if err := decode(body, &req); err != nil {
			return nil, err
		}
		return l.Apply(Tx{Type: TxCreateManager, Name: req.Name, Operators: req.Operators, Threshold: req.Threshold, ServiceURI: req.ServiceURI})
	})
	post("/admin/managers/{address}/operators", func(r *http.Request, body []byte) (any, error) {
		var req struct {
			Operators []Operator `json:"operators"`
			Threshold *Threshold `json:"threshold"`
		}
		if err := decode(body, &req); err != nil {
			return nil, err
		}
		return l.Apply(Tx{Type: TxSetOperators, Nonce: l.Head().Height + 1, Manager: r.PathValue("address"), Operators: req.Operators, Threshold: req.Threshold})
	})
	post("/admin/managers/{address}/service-uri", func(r *http.Request, body []byte) (any, error) {
		var req struct {
			ServiceURI string `json:"service_uri"`
		}
		if err := decode(body, &req); err != nil {
			return nil, err
		}
		return l.Apply(Tx{Type: TxSetServiceURI, Nonce: l.Head().Height + 1, Manager: r.PathValue("address"), ServiceURI: req.ServiceURI})
	})
	post("/admin/handlers", func(_ *http.Request, body []byte) (any, error) {
		var req struct {
			Name    string `json:"name"`
			Manager string `json:"manager"`
		}
		if err := decode(body, &req); err != nil {
			return nil, err
		}
		return l.Apply(Tx{Type: TxCreateHandler, Name: req.Name, Manager: req.Manager})
	})
	return mux
}

// decode reads a JSON request, refusing unknown fields.
func decode(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badRequest("request: %v", err)
	}
	return nil
}

// answer writes v, or err as an Error.
func answer(w http.ResponseWriter, v any, err error) {
	w.Header().Set("Content-Type", "application/json")
	if err != nil {
		var le *Error
		if !errors.As(err, &le) {
			le = &Error{Status: http.StatusInternalServerError, Code: "internal", Message: err.Error()}
		}
		w.WriteHeader(le.Status)
		_ = json.NewEncoder(w).Encode(le)
		return
	}
	_ = json.NewEncoder(w).Encode(v)
}

// Server is a ledger served over HTTP.
type Server struct {
	*Ledger
	// URL is the ledger's base URL, http://127.0.0.1:<port>.
	URL string

	srv    *http.Server
	cancel context.CancelFunc
	done   chan struct{}
}

// CheckLoopback refuses a listen address that is not on a loopback
// interface.
func CheckLoopback(listen string) error {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return fmt.Errorf("listen %q: want host:port", listen)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("listen %q: the ledger listens on loopback addresses only (127.0.0.0/8, ::1, localhost)", listen)
	}
	return nil
}

// Serve serves l on listen (a loopback host:port; port 0 picks one) and,
// when blockInterval is above zero, makes an empty block every
// blockInterval. Close stops both.
func Serve(l *Ledger, listen string, blockInterval time.Duration) (*Server, error) {
	if err := CheckLoopback(listen); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		Ledger: l,
		URL:    "http://" + ln.Addr().String(),
		srv:    &http.Server{Handler: l.Handler(), ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second},
		cancel: cancel,
		done:   make(chan struct{}),
	}
	go func() { _ = s.srv.Serve(ln) }()
	go func() {
		defer close(s.done)
		if blockInterval <= 0 {
			<-ctx.Done()
			return
		}
		t := time.NewTicker(blockInterval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				_, _ = l.Tick()
			}
		}
	}()
	return s, nil
}

// Close stops serving and making blocks.
func (s *Server) Close() error {
	s.cancel()
	<-s.done
	return s.srv.Close()
}
