package node

// The address guard of outbound fetches,
// the operator's grants of WAVS_ENV_* variables, and chain endpoints as
// components see them.

import (
	"net/netip"

	"github.com/wavs-go/wavs/host/config"
	"github.com/wavs-go/wavs/host/engine"
	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/internal/netguard"
	"github.com/wavs-go/wavs/internal/redact"
)

// outboundGuard refuses special addresses except the ranges of
// wavs.outbound_allow, and the node's own API port on every address of
// this host.
func (n *Node) outboundGuard() (*netguard.Guard, error) {
	allow, err := n.cfg.OutboundAllowPrefixes()
	if err != nil {
		return nil, err
	}
	o := netguard.Options{Allow: allow, SelfPort: uint16(n.cfg.Wavs.Port)}
	if a, err := netip.ParseAddr(n.cfg.Wavs.Host); err == nil && !a.IsUnspecified() {
		o.SelfAddrs = []netip.Addr{a}
	} else {
		// Listening on every address (or a name): any of this host's
		// addresses reaches the API.
		o.SelfAddrs = netguard.LocalAddrs()
	}
	return netguard.New(o), nil
}

// envGrants is wavs.service_env keyed by service id.
func (n *Node) envGrants() map[string][]string {
	out := map[string][]string{}
	for _, g := range n.cfg.ServiceEnvGrants() {
		id := g.ServiceID
		if g.Manager != "" {
			var a service.Address
			if err := a.UnmarshalText([]byte(g.Manager)); err != nil {
				n.log.Warn("wavs.service_env: skipping a manager that is not an address", "key", g.Chain+":"+g.Manager)
				continue
			}
			id = service.ServiceID(g.Chain, a)
		}
		out[id] = append(out[id], g.Vars...)
	}
	return out
}

// redactedChain is a chain as components see it: its id and its
// endpoints with userinfo, query values and key-like path segments
// removed. A component that needs a keyed endpoint gets the key through
// a granted WAVS_ENV_* variable instead.
func redactedChain(id string, c config.EVMChain) engine.Chain {
	ch := engine.Chain{ChainID: id}
	if c.HTTPEndpoint != "" {
		ch.HTTPEndpoint = redact.URL(c.HTTPEndpoint)
	}
	for _, ws := range c.WSEndpoints {
		ch.WSEndpoints = append(ch.WSEndpoints, redact.URL(ws))
	}
	return ch
}
