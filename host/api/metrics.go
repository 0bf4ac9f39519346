package api

import "net/http"

// metrics serves the Prometheus metrics (text format, not JSON).
func (s *server) metrics(w http.ResponseWriter, r *http.Request) {
	h := s.b.MetricsHandler()
	if h == nil {
		writeError(w, http.StatusServiceUnavailable, "node is starting: no metrics yet")
		return
	}
	h.ServeHTTP(w, r)
}
