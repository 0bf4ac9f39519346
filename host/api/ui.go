package api

import (
	"bytes"
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

// The status page: plain HTML, one script and one stylesheet, embedded in
// the binary. The script polls the node's own GET endpoints (no token
// needed) and builds the page with textContent only.
//
//go:embed ui
var uiFiles embed.FS

// uiTypes are the content types of the assets served under /ui/.
var uiTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".svg":  "image/svg+xml",
}

// uiCSP keeps the page to its own origin: its own script and styles, and
// fetches of the node's API.
const uiCSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// statusPage serves the node's status page.
func (s *server) statusPage(w http.ResponseWriter, r *http.Request) {
	s.serveUIFile(w, r, "index.html")
}

// uiAssets serves the status page's scripts and styles.
func (s *server) uiAssets(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/ui/")
	if name == "" || name == "index.html" || !fs.ValidPath(name) {
		writeError(w, http.StatusNotFound, "no such asset: "+r.URL.Path)
		return
	}
	s.serveUIFile(w, r, name)
}

// serveUIFile answers with one embedded file, or a JSON 404.
func (s *server) serveUIFile(w http.ResponseWriter, r *http.Request, name string) {
	ctype, known := uiTypes[path.Ext(name)]
	data, err := uiFiles.ReadFile("ui/" + name)
	if err != nil || !known {
		writeError(w, http.StatusNotFound, "no such asset: "+r.URL.Path)
		return
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", uiCSP)
	h.Set("Referrer-Policy", "no-referrer")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
}
