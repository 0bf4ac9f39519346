package node

import (
	"net"
	"net/netip"
	"strconv"

	"github.com/wavs-go/wavs/host/api"
	"github.com/wavs-go/wavs/internal/apitoken"
)

// apiToken is the API's bearer token: the configured one, else the one in
// the data folder's api-token file, made on the first start. The log
// names the file, never the token.
func (n *Node) apiToken() (string, error) {
	if tok := n.cfg.Wavs.BearerToken; tok != "" {
		return tok, nil
	}
	tok, created, err := apitoken.Ensure(n.cfg.Wavs.Data)
	if err != nil {
		return "", err
	}
	path := apitoken.Path(n.cfg.Wavs.Data)
	if created {
		n.log.Info("created the API bearer token; the wavs client commands read it from there", "file", path)
	} else {
		n.log.Info("API bearer token read from the data folder", "file", path)
	}
	return tok, nil
}

// apiOptions are the API's options for a node listening on addr.
func (n *Node) apiOptions(token string, addr net.Addr) api.Options {
	port := n.cfg.Wavs.Port
	if tcp, ok := addr.(*net.TCPAddr); ok {
		port = tcp.Port
	}
	o := api.Options{
		BearerToken:  token,
		PublicReads:  n.cfg.Wavs.ReadsArePublic(),
		AllowedHosts: allowedHosts(n.cfg.Wavs.Host, port, n.cfg.Wavs.AllowedHosts),
		DevEndpoints: n.cfg.Wavs.DevEndpoints,
		Logger:       n.log.Named("api"),
	}
	if ip, err := netip.ParseAddr(n.cfg.Wavs.Host); err == nil && ip.IsUnspecified() {
		o.AnyIPOnPort = port
	}
	return o
}

// allowedHosts are the Host header values the API answers: the loopback
// names and the listen address on the API's port, and the operator's
// allow-list.
func allowedHosts(host string, port int, extra []string) []string {
	p := strconv.Itoa(port)
	out := []string{
		net.JoinHostPort("127.0.0.1", p),
		net.JoinHostPort("localhost", p),
		net.JoinHostPort("::1", p),
		net.JoinHostPort(host, p),
	}
	if port == 80 { // browsers leave the default port out
		out = append(out, "127.0.0.1", "localhost", "[::1]")
		if ip, err := netip.ParseAddr(host); err == nil && ip.Is6() {
			out = append(out, "["+host+"]")
		} else {
			out = append(out, host)
		}
	}
	return append(out, extra...)
}
