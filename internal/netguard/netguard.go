// Package netguard refuses outbound connections to addresses a node must
// not reach on behalf of others: loopback, private, link-local, multicast,
// unspecified and other special-purpose ranges, and the node's own API.
//
// The check runs in the dialer's Control hook, on the IP address actually
// being connected after name resolution, so a host name that resolves to
// a refused address (DNS rebinding included) is refused too. The operator
// may allow ranges back with [wavs] outbound_allow.
package netguard

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"syscall"
	"time"
)

// Options configure a Guard. The zero value refuses every special range
// and allows nothing back.
type Options struct {
	// Allow are ranges the operator allows although they are special
	// (e.g. 10.1.0.0/16, or 127.0.0.0/8 in tests).
	Allow []netip.Prefix
	// SelfPort is the node's own API port (0: none). It is refused on
	// every address of this host — loopback, the unspecified address,
	// SelfAddrs — even when Allow covers the address.
	SelfPort uint16
	// SelfAddrs are this host's own addresses besides loopback (e.g. the
	// API's listen address, or every interface's when it listens on all).
	SelfAddrs []netip.Addr
}

// Guard checks the addresses outbound connections go to. It is safe for
// concurrent use.
type Guard struct {
	allow     []netip.Prefix
	selfPort  uint16
	selfAddrs []netip.Addr
}

// New returns a Guard for o.
func New(o Options) *Guard {
	g := &Guard{allow: slices.Clone(o.Allow), selfPort: o.SelfPort}
	for _, a := range o.SelfAddrs {
		g.selfAddrs = append(g.selfAddrs, a.Unmap().WithZone(""))
	}
	for i, p := range g.allow {
		g.allow[i] = netip.PrefixFrom(p.Addr().Unmap(), unmappedBits(p)).Masked()
	}
	return g
}

func unmappedBits(p netip.Prefix) int {
	if p.Addr().Is4In6() {
		return max(p.Bits()-96, 0)
	}
	return p.Bits()
}

// DeniedError is an address a Guard refused.
type DeniedError struct {
	Addr   netip.AddrPort
	Reason string // e.g. "loopback", "the node's own API port"
}

func (e *DeniedError) Error() string {
	if e.Reason == reasonSelf {
		return fmt.Sprintf("outbound connection to %s refused: it is %s", e.Addr, reasonSelf)
	}
	return fmt.Sprintf("outbound connection to %s refused: a %s address (an operator may allow its range with [wavs] outbound_allow)", e.Addr, e.Reason)
}

// reasonSelf is the Reason of a connection to the node's own API.
const reasonSelf = "the node's own API port"

// ErrDenied matches every *DeniedError with errors.Is.
var ErrDenied = errors.New("outbound address refused")

// Is makes errors.Is(err, ErrDenied) true.
func (e *DeniedError) Is(target error) bool { return target == ErrDenied }

// ParseAllow parses outbound_allow entries: CIDR prefixes ("10.1.0.0/16")
// or single addresses ("10.1.2.3", "::1"). field names the setting in
// errors.
func ParseAllow(field string, entries []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for i, s := range entries {
		s = strings.TrimSpace(s)
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
			continue
		}
		if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		return nil, fmt.Errorf("%s[%d] = %q: want a CIDR range like \"10.1.0.0/16\" or an IP address", field, i, s)
	}
	return out, nil
}

// Check returns a *DeniedError when ap may not be connected to.
func (g *Guard) Check(ap netip.AddrPort) error {
	a := ap.Addr().Unmap().WithZone("")
	if g.selfPort != 0 && ap.Port() == g.selfPort && g.isSelf(a) {
		return &DeniedError{Addr: ap, Reason: reasonSelf}
	}
	reason := Special(a)
	if reason == "" {
		return nil
	}
	for _, p := range g.allow {
		if p.Contains(a) {
			return nil
		}
	}
	return &DeniedError{Addr: ap, Reason: reason}
}

