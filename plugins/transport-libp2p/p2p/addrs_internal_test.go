package p2p

import (
	"net"
	"slices"
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
)

func strs(addrs []ma.Multiaddr) []string {
	out := make([]string, len(addrs))
	for i, a := range addrs {
		out[i] = a.String()
	}
	return out
}

func TestExpandListen(t *testing.T) {
	ifaces := []ma.Multiaddr{
		ma.StringCast("/ip4/127.0.0.1"), ma.StringCast("/ip4/192.0.2.5"), ma.StringCast("/ip4/169.254.1.1"),
		ma.StringCast("/ip6/::1"), ma.StringCast("/ip6/fe80::1"), ma.StringCast("/ip6/2001:db8::5"),
	}
	for _, c := range []struct {
		listen []string
		want   []string
	}{
		{[]string{"/ip4/0.0.0.0/tcp/9000"}, []string{"/ip4/192.0.2.5/tcp/9000", "/ip4/127.0.0.1/tcp/9000"}},
		{[]string{"/ip6/::/tcp/9000"}, []string{"/ip6/2001:db8::5/tcp/9000", "/ip6/::1/tcp/9000"}},
		{[]string{"/ip4/127.0.0.1/tcp/9000"}, []string{"/ip4/127.0.0.1/tcp/9000"}},
		{[]string{"/ip4/192.0.2.5/tcp/9000"}, []string{"/ip4/192.0.2.5/tcp/9000"}},
	} {
		var listen []ma.Multiaddr
		for _, l := range c.listen {
			listen = append(listen, ma.StringCast(l))
		}
		if got := strs(expandListen(listen, ifaces)); !slices.Equal(got, c.want) {
			t.Errorf("expandListen(%q) = %q, want %q", c.listen, got, c.want)
		}
	}
}

func TestParseAnnounce(t *testing.T) {
	for _, ok := range []string{"/ip4/203.0.113.7/tcp/4001", "/ip6/2001:db8::7/tcp/4001", "/dns4/op.example.org/tcp/4001", "/dns/op.example.org/tcp/1"} {
		if _, err := parseAnnounce(ok); err != nil {
			t.Errorf("parseAnnounce(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "203.0.113.7:4001", "/ip4/0.0.0.0/tcp/4001", "/ip6/::/tcp/4001", "/ip4/203.0.113.7", "/ip4/203.0.113.7/udp/4001",
		"/ip4/203.0.113.7/tcp/4001/p2p/12D3KooWNENu7fjJiynHU4Af3hPZny6tnrUCBo6eZEszLmTrvGbS"} {
		if _, err := parseAnnounce(bad); err == nil {
			t.Errorf("parseAnnounce(%q): no error", bad)
		}
	}
}

func TestObservedAddrs(t *testing.T) {
	o := &observedAddrs{ips: map[peer.ID]net.IP{}}
	p1, p2, p3, p4 := peer.ID("a"), peer.ID("b"), peer.ID("c"), peer.ID("d")
	o.observe(p1, ma.StringCast("/ip4/198.51.100.9/tcp/51234")) // an outbound connection's ephemeral port
	o.observe(p2, ma.StringCast("/ip4/198.51.100.9/tcp/9000"))
	o.observe(p3, ma.StringCast("/ip4/203.0.113.1/tcp/9000"))
	o.observe(p4, ma.StringCast("/ip4/127.0.0.1/tcp/9000")) // loopback: not kept
	listen := []ma.Multiaddr{ma.StringCast("/ip4/0.0.0.0/tcp/9000")}
	want := []string{"/ip4/198.51.100.9/tcp/9000", "/ip4/203.0.113.1/tcp/9000"}
	if got := strs(o.addrs(listen)); !slices.Equal(got, want) {
		t.Errorf("addrs = %q, want %q", got, want)
	}
	// No IPv6 listener: an IPv6 observation gives no address.
	o.observe(p4, ma.StringCast("/ip6/2001:db8::9/tcp/9000"))
	if got := strs(o.addrs(listen)); !slices.Equal(got, want) {
		t.Errorf("addrs = %q, want %q", got, want)
	}
}

func TestDialable(t *testing.T) {
	for s, want := range map[string]bool{
		"/ip4/192.0.2.1/tcp/1": true, "/ip4/127.0.0.1/tcp/1": true, "/dns4/x.example/tcp/1": true,
		"/ip4/0.0.0.0/tcp/1": false, "/ip6/fe80::1/tcp/1": false, "/ip4/192.0.2.1/udp/1/quic-v1": false,
	} {
		if got := dialable(ma.StringCast(s)); got != want {
			t.Errorf("dialable(%s) = %v", s, got)
		}
	}
}
