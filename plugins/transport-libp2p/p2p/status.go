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
		ExternalAddresses: n.externalAddrs(),
		MaxMessageBytes:   int(t.maxMessage.Load()),
		PeerIDs:           []string{},
		SubscribedTopics:  make([]string, 0, len(t.topics)),
		TopicPeerCounts:   make(map[string]int, len(t.topics)),
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
	t.adm.status(n.host, &st)
	st.PeerScores, st.GraylistedPeers = t.scores.snapshot()
	return st, nil
}
