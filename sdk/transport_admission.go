package sdk

import "context"

// Admission modes: who may join a transport's topics.
const (
	// AdmissionOperators admits to a topic only peers that proved they
	// hold a signing key of an operator of the topic's service (and the
	// authorized peers).
	AdmissionOperators = "operators"
	// AdmissionOpen admits anyone, as transports did before admission.
	AdmissionOpen = "open"
)

// AdmissionDomain starts the digest an admission attestation signs:
// keccak256(AdmissionDomain ‖ peer id bytes ‖ topic), the peer id in its
// binary (multihash) form.
const AdmissionDomain = "wavs-p2p-admission/v1"

// Admission is the policy the host gives a transport (see
// AdmissionTransport.SetAdmission).
type Admission struct {
	// Mode is AdmissionOperators or AdmissionOpen.
	Mode string
	// AuthorizedPeers are peer ids always admitted, to every topic.
	AuthorizedPeers []string
	// Attestations are this node's, one per subscribed topic it can
	// attest.
	Attestations []Attestation
}

// Attestation says that the holder of Signer's key runs the node whose
// peer id it was made for, on Topic: Signature is an EIP-191 secp256k1
// signature (65 bytes r‖s‖v, v = 27 or 28) over the admission digest
// (see AdmissionDomain).
type Attestation struct {
	Topic     string
	Signer    Address
	Signature []byte
}

// PeerClaim is a peer's attestation the transport verified: the peer
// proved, on its authenticated connection, that it holds Signer's key for
// Topic. Whether Signer is an operator is the host's to check.
type PeerClaim struct {
	PeerID string
	Topic  string
	Signer Address
}

// PeerStatus is one connected peer in TransportStatus.Peers.
type PeerStatus struct {
	PeerID string
	// Operator: admitted to at least one topic by a verified attestation.
	Operator bool
	// Authorized: listed in Admission.AuthorizedPeers.
	Authorized bool
	// Topics are the topics the peer is admitted to.
	Topics []string
}

// AdmissionTransport is implemented by transports that admit peers to
// their topics. It is optional: a transport without it (over gRPC, one
// answering ErrUnimplemented) admits everyone.
type AdmissionTransport interface {
	// SetAdmission replaces the policy and this node's attestations; it
	// may be called again at any time.
	SetAdmission(ctx context.Context, a Admission) error
	// PeerClaims streams the peers' verified attestations until ctx is
	// done. At most one stream is open at a time: a new call ends the
	// previous one, and the new stream starts with every claim not yet
	// answered by Admit.
	PeerClaims(ctx context.Context) (<-chan PeerClaim, error)
	// Admit answers a claim: ok admits peerID to topic, !ok keeps it (or
	// puts it) out.
	Admit(ctx context.Context, peerID, topic string, ok bool) error
}
