package registry

import (
	"slices"
)

// ServiceTarget is a registered service, its signing key and where its
// operators are read: its manager, or when the service names none on an
// EVM chain, the handler of its first workflow that submits on chain.
type ServiceTarget struct {
	ServiceID string
	Target
}

// AdmissionTargets lists the registered services that have a signing key
// on this node and a chain to check their operators on: those whose P2P
// topic this node attests to its peers.
func (r *Registry) AdmissionTargets() []ServiceTarget {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []ServiceTarget
	for id, e := range r.services {
		if e.key == nil {
			continue
		}
		if m := e.svc.Manager; m.Chain() != "" {
			out = append(out, ServiceTarget{ServiceID: id, Target: Target{Chain: m.Chain(), Manager: m.Address(), Key: e.key}})
			continue
		}
		wids := make([]string, 0, len(e.svc.Workflows))
		for wid := range e.svc.Workflows {
			wids = append(wids, wid)
		}
		slices.Sort(wids)
		for _, wid := range wids {
			if a := e.svc.Workflows[wid].Submit.Aggregator; a != nil {
				out = append(out, ServiceTarget{ServiceID: id, Target: Target{Chain: a.Chain, Handler: a.Handler(), Plugin: e.svc.Workflows[wid].Plugins.Submit, Key: e.key}})
				break
			}
		}
	}
	return out
}
