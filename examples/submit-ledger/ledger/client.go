package ledger

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Client speaks to a ledger's HTTP API.
type Client struct {
	// URL is the ledger's base URL, e.g. http://127.0.0.1:7000.
	URL  string
	HTTP *http.Client
}

// NewClient returns a client of the ledger at baseURL.
func NewClient(baseURL string) *Client {
	return &Client{URL: baseURL, HTTP: &http.Client{Timeout: 30 * time.Second}}
}

// ErrUnreachable is wrapped by the errors of a request that got no answer
// from the ledger.
var ErrUnreachable = errors.New("ledger unreachable")

// do sends a request and decodes the answer into out. An answer with an
// error status is an *Error; no answer wraps ErrUnreachable.
func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		raw, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.URL+path, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("%w: %s %s: %v", ErrUnreachable, method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("%w: %s %s: %v", ErrUnreachable, method, path, err)
	}
	if resp.StatusCode >= 300 {
		le := &Error{}
		if err := json.Unmarshal(raw, le); err != nil || le.Message == "" {
			le = &Error{Message: fmt.Sprintf("%s %s: HTTP %d: %.200s", method, path, resp.StatusCode, raw)}
		}
		le.Status = resp.StatusCode
		return le
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("%s %s: the answer is not what a ledger sends: %v", method, path, err)
	}
	return nil
}

// Info describes the ledger.
func (c *Client) Info(ctx context.Context) (Info, error) {
	var out Info
	return out, c.do(ctx, http.MethodGet, "/info", nil, &out)
}

// Head returns the last block.
func (c *Client) Head(ctx context.Context) (Block, error) {
	var out Block
	return out, c.do(ctx, http.MethodGet, "/head", nil, &out)
}

// Block returns the block at a height.
func (c *Client) Block(ctx context.Context, height uint64) (Block, error) {
	var out Block
	return out, c.do(ctx, http.MethodGet, "/blocks/"+strconv.FormatUint(height, 10), nil, &out)
}

// Tx returns a transaction by id.
func (c *Client) Tx(ctx context.Context, id string) (TxRecord, error) {
	var out TxRecord
	return out, c.do(ctx, http.MethodGet, "/txs/"+url.PathEscape(id), nil, &out)
}

// Send sends a transaction.
func (c *Client) Send(ctx context.Context, tx Tx) (Receipt, error) {
	var out Receipt
	return out, c.do(ctx, http.MethodPost, "/txs", tx, &out)
}

// Validate dry-runs a submit transaction.
func (c *Client) Validate(ctx context.Context, tx Tx) (Validation, error) {
	var out Validation
	return out, c.do(ctx, http.MethodPost, "/validate", tx, &out)
}

// Account returns a manager's or a handler's account.
func (c *Client) Account(ctx context.Context, addr string) (Account, error) {
	var out Account
	return out, c.do(ctx, http.MethodGet, "/accounts/"+url.PathEscape(addr), nil, &out)
}

// Operators returns a manager's operator set at a height.
func (c *Client) Operators(ctx context.Context, manager string, height uint64) (OperatorSet, error) {
	var out OperatorSet
	return out, c.do(ctx, http.MethodGet, "/managers/"+url.PathEscape(manager)+"/operators?height="+strconv.FormatUint(height, 10), nil, &out)
}

// HandlerTxs lists the submit transactions to a handler from a height on.
func (c *Client) HandlerTxs(ctx context.Context, handler string, from uint64) (HandlerTxs, error) {
	var out HandlerTxs
	return out, c.do(ctx, http.MethodGet, "/handlers/"+url.PathEscape(handler)+"/txs?from="+strconv.FormatUint(from, 10), nil, &out)
}

// CreateManager creates a manager account; the receipt names its address.
func (c *Client) CreateManager(ctx context.Context, name string, ops []Operator, th Threshold, serviceURI string) (Receipt, error) {
	var out Receipt
	in := map[string]any{"name": name, "operators": ops, "threshold": th, "service_uri": serviceURI}
	return out, c.do(ctx, http.MethodPost, "/admin/managers", in, &out)
}

// SetOperators replaces a manager's operator set and threshold.
func (c *Client) SetOperators(ctx context.Context, manager string, ops []Operator, th Threshold) (Receipt, error) {
	var out Receipt
	in := map[string]any{"operators": ops, "threshold": th}
	return out, c.do(ctx, http.MethodPost, "/admin/managers/"+url.PathEscape(manager)+"/operators", in, &out)
}

// SetServiceURI sets a manager's service URI.
func (c *Client) SetServiceURI(ctx context.Context, manager, uri string) (Receipt, error) {
	var out Receipt
	return out, c.do(ctx, http.MethodPost, "/admin/managers/"+url.PathEscape(manager)+"/service-uri", map[string]any{"service_uri": uri}, &out)
}

// CreateHandler creates a handler account bound to a manager.
func (c *Client) CreateHandler(ctx context.Context, name, manager string) (Receipt, error) {
	var out Receipt
	return out, c.do(ctx, http.MethodPost, "/admin/handlers", map[string]any{"name": name, "manager": manager}, &out)
}
