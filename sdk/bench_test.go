package sdk_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/plugintest"
)

// benchTransport answers at once, so a benchmark measures the boundary.
type benchTransport struct{}

func (benchTransport) Info() sdk.Info {
	return sdk.Info{Name: "bench", Version: "0", Kind: sdk.KindTransport}
}
func (benchTransport) Configure(context.Context, sdk.ConfigureRequest) error { return nil }
func (benchTransport) Health(context.Context) sdk.Health                     { return sdk.Health{Healthy: true} }
func (benchTransport) Shutdown(context.Context) error                        { return nil }
func (benchTransport) Subscribe(context.Context, string) error               { return nil }
func (benchTransport) Unsubscribe(context.Context, string) error             { return nil }
func (benchTransport) Publish(context.Context, string, []byte) error         { return nil }
func (benchTransport) Inbound(ctx context.Context) (<-chan sdk.Message, error) {
	ch := make(chan sdk.Message)
	go func() { <-ctx.Done(); close(ch) }()
	return ch, nil
}
func (benchTransport) Status(context.Context) (sdk.TransportStatus, error) {
	return sdk.TransportStatus{SubscribedTopics: []string{"wavs/bench/topic/v1"}}, nil
}

// benchTrigger streams n prepared events on each Events call.
type benchTrigger struct{ n int }

func (benchTrigger) Info() sdk.Info {
	return sdk.Info{Name: "bench", Version: "0", Kind: sdk.KindTrigger}
}
func (benchTrigger) Configure(context.Context, sdk.ConfigureRequest) error { return nil }
func (benchTrigger) Health(context.Context) sdk.Health                     { return sdk.Health{Healthy: true} }
func (benchTrigger) Shutdown(context.Context) error                        { return nil }
func (benchTrigger) AddTrigger(context.Context, sdk.TriggerSpec) error     { return nil }
func (benchTrigger) RemoveTrigger(context.Context, string) error           { return nil }
func (benchTrigger) Ack(context.Context, string, string) error             { return nil }
func (b benchTrigger) Events(ctx context.Context) (<-chan sdk.TriggerEvent, error) {
	ch := make(chan sdk.TriggerEvent, 256)
	go func() {
		defer close(ch)
		for i := 0; i < b.n; i++ {
			ev := sdk.TriggerEvent{
				TriggerID: "bench",
				Cursor:    fmt.Sprintf("%012d", i),
				Data:      &sdk.EvmLog{Chain: "evm:31337", Topics: make([]sdk.Hash, 2), Data: make([]byte, 256), BlockNumber: uint64(i)},
			}
			select {
			case ch <- ev:
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch, nil
}

// BenchmarkUnaryGRPC is one Status round trip through the plugin protocol
// (gRPC over a unix socket, as with a plugin process).
func BenchmarkUnaryGRPC(b *testing.B) {
	p := plugintest.ConnectTransport(b, benchTransport{})
	ctx := context.Background()
	for b.Loop() {
		if _, err := p.Status(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPublish1KiBGRPC is a Publish of 1 KiB through the protocol.
func BenchmarkPublish1KiBGRPC(b *testing.B) {
	p := plugintest.ConnectTransport(b, benchTransport{})
	ctx := context.Background()
	data := make([]byte, 1024)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if err := p.Publish(ctx, "wavs/bench/topic/v1", data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStreamedEventGRPC is one trigger event (an EVM log with 256
// bytes of data) through the Events stream.
func BenchmarkStreamedEventGRPC(b *testing.B) {
	p := plugintest.ConnectTrigger(b, benchTrigger{n: b.N})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	b.ResetTimer()
	events, err := p.Events(ctx)
	if err != nil {
		b.Fatal(err)
	}
	got := 0
	for range events {
		got++
		if got == b.N {
			break
		}
	}
	if got != b.N {
		b.Fatalf("received %d of %d events", got, b.N)
	}
}
