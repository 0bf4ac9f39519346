package config

import (
	"github.com/mr-tron/base58"
	"github.com/wavs-go/wavs/sdk"
)

// Admission modes of [wavs.p2p] admission.
const (
	// AdmissionOperators lets a peer join a service's topic only once it
	// proved that it holds the signing key of an operator of the service.
	AdmissionOperators = sdk.AdmissionOperators
	// AdmissionOpen lets anyone join, as before admission existed.
	AdmissionOpen = sdk.AdmissionOpen
)

const (
	wantAdmission = `want "operators" (only the service's operators join its topic) or "open" (anyone)`
	wantPeerID    = `want a libp2p peer id, e.g. "12D3KooW..." (as in GET /p2p/status local_peer_id)`
)

// admission checks [wavs.p2p] admission and authorized_peers.
func (v *validator) admission(p *P2P) {
	path := []string{"wavs", "p2p"}
	switch p.Admission {
	case "", AdmissionOperators, AdmissionOpen:
	default:
		v.bad(join(path, []string{"admission"}), -1, quote(p.Admission), wantAdmission)
	}
	for i, id := range p.AuthorizedPeers {
		if !isPeerID(id) {
			v.bad(join(path, []string{"authorized_peers"}), i, quote(id), wantPeerID)
		}
	}
}

// isPeerID checks the shape of a peer id in its base58 text form: a
// multihash (identity, code 0x00, as for Ed25519 keys, or sha2-256, code
// 0x12) with its length. Like checkMultiaddr it keeps libp2p out of the
// config package.
func isPeerID(s string) bool {
	b, err := base58.Decode(s)
	if err != nil || len(b) < 3 || (b[0] != 0x00 && b[0] != 0x12) {
		return false
	}
	return int(b[1]) == len(b)-2
}
