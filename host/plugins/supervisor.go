package plugins

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"

	"github.com/wavs-go/wavs/internal/redact"
	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/client"
)

// State is where a supervised plugin is in its life.
type State string

// The states of a supervised plugin.
const (
	StateStarting   State = "starting"
	StateRunning    State = "running"
	StateRestarting State = "restarting"
	StateStopped    State = "stopped"
)

// Status is a snapshot of a supervised plugin, for /info and logs.
type Status struct {
	Name         string
	Kind         sdk.Kind
	Version      string
	Path         string
	Capabilities []string
	State        State
	Healthy      bool
	Message      string
	Restarts     int
	PID          int
	Since        time.Time // when State last changed
	// Calls counts the host's calls to the plugin (all its processes) by
	// method and outcome.
	Calls map[CallKey]uint64
}

// CallKey names a count of calls: the method ("Quorum", "Publish") and
// whether it returned an error.
type CallKey struct {
	Method string
	Failed bool
}

// Options tune a Supervisor. Zero values take the defaults noted.
type Options struct {
	Logger hclog.Logger
	// DataDir is the plugin's own folder; it is created if missing.
	DataDir string
	// ConfigJSON is passed to the plugin's Configure.
	ConfigJSON  []byte
	HostVersion string
	// LogLevel is passed to the plugin (default: the Logger's level).
	LogLevel string
	// Pin is the sha256 the executable must have (nil: not pinned).
	Pin []byte
	// Env is the plugin's environment (default: os.Environ()), less what
	// PluginEnvFor the plugin's kind removes.
	Env []string

	MinBackoff     time.Duration // first restart delay (default 200ms)
	MaxBackoff     time.Duration // longest restart delay (default 30s)
	StableAfter    time.Duration // uptime that resets the backoff (default 1m)
	HealthInterval time.Duration // time between health checks (default 5s)
	CallTimeout    time.Duration // bound on Configure, Health, Shutdown (default 10s)
}

func (o *Options) defaults() {
	if o.Logger == nil {
		o.Logger = hclog.NewNullLogger()
	}
	if o.MinBackoff == 0 {
		o.MinBackoff = 200 * time.Millisecond
	}
	if o.MaxBackoff == 0 {
		o.MaxBackoff = 30 * time.Second
	}
	if o.StableAfter == 0 {
		o.StableAfter = time.Minute
	}
	if o.HealthInterval == 0 {
		o.HealthInterval = 5 * time.Second
	}
	if o.CallTimeout == 0 {
		o.CallTimeout = 10 * time.Second
	}
	if o.LogLevel == "" {
		o.LogLevel = o.Logger.GetLevel().String()
	}
	if o.Env == nil {
		o.Env = PluginEnv(os.Environ())
	}
}

// hostOnlyEnv are environment variables a plugin never sees: the
// operator's signing secrets and the API token belong to the host alone.
var hostOnlyEnv = []string{"WAVS_SIGNING_", "WAVS_BEARER_TOKEN", "WAVS_ENV_", client.Handshake.MagicCookieKey}

// GCPercent is the garbage collector's target (GOGC) the node runs with,
// and starts its plugins with, when the operator sets no GOGC: a heap
// may grow to four times what is live between collections, where Go's
// default is twice. Measured on the three-operator cluster: 4–9 % less
// CPU per trigger in the nodes and plugins, for 50–140 MiB more memory
// at the node's peak and 3–9 MiB more per plugin (docs/benchmarks.md).
// GOGC=100 restores Go's default.
const GCPercent = 300

// PluginEnv is environ without the variables only the host may read,
// with GOGC set to GCPercent unless environ sets it.
func PluginEnv(environ []string) []string {
	out := make([]string, 0, len(environ)+1)
	gogc := false
outer:
	for _, kv := range environ {
		for _, p := range hostOnlyEnv {
			if strings.HasPrefix(kv, p) {
				continue outer
			}
		}
		if v, ok := strings.CutPrefix(kv, "GOGC="); ok {
			if v == "" {
				continue // unset, as Go reads it
			}
			gogc = true
		}
		out = append(out, kv)
	}
	if !gogc {
		out = append(out, fmt.Sprintf("GOGC=%d", GCPercent))
	}
	return out
}

