package registry

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"

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
		src := svc.Workflows[wid].Component.Source
		digest := src.WasmDigest().String()
		if r.o.Engine.HasComponent(digest) {
			continue
		}
		if src.Download == nil {
			return fmt.Errorf("%w: workflows.%s.component.source.digest: component %s is not on this node; upload it first (POST /components)", sdk.ErrInvalidArgument, wid, digest)
		}
		if err := r.download(ctx, src.Download.URI, digest); err != nil {
			return fmt.Errorf("%w: workflows.%s.component.source.download: %v", sdk.ErrInvalidArgument, wid, err)
		}
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
