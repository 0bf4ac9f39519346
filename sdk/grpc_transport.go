package sdk

import (
	"context"

	"google.golang.org/grpc/metadata"

	pb "github.com/wavs-go/wavs/sdk/internal/pluginpb"
)

type transportServer struct {
	pb.UnimplementedTransportServiceServer
	impl    Transport
	inbound streamSlot
}

func (s *transportServer) Subscribe(ctx context.Context, req *pb.SubscribeRequest) (*pb.SubscribeResponse, error) {
	return &pb.SubscribeResponse{}, toStatus(s.impl.Subscribe(ctx, req.GetTopic()))
}

func (s *transportServer) Unsubscribe(ctx context.Context, req *pb.UnsubscribeRequest) (*pb.UnsubscribeResponse, error) {
	return &pb.UnsubscribeResponse{}, toStatus(s.impl.Unsubscribe(ctx, req.GetTopic()))
}

func (s *transportServer) Publish(ctx context.Context, req *pb.PublishRequest) (*pb.PublishResponse, error) {
	return &pb.PublishResponse{}, toStatus(s.impl.Publish(ctx, req.GetTopic(), req.GetData()))
}

func (s *transportServer) Inbound(_ *pb.InboundRequest, stream pb.TransportService_InboundServer) error {
	ctx, release := s.inbound.open(stream.Context())
	defer release()
	// The header tells the client this stream is now the open one, so
	// "a new stream ends the previous one" follows the order of calls.
	if err := stream.SendHeader(metadata.MD{}); err != nil {
		return err
	}
	ch, err := s.impl.Inbound(ctx)
	if err != nil {
		return toStatus(err)
	}
	conv := func(m Message) (*pb.InboundMessage, error) { return messageToPB(m), nil }
	return sendAll(ctx, ch, conv, stream.Send)
}

func (s *transportServer) Status(ctx context.Context, _ *pb.StatusRequest) (*pb.StatusResponse, error) {
	st, err := s.impl.Status(ctx)
	if err != nil {
		return nil, toStatus(err)
	}
	return statusToPB(st), nil
}

type transportClient struct {
	*baseClient
	pb pb.TransportServiceClient
	// admission serves AdmissionTransport (transport_admission.go).
	admission pb.TransportAdmissionServiceClient
}

var _ Transport = (*transportClient)(nil)

func (c *transportClient) Subscribe(ctx context.Context, topic string) error {
	_, err := c.pb.Subscribe(ctx, &pb.SubscribeRequest{Topic: topic})
	return fromStatus(err)
}

func (c *transportClient) Unsubscribe(ctx context.Context, topic string) error {
	_, err := c.pb.Unsubscribe(ctx, &pb.UnsubscribeRequest{Topic: topic})
	return fromStatus(err)
}

func (c *transportClient) Publish(ctx context.Context, topic string, data []byte) error {
	_, err := c.pb.Publish(ctx, &pb.PublishRequest{Topic: topic, Data: data})
	return fromStatus(err)
}

func (c *transportClient) Inbound(ctx context.Context) (<-chan Message, error) {
	stream, err := c.pb.Inbound(ctx, &pb.InboundRequest{})
	if err != nil {
		return nil, fromStatus(err)
	}
	if _, err := stream.Header(); err != nil {
		return nil, fromStatus(err)
	}
	return recvAll(ctx, c.log, "inbound", stream.Recv, messageFromPB), nil
}

func (c *transportClient) Status(ctx context.Context) (TransportStatus, error) {
	resp, err := c.pb.Status(ctx, &pb.StatusRequest{})
	if err != nil {
		return TransportStatus{}, fromStatus(err)
	}
	return statusFromPB(resp), nil
}
