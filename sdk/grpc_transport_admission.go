package sdk

import (
	"context"
	"errors"
	"fmt"
	"io"

	"google.golang.org/grpc/metadata"

	pb "github.com/wavs-go/wavs/sdk/internal/pluginpb"
)

// admissionServer serves TransportAdmissionService for a transport that
// implements AdmissionTransport; a transport that does not never
// registers it, so its callers get ErrUnimplemented.
type admissionServer struct {
	pb.UnimplementedTransportAdmissionServiceServer
	impl   AdmissionTransport
	claims streamSlot
}

func (s *admissionServer) SetAdmission(ctx context.Context, req *pb.SetAdmissionRequest) (*pb.SetAdmissionResponse, error) {
	a, err := admissionFromPB(req)
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.SetAdmissionResponse{}, toStatus(s.impl.SetAdmission(ctx, a))
}

func (s *admissionServer) PeerClaims(_ *pb.PeerClaimsRequest, stream pb.TransportAdmissionService_PeerClaimsServer) error {
	ctx, release := s.claims.open(stream.Context())
	defer release()
	if err := stream.SendHeader(metadata.Pairs(claimsHeader, "open")); err != nil {
		return err
	}
	ch, err := s.impl.PeerClaims(ctx)
	if err != nil {
		return toStatus(err)
	}
	conv := func(c PeerClaim) (*pb.PeerClaim, error) {
		return &pb.PeerClaim{PeerId: c.PeerID, Topic: c.Topic, Signer: c.Signer[:]}, nil
	}
	return sendAll(ctx, ch, conv, stream.Send)
}

func (s *admissionServer) Admit(ctx context.Context, req *pb.AdmitRequest) (*pb.AdmitResponse, error) {
	return &pb.AdmitResponse{}, toStatus(s.impl.Admit(ctx, req.GetPeerId(), req.GetTopic(), req.GetAdmitted()))
}

// claimsHeader marks the header of an open PeerClaims stream.
const claimsHeader = "wavs-peer-claims"

var _ AdmissionTransport = (*transportClient)(nil)

// SetAdmission implements AdmissionTransport; ErrUnimplemented when the
// plugin does not admit peers.
func (c *transportClient) SetAdmission(ctx context.Context, a Admission) error {
	_, err := c.admission.SetAdmission(ctx, admissionToPB(a))
	return fromStatus(err)
}

// PeerClaims implements AdmissionTransport.
func (c *transportClient) PeerClaims(ctx context.Context) (<-chan PeerClaim, error) {
	stream, err := c.admission.PeerClaims(ctx, &pb.PeerClaimsRequest{})
	if err != nil {
		return nil, fromStatus(err)
	}
	md, err := stream.Header()
	if err != nil {
		return nil, fromStatus(err)
	}
	if len(md.Get(claimsHeader)) == 0 {
		// No stream was opened: a plugin without the service answers
		// with its status alone, which Recv returns.
		_, err := stream.Recv()
		if err == nil || errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w: peer claims stream ended at once", ErrUnavailable)
		}
		return nil, fromStatus(err)
	}
	return recvAll(ctx, c.log, "peer claims", stream.Recv, peerClaimFromPB), nil
}

// Admit implements AdmissionTransport.
func (c *transportClient) Admit(ctx context.Context, peerID, topic string, ok bool) error {
	_, err := c.admission.Admit(ctx, &pb.AdmitRequest{PeerId: peerID, Topic: topic, Admitted: ok})
	return fromStatus(err)
}

func admissionToPB(a Admission) *pb.SetAdmissionRequest {
	req := &pb.SetAdmissionRequest{Mode: a.Mode, AuthorizedPeers: a.AuthorizedPeers}
	for _, at := range a.Attestations {
		req.Attestations = append(req.Attestations, &pb.Attestation{Topic: at.Topic, Signer: at.Signer[:], Signature: at.Signature})
	}
	return req
}

func admissionFromPB(req *pb.SetAdmissionRequest) (Admission, error) {
	a := Admission{Mode: req.GetMode(), AuthorizedPeers: req.GetAuthorizedPeers()}
	for i, at := range req.GetAttestations() {
		out := Attestation{Topic: at.GetTopic(), Signature: at.GetSignature()}
		if err := fixed(out.Signer[:], at.GetSigner(), fmt.Sprintf("attestations[%d].signer", i)); err != nil {
			return Admission{}, err
		}
		a.Attestations = append(a.Attestations, out)
	}
	return a, nil
}

func peerClaimFromPB(p *pb.PeerClaim) (PeerClaim, error) {
	c := PeerClaim{PeerID: p.GetPeerId(), Topic: p.GetTopic()}
	if err := fixed(c.Signer[:], p.GetSigner(), "peer_claim.signer"); err != nil {
		return PeerClaim{}, err
	}
	return c, nil
}

func peersToPB(ps []PeerStatus) []*pb.PeerStatus {
	var out []*pb.PeerStatus
	for _, p := range ps {
		out = append(out, &pb.PeerStatus{PeerId: p.PeerID, Operator: p.Operator, Authorized: p.Authorized, Topics: p.Topics})
	}
	return out
}

func peersFromPB(ps []*pb.PeerStatus) []PeerStatus {
	var out []PeerStatus
	for _, p := range ps {
		out = append(out, PeerStatus{PeerID: p.GetPeerId(), Operator: p.GetOperator(), Authorized: p.GetAuthorized(), Topics: p.GetTopics()})
	}
	return out
}
