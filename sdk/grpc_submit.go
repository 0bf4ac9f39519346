package sdk

import (
	"context"
	"fmt"

	pb "github.com/wavs-go/wavs/sdk/internal/pluginpb"
)

type submitServer struct {
	pb.UnimplementedSubmitServiceServer
	impl Submitter
}

func (s *submitServer) LatestBlock(ctx context.Context, req *pb.LatestBlockRequest) (*pb.BlockRef, error) {
	b, err := s.impl.LatestBlock(ctx, req.GetChain())
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.BlockRef{Number: b.Number, Hash: b.Hash[:]}, nil
}

func (s *submitServer) ServiceManager(ctx context.Context, req *pb.ServiceManagerRequest) (*pb.ServiceManagerResponse, error) {
	m, err := s.impl.ServiceManager(ctx, req.GetChain(), req.GetHandler())
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.ServiceManagerResponse{Manager: m}, nil
}

func (s *submitServer) ServiceURI(ctx context.Context, req *pb.ServiceURIRequest) (*pb.ServiceURIResponse, error) {
	uri, err := s.impl.ServiceURI(ctx, req.GetChain(), req.GetManager())
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.ServiceURIResponse{Uri: uri}, nil
}

func (s *submitServer) Quorum(ctx context.Context, req *pb.QuorumRequest) (*pb.QuorumResponse, error) {
	q := QuorumQuery{Chain: req.GetChain(), Manager: req.GetManager(), Block: req.GetBlock(), Scheme: Scheme(req.GetScheme()), Signers: req.GetSigners()}
	res, err := s.impl.Quorum(ctx, q)
	if err != nil {
		return nil, toStatus(err)
	}
	return quorumToPB(res), nil
}

func (s *submitServer) Validate(ctx context.Context, req *pb.Submission) (*pb.ValidateResponse, error) {
	sub, err := submissionFromPB(req)
	if err != nil {
		return nil, toStatus(err)
	}
	v, err := s.impl.Validate(ctx, sub)
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.ValidateResponse{Valid: v.Valid, Reason: v.Reason, RevertData: v.RevertData}, nil
}

func (s *submitServer) Submit(ctx context.Context, req *pb.Submission) (*pb.SubmitResponse, error) {
	sub, err := submissionFromPB(req)
	if err != nil {
		return nil, toStatus(err)
	}
	r, err := s.impl.Submit(ctx, sub)
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.SubmitResponse{TxHash: r.TxHash[:], BlockNumber: r.BlockNumber, AlreadyHandled: r.AlreadyHandled}, nil
}

func (s *submitServer) FindLanding(ctx context.Context, req *pb.LandingQuery) (*pb.LandingResponse, error) {
	q, err := landingQueryFromPB(req)
	if err != nil {
		return nil, toStatus(err)
	}
	l, err := s.impl.FindLanding(ctx, q)
	if err != nil {
		return nil, toStatus(err)
	}
	return landingToPB(l), nil
}

func (s *submitServer) BlockAt(ctx context.Context, req *pb.BlockAtRequest) (*pb.BlockRef, error) {
	b, err := s.impl.BlockAt(ctx, req.GetChain(), req.GetNumber())
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.BlockRef{Number: b.Number, Hash: b.Hash[:]}, nil
}

func (s *submitServer) OperatorSet(ctx context.Context, req *pb.OperatorSetRequest) (*pb.OperatorSetResponse, error) {
	r, ok := s.impl.(OperatorSetReader)
	if !ok {
		return nil, toStatus(fmt.Errorf("%w: %s does not list operator sets", ErrUnimplemented, s.impl.Info().Name))
	}
	o, err := r.OperatorSet(ctx, req.GetChain(), req.GetManager(), req.GetBlock())
	if err != nil {
		return nil, toStatus(err)
	}
	return operatorSetToPB(o), nil
}

type submitClient struct {
	*baseClient
	pb pb.SubmitServiceClient
}

