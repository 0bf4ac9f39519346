// Package redact removes credentials from URLs and from text that quotes
// URLs, so endpoints can be shown in logs, errors and API responses.
//
// A URL keeps its scheme, host and port and the shape of its path. What
// is dropped: the userinfo (user:password@), every query value and the
// fragment, and each path segment that looks like a key (API providers
// put keys in paths, e.g. /v2/<key> or /v3/<project id>).
package redact

import (
	"net/url"
	"regexp"
	"strings"
)

// Mask stands in for a removed value.
const Mask = "REDACTED"

// URL returns s with its credentials removed. A string that is not an
// absolute URL is returned as "<unparsable URL>" rather than risk showing
// a secret.
func URL(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Scheme == "" || (u.Host == "" && u.Opaque != "") {
		return "<unparsable URL>"
	}
	if u.User != nil {
		u.User = url.User(Mask)
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			q[k] = []string{Mask}
		}
		u.RawQuery = q.Encode()
	}
	u.Fragment, u.RawFragment = "", ""
	if u.Path != "" {
		segs := strings.Split(u.Path, "/")
		for i, seg := range segs {
			if looksLikeKey(seg) {
				segs[i] = Mask
			}
		}
		u.Path, u.RawPath = strings.Join(segs, "/"), ""
	}
	return u.String()
}

// looksLikeKey reports a path segment that may be a credential: 16 or
// more characters, or 8 or more that mix letters and digits. Words such
// as "rpc", "v3", "mainnet" or "ext" are kept.
func looksLikeKey(seg string) bool {
	if len(seg) >= 16 {
		return true
	}
	if len(seg) < 8 {
		return false
	}
	letters, digits := false, false
	for _, c := range seg {
		switch {
		case c >= '0' && c <= '9':
			digits = true
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
			letters = true
		}
	}
	return letters && digits
}

// urlInText finds URLs quoted in free text: a scheme, "://", then
// everything up to a space, a quote or a closing bracket.
var urlInText = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.\-]*://[^\s"'<>` + "`" + `)\]}]+`)

// Text returns s with every URL in it redacted by URL.
func Text(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	return urlInText.ReplaceAllStringFunc(s, func(m string) string {
		// Keep sentence punctuation that ended the URL outside it.
		trail := ""
		for len(m) > 0 && strings.ContainsRune(".,;:", rune(m[len(m)-1])) {
			trail = m[len(m)-1:] + trail
			m = m[:len(m)-1]
		}
		return URL(m) + trail
	})
}
