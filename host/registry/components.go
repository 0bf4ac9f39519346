package registry

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"

	"github.com/wavs-go/wavs/host/engine"
	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/internal/redact"
	"github.com/wavs-go/wavs/sdk"
)

// maxComponentBytes bounds a downloaded component.
const maxComponentBytes = 64 << 20

// AddComponent stores a component's wasm and returns its sha256 digest,
// which a service's component.source.digest names.
func (r *Registry) AddComponent(ctx context.Context, wasm []byte) (string, error) {
	digest, err := r.o.Engine.AddComponent(ctx, wasm)
	if err != nil {
		return "", fmt.Errorf("%w: %v", sdk.ErrInvalidArgument, err)
	}
	return digest, nil
}

// fetchComponents makes sure every component the service names is stored,
// downloading those with a download URI (the download must match its
// digest).
func (r *Registry) fetchComponents(ctx context.Context, svc *service.Service) error {
	for _, wid := range sortedKeys(svc.Workflows) {
		wf := svc.Workflows[wid]
		if err := r.fetchComponent(ctx, "workflows."+wid+".component", wf.Component.Source, engine.KindOperator, engine.KindModule); err != nil {
			return err
		}
		if ac := wf.Submit.AggregatorComponent; ac != nil {
			if err := r.fetchComponent(ctx, "workflows."+wid+".submit.aggregator.component", ac.Component.Source, engine.KindAggregator); err != nil {
				return err
			}
		}
	}
	return nil
}

// fetchComponent makes sure the component at path is stored and is one of
// the kinds wanted (an operator component where the workflow runs one,
// an aggregator component where it submits through one).
func (r *Registry) fetchComponent(ctx context.Context, path string, src service.Source, want ...engine.ComponentKind) error {
	digest := src.WasmDigest().String()
	if !r.o.Engine.HasComponent(digest) {
		if src.Download == nil {
			return fmt.Errorf("%w: %s.source.digest: component %s is not on this node; upload it first (POST /components)", sdk.ErrInvalidArgument, path, digest)
		}
		if err := r.download(ctx, src.Download.URI, digest); err != nil {
			return fmt.Errorf("%w: %s.source.download: %v", sdk.ErrInvalidArgument, path, err)
		}
	}
	kind, err := r.o.Engine.ComponentKind(ctx, digest)
	if err != nil {
		return fmt.Errorf("%w: %s: component %s: %v", sdk.ErrInvalidArgument, path, digest, err)
	}
	if !slices.Contains(want, kind) {
		return fmt.Errorf("%w: %s: component %s is a %s; want a %s", sdk.ErrInvalidArgument, path, digest, kind, want[0])
	}
	return nil
}

func (r *Registry) download(ctx context.Context, rawURL, digest string) error {
	// Errors name the URI redacted and describe the response by status
	// and size, never by its content or its hash.
	shown := redact.URL(rawURL)
	if u, err := url.Parse(rawURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Errorf("uri %s: want an http or https URL", shown)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return fmt.Errorf("uri %s: bad request", shown)
	}
	resp, err := r.o.HTTPClient.Do(req)
	if err != nil {
		return fmt.Errorf("fetch %s: %s", shown, fetchError(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("fetch %s: HTTP %d: want HTTP 200", shown, resp.StatusCode)
	}
	wasm, err := io.ReadAll(io.LimitReader(resp.Body, maxComponentBytes+1))
	if err != nil {
		return fmt.Errorf("fetch %s: reading the body after %d bytes: %s", shown, len(wasm), fetchError(err))
	}
	if len(wasm) > maxComponentBytes {
		return fmt.Errorf("fetch %s: larger than %d MiB", shown, maxComponentBytes>>20)
	}
	sum := sha256.Sum256(wasm)
	if got := hex.EncodeToString(sum[:]); got != digest {
		return fmt.Errorf("fetch %s: the %d bytes downloaded do not have the sha256 the service names (%s)", shown, len(wasm), digest)
	}
	_, err = r.o.Engine.AddComponent(ctx, wasm)
	return err
}
