package node

import (
	"github.com/wavs-go/wavs/host/aggregator"
	"github.com/wavs-go/wavs/host/config"
	"github.com/wavs-go/wavs/host/plugins"
	"github.com/wavs-go/wavs/host/registry"
)

// admissionOptions wires P2P admission: the transport, [wavs.p2p]
// admission and authorized_peers (open when there is no [wavs.p2p], as
// with a third-party transport configured alone), and the registered
// services with their keys and managers.
func (n *Node) admissionOptions(tp *plugins.Transport, reg *registry.Registry) aggregator.AdmissionOptions {
	o := aggregator.AdmissionOptions{Network: tp, Mode: config.AdmissionOpen}
	if p := n.cfg.Wavs.P2P; p != nil {
		o.Mode, o.AuthorizedPeers = p.AdmissionMode(), p.AuthorizedPeers
	}
	o.Services = func() []aggregator.AdmissionService {
		var out []aggregator.AdmissionService
		for _, t := range reg.AdmissionTargets() {
			out = append(out, aggregator.AdmissionService{ServiceID: t.ServiceID, Route: aggregator.Route{
				Chain: t.Chain, Handler: t.Handler, Manager: t.Manager, Plugin: t.Plugin, Key: t.Key,
			}})
		}
		return out
	}
	return o
}
