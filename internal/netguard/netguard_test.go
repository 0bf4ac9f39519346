package netguard

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

func TestSpecial(t *testing.T) {
	tests := []struct {
		addr string
		want string
	}{
		{"8.8.8.8", ""},
		{"2606:4700::1111", ""},
		{"127.0.0.1", "loopback"},
		{"127.5.6.7", "loopback"},
		{"::1", "loopback"},
		{"::ffff:127.0.0.1", "loopback"},
		{"0.0.0.0", "unspecified"},
		{"0.1.2.3", "this-network"},
		{"::", "unspecified"},
		{"::ffff:0.0.0.0", "unspecified"},
		{"10.1.2.3", "private"},
		{"172.16.0.1", "private"},
		{"192.168.1.1", "private"},
		{"::ffff:192.168.1.1", "private"},
		{"fd00::1", "private"},
		{"169.254.169.254", "link-local"},
		{"fe80::1", "link-local"},
		{"224.0.0.1", "multicast"},
		{"ff02::1", "multicast"},
		{"255.255.255.255", "broadcast"},
		{"240.0.0.1", "reserved"},
		{"100.64.0.1", "shared (carrier-grade NAT)"},
		{"198.18.0.1", "benchmarking"},
		{"::127.0.0.1", "IPv4-compatible"},
		{"64:ff9b::7f00:1", "loopback (NAT64)"},
		{"64:ff9b::808:808", ""},
		{"2002:7f00:1::", "loopback (6to4)"},
		{"2002:a00:1::", "private (6to4)"},
		{"2002:808:808::", ""},
	}
	for _, tt := range tests {
		if got := Special(netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("Special(%s) = %q, want %q", tt.addr, got, tt.want)
		}
	}
}

func TestCheck(t *testing.T) {
	allow, err := ParseAllow("wavs.outbound_allow", []string{"127.0.0.0/8", "10.1.0.0/16", "fd00::5"})
	if err != nil {
		t.Fatal(err)
	}
	g := New(Options{Allow: allow, SelfPort: 8000, SelfAddrs: []netip.Addr{netip.MustParseAddr("192.0.2.10")}})
	tests := []struct {
		addr string
		ok   bool
	}{
		{"8.8.8.8:443", true},
		{"8.8.8.8:8000", true}, // another host's 8000 is not the node's
		{"127.0.0.1:9000", true},
		{"[::ffff:127.0.0.1]:9000", true},
		{"127.0.0.1:8000", false}, // the node's own API, even though allowed
		{"[::ffff:127.0.0.1]:8000", false},
		{"0.0.0.0:8000", false},
		{"192.0.2.10:8000", false},
		{"[::1]:9000", false}, // ::1 is not in 127.0.0.0/8
		{"10.1.200.1:80", true},
		{"10.2.0.1:80", false},
		{"[fd00::5]:80", true},
		{"[fd00::6]:80", false},
		{"169.254.169.254:80", false},
	}
	for _, tt := range tests {
		err := g.Check(netip.MustParseAddrPort(tt.addr))
		if (err == nil) != tt.ok {
			t.Errorf("Check(%s) = %v, want ok=%v", tt.addr, err, tt.ok)
		}
		if err != nil && !errors.Is(err, ErrDenied) {
			t.Errorf("Check(%s): %v is not ErrDenied", tt.addr, err)
		}
	}
}

func TestParseAllow(t *testing.T) {
	if _, err := ParseAllow("wavs.outbound_allow", []string{"10.0.0.0/8", "nope"}); err == nil ||
		!strings.Contains(err.Error(), `wavs.outbound_allow[1] = "nope"`) {
		t.Errorf("got %v", err)
	}
	p, err := ParseAllow("x", []string{"10.1.2.3/16", "::1"})
	if err != nil || p[0].String() != "10.1.0.0/16" || p[1].String() != "::1/128" {
		t.Errorf("got %v, %v", p, err)
	}
}

// A name that resolves to loopback is refused at dial time, whatever the
// URL says; allowing the range lets it through.
func TestClientRefusesResolvedLoopback(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("secret")) }))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	for _, host := range []string{"127.0.0.1", "localhost"} {
		url := "http://" + net.JoinHostPort(host, port) + "/"
		_, err := New(Options{}).Client(0).Get(url)
		if !errors.Is(err, ErrDenied) {
			t.Errorf("GET %s without an allowance: %v, want ErrDenied", url, err)
		}
		allow, _ := ParseAllow("x", []string{"127.0.0.0/8", "::1"})
		res, err := New(Options{Allow: allow}).Client(0).Get(url)
		if err != nil {
			t.Errorf("GET %s allowed: %v", url, err)
			continue
		}
		res.Body.Close()
	}
	// The API port is refused even inside an allowed range.
	allow, _ := ParseAllow("x", []string{"127.0.0.0/8"})
	var p uint16
	for _, c := range port {
		p = p*10 + uint16(c-'0')
	}
	d := New(Options{Allow: allow, SelfPort: p}).Dialer(0)
	if _, err := d.DialContext(context.Background(), "tcp", srv.Listener.Addr().String()); !errors.Is(err, ErrDenied) {
		t.Errorf("dial of the API port: %v, want ErrDenied", err)
	}
}
