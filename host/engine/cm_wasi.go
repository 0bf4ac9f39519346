package engine

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/wavs-go/wavs/host/engine/component"
	"github.com/wavs-go/wavs/host/engine/component/wasip2"
)

// WASIHost serves the WASI 0.2 imports of WAVS components (cli, io,
// clocks, random, filesystem). Package wasip2 implements it; the engine
// only sees this interface, set in Options.WASI.
type WASIHost interface {
	// Check refuses, naming it, the first WASI import the host cannot
	// serve. It sees every import; non-WASI ones are its to ignore.
	Check(imports []component.ImportInfo) error
	// Resolve gives the implementation of a WASI host function; ok is
	// false when h is not a WASI import.
	Resolve(h *component.HostFunc, sig component.CoreFuncType) (impl component.HostImpl, ok bool, err error)
	// Bind returns ctx carrying one execution's WASI state and the func
	// that releases it once the execution's instance is closed.
	Bind(ctx context.Context, cfg WASIConfig) (context.Context, func())
}

// WASIConfig is one execution's WASI environment; its fields are
// wasip2.Config's.
type WASIConfig struct {
	Env            [][2]string
	Args           []string
	Stdout, Stderr io.Writer
	Stdin          []byte
	Now            func() time.Time
	Random         io.Reader
	// Dir is the service's folder, preopened when its component has the
	// file_system permission ("" otherwise), and Quota what it may hold.
	Dir   string
	Quota *wasip2.Quota
	// wasi:http: the engine's guarded client, the workflow's host policy
	// (checkURL, as http_fetch), the body limit and the log of refusals.
	HTTPClient       *http.Client
	AllowHTTP        func(u *url.URL) error
	MaxHTTPBodyBytes int
	Log              func(msg string)
}

// noWASI is the WASIHost of an engine without one: it refuses every WASI
// import, so such components are refused when they are added.
type noWASI struct{}

func (noWASI) Check(imports []component.ImportInfo) error {
	for _, im := range imports {
		if ifaceOf(im.Name) == ifaceWASI && len(im.Funcs) > 0 {
			return fmt.Errorf("it imports %s: WASI 0.2 is not yet supported by this node (no WASI host configured)", im.Name)
		}
	}
	return nil
}

func (noWASI) Resolve(*component.HostFunc, component.CoreFuncType) (component.HostImpl, bool, error) {
	return nil, false, nil
}

func (noWASI) Bind(ctx context.Context, _ WASIConfig) (context.Context, func()) {
	return ctx, func() {}
}
