// Package evmchain reads the node's EVM chain table as the EVM plugins
// receive it: the "chains" section of their configuration,
// {"evm": {"<chain id>": {"ws_endpoints": [...], "http_endpoint": "..."}}}.
// The trigger and the submit plugin read it the same way, with the same
// errors.
package evmchain

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"sort"

	"github.com/ethereum/go-ethereum/rpc"

	"github.com/wavs-go/wavs/internal/redact"
	"github.com/wavs-go/wavs/sdk"
)

// Family is the chain family these plugins serve; chain keys are
// "evm:<id>".
const Family = "evm"

// Chain is one [default.chains.evm.<id>] table.
type Chain struct {
	Key          string // "evm:31337"
	ID           *big.Int
	WSEndpoints  []string
	HTTPEndpoint string
}

type endpoints struct {
	WSEndpoints  []string `json:"ws_endpoints"`
	HTTPEndpoint string   `json:"http_endpoint"`
}

// FromRequest reads what an EVM plugin's Configure gets: its own table
// ("plugin", decoded into own, unknown keys refused) and the EVM family of
// the chains section (see Parse).
func FromRequest(req sdk.ConfigureRequest, own any) ([]Chain, error) {
	if _, err := req.Section("plugin", own); err != nil {
		return nil, err
	}
	var families map[string]json.RawMessage
	if _, err := req.Section("chains", &families); err != nil {
		return nil, err
	}
	return Parse(families)
}

// Parse reads the EVM family of a chains section, sorted by chain id.
// Other families belong to other plugins and are ignored. Errors wrap
// sdk.ErrInvalidArgument and name the key, e.g. "chains.evm.1: no
// endpoint"; endpoint URLs in them are redacted.
func Parse(families map[string]json.RawMessage) ([]Chain, error) {
	raw, ok := families[Family]
	if !ok || string(raw) == "null" {
		return nil, nil
	}
	var byID map[string]json.RawMessage
	if err := json.Unmarshal(raw, &byID); err != nil {
		return nil, invalidf("chains.evm is not an object of chain ids: %v", err)
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	out := make([]Chain, 0, len(ids))
	for _, id := range ids {
		n, ok := new(big.Int).SetString(id, 10)
		if !ok || n.Sign() <= 0 || n.String() != id {
			return nil, invalidf("chains.evm.%s: the key is not a decimal chain id", id)
		}
		var ep endpoints
		if err := json.Unmarshal(byID[id], &ep); err != nil {
			return nil, invalidf("chains.evm.%s: %v", id, err)
		}
		if ep.HTTPEndpoint == "" && len(ep.WSEndpoints) == 0 {
			return nil, invalidf("chains.evm.%s: no endpoint (want ws_endpoints or http_endpoint)", id)
		}
		for i, u := range ep.WSEndpoints {
			if err := checkURL(u, "ws", "wss"); err != nil {
				return nil, invalidf("chains.evm.%s.ws_endpoints[%d]: %v", id, i, err)
			}
		}
		if ep.HTTPEndpoint != "" {
			if err := checkURL(ep.HTTPEndpoint, "http", "https"); err != nil {
				return nil, invalidf("chains.evm.%s.http_endpoint: %v", id, err)
			}
		}
		out = append(out, Chain{Key: Family + ":" + id, ID: n, WSEndpoints: ep.WSEndpoints, HTTPEndpoint: ep.HTTPEndpoint})
	}
	return out, nil
}

func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{sdk.ErrInvalidArgument}, args...)...)
}

// checkURL checks that s is an absolute URL with one of schemes.
func checkURL(s string, schemes ...string) error {
	u, err := url.Parse(s)
	if err == nil && u.Host != "" {
		for _, sc := range schemes {
			if u.Scheme == sc {
				return nil
			}
		}
	}
	return fmt.Errorf("%q is not a %s:// or %s:// URL", RedactURL(s), schemes[0], schemes[1])
}

// RedactURL removes the credentials of an endpoint URL — userinfo, query
// values and key-like path segments such as /v2/<key> — for logs and
// errors (see internal/redact).
func RedactURL(s string) string { return redact.URL(s) }

// maxIdlePerEndpoint is how many idle HTTP connections to one endpoint
// are kept for reuse. net/http keeps 2 by default: a plugin with more
// calls in flight than that closes a connection after each call beyond
// the second and dials a new one for the next, which costs both sides a
// TCP handshake (and TLS, on https) per call.
const maxIdlePerEndpoint = 64

// Dial opens an RPC client to endpoint: over WebSocket for ws(s) URLs,
// and for http(s) URLs over a transport that keeps up to
// maxIdlePerEndpoint connections alive between calls.
func Dial(ctx context.Context, endpoint string) (*rpc.Client, error) {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return rpc.DialContext(ctx, endpoint)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = maxIdlePerEndpoint
	tr.MaxIdleConnsPerHost = maxIdlePerEndpoint
	return rpc.DialOptions(ctx, endpoint, rpc.WithHTTPClient(&http.Client{Transport: tr}))
}