// isCredential reports a paying credential, WAVS_<FAMILY>_CREDENTIAL
// (WAVS_EVM_CREDENTIAL): only submit plugins send transactions.
func isCredential(kv string) bool {
	name, _, _ := strings.Cut(kv, "=")
	return strings.HasPrefix(name, "WAVS_") && strings.HasSuffix(name, "_CREDENTIAL")
}

// PluginEnvFor is PluginEnv for a plugin of kind: a trigger or transport
// plugin does not get the paying credential either.
func PluginEnvFor(kind sdk.Kind, environ []string) []string {
	out := PluginEnv(environ)
	if kind == sdk.KindSubmit {
		return out
	}
	return slices.DeleteFunc(out, isCredential)
}

// ReadyHook runs each time a plugin process is up and configured, before
// it counts as running. ctx lasts as long as that process; hooks use it to
// replay state and to open streams that end with the process.
type ReadyHook func(ctx context.Context, p sdk.Plugin) error

// Supervisor runs one plugin: it launches it, restarts it when it dies,
// and hands out the live client.
type Supervisor struct {
	found Found
	opts  Options
	log   hclog.Logger
	hooks []ReadyHook
	// launched is set after the first launch (only the loop goroutine
	// launches after Start).
	launched bool

	mu      sync.Mutex
	impl    sdk.Plugin
	ready   chan struct{} // closed while impl is usable
	status  Status
	kick    chan struct{} // asks the loop to restart the process
	stopped chan struct{} // closed when the loop has ended

	callsMu sync.Mutex
	calls   map[CallKey]uint64
}

// called counts a call the host made to the plugin.
func (s *Supervisor) called(method string, err error) {
	s.callsMu.Lock()
	if s.calls == nil {
		s.calls = map[CallKey]uint64{}
	}
	s.calls[CallKey{method, err != nil}]++
	s.callsMu.Unlock()
}

// NewSupervisor returns a Supervisor for a discovered plugin. Add hooks
// with OnReady, then call Start.
func NewSupervisor(f Found, opts Options) *Supervisor {
	opts.defaults()
	return &Supervisor{
		found: f,
		opts:  opts,
		log:   opts.Logger,
		ready: make(chan struct{}),
		kick:  make(chan struct{}, 1),
		status: Status{
			Name: f.Name, Kind: f.Info.Kind, Version: f.Info.Version, Path: cmp.Or(f.Source, f.Path),
			Capabilities: f.Info.Capabilities, State: StateStarting, Since: time.Now(),
		},
	}
}

// Name is the plugin's name.
func (s *Supervisor) Name() string { return s.found.Name }

// Info is the plugin's self-description.
func (s *Supervisor) Info() sdk.Info { return s.found.Info }

// OnReady adds a hook run after every launch. Call it before Start.
func (s *Supervisor) OnReady(h ReadyHook) { s.hooks = append(s.hooks, h) }

// Status returns a snapshot.
func (s *Supervisor) Status() Status {
	s.mu.Lock()
	st := s.status
	s.mu.Unlock()
	s.callsMu.Lock()
	st.Calls = maps.Clone(s.calls)
	s.callsMu.Unlock()
	return st
}

// Current returns the live plugin, or an error wrapping
// sdk.ErrUnavailable while it is (re)starting.
func (s *Supervisor) Current() (sdk.Plugin, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.impl == nil {
		return nil, fmt.Errorf("plugin %s is %s: %w", s.found.Name, s.status.State, sdk.ErrUnavailable)
	}
	return s.impl, nil
}

