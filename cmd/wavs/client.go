package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"
	"time"

	wavsapi "github.com/wavs-go/wavs/api"
	"github.com/wavs-go/wavs/host/config"
	"github.com/wavs-go/wavs/internal/apitoken"
	"github.com/wavs-go/wavs/internal/version"
)

// Environment variables of the commands that talk to a node.
const (
	envNode        = "WAVS_NODE"
	envBearerToken = config.EnvBearerToken
	envConfig      = "WAVS_CONFIG"
	defaultNodeURL = "http://127.0.0.1:8000"
)

// apiFlags are the flags shared by the commands that talk to a node.
type apiFlags struct {
	node    string
	token   secretFlag
	json    bool
	timeout time.Duration
	// config and data locate a node on this machine, whose bearer token
	// (bearer_token, or the data folder's api-token file) is used when
	// neither --token nor WAVS_BEARER_TOKEN gives one.
	config string
	data   string
}

// secretFlag holds the bearer token; its String is empty so that the
// usage never prints it as a default.
type secretFlag struct{ v string }

func (s *secretFlag) String() string     { return "" }
func (s *secretFlag) Set(v string) error { s.v = v; return nil }

func addAPIFlags(fs *cmdFlags) *apiFlags {
	a := &apiFlags{timeout: 10 * time.Second}
	node := os.Getenv(envNode)
	if node == "" {
		node = defaultNodeURL
	}
	fs.StringVar(&a.node, "node", node, "URL of the node's HTTP API; env "+envNode)
	a.token.v = os.Getenv(envBearerToken)
	fs.Var(&a.token, "token", "the node's bearer `token`, sent on calls that change the node (default: env "+envBearerToken+", which keeps it out of the process list)")
	fs.StringVar(&a.config, "config", os.Getenv(envConfig), "the node's wavs.toml, to find its bearer token or data folder when no token is given; env "+envConfig)
	fs.StringVar(&a.data, "data", "", "the node's data folder, holding its api-token file (default: from --config, else env "+config.EnvData+", else ~/.wavs)")
	fs.BoolVar(&a.json, "json", false, "print the node's JSON answer, indented, instead of a table")
	fs.DurationVar(&a.timeout, "timeout", a.timeout, "time limit of the whole command")
	return a
}

// client makes the node's client from the flags, or reports a usage error.
func (a *apiFlags) client(fs *cmdFlags) (*nodeClient, error) {
	base, err := parseNodeURL(a.node)
	if err != nil {
		return nil, fs.usageError("--node: %v", err)
	}
	if a.timeout <= 0 {
		return nil, fs.usageError("--timeout %v: want a positive duration", a.timeout)
	}
	c := &nodeClient{base: base, token: a.token.v, timeout: a.timeout}
	if c.token == "" {
		c.token, c.tokenNote = a.localToken(base)
	}
	c.api = &wavsapi.Client{Base: base, Token: c.token, HTTP: &http.Client{}, UserAgent: "wavs/" + version.Version}
	return c, nil
}

// localToken finds the bearer token of a node on this machine: its
// configured bearer_token, else its data folder's api-token file. It is
// only sent to a node on a loopback address, never elsewhere. note says
// why there is none, for a 401's message.
func (a *apiFlags) localToken(base *url.URL) (token, note string) {
	if !config.IsLoopbackHost(strings.Trim(base.Hostname(), "[]")) {
		return "", "the token on this machine is only sent to a node on 127.0.0.1, ::1 or localhost"
	}
	var o config.Overrides
	if a.data != "" {
		o.Data = &a.data
	}
	cfg, err := config.Load(a.config, os.LookupEnv, o)
	if err != nil {
		return "", "reading the node's configuration: " + oneLine(err.Error())
	}
	if cfg.Wavs.BearerToken != "" {
		return cfg.Wavs.BearerToken, ""
	}
	tok, err := apitoken.Read(cfg.Wavs.Data)
	if err != nil {
		return "", oneLine(err.Error())
	}
	return tok, ""
}

// connectBare parses the flags of a command that takes no arguments, then
// connects (connect).
func (a *apiFlags) connectBare(ctx context.Context, fs *cmdFlags, args []string) (context.Context, context.CancelFunc, *nodeClient, error) {
	if _, err := parseArgs(fs, args, 0, 0, ""); err != nil {
		return nil, nil, nil, err
	}
	return a.connect(ctx, fs)
}

