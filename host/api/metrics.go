package api

import "net/http"

// metrics serves the Prometheus metrics.
func (s *server) metrics(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, "no metrics yet")
}
