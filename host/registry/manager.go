package registry

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/wavs-go/wavs/host/plugins"
	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/sdk"
)

// maxServiceJSON bounds a fetched service definition.
const maxServiceJSON = service.MaxJSONSize

// AddByManager registers the service a service manager describes: it
// reads the manager's service URI on chain, fetches the service JSON from
// it (http, https, or a local file:// path ending in .json) and registers
// it. The JSON must name that same manager.
func (r *Registry) AddByManager(ctx context.Context, chain, address string) (Info, error) {
	if !service.ValidChainKey(chain) {
		return Info{}, fmt.Errorf("%w: chain %q: want a chain key like evm:31337", sdk.ErrInvalidArgument, chain)
	}
	manager, err := parseAddress(address)
	if err != nil {
		return Info{}, fmt.Errorf("%w: address: %v", sdk.ErrInvalidArgument, err)
	}
	p, err := plugins.SubmitterFor(r.o.Submitters, chain)
	if err != nil {
		return Info{}, err
	}
	uri, err := p.ServiceURI(ctx, chain, manager)
	if err != nil {
		return Info{}, fmt.Errorf("service manager %s on %s: getServiceURI: %w", manager.Hex(), chain, err)
	}
	if uri == "" {
		return Info{}, fmt.Errorf("%w: service manager %s on %s has no service URI set", sdk.ErrInvalidArgument, manager.Hex(), chain)
	}
	raw, err := r.fetchServiceJSON(ctx, uri)
	if err != nil {
		return Info{}, fmt.Errorf("%w: service manager %s on %s: service URI %q: %v", sdk.ErrInvalidArgument, manager.Hex(), chain, uri, err)
	}
	svc, err := service.Decode(raw)
	if err != nil {
		return Info{}, fmt.Errorf("%w: the service JSON at %q: %v", sdk.ErrInvalidArgument, uri, err)
	}
	if m := svc.Manager.Evm; m == nil || m.Chain != chain || sdk.Address(m.Address) != manager {
		return Info{}, fmt.Errorf("%w: the service JSON at %q names another manager (%s), not %s on %s", sdk.ErrInvalidArgument, uri, describeManager(svc), manager.Hex(), chain)
	}
	return r.Add(ctx, raw)
}

func describeManager(svc *service.Service) string {
	if m := svc.Manager.Evm; m != nil {
		return m.Address.String() + " on " + m.Chain
	}
	return "none"
}

func (r *Registry) fetchServiceJSON(ctx context.Context, uri string) ([]byte, error) {
	u, err := url.Parse(uri)
	if err != nil {
		return nil, err
	}
	switch u.Scheme {
	case "http", "https":
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, uri, nil)
		if err != nil {
			return nil, err
		}
		resp, err := r.o.HTTPClient.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("HTTP %d", resp.StatusCode)
		}
		return readLimited(resp.Body)
	case "file":
		// Only JSON files: the URI comes from a contract, not from the
		// operator, so the node must not read arbitrary local files.
		if !strings.HasSuffix(u.Path, ".json") {
			return nil, fmt.Errorf("a file URI must name a .json file")
		}
		f, err := os.Open(u.Path)
		if err != nil {
			return nil, fmt.Errorf("open: %w", err)
		}
		defer f.Close()
		return readLimited(f)
	default:
		return nil, fmt.Errorf("scheme %q: want http, https or file", u.Scheme)
	}
}

func readLimited(rd io.Reader) ([]byte, error) {
	raw, err := io.ReadAll(io.LimitReader(rd, maxServiceJSON+1))
	if err != nil {
		return nil, err
	}
	if len(raw) > maxServiceJSON {
		return nil, fmt.Errorf("larger than %d bytes", maxServiceJSON)
	}
	return raw, nil
}

func parseAddress(s string) (sdk.Address, error) {
	var a sdk.Address
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil || len(b) != 20 {
		return a, fmt.Errorf("%q: want a 20-byte hex address (0x + 40 hex digits)", s)
	}
	copy(a[:], b)
	return a, nil
}