// connect makes the node's client and puts the command's time limit on
// ctx; flag errors are usage errors.
func (a *apiFlags) connect(ctx context.Context, fs *cmdFlags) (context.Context, context.CancelFunc, *nodeClient, error) {
	c, err := a.client(fs)
	if err != nil {
		return ctx, func() {}, nil, err
	}
	ctx, cancel := c.withTimeout(ctx)
	return ctx, cancel, c, nil
}

// parseNodeURL accepts http(s)://host[:port][/prefix], or host:port,
// taken as http.
func parseNodeURL(s string) (*url.URL, error) {
	raw := strings.TrimSpace(s)
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%q is not a URL", s)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q: want http://HOST:PORT or https://HOST:PORT", s)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%q: want a URL without a query or fragment", s)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// nodeClient calls a node's HTTP API (wavsapi.Client) and words what goes
// wrong for the command line: which flag or variable to set.
type nodeClient struct {
	api     *wavsapi.Client
	base    *url.URL
	token   string
	timeout time.Duration
	// tokenNote says why no token was found on this machine.
	tokenNote string
}

// where names the node in messages (without any password in the URL).
func (c *nodeClient) where() string { return c.base.Redacted() }

// call makes one request and returns the answer's JSON. A 2xx answer
// that is not JSON, and every other answer, is an error. Every call
// carries the bearer token when there is one (a node may keep reads
// private), and calls that change the node a JSON content type even
// without a body, as the node requires.
func (c *nodeClient) call(ctx context.Context, method, path string, body []byte) (json.RawMessage, error) {
	return c.send(ctx, method, path, "application/json", body)
}

// send is call with a body of another content type.
func (c *nodeClient) send(ctx context.Context, method, path, contentType string, body []byte) (json.RawMessage, error) {
	raw, err := c.api.Do(ctx, method, path, contentType, body)
	return raw, c.explain(ctx, err)
}

// get calls GET path and decodes the answer into v (if not nil).
func (c *nodeClient) get(ctx context.Context, path string, v any) (json.RawMessage, error) {
	raw, err := c.api.Get(ctx, path, v)
	if err != nil {
		return nil, c.explain(ctx, err)
	}
	return raw, nil
}

// explain words an error of the API client for the command line: which
// flag or variable would help.
func (c *nodeClient) explain(ctx context.Context, err error) error {
	var se *wavsapi.StatusError
	var de *wavsapi.DecodeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &se):
		return c.statusError(se)
	case errors.Is(err, wavsapi.ErrNotJSON):
		return fmt.Errorf("%w: is %s a wavs node? (set --node or %s)", err, c.where(), envNode)
	case errors.As(err, &de):
		return err
	default:
		return c.transportError(ctx, err)
	}
}

// statusError adds to a 401 without a token where a token comes from.
func (c *nodeClient) statusError(se *wavsapi.StatusError) error {
	if se.Status == http.StatusUnauthorized && c.token == "" {
		msg := se.Message + " (set --token or " + envBearerToken + ", or --data to the node's data folder"
		if c.tokenNote != "" {
			msg += "; " + c.tokenNote
		}
		return &wavsapi.StatusError{Status: se.Status, Message: msg + ")"}
	}
	return se
}

// transportError says why the node did not answer, naming its URL.
func (c *nodeClient) transportError(ctx context.Context, err error) error {
	var dnsErr *net.DNSError
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("no answer from the node at %s within %v (--timeout)", c.where(), c.timeout)
	case errors.Is(ctx.Err(), context.Canceled):
		return ctx.Err()
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Errorf("cannot reach the node at %s: connection refused; is it running? (set --node URL or %s to use another)", c.where(), envNode)
	case errors.As(err, &dnsErr):
		return fmt.Errorf("cannot reach the node at %s: %v (set --node URL or %s to use another)", c.where(), dnsErr, envNode)
	default:
		return fmt.Errorf("cannot reach the node at %s: %w (set --node URL or %s to use another)", c.where(), err, envNode)
	}
}

// printJSON writes raw JSON indented by two spaces.
func printJSON(w io.Writer, raw []byte) error {
	var buf bytes.Buffer
	if err := json.Indent(&buf, bytes.TrimSpace(raw), "", "  "); err != nil {
		return fmt.Errorf("indenting JSON: %w", err)
	}
	buf.WriteByte('\n')
	_, err := w.Write(buf.Bytes())
	return err
}

// encodeJSON writes v as indented JSON.
func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// withTimeout bounds the whole command.
func (c *nodeClient) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, c.timeout)
}
