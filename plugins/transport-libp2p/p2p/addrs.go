package p2p

import (
	"errors"
	"net"
	"slices"
	"sync"

	"github.com/libp2p/go-libp2p/core/event"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"
)

// Addresses in /p2p/status:
//
//   - listen addresses are where the node's listener is bound, dialable:
//     an unspecified listen IP (0.0.0.0, ::) is expanded into the
//     addresses of the machine's interfaces, link-local ones left out and
//     loopback ones last (they only reach the node from its own machine);
//   - external addresses are the [wavs.p2p] announce addresses, then the
//     addresses peers observed this node at (libp2p identify), each the
//     IP a connected peer saw with the listen port; never an interface
//     address only because an interface has it.

// parseAnnounce reads an announce address: an IP or DNS name and a TCP
// port, without /p2p/<peer id> (the node adds its own).
func parseAnnounce(s string) (ma.Multiaddr, error) {
	addr, err := ma.NewMultiaddr(s)
	if err != nil {
		return nil, err
	}
	var host, tcp, other bool
	var unspecified bool
	for _, c := range addr {
		switch c.Protocol().Code {
		case ma.P_IP4, ma.P_IP6:
			host = true
			unspecified = net.IP(c.RawValue()).IsUnspecified()
		case ma.P_DNS, ma.P_DNS4, ma.P_DNS6:
			host = true
		case ma.P_TCP:
			tcp = true
		default:
			other = true
		}
	}
	switch {
	case other || !host || !tcp || len(addr) != 2:
		return nil, errors.New(`want "/ip4/<ip>/tcp/<port>", "/ip6/<ip>/tcp/<port>" or "/dns/<name>/tcp/<port>", without /p2p/<peer id>`)
	case unspecified:
		return nil, errors.New("an unspecified IP (0.0.0.0, ::) cannot be dialled")
	}
	return addr, nil
}

// expandListen returns listen with every unspecified IP replaced by the
// interface addresses of its family (ifaces), link-local addresses left
// out and loopback addresses after the others.
func expandListen(listen, ifaces []ma.Multiaddr) []ma.Multiaddr {
	var out, loop []ma.Multiaddr
	add := func(a ma.Multiaddr) {
		ip, err := manet.ToIP(a)
		switch {
		case err != nil:
			out = append(out, a)
		case ip.IsUnspecified() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast():
		case ip.IsLoopback():
			loop = append(loop, a)
		default:
			out = append(out, a)
		}
	}
	for _, l := range listen {
		ip, err := manet.ToIP(l)
		if err != nil || !ip.IsUnspecified() {
			add(l)
			continue
		}
		resolved, err := manet.ResolveUnspecifiedAddress(l, ifaces)
		if err != nil {
			continue // no interface of that family
		}
		for _, a := range resolved {
			add(a)
		}
	}
	return dedupe(append(out, loop...))
}

func dedupe(addrs []ma.Multiaddr) []ma.Multiaddr {
	seen := make(map[string]bool, len(addrs))
	out := addrs[:0:0]
	for _, a := range addrs {
		if k := string(a.Bytes()); !seen[k] {
			seen[k] = true
			out = append(out, a)
		}
	}
	return out
}

// dialable reports whether a peer's address is worth keeping and dialling:
// TCP on a specified, non-link-local IP, or on a DNS name.
func dialable(a ma.Multiaddr) bool {
	if _, err := a.ValueForProtocol(ma.P_TCP); err != nil {
		return false
	}
	ip, err := manet.ToIP(a)
	if err != nil {
		_, err4 := a.ValueForProtocol(ma.P_DNS4)
		_, err6 := a.ValueForProtocol(ma.P_DNS6)
		_, errd := a.ValueForProtocol(ma.P_DNS)
		return err4 == nil || err6 == nil || errd == nil
	}
	return !ip.IsUnspecified() && !ip.IsLinkLocalUnicast() && !ip.IsMulticast()
}

// observedAddrs keeps, for each connected peer, the IP it observed this
// node at when identify last ran, and makes external addresses from them.
type observedAddrs struct {
	mu  sync.Mutex
	ips map[peer.ID]net.IP
}

