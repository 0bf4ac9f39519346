package p2p

import (
	"context"
	"slices"

	"github.com/wavs-go/wavs/sdk"
)

// Status implements sdk.Transport.
func (t *Transport) Status(context.Context) (sdk.TransportStatus, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n, err := t.running()
	if err != nil {
		return sdk.TransportStatus{}, err
	}
	st := sdk.TransportStatus{
		Enabled:           true,
		LocalPeerID:       n.host.ID().String(),
		ListenAddresses:   n.listenAddrs(),
		ExternalAddresses: []string{},
		PeerIDs:           []string{},
		SubscribedTopics:  make([]string, 0, len(t.topics)),
		TopicPeerCounts:   make(map[string]int, len(t.topics)),
	}
	listen := make(map[string]bool)
	for _, a := range n.host.Network().ListenAddresses() {
		listen[a.String()] = true
	}
	suffix := "/p2p/" + st.LocalPeerID
	for _, a := range n.host.Addrs() {
		if !listen[a.String()] {
			st.ExternalAddresses = append(st.ExternalAddresses, a.String()+suffix)
		}
	}
	for _, p := range n.host.Network().Peers() {
		st.PeerIDs = append(st.PeerIDs, p.String())
	}
	slices.Sort(st.PeerIDs)
	for name, s := range t.topics {
		st.SubscribedTopics = append(st.SubscribedTopics, name)
		st.TopicPeerCounts[name] = len(s.topic.ListPeers())
	}
	slices.Sort(st.SubscribedTopics)
	st.PeerScores, st.GraylistedPeers = t.scores.snapshot()
	return st, nil
}
