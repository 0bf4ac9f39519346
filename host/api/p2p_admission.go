package api

import "github.com/wavs-go/wavs/sdk"

// P2PPeer is one connected peer in GET /p2p/status, as admission sees it.
type P2PPeer struct {
	PeerID string `json:"peer_id"`
	// Operator: the peer proved it holds the signing key of an operator
	// of the Services (checked on chain).
	Operator bool `json:"operator"`
	// Authorized: listed in [wavs.p2p] authorized_peers.
	Authorized bool     `json:"authorized"`
	Services   []string `json:"services"`
	// Topics are the topics the peer is admitted to (the services' and
	// any other).
	Topics []string `json:"topics"`
}

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
