package anviltest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// Call is one JSON-RPC request as a Proxy sees it: Method is empty for a
// batch, which is passed on as is.
type Call struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
	Body   []byte          `json:"-"`
}

// Proxy starts an HTTP JSON-RPC proxy on 127.0.0.1 to upstream (a
// chain's HTTPURL) and returns its URL, closed when the test ends; tests
// put it between a plugin and the chain to refuse, hold or count calls.
// before, when not nil, sees each call first and may answer it itself
// (returning true) or wait; the call is otherwise passed on, and after,
// when not nil, runs once the chain's answer has been written back.
func Proxy(t testing.TB, upstream string, before func(w http.ResponseWriter, r *http.Request, c Call) bool, after func(c Call)) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var c Call
		_ = json.Unmarshal(body, &c) // a batch leaves c empty
		c.Body = body
		if before != nil && before(w, r, c) {
			return
		}
		resp, err := http.Post(upstream, "application/json", bytes.NewReader(body))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
		if after != nil {
			after(c)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}
