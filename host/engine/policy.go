package engine

import (
	"net"
	"slices"
	"strings"
)

// HostPolicy says which hosts a workflow's component may reach with
// http_fetch. The zero value allows none.
type HostPolicy struct {
	all   bool
	hosts []string // lowercase hostnames, without port or brackets
}

// AllowAll allows every host.
func AllowAll() HostPolicy { return HostPolicy{all: true} }

// AllowNone allows no host (the zero value).
func AllowNone() HostPolicy { return HostPolicy{} }

// Only allows exactly the given hostnames, compared case-insensitively and
// ignoring any port ("example.com" allows https://Example.com:8443/x but
// not api.example.com).
func Only(hosts ...string) HostPolicy {
	p := HostPolicy{}
	for _, h := range hosts {
		if h = normalizeHost(h); h != "" && !slices.Contains(p.hosts, h) {
			p.hosts = append(p.hosts, h)
		}
	}
	return p
}

// Allows reports whether the policy allows hostname (a URL's Hostname(),
// or a host with a port).
func (p HostPolicy) Allows(hostname string) bool {
	if p.all {
		return true
	}
	h := normalizeHost(hostname)
	return h != "" && slices.Contains(p.hosts, h)
}

// String describes the policy: "all", "none" or the comma-separated hosts.
func (p HostPolicy) String() string {
	switch {
	case p.all:
		return "all"
	case len(p.hosts) == 0:
		return "none"
	default:
		return strings.Join(p.hosts, ",")
	}
}

func normalizeHost(h string) string {
	h = strings.TrimSpace(h)
	if host, _, err := net.SplitHostPort(h); err == nil {
		h = host
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	return strings.ToLower(h)
}
