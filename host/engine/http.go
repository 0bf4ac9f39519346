package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/internal/netguard"
	"github.com/wavs-go/wavs/internal/redact"
	"github.com/wavs-go/wavs/sdk/component/abi"
)

// maxRedirects is how many redirects http_fetch follows.
const maxRedirects = 5

// errDenied is a host the workflow's policy refuses.
type errDenied struct {
	host   string
	policy service.HostPolicy
}

func (e *errDenied) Error() string {
	return fmt.Sprintf("host %q is not allowed by the workflow's HTTP policy (allowed: %s)", e.host, e.policy)
}

// maxHTTPRequest bounds the JSON of an http_fetch request: a body of up to
// MaxHTTPBodyBytes in hex, plus room for the URL and headers.
func (st *execState) maxHTTPRequest() int {
	return 2*st.eng.opts.MaxHTTPBodyBytes + 64<<10
}

// checkURL refuses a URL that is not http(s) or whose host the policy does
// not allow, recording the denied host.
func (st *execState) checkURL(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("URL scheme %q is not http or https", u.Scheme)
	}
	host := u.Hostname()
	if host == "" {
		return errors.New("URL has no host")
	}
	if !st.policy.Allows(host) {
		st.deniedHost = host
		return &errDenied{host: host, policy: st.policy}
	}
	return nil
}

// fetch makes the request described by reqJSON and returns the staged
// result's JSON. It never reaches a host the policy does not allow, not
// even through a redirect; the execution's deadline bounds it.
func (st *execState) fetch(ctx context.Context, reqJSON []byte) ([]byte, error) {
	var rj abi.FetchRequest
	if err := decodeStrict(reqJSON, &rj); err != nil {
		return nil, fmt.Errorf("request is not ABI v1 JSON: %w", err)
	}
	if rj.Method == "" {
		rj.Method = http.MethodGet
	}
	u, err := url.Parse(rj.URL)
	if err != nil {
		return nil, fmt.Errorf("bad URL: %w", err)
	}
	if err := st.checkURL(u); err != nil {
		return nil, err
	}
	if len(rj.Body) > st.eng.opts.MaxHTTPBodyBytes {
		return nil, fmt.Errorf("request body of %d bytes exceeds %d bytes", len(rj.Body), st.eng.opts.MaxHTTPBodyBytes)
	}
	var body io.Reader
	if len(rj.Body) > 0 {
		body = bytes.NewReader(rj.Body)
	}
	req, err := http.NewRequestWithContext(ctx, rj.Method, u.String(), body)
	if err != nil {
		return nil, fmt.Errorf("bad request: %w", err)
	}
	for k, v := range rj.Headers {
		if strings.EqualFold(k, "Host") {
			return nil, errors.New("the Host header cannot be set")
		}
		req.Header.Set(k, v)
	}

	client := *st.eng.opts.HTTPClient
	last := u // the URL being fetched, after redirects
	client.CheckRedirect = func(next *http.Request, via []*http.Request) error {
		if len(via) > maxRedirects {
			return fmt.Errorf("stopped after %d redirects", maxRedirects)
		}
		if err := st.checkURL(next.URL); err != nil {
			return fmt.Errorf("redirect refused: %w", err)
		}
		last = next.URL
		return nil
	}
	res, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		// The host passed the policy but resolved to an address the
		// node refuses (loopback, private, its own API): a denied host
		// as well.
		if errors.Is(err, netguard.ErrDenied) {
			st.deniedHost = last.Hostname()
		}
		return nil, fmt.Errorf("%s %s: %w", rj.Method, abbrev(redact.URL(last.String())), err)
	}
	defer res.Body.Close()
	limit := st.eng.opts.MaxHTTPBodyBytes
	b, err := io.ReadAll(io.LimitReader(res.Body, int64(limit)+1))
	if err != nil {
		return nil, fmt.Errorf("%s %s: reading the body: %w", rj.Method, abbrev(redact.URL(u.String())), err)
	}
	if len(b) > limit {
		return nil, fmt.Errorf("%s %s: response body exceeds %d bytes", rj.Method, abbrev(redact.URL(u.String())), limit)
	}
	out := abi.FetchResponse{Status: res.StatusCode, Headers: make(map[string]string, len(res.Header)), Body: b}
	for k, vs := range res.Header {
		out.Headers[strings.ToLower(k)] = strings.Join(vs, ", ")
	}
	enc, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("encode result: %w", err)
	}
	return enc, nil
}
