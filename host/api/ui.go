package api

import "net/http"

// statusPage serves the node's status page.
func (s *server) statusPage(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, "the status page is not built yet")
}

// uiAssets serves the status page's scripts and styles.
func (s *server) uiAssets(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, "no such asset: "+r.URL.Path)
}
