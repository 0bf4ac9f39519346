package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func serve(h http.Handler, method, path string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
	return rec
}

func TestStatusPage(t *testing.T) {
	// The page needs no token, even on a node that has one.
	h := New(newFake(), Options{BearerToken: "tok"})

	rec := serve(h, "GET", "/")
	if rec.Code != 200 {
		t.Fatalf("GET / = %d %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("GET / Content-Type %q", ct)
	}
	body := rec.Body.String()
	for _, want := range []string{`<script src="ui/app.js"`, `href="ui/app.css"`, `data-testid="services"`, `data-testid="plugins"`, `data-testid="p2p"`, `data-testid="aggregator"`} {
		if !strings.Contains(body, want) {
			t.Errorf("GET / has no %s", want)
		}
	}
	if strings.Contains(body, "http://") || strings.Contains(body, "https://") {
		t.Errorf("the page loads something from elsewhere:\n%s", body)
	}
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "connect-src 'self'") {
		t.Errorf("GET / Content-Security-Policy %q", csp)
	}

	assets := map[string]string{
		"/ui/app.js":  "text/javascript; charset=utf-8",
		"/ui/app.css": "text/css; charset=utf-8",
	}
	for path, ctype := range assets {
		rec := serve(h, "GET", path)
		if rec.Code != 200 || rec.Header().Get("Content-Type") != ctype || rec.Body.Len() == 0 {
			t.Errorf("GET %s = %d %q (%d bytes), want 200 %q", path, rec.Code, rec.Header().Get("Content-Type"), rec.Body.Len(), ctype)
		}
		if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: no X-Content-Type-Options: nosniff", path)
		}
	}
	if js := serve(h, "GET", "/ui/app.js").Body.String(); strings.Contains(js, "innerHTML") || strings.Contains(js, "http://") || strings.Contains(js, "https://") {
		t.Error("app.js uses innerHTML or an absolute address")
	}
	if rec := serve(h, "HEAD", "/ui/app.js"); rec.Code != 200 || rec.Body.Len() != 0 {
		t.Errorf("HEAD /ui/app.js = %d with %d bytes", rec.Code, rec.Body.Len())
	}

	// Unknown assets, folders and escapes are JSON 404s; other methods 405s.
	for _, path := range []string{"/ui/x", "/ui/", "/ui/index.html", "/ui/../api.go", "/ui/%2e%2e/api.go", "/ui/app.js/x"} {
		rec := serve(h, "GET", path)
		if rec.Code != 404 && !(rec.Code >= 300 && rec.Code < 400) {
			t.Errorf("GET %s = %d, want 404", path, rec.Code)
		}
		if rec.Code == 404 {
			var e Error
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error == "" {
				t.Errorf("GET %s: body %q is not a JSON error", path, rec.Body)
			}
		}
	}
	for _, c := range []struct{ method, path string }{{"POST", "/"}, {"DELETE", "/"}, {"POST", "/ui/app.js"}} {
		rec := serve(h, c.method, c.path)
		if rec.Code != 405 || rec.Header().Get("Allow") != "GET" {
			t.Errorf("%s %s = %d (Allow %q), want 405", c.method, c.path, rec.Code, rec.Header().Get("Allow"))
		}
	}
}