// Wait blocks until the plugin is running or ctx is done.
func (s *Supervisor) Wait(ctx context.Context) (sdk.Plugin, error) {
	for {
		s.mu.Lock()
		impl, ready := s.impl, s.ready
		s.mu.Unlock()
		if impl != nil {
			return impl, nil
		}
		select {
		case <-ready:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Restart asks for the plugin process to be replaced (e.g. an operator's
// request); it returns at once.
func (s *Supervisor) Restart() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

func (s *Supervisor) setState(st State, msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.status.State != st {
		s.status.Since = time.Now()
	}
	s.status.State = st
	s.status.Message = redact.Text(msg)
	if st != StateRunning {
		s.status.Healthy = false
		s.status.PID = 0
	}
}

// instance is one launched plugin process.
type instance struct {
	client *plugin.Client
	rpc    plugin.ClientProtocol
	impl   sdk.Plugin
	ctx    context.Context // lives as long as the process
	cancel context.CancelFunc
}

// Start launches the plugin and waits until it is configured and its
// hooks ran; an error here (bad configuration, broken executable) is
// returned as is, without retrying. Afterwards the plugin is kept running
// until ctx is done, then stopped; Done is closed when it has stopped.
func (s *Supervisor) Start(ctx context.Context) error {
	inst, err := s.launch(ctx)
	if err != nil {
		s.setState(StateStopped, err.Error())
		return err
	}
	s.stopped = make(chan struct{})
	go s.loop(ctx, inst)
	return nil
}

// Done is closed when a started supervisor has stopped its plugin.
func (s *Supervisor) Done() <-chan struct{} { return s.stopped }

func (s *Supervisor) loop(ctx context.Context, inst *instance) {
	defer close(s.stopped)
	backoff := s.opts.MinBackoff
	for {
		started := time.Now()
		err := s.watch(ctx, inst)
		s.down(inst)
		if ctx.Err() != nil {
			s.stop(inst)
			s.setState(StateStopped, "node stopped")
			return
		}
		s.stop(inst)
		if time.Since(started) > s.opts.StableAfter {
			backoff = s.opts.MinBackoff
		}
		for {
			s.mu.Lock()
			s.status.Restarts++
			s.mu.Unlock()
			s.setState(StateRestarting, err.Error())
			s.log.Error("plugin is down; restarting", "error", err, "backoff", backoff)
			select {
			case <-time.After(backoff):
			case <-ctx.Done():
				s.setState(StateStopped, "node stopped")
				return
			}
			backoff = min(backoff*2, s.opts.MaxBackoff)
			inst, err = s.launch(ctx)
			if err == nil {
				s.log.Info("plugin restarted", "restarts", s.Status().Restarts)
				break
			}
			if ctx.Err() != nil {
				s.setState(StateStopped, "node stopped")
				return
			}
		}
	}
}

// launch starts a process, configures it and runs the hooks.
func (s *Supervisor) launch(ctx context.Context) (*instance, error) {
	s.setState(StateStarting, "")
	if err := os.MkdirAll(s.opts.DataDir, 0o700); err != nil && s.opts.DataDir != "" {
		return nil, fmt.Errorf("plugin %s: data folder: %w", s.found.Name, err)
	}
	if s.launched && s.opts.Pin == nil && s.found.Source != "" && s.found.Source != s.found.Path {
		// An unpinned plugin may be upgraded in place: a restart runs a
		// fresh private copy of what is in the plugins folder now. A
		// pinned one keeps running the copy that matched its pin.
		if f, err := copyPlugin(s.found.Source, s.found.Name, filepath.Dir(s.found.Path)); err != nil {
			s.log.Warn("plugin file could not be copied again; restarting the earlier copy", "error", err)
		} else {
			s.found.SHA256 = f.SHA256
		}
	}
	s.launched = true
	cmd := exec.Command(s.found.Path)
	// Whatever Env says, host-only secrets never reach a plugin and the
	// paying credential reaches submit plugins only.
	cmd.Env = append(PluginEnvFor(s.found.Info.Kind, s.opts.Env), client.EnvLogLevel+"="+s.opts.LogLevel)
	proc := client.New(client.Options{Cmd: cmd, Logger: redacting(s.log), SHA256: s.opts.Pin, OnCall: s.called})
	fail := func(err error) (*instance, error) {
		proc.Kill()
		return nil, err
	}
	rpc, err := proc.Client()
	if err != nil {
		return fail(fmt.Errorf("plugin %s: start %s: %w", s.found.Name, s.found.Path, err))
	}
	impl, err := client.Dispense(rpc, s.found.Info.Kind, s.log)
	if err != nil {
		return fail(fmt.Errorf("plugin %s: %w", s.found.Name, err))
	}
	got := impl.Info()
	if got.Name != s.found.Name || got.Kind != s.found.Info.Kind {
		return fail(fmt.Errorf("plugin %s: running it reports %s plugin %q, but it described itself as %s plugin %q", s.found.Name, got.Kind, got.Name, s.found.Info.Kind, s.found.Name))
	}
	cctx, cancel := context.WithTimeout(ctx, s.opts.CallTimeout)
	err = impl.Configure(cctx, sdk.ConfigureRequest{
		DataDir: s.opts.DataDir, Config: s.opts.ConfigJSON, HostVersion: s.opts.HostVersion,
		// The name wavs.toml knows it by: errors about its own table name
		// [plugins.<name>.config].
		PluginName: s.found.Name,
	})
	cancel()
	if err != nil {
		return fail(fmt.Errorf("plugin %s: configure: %w", s.found.Name, err))
	}
	ictx, icancel := context.WithCancel(ctx)
	inst := &instance{client: proc, rpc: rpc, impl: impl, ctx: ictx, cancel: icancel}
	for _, h := range s.hooks {
		if err := h(ictx, impl); err != nil {
			icancel()
			return fail(fmt.Errorf("plugin %s: %w", s.found.Name, err))
		}
	}
	pid := 0
	if id := proc.ID(); id != "" {
		fmt.Sscanf(id, "%d", &pid)
	}
	s.mu.Lock()
	s.impl = impl
	close(s.ready)
	s.status.PID = pid
	s.status.Healthy = true
	// A replaced executable reports its own version from now on.
	s.status.Version = got.Version
	s.mu.Unlock()
	s.setState(StateRunning, "")
	s.log.Debug("plugin running", "pid", pid)
	return inst, nil
}

// watch returns when the process has exited, stopped answering health
// checks, a restart was asked for, or ctx is done.
func (s *Supervisor) watch(ctx context.Context, inst *instance) error {
	exitPoll := time.NewTicker(100 * time.Millisecond)
	defer exitPoll.Stop()
	health := time.NewTicker(s.opts.HealthInterval)
	defer health.Stop()
	failures := 0
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.kick:
			return errors.New("restart requested")
		case <-exitPoll.C:
			if inst.client.Exited() {
				return errors.New("plugin process exited")
			}
		case <-health.C:
			// A plugin that reports itself unhealthy but answers is left
			// running (its chain may be down); one whose connection no
			// longer answers is replaced.
			if err := inst.rpc.Ping(); err != nil {
				failures++
				s.log.Warn("plugin does not answer", "error", err, "failures", failures)
				if failures >= 3 {
					return fmt.Errorf("plugin stopped answering: %w", err)
				}
				continue
			}
			failures = 0
			hctx, cancel := context.WithTimeout(ctx, s.opts.CallTimeout)
			h := inst.impl.Health(hctx)
			cancel()
			s.mu.Lock()
			// A plugin's message may quote an endpoint with its key:
			// /health and /info show it redacted.
			s.status.Healthy, s.status.Message = h.Healthy, redact.Text(h.Message)
			s.mu.Unlock()
		}
	}
}

// down takes the instance out of service.
func (s *Supervisor) down(inst *instance) {
	inst.cancel()
	s.mu.Lock()
	if s.impl == inst.impl {
		s.impl = nil
		s.ready = make(chan struct{})
	}
	s.mu.Unlock()
}

// stop asks the plugin to shut down, then ends the process. go-plugin's
// Kill gives a process only 2 s after closing the connection, so the
// plugin's own Shutdown comes first.
func (s *Supervisor) stop(inst *instance) {
	if !inst.client.Exited() {
		ctx, cancel := context.WithTimeout(context.Background(), s.opts.CallTimeout)
		if err := inst.impl.Shutdown(ctx); err != nil {
			s.log.Debug("plugin shutdown", "error", err)
		}
		cancel()
	}
	inst.client.Kill()
}
