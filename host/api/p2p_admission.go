package api

import (
	"github.com/wavs-go/wavs/sdk"
)

// p2pPeers renders the transport's peers; nil when the transport does not
// admit peers.
func p2pPeers(st sdk.TransportStatus) []P2PPeer {
	if st.Admission == "" {
		return nil
	}
	out := make([]P2PPeer, 0, len(st.Peers))
	for _, p := range st.Peers {
		v := P2PPeer{PeerID: p.PeerID, Operator: p.Operator, Authorized: p.Authorized, Services: []string{}, Topics: nonNil(p.Topics)}
		for _, t := range p.Topics {
			if id, ok := sdk.ParseServiceTopic(t); ok {
				v.Services = append(v.Services, id)
			}
		}
		out = append(out, v)
	}
	return out
}
