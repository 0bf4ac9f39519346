package engine

import (
	"context"

	"github.com/wavs-go/wavs/host/engine/component"
	"github.com/wavs-go/wavs/host/engine/component/wasip2"
)

// wasip2Host is the engine's WASI 0.2 host: package wasip2, one state per
// execution.
type wasip2Host struct{}

func (wasip2Host) Check(imports []component.ImportInfo) error { return wasip2.Check(imports) }

func (wasip2Host) Resolve(h *component.HostFunc, sig component.CoreFuncType) (component.HostImpl, bool, error) {
	return wasip2.Resolve(h, sig)
}

func (wasip2Host) Bind(ctx context.Context, c WASIConfig) (context.Context, func()) {
	st := wasip2.NewState(wasip2.Config(c))
	return wasip2.WithState(ctx, st), st.Close
}
