package registry

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/wavs-go/wavs/host/plugins"
	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/internal/redact"
	"github.com/wavs-go/wavs/sdk"
)

// maxServiceJSON bounds a fetched service definition.
const maxServiceJSON = service.MaxJSONSize

// AddByManager registers the service a service manager describes: it
// reads the manager's service URI on chain, fetches the service JSON from
// it (http or https only: the URI comes from a contract, not from the
// operator, so the node reads no local file for it, and the dial-time
// address guard keeps it off loopback and private networks) and registers
// it. The JSON must name that same manager.
//
// Errors about what was fetched say its status, size, content type and
// the fields that failed, never its content: a URI pointing at something
// that is not a service must not make the node echo it.
func (r *Registry) AddByManager(ctx context.Context, chain, address string) (Info, error) {
	if !service.ValidChainKey(chain) {
		return Info{}, fmt.Errorf("%w: chain %q: want a chain key like evm:31337", sdk.ErrInvalidArgument, chain)
	}
	manager, err := managerAddress(chain, address)
	if err != nil {
		return Info{}, err
	}
	p, err := plugins.SubmitterFor(r.o.Submitters, chain)
	if err != nil {
		return Info{}, err
	}
	uri, err := p.ServiceURI(ctx, chain, manager)
	if err != nil {
		return Info{}, fmt.Errorf("service manager %s on %s: %s: service URI: %w", manager, chain, p.Supervisor().Name(), err)
	}
	if uri == "" {
		return Info{}, fmt.Errorf("%w: service manager %s on %s has no service URI set", sdk.ErrInvalidArgument, manager, chain)
	}
	raw, _, err := r.fetchManagedService(ctx, chain, manager, uri)
	if err != nil {
		return Info{}, err
	}
	return r.add(ctx, raw, true)
}

// fetchManagedService fetches the service JSON at uri, a service URI of
// manager on chain, decodes it and checks that it names that manager: the
// part of AddByManager that a ServiceURIUpdated event repeats.
func (r *Registry) fetchManagedService(ctx context.Context, chain, manager string, uri string) ([]byte, *service.Service, error) {
	shown := redact.URL(uri)
	raw, meta, err := r.fetchServiceJSON(ctx, uri)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: service manager %s on %s: service URI %s: %v", sdk.ErrInvalidArgument, manager, chain, shown, err)
	}
	svc, err := service.Decode(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: the document at %s (%s) is not a service: %s", sdk.ErrInvalidArgument, shown, meta, fieldsOnly(err))
	}
	if m := svc.Manager; m.Chain() != chain || m.Address() != manager {
		return nil, nil, fmt.Errorf("%w: the service JSON at %s names another manager (%s), not %s on %s", sdk.ErrInvalidArgument, shown, describeManager(svc), manager, chain)
	}
	return raw, svc, nil
}

func describeManager(svc *service.Service) string {
	if m := svc.Manager; m.Chain() != "" {
		return m.Address() + " on " + m.Chain()
	}
	return "none"
}

// managerAddress reads a manager's address as the text form the service
// JSON and the submit plugins use: on an evm chain 0x and 40 lowercase hex
// digits (any case is read); on another family's chain the address as
// written.
func managerAddress(chain, address string) (string, error) {
	if service.ChainFamily(chain) == "evm" {
		a, err := service.ParseAddress(address)
		if err != nil {
			return "", fmt.Errorf("%w: address %q: %v", sdk.ErrInvalidArgument, address, err)
		}
		return a.String(), nil
	}
	if !service.ValidFamilyAddress(address) {
		return "", fmt.Errorf("%w: address %q: want the address in its chain family's text form: 1..128 printable ASCII characters without spaces", sdk.ErrInvalidArgument, address)
	}
	return address, nil
}

// fetched describes a response without its content.
type fetched struct {
	status      int
	size        int
	contentType string
}

func (f fetched) String() string {
	ct := f.contentType
	if ct == "" {
		ct = "no content type"
	}
	return fmt.Sprintf("HTTP %d, %d bytes, %s", f.status, f.size, ct)
}

func (r *Registry) fetchServiceJSON(ctx context.Context, uri string) ([]byte, fetched, error) {
	if raw, meta, ok, err := r.localDevService(ctx, uri); ok || err != nil {
		return raw, meta, err
	}
	var meta fetched
	u, err := url.Parse(uri)
	if err != nil {
		return nil, meta, errors.New("not a URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, meta, fmt.Errorf("scheme %q: want http or https", u.Scheme)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, uri, nil)
	if err != nil {
		return nil, meta, fmt.Errorf("bad request: %w", err)
	}
	resp, err := r.o.HTTPClient.Do(req)
	if err != nil {
		return nil, meta, fmt.Errorf("fetch: %s", fetchError(err))
	}
	defer resp.Body.Close()
	meta.status, meta.contentType = resp.StatusCode, mimeType(resp.Header.Get("Content-Type"))
	if resp.StatusCode != http.StatusOK {
		return nil, meta, fmt.Errorf("%s: want HTTP 200", meta)
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxServiceJSON+1))
	meta.size = len(raw)
	if err != nil {
		return nil, meta, fmt.Errorf("reading the body after %d bytes: %s", len(raw), fetchError(err))
	}
	if len(raw) > maxServiceJSON {
		return nil, meta, fmt.Errorf("HTTP %d, %s: larger than %d bytes", meta.status, meta.contentType, maxServiceJSON)
	}
	return raw, meta, nil
}

// fetchError is a fetch failure without the URL (shown redacted by the
// caller) and with any URL inside redacted.
func fetchError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return redact.Text(err.Error())
}

// mimeType is a Content-Type header's media type, bounded: a server's
// header is not echoed at length.
func mimeType(ct string) string {
	if mt, _, err := mime.ParseMediaType(ct); err == nil && len(mt) <= 64 {
		return mt
	}
	if ct == "" {
		return ""
	}
	return "an unparsable content type"
}

// fieldsOnly lists the fields a decode error names and what they want,
// dropping the values it quotes, which came from the fetched document.
func fieldsOnly(err error) string {
	var parts []string
	var walk func(error)
	walk = func(e error) {
		if fe, ok := e.(*service.FieldError); ok {
			where := fe.Path
			if where == "" {
				where = "the document"
			}
			parts = append(parts, where+": "+fe.Want)
			return
		}
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		if se, ok := e.(*json.SyntaxError); ok {
			parts = append(parts, fmt.Sprintf("not JSON (syntax error at byte %d)", se.Offset))
			return
		}
		if w := errors.Unwrap(e); w != nil {
			walk(w)
			return
		}
		parts = append(parts, "not a JSON service")
	}
	walk(err)
	const most = 5
	if len(parts) > most {
		parts = append(parts[:most], fmt.Sprintf("and %d more", len(parts)-most))
	}
	return strings.Join(parts, "; ")
}