var (
	_ Submitter         = (*submitClient)(nil)
	_ OperatorSetReader = (*submitClient)(nil)
)

func (c *submitClient) LatestBlock(ctx context.Context, chain string) (BlockRef, error) {
	resp, err := c.pb.LatestBlock(ctx, &pb.LatestBlockRequest{Chain: chain})
	if err != nil {
		return BlockRef{}, fromStatus(err)
	}
	b := BlockRef{Number: resp.GetNumber()}
	if len(resp.GetHash()) > 0 {
		if err := fixed(b.Hash[:], resp.GetHash(), "block hash"); err != nil {
			return BlockRef{}, err
		}
	}
	return b, nil
}

func (c *submitClient) ServiceManager(ctx context.Context, chain, handler string) (string, error) {
	resp, err := c.pb.ServiceManager(ctx, &pb.ServiceManagerRequest{Chain: chain, Handler: handler})
	if err != nil {
		return "", fromStatus(err)
	}
	return resp.GetManager(), nil
}

func (c *submitClient) ServiceURI(ctx context.Context, chain, manager string) (string, error) {
	resp, err := c.pb.ServiceURI(ctx, &pb.ServiceURIRequest{Chain: chain, Manager: manager})
	if err != nil {
		return "", fromStatus(err)
	}
	return resp.GetUri(), nil
}

func (c *submitClient) Quorum(ctx context.Context, q QuorumQuery) (Quorum, error) {
	resp, err := c.pb.Quorum(ctx, &pb.QuorumRequest{
		Chain: q.Chain, Manager: q.Manager, Block: q.Block, Scheme: string(q.Scheme), Signers: q.Signers,
	})
	if err != nil {
		return Quorum{}, fromStatus(err)
	}
	return quorumFromPB(resp), nil
}

func (c *submitClient) Validate(ctx context.Context, s Submission) (Validation, error) {
	resp, err := c.pb.Validate(ctx, submissionToPB(s))
	if err != nil {
		return Validation{}, fromStatus(err)
	}
	return Validation{Valid: resp.GetValid(), Reason: resp.GetReason(), RevertData: resp.GetRevertData()}, nil
}

func (c *submitClient) Submit(ctx context.Context, s Submission) (Receipt, error) {
	resp, err := c.pb.Submit(ctx, submissionToPB(s))
	if err != nil {
		return Receipt{}, fromStatus(err)
	}
	r := Receipt{BlockNumber: resp.GetBlockNumber(), AlreadyHandled: resp.GetAlreadyHandled()}
	if len(resp.GetTxHash()) > 0 {
		if err := fixed(r.TxHash[:], resp.GetTxHash(), "tx hash"); err != nil {
			return Receipt{}, err
		}
	}
	return r, nil
}

func (c *submitClient) FindLanding(ctx context.Context, q LandingQuery) (Landing, error) {
	resp, err := c.pb.FindLanding(ctx, landingQueryToPB(q))
	if err != nil {
		return Landing{}, fromStatus(err)
	}
	return landingFromPB(resp)
}

func (c *submitClient) BlockAt(ctx context.Context, chain string, number uint64) (BlockRef, error) {
	resp, err := c.pb.BlockAt(ctx, &pb.BlockAtRequest{Chain: chain, Number: number})
	if err != nil {
		return BlockRef{}, fromStatus(err)
	}
	b := BlockRef{Number: resp.GetNumber()}
	if err := fixed(b.Hash[:], resp.GetHash(), "block hash"); err != nil {
		return BlockRef{}, err
	}
	return b, nil
}

func (c *submitClient) OperatorSet(ctx context.Context, chain, manager string, block uint64) (OperatorSet, error) {
	resp, err := c.pb.OperatorSet(ctx, &pb.OperatorSetRequest{Chain: chain, Manager: manager, Block: block})
	if err != nil {
		return OperatorSet{}, fromStatus(err)
	}
	return operatorSetFromPB(resp), nil
}
