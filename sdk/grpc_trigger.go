package sdk

import (
	"context"

	"google.golang.org/grpc/metadata"

	pb "github.com/wavs-go/wavs/sdk/internal/pluginpb"
)

type triggerServer struct {
	pb.UnimplementedTriggerServiceServer
	impl   Trigger
	events streamSlot
}

func (s *triggerServer) AddTrigger(ctx context.Context, req *pb.AddTriggerRequest) (*pb.AddTriggerResponse, error) {
	spec, err := specFromPB(req.GetSpec())
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.AddTriggerResponse{}, toStatus(s.impl.AddTrigger(ctx, spec))
}

func (s *triggerServer) RemoveTrigger(ctx context.Context, req *pb.RemoveTriggerRequest) (*pb.RemoveTriggerResponse, error) {
	return &pb.RemoveTriggerResponse{}, toStatus(s.impl.RemoveTrigger(ctx, req.GetId()))
}

func (s *triggerServer) Events(_ *pb.EventsRequest, stream pb.TriggerService_EventsServer) error {
	ctx, release := s.events.open(stream.Context())
	defer release()
	// The header tells the client this stream is now the open one, so
	// "a new stream ends the previous one" follows the order of calls.
	if err := stream.SendHeader(metadata.MD{}); err != nil {
		return err
	}
	ch, err := s.impl.Events(ctx)
	if err != nil {
		return toStatus(err)
	}
	return sendAll(ctx, ch, eventToPB, stream.Send)
}

func (s *triggerServer) Ack(ctx context.Context, req *pb.AckRequest) (*pb.AckResponse, error) {
	return &pb.AckResponse{}, toStatus(s.impl.Ack(ctx, req.GetTriggerId(), req.GetCursor()))
}

type triggerClient struct {
	*baseClient
	pb pb.TriggerServiceClient
}

var _ Trigger = (*triggerClient)(nil)

func (c *triggerClient) AddTrigger(ctx context.Context, spec TriggerSpec) error {
	p, err := specToPB(spec)
	if err != nil {
		return err
	}
	_, err = c.pb.AddTrigger(ctx, &pb.AddTriggerRequest{Spec: p})
	return fromStatus(err)
}

func (c *triggerClient) RemoveTrigger(ctx context.Context, id string) error {
	_, err := c.pb.RemoveTrigger(ctx, &pb.RemoveTriggerRequest{Id: id})
	return fromStatus(err)
}

func (c *triggerClient) Events(ctx context.Context) (<-chan TriggerEvent, error) {
	stream, err := c.pb.Events(ctx, &pb.EventsRequest{})
	if err != nil {
		return nil, fromStatus(err)
	}
	if _, err := stream.Header(); err != nil {
		return nil, fromStatus(err)
	}
	return recvAll(ctx, c.log, "events", stream.Recv, eventFromPB), nil
}

func (c *triggerClient) Ack(ctx context.Context, triggerID, cursor string) error {
	_, err := c.pb.Ack(ctx, &pb.AckRequest{TriggerId: triggerID, Cursor: cursor})
	return fromStatus(err)
}