// watchObserved records the observations of peers until the host's event
// bus closes (when the host does).
func watchObserved(h host.Host) (*observedAddrs, error) {
	o := &observedAddrs{ips: make(map[peer.ID]net.IP)}
	sub, err := h.EventBus().Subscribe([]any{new(event.EvtPeerIdentificationCompleted), new(event.EvtPeerConnectednessChanged)})
	if err != nil {
		return nil, err
	}
	go func() {
		defer sub.Close()
		for e := range sub.Out() {
			switch e := e.(type) {
			case event.EvtPeerIdentificationCompleted:
				o.observe(e.Peer, e.ObservedAddr)
			case event.EvtPeerConnectednessChanged:
				if e.Connectedness != network.Connected {
					o.mu.Lock()
					delete(o.ips, e.Peer)
					o.mu.Unlock()
				}
			}
		}
	}()
	return o, nil
}

// observe records that p saw this node at addr. Loopback, unspecified,
// link-local and multicast IPs say nothing about where other machines
// reach the node and are not kept.
func (o *observedAddrs) observe(p peer.ID, addr ma.Multiaddr) {
	if addr == nil {
		return
	}
	ip, err := manet.ToIP(addr)
	if err != nil || ip.IsLoopback() || ip.IsUnspecified() || ip.IsLinkLocalUnicast() || ip.IsMulticast() {
		return
	}
	o.mu.Lock()
	o.ips[p] = ip
	o.mu.Unlock()
}

// addrs returns an address for each IP peers observed (most observers
// first), with the TCP port of the listen address of the IP's family.
func (o *observedAddrs) addrs(listen []ma.Multiaddr) []ma.Multiaddr {
	if o == nil {
		return nil
	}
	o.mu.Lock()
	count := make(map[string]int)
	for _, ip := range o.ips {
		count[ip.String()]++
	}
	o.mu.Unlock()
	ips := make([]string, 0, len(count))
	for ip := range count {
		ips = append(ips, ip)
	}
	slices.SortFunc(ips, func(a, b string) int {
		if count[a] != count[b] {
			return count[b] - count[a]
		}
		return compareStrings(a, b)
	})
	var out []ma.Multiaddr
	for _, s := range ips {
		ip := net.ParseIP(s)
		proto := "ip6"
		if ip.To4() != nil {
			proto = "ip4"
		}
		port := listenPort(listen, proto)
		if port == "" {
			continue
		}
		a, err := ma.NewMultiaddr("/" + proto + "/" + s + "/tcp/" + port)
		if err == nil {
			out = append(out, a)
		}
	}
	return out
}

// listenPort is the TCP port of the first listen address of family proto
// ("ip4" or "ip6").
func listenPort(listen []ma.Multiaddr, proto string) string {
	code := ma.P_IP4
	if proto == "ip6" {
		code = ma.P_IP6
	}
	for _, l := range listen {
		if _, err := l.ValueForProtocol(code); err != nil {
			continue
		}
		if port, err := l.ValueForProtocol(ma.P_TCP); err == nil {
			return port
		}
	}
	return ""
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// withPeerID appends /p2p/<id> to each address.
func withPeerID(addrs []ma.Multiaddr, id peer.ID) []string {
	out := make([]string, 0, len(addrs))
	suffix := "/p2p/" + id.String()
	for _, a := range addrs {
		out = append(out, a.String()+suffix)
	}
	return out
}

// announceFirst is the host's address factory: the announce addresses,
// then the host's own (interface and observed addresses), so that
// identify and the DHT's provider records tell peers the announced ones.
func announceFirst(announce []ma.Multiaddr) func([]ma.Multiaddr) []ma.Multiaddr {
	return func(addrs []ma.Multiaddr) []ma.Multiaddr {
		out := slices.Clone(announce)
		for _, a := range addrs {
			if ip, err := manet.ToIP(a); err == nil && ip.IsUnspecified() {
				continue
			}
			out = append(out, a)
		}
		return dedupe(out)
	}
}
