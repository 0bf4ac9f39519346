package sdk

import (
	"context"
	"fmt"

	pb "github.com/wavs-go/wavs/sdk/internal/pluginpb"
)

// Verdict is the host's answer about an inbound message that carries an
// ID (see VerdictReporter).
type Verdict int

// Verdicts. The zero value is not one.
const (
	// VerdictAccept: the message counts; the transport may forward it.
	VerdictAccept Verdict = iota + 1
	// VerdictReject: the message is invalid (forged, malformed, from a
	// peer over its budget): the transport drops it and penalizes the
	// peer that sent it.
	VerdictReject
	// VerdictIgnore: the message is not forwarded, and nobody is blamed
	// (it could not be checked, or it is of no use to this node).
	VerdictIgnore
)

func (v Verdict) String() string {
	switch v {
	case VerdictAccept:
		return "accept"
	case VerdictReject:
		return "reject"
	case VerdictIgnore:
		return "ignore"
	}
	return fmt.Sprintf("verdict(%d)", int(v))
}

// VerdictReporter is a Transport that takes the host's verdicts: it holds
// each inbound message that carries an ID until the verdict on it comes,
// or a bounded wait ends (then it acts as on VerdictIgnore). Reporting an
// unknown or expired id is not an error. The host reports a verdict on
// every message with an ID; a message without one needs none.
type VerdictReporter interface {
	Report(ctx context.Context, id string, v Verdict) error
}

// ReportVerdict reports v on the message id to t; ErrUnimplemented if t
// takes no verdicts (in process or across the plugin boundary).
func ReportVerdict(ctx context.Context, t Transport, id string, v Verdict) error {
	r, ok := t.(VerdictReporter)
	if !ok {
		return fmt.Errorf("%w: the transport takes no verdicts", ErrUnimplemented)
	}
	return r.Report(ctx, id, v)
}

// PeerScore is a peer's standing with the transport's router.
type PeerScore struct {
	PeerID     string
	Score      float64
	Graylisted bool
}

func (s *transportServer) Report(ctx context.Context, req *pb.ReportRequest) (*pb.ReportResponse, error) {
	v, err := verdictFromPB(req.GetVerdict())
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.ReportResponse{}, toStatus(ReportVerdict(ctx, s.impl, req.GetId(), v))
}

// Report implements VerdictReporter across the plugin boundary: a plugin
// whose transport takes no verdicts answers ErrUnimplemented.
func (c *transportClient) Report(ctx context.Context, id string, v Verdict) error {
	_, err := c.pb.Report(ctx, &pb.ReportRequest{Id: id, Verdict: pb.Verdict(v)})
	return fromStatus(err)
}

var _ VerdictReporter = (*transportClient)(nil)

func verdictFromPB(v pb.Verdict) (Verdict, error) {
	switch v {
	case pb.Verdict_VERDICT_ACCEPT, pb.Verdict_VERDICT_REJECT, pb.Verdict_VERDICT_IGNORE:
		return Verdict(v), nil
	}
	return 0, fmt.Errorf("%w: verdict %v", ErrInvalidArgument, v)
}

func scoresToPB(s TransportStatus, out *pb.StatusResponse) {
	out.GraylistedPeers = uint32(s.GraylistedPeers)
	for _, p := range s.PeerScores {
		out.PeerScores = append(out.PeerScores, &pb.PeerScore{PeerId: p.PeerID, Score: p.Score, Graylisted: p.Graylisted})
	}
}

func scoresFromPB(p *pb.StatusResponse, out *TransportStatus) {
	out.GraylistedPeers = int(p.GetGraylistedPeers())
	for _, s := range p.GetPeerScores() {
		out.PeerScores = append(out.PeerScores, PeerScore{PeerID: s.GetPeerId(), Score: s.GetScore(), Graylisted: s.GetGraylisted()})
	}
}
