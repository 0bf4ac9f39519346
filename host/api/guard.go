package api

import (
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// Content types the mutating calls accept: a browser can send neither
// from another origin without a CORS preflight, which this API never
// grants.
const (
	typeJSON = "application/json"
	typeWasm = "application/wasm"
)

// hostAllowed reports whether the request's Host header names this node:
// one of Options.AllowedHosts ("name:port", or "name" for any port), or an
// IP address on Options.AnyIPOnPort. A name the node does not know is how
// a DNS-rebinding page reaches it, so such requests are refused.
func (s *server) hostAllowed(host string) bool {
	if s.opts.AllowedHosts == nil {
		return true
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	name, port := host, ""
	if h, p, err := net.SplitHostPort(host); err == nil {
		name, port = h, p
	} else if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		name = host[1 : len(host)-1]
	}
	for _, a := range s.opts.AllowedHosts {
		a = strings.ToLower(a)
		if a == host {
			return true
		}
		// A name without a port allows it on any port.
		if _, _, err := net.SplitHostPort(a); err != nil && strings.Trim(a, "[]") == name {
			return true
		}
	}
	if s.opts.AnyIPOnPort != 0 && port == strconv.Itoa(s.opts.AnyIPOnPort) {
		if _, err := netip.ParseAddr(name); err == nil {
			return true
		}
	}
	return false
}

// checkHost answers 421 to a request whose Host header is not this node's.
func (s *server) checkHost(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.hostAllowed(r.Host) {
			host := r.Host
			if len(host) > 100 {
				host = host[:100] + "…"
			}
			writeError(w, http.StatusMisdirectedRequest, "Host "+strconv.Quote(host)+" is not an address of this node; add it to [wavs] allowed_hosts if the node is reached by that name")
			return
		}
		h.ServeHTTP(w, r)
	})
}

// crossOrigin says why a request comes from a page of another origin, or
// "" when it does not: its Origin header names another host than the one
// it was sent to, or the browser's Sec-Fetch-Site says so.
func crossOrigin(r *http.Request) string {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return "Sec-Fetch-Site: " + site
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return ""
	}
	u, err := url.Parse(origin)
	if err != nil || origin == "null" || !strings.EqualFold(u.Host, r.Host) {
		return "Origin " + strconv.Quote(origin)
	}
	return ""
}

// mutation guards a call that changes the node: no cross-origin request,
// a POST body of one of the given content types, then the bearer token.
func (s *server) mutation(h http.HandlerFunc, types ...string) http.HandlerFunc {
	if len(types) == 0 {
		types = []string{typeJSON}
	}
	return func(w http.ResponseWriter, r *http.Request) {
		if why := crossOrigin(r); why != "" {
			writeError(w, http.StatusForbidden, "cross-origin request refused ("+why+"): calls that change the node are not answered to pages of other origins")
			return
		}
		if r.Method == http.MethodPost {
			ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
			ok := false
			for _, t := range types {
				ok = ok || err == nil && ct == t
			}
			if !ok {
				writeError(w, http.StatusUnsupportedMediaType, "Content-Type "+strconv.Quote(r.Header.Get("Content-Type"))+": want "+strings.Join(types, " or "))
				return
			}
		}
		s.auth(h)(w, r)
	}
}

// read guards a read of services and results: the bearer token unless
// reads are public.
func (s *server) read(h http.HandlerFunc) http.HandlerFunc {
	if s.opts.PublicReads {
		return h
	}
	return s.auth(h)
}
