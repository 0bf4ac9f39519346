package api

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
	"strings"
)

// MaxAnswer bounds the body of an answer a Client reads.
const MaxAnswer = 64 << 20

// ErrNotJSON is a 2xx answer whose body is not JSON: what answered is
// likely not a wavs node.
var ErrNotJSON = errors.New("an answer that is not JSON")

// Client calls a node's HTTP API. Its zero value is not usable: set Base.
type Client struct {
	// Base is the node's URL, e.g. http://127.0.0.1:8041.
	Base *url.URL
	// Token, if set, is sent as the bearer token on every call (a node
	// may keep reads private too).
	Token string
	// HTTP makes the calls (http.DefaultClient when nil).
	HTTP *http.Client
	// UserAgent names the caller ("wavs-api" when empty).
	UserAgent string
}

// NewClient is a Client of the node at base with token ("" for none).
func NewClient(base, token string) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil {
		return nil, fmt.Errorf("api: node URL %q: %w", base, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("api: node URL %q: want http://host:port or https://host:port", base)
	}
	return &Client{Base: u, Token: token}, nil
}

// StatusError is an answer other than 2xx: its status and the node's
// message (the error body's "error", else the body's first line, else
// the status text).
type StatusError struct {
	Status  int
	Message string
}

func (e *StatusError) Error() string { return fmt.Sprintf("%s (HTTP %d)", e.Message, e.Status) }

// Do makes one request and returns the answer's body, which must be JSON.
// body may be nil; contentType is sent with a body and with every call
// that is not a GET (the node requires it of calls that change it).
// Errors are the transport's (wrapped, naming the call), a *StatusError,
// or ErrNotJSON.
func (c *Client) Do(ctx context.Context, method, path, contentType string, body []byte) (json.RawMessage, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.Base.String()+path, rd)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	req.Header.Set("Accept", "application/json")
	ua := c.UserAgent
	if ua == "" {
		ua = "wavs-api"
	}
	req.Header.Set("User-Agent", ua)
	if body != nil || method != http.MethodGet {
		req.Header.Set("Content-Type", contentType)
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, MaxAnswer))
	if err != nil {
		return nil, fmt.Errorf("reading the answer of %s %s: %w", method, path, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, statusError(resp.StatusCode, answer)
	}
	if !json.Valid(answer) {
		return nil, fmt.Errorf("%s %s answered %d with %w", method, path, resp.StatusCode, ErrNotJSON)
	}
	return answer, nil
}

func statusError(code int, answer []byte) *StatusError {
	var e Error
	msg := ""
	if json.Unmarshal(answer, &e) == nil && e.Error != "" {
		msg = e.Error
	} else if s := strings.TrimSpace(strings.SplitN(string(answer), "\n", 2)[0]); s != "" && len(s) <= 200 {
		msg = s
	} else {
		msg = http.StatusText(code)
	}
	return &StatusError{Status: code, Message: msg}
}

// Get calls GET path and decodes the answer into v (if not nil); it also
// returns the answer as it came.
func (c *Client) Get(ctx context.Context, path string, v any) (json.RawMessage, error) {
	raw, err := c.Do(ctx, http.MethodGet, path, "", nil)
	if err != nil {
		return nil, err
	}
	if v != nil {
		if err := json.Unmarshal(raw, v); err != nil {
			return raw, &DecodeError{Path: path, Err: err}
		}
	}
	return raw, nil
}

// DecodeError is a 2xx answer of GET Path that does not decode into the
// type asked for.
type DecodeError struct {
	Path string
	Err  error
}

func (e *DecodeError) Error() string { return fmt.Sprintf("the answer of GET %s: %v", e.Path, e.Err) }

func (e *DecodeError) Unwrap() error { return e.Err }

// Info is GET /info.
func (c *Client) Info(ctx context.Context) (Info, error) {
	var v Info
	_, err := c.Get(ctx, "/info", &v)
	return v, err
}

// P2PStatus is GET /p2p/status.
func (c *Client) P2PStatus(ctx context.Context) (P2PStatus, error) {
	var v P2PStatus
	_, err := c.Get(ctx, "/p2p/status", &v)
	return v, err
}

// Services is GET /services.
func (c *Client) Services(ctx context.Context) ([]Service, error) {
	var v struct {
		Services []Service `json:"services"`
	}
	_, err := c.Get(ctx, "/services", &v)
	return v.Services, err
}

// Service is GET /services/{id}.
func (c *Client) Service(ctx context.Context, id string) (Service, error) {
	var v Service
	_, err := c.Get(ctx, "/services/"+url.PathEscape(id), &v)
	return v, err
}

// AddService is POST /services: it registers a service from the body
// (its service JSON, or {"chain": …, "address": …} naming its manager)
// and returns it as the node describes it.
func (c *Client) AddService(ctx context.Context, body []byte) (Service, error) {
	raw, err := c.Do(ctx, http.MethodPost, "/services", "application/json", body)
	if err != nil {
		return Service{}, err
	}
	var v Service
	if err := json.Unmarshal(raw, &v); err != nil {
		return Service{}, fmt.Errorf("the answer of POST /services: %w", err)
	}
	return v, nil
}

// ResultsQuery selects a page of a service's results.
type ResultsQuery struct {
	// Limit is the most results a page holds (0: the node's default).
	Limit int
	// Cursor continues a listing (a page's NextCursor).
	Cursor string
	// Payloads asks for the results' payloads.
	Payloads bool
}

// Results is GET /services/{id}/results: one page, newest first.
func (c *Client) Results(ctx context.Context, id string, q ResultsQuery) (ResultsPage, error) {
	v := url.Values{}
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	if q.Cursor != "" {
		v.Set("cursor", q.Cursor)
	}
	if q.Payloads {
		v.Set("payloads", "true")
	}
	path := "/services/" + url.PathEscape(id) + "/results"
	if len(v) > 0 {
		path += "?" + v.Encode()
	}
	var page ResultsPage
	_, err := c.Get(ctx, path, &page)
	return page, err
}

// Aggregator is GET /aggregator.
func (c *Client) Aggregator(ctx context.Context) (AggregatorStatus, error) {
	var v AggregatorStatus
	_, err := c.Get(ctx, "/aggregator", &v)
	return v, err
}
