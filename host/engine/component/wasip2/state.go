package wasip2

import (
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/tetratelabs/wazero/sys"
)

// Config is what one execution's WASI world sees.
type Config struct {
	Env  [][2]string // environment (already filtered to what the service may read)
	Args []string
	// Stdout and Stderr receive the guest's output (nil: discarded). The
	// node wires these to its log; writes are capped by the caller's writer.
	Stdout, Stderr io.Writer
	Stdin          []byte           // usually empty
	Now            func() time.Time // wall clock (nil: time.Now)
	Random         io.Reader        // nil: crypto/rand
	// Dir is a per-service folder to preopen (as PreopenName) when
	// file_system is permitted; "" = no preopens.
	Dir string
	// Quota bounds what the guest may keep in Dir; it is shared by every
	// execution preopening Dir. nil: no bounds.
	Quota *Quota
	// HTTPClient sends the requests of wasi:http/outgoing-handler (the
	// node's guarded client, which refuses loopback and private
	// addresses at dial time); nil refuses every request. Its
	// CheckRedirect is replaced: redirects are returned to the guest.
	HTTPClient *http.Client
	// AllowHTTP is the workflow's host policy: a request whose URL it
	// refuses gets HTTP-request-denied. nil refuses every request.
	AllowHTTP func(u *url.URL) error
	// MaxHTTPBodyBytes bounds a request body and a response body (0:
	// DefaultMaxHTTPBodyBytes).
	MaxHTTPBodyBytes int
	// Log receives the host's account of what the guest was refused or
	// what failed (a denied host, a refused address); nil: discarded.
	Log func(msg string)
}

// MaxHandles bounds the resources one execution may hold at once.
const MaxHandles = 10_000

// State is one execution's WASI state: its configuration, the handle table
// of the resources it has handed out and the start of its monotonic clock.
// It is safe for concurrent use, though a component instance calls it from
// one goroutine at a time.
type State struct {
	cfg   Config
	start time.Time // monotonic-clock origin

	mu     sync.Mutex
	table  table
	stdin  *stdinReader
	stdout *outputStream
	stderr *outputStream
	closed bool

	// wasi:http requests: wake is signalled when a response arrives.
	wake       chan struct{}
	inFlight   int
	httpCtx    context.Context
	httpCancel context.CancelFunc
}

// NewState creates the State of one execution.
func NewState(cfg Config) *State {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Random == nil {
		cfg.Random = rand.Reader
	}
	if cfg.Stdout == nil {
		cfg.Stdout = io.Discard
	}
	if cfg.Stderr == nil {
		cfg.Stderr = io.Discard
	}
	s := &State{cfg: cfg, start: time.Now(), wake: make(chan struct{}, 1)}
	s.stdin = &stdinReader{b: cfg.Stdin}
	s.stdout, s.stderr = writerStream(cfg.Stdout), writerStream(cfg.Stderr)
	return s
}

type stateKey struct{}

// WithState returns ctx carrying s, for the host functions of one execution.
func WithState(ctx context.Context, s *State) context.Context {
	return context.WithValue(ctx, stateKey{}, s)
}

func stateFrom(ctx context.Context) *State {
	s, _ := ctx.Value(stateKey{}).(*State)
	return s
}

// Close drops every resource and closes the files the execution opened.
// The State is unusable afterwards: host functions trap.
func (s *State) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.closed = true
	s.closeHTTP()
	s.table.closeAll()
}

var errClosed = errors.New("wasi state is closed")

// ExitCode reports whether err ends an execution through wasi:cli/exit,
// and with which code (0 for exit(ok)).
func ExitCode(err error) (code uint32, ok bool) {
	var ee *sys.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), true
	}
	return 0, false
}
