package sdk

import (
	"context"
	"fmt"

	"github.com/hashicorp/go-hclog"
	"google.golang.org/grpc"

	pb "github.com/wavs-go/wavs/sdk/internal/pluginpb"
)

// baseServer serves the base service for any plugin.
type baseServer struct {
	pb.UnimplementedBaseServiceServer
	impl Plugin
	// shutdown, if set, replaces impl.Shutdown: Serve routes every way of
	// stopping through one call.
	shutdown func(context.Context) error
}

func (s *baseServer) Info(context.Context, *pb.InfoRequest) (*pb.InfoResponse, error) {
	// The SDK decides the protocol version, not the plugin author.
	info := s.impl.Info()
	info.ProtocolVersion = ProtocolVersion
	return infoToPB(info), nil
}

func (s *baseServer) Configure(ctx context.Context, req *pb.ConfigureRequest) (*pb.ConfigureResponse, error) {
	err := s.impl.Configure(ctx, ConfigureRequest{
		DataDir:     req.GetDataDir(),
		Config:      req.GetConfigJson(),
		HostVersion: req.GetHostVersion(),
		PluginName:  req.GetPluginName(),
	})
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.ConfigureResponse{}, nil
}

func (s *baseServer) Health(ctx context.Context, _ *pb.HealthRequest) (*pb.HealthResponse, error) {
	h := s.impl.Health(ctx)
	return &pb.HealthResponse{Healthy: h.Healthy, Message: h.Message}, nil
}

func (s *baseServer) Shutdown(ctx context.Context, _ *pb.ShutdownRequest) (*pb.ShutdownResponse, error) {
	shutdown := s.impl.Shutdown
	if s.shutdown != nil {
		shutdown = s.shutdown
	}
	if err := shutdown(ctx); err != nil {
		return nil, toStatus(err)
	}
	return &pb.ShutdownResponse{}, nil
}

// baseClient is the host's view of the base service.
type baseClient struct {
	info Info
	pb   pb.BaseServiceClient
	log  hclog.Logger
}

func newBaseClient(ctx context.Context, conn *grpc.ClientConn) (*baseClient, error) {
	c := &baseClient{pb: pb.NewBaseServiceClient(conn), log: hclog.NewNullLogger()}
	resp, err := c.pb.Info(ctx, &pb.InfoRequest{})
	if err != nil {
		return nil, fmt.Errorf("plugin info: %w", fromStatus(err))
	}
	c.info = infoFromPB(resp)
	return c, nil
}

func (c *baseClient) Info() Info { return c.info }

func (c *baseClient) Configure(ctx context.Context, req ConfigureRequest) error {
	_, err := c.pb.Configure(ctx, &pb.ConfigureRequest{
		DataDir:     req.DataDir,
		ConfigJson:  req.Config,
		HostVersion: req.HostVersion,
		PluginName:  req.PluginName,
	})
	return fromStatus(err)
}

func (c *baseClient) Health(ctx context.Context) Health {
	resp, err := c.pb.Health(ctx, &pb.HealthRequest{})
	if err != nil {
		return Health{Healthy: false, Message: fromStatus(err).Error()}
	}
	return Health{Healthy: resp.GetHealthy(), Message: resp.GetMessage()}
}

func (c *baseClient) Shutdown(ctx context.Context) error {
	_, err := c.pb.Shutdown(ctx, &pb.ShutdownRequest{})
	return fromStatus(err)
}

func (c *baseClient) setLogger(l hclog.Logger) { c.log = l }
