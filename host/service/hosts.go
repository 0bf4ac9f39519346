package service

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// HostPolicy is the set of hosts a component may reach over HTTP: none,
// all, or only the listed ones. The zero value allows none.
type HostPolicy struct {
	Kind HostPolicyKind
	// Hosts are the allowed host names or IP addresses when Kind is
	// HostsOnly; nil otherwise.
	Hosts []string
}

// HostPolicyKind is which kind of [HostPolicy] it is.
type HostPolicyKind uint8

// The kinds of host policy; the JSON writes them "none", "all" and
// {"only": [...]}.
const (
	HostsNone HostPolicyKind = iota
	HostsAll
	HostsOnly
)

// AllowNoHosts is the policy "none".
func AllowNoHosts() HostPolicy { return HostPolicy{Kind: HostsNone} }

// AllowAllHosts is the policy "all".
func AllowAllHosts() HostPolicy { return HostPolicy{Kind: HostsAll} }

// AllowOnlyHosts is the policy {"only": hosts}.
func AllowOnlyHosts(hosts ...string) HostPolicy {
	return HostPolicy{Kind: HostsOnly, Hosts: slices.Clone(hosts)}
}

// Allows reports whether a request to host may go out. host is a URL's
// host name without the port (url.URL.Hostname); names compare without
// regard to letter case or a trailing dot, IP addresses by value.
func (p HostPolicy) Allows(host string) bool {
	switch p.Kind {
	case HostsAll:
		return true
	case HostsOnly:
		want := canonicalHost(host)
		return want != "" && slices.ContainsFunc(p.Hosts, func(h string) bool { return canonicalHost(h) == want })
	default:
		return false
	}
}

// String describes the policy: "all", "none" or the hosts, comma
// separated.
func (p HostPolicy) String() string {
	switch p.Kind {
	case HostsAll:
		return "all"
	case HostsOnly:
		if len(p.Hosts) == 0 {
			return "none"
		}
		return strings.Join(p.Hosts, ",")
	default:
		return "none"
	}
}

// ParseHostPolicy reads a policy written as text (a command-line flag):
// "all", "none" (or empty), or comma-separated host names and IP
// addresses, each as an entry of "only" in a service JSON.
func ParseHostPolicy(s string) (HostPolicy, error) {
	switch strings.TrimSpace(s) {
	case "all":
		return AllowAllHosts(), nil
	case "none", "":
		return AllowNoHosts(), nil
	}
	var hosts []string
	for h := range strings.SplitSeq(s, ",") {
		h = strings.TrimSpace(h)
		if !validHost(h) || h == "all" || h == "none" {
			return HostPolicy{}, fmt.Errorf(`host %q in %q: %s; or "all" or "none" alone`, h, s, wantHost)
		}
		hosts = append(hosts, h)
	}
	return AllowOnlyHosts(hosts...), nil
}

// canonicalHost lowercases a host name and writes an IP address in its
// canonical form.
func canonicalHost(h string) string {
	h = strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(h, "["), "]"), ".")
	if ip, err := netip.ParseAddr(h); err == nil {
		return ip.Unmap().String()
	}
	return strings.ToLower(h)
}

// wantHost says what an entry of "only" may be.
const wantHost = "want a host name or IP address without scheme, port or path, e.g. \"api.example.com\""

// validHost reports whether h is an IP address (no zone) or a DNS host
// name: dot-separated labels of 1..63 letters, digits and hyphens, not
// starting or ending with a hyphen, the last not all digits (so "1.2.3" is
// neither), at most 253 characters in all.
func validHost(h string) bool {
	if ip, err := netip.ParseAddr(h); err == nil {
		return ip.Zone() == ""
	}
	if h == "" || len(h) > 253 {
		return false
	}
	last := h[strings.LastIndexByte(h, '.')+1:]
	if strings.Trim(last, "0123456789") == "" {
		return false
	}
	for label := range strings.SplitSeq(h, ".") {
		if len(label) == 0 || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}