func (g *Guard) isSelf(a netip.Addr) bool {
	return a.IsLoopback() || a.IsUnspecified() || slices.Contains(g.selfAddrs, a)
}

// special are ranges no public service lives in, beyond what netip's
// predicates name (RFC 6890 and successors).
var special = []struct {
	p      netip.Prefix
	reason string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "this-network"},
	{netip.MustParsePrefix("100.64.0.0/10"), "shared (carrier-grade NAT)"},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol assignment"},
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation"},
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},
	{netip.MustParsePrefix("::/96"), "IPv4-compatible"},
	{netip.MustParsePrefix("100::/64"), "discard-only"},
	{netip.MustParsePrefix("2001:db8::/32"), "documentation"},
	{netip.MustParsePrefix("2001::/23"), "IETF protocol assignment"},
}

// Special names the kind of special-purpose address a is ("loopback",
// "private", ...), or returns "" for an ordinary public unicast address.
// IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry,
// and so are NAT64 (64:ff9b::/96) and 6to4 (2002::/16) addresses.
func Special(a netip.Addr) string {
	a = a.Unmap().WithZone("")
	switch {
	case !a.IsValid():
		return "invalid"
	case a.IsLoopback():
		return "loopback"
	case a.IsUnspecified():
		return "unspecified"
	case a.IsPrivate():
		return "private"
	case a.IsLinkLocalUnicast():
		return "link-local"
	case a.IsMulticast(), a.IsLinkLocalMulticast(), a.IsInterfaceLocalMulticast():
		return "multicast"
	}
	if a.Is4() && a.As4() == [4]byte{255, 255, 255, 255} {
		return "broadcast"
	}
	if a.Is6() {
		b := a.As16()
		if nat64.Contains(a) {
			if r := Special(netip.AddrFrom4([4]byte(b[12:16]))); r != "" {
				return r + " (NAT64)"
			}
			return ""
		}
		if sixToFour.Contains(a) {
			if r := Special(netip.AddrFrom4([4]byte(b[2:6]))); r != "" {
				return r + " (6to4)"
			}
			return ""
		}
	}
	for _, s := range special {
		if s.p.Contains(a) {
			return s.reason
		}
	}
	return ""
}

var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour = netip.MustParsePrefix("2002::/16")
)

// Control is a net.Dialer Control hook: it refuses the connection before
// it is made when the resolved address may not be reached.
func (g *Guard) Control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("outbound connection to %q refused: not an IP address and port", address)
	}
	return g.Check(ap)
}

// Dialer returns a net.Dialer whose connections the Guard checks.
func (g *Guard) Dialer(timeout time.Duration) *net.Dialer {
	return &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second, Control: g.Control}
}

// DialContext dials through a guarded Dialer with a 10 s connect timeout.
func (g *Guard) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	return g.Dialer(10*time.Second).DialContext(ctx, network, address)
}

// Transport returns an http.Transport whose every connection the Guard
// checks. It uses no proxy: a proxy would make the connection on the
// node's behalf to an address the Guard never sees.
func (g *Guard) Transport() *http.Transport {
	return &http.Transport{
		Proxy:                 nil,
		DialContext:           g.DialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
		ExpectContinueTimeout: time.Second,
		MaxIdleConns:          64,
		IdleConnTimeout:       90 * time.Second,
	}
}

// Client returns an http.Client over Transport with an overall timeout.
func (g *Guard) Client(timeout time.Duration) *http.Client {
	return &http.Client{Timeout: timeout, Transport: g.Transport()}
}

// LocalAddrs returns the addresses of this host's interfaces, for
// Options.SelfAddrs when the API listens on every address.
func LocalAddrs() []netip.Addr {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var out []netip.Addr
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok {
			if ip, ok := netip.AddrFromSlice(n.IP); ok {
				out = append(out, ip.Unmap())
			}
		}
	}
	return out
}
