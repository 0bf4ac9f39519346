package sdk

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"github.com/wavs-go/wavs/sdk/internal/glue"
)

// DescribeCommand is the argument that makes a plugin executable print its
// Info as JSON and exit, without a host.
const DescribeCommand = "describe"

// parentPollInterval is how often a plugin checks that its host is alive.
const parentPollInterval = 250 * time.Millisecond

// shutdownTimeout bounds the plugin's own Shutdown when it stops by itself
// (host gone, or a signal).
const shutdownTimeout = 5 * time.Second

// ServeTransport runs a transport plugin: call it from main.
func ServeTransport[T Transport](newPlugin func(hclog.Logger) T) {
	os.Exit(serve(os.Args[1:], os.Stdout, os.Stderr, func(l hclog.Logger) Plugin { return newPlugin(l) }))
}

// ServeTrigger runs a trigger plugin: call it from main.
func ServeTrigger[T Trigger](newPlugin func(hclog.Logger) T) {
	os.Exit(serve(os.Args[1:], os.Stdout, os.Stderr, func(l hclog.Logger) Plugin { return newPlugin(l) }))
}

// ServeSubmitter runs a submit plugin: call it from main.
func ServeSubmitter[T Submitter](newPlugin func(hclog.Logger) T) {
	os.Exit(serve(os.Args[1:], os.Stdout, os.Stderr, func(l hclog.Logger) Plugin { return newPlugin(l) }))
}

// serve runs a plugin process and returns its exit code.
func serve(args []string, stdout, stderr io.Writer, newPlugin func(hclog.Logger) Plugin) int {
	launched := os.Getenv(handshake.MagicCookieKey) == handshake.MagicCookieValue
	if !launched {
		return standalone(args, stdout, stderr, newPlugin)
	}

	// Logs go to stderr as JSON so the host re-logs them with their level
	// under the plugin's name. Nothing may be written to stdout: go-plugin
	// owns it for the handshake.
	level := hclog.LevelFromString(os.Getenv(glue.EnvLogLevel))
	if level == hclog.NoLevel {
		level = hclog.Info
	}
	log := hclog.New(&hclog.LoggerOptions{Output: stderr, JSONFormat: true, Level: level})
	impl := newPlugin(log)
	info := impl.Info()
	info.ProtocolVersion = ProtocolVersion
	if err := info.Validate(); err != nil {
		log.Error("cannot serve", "error", err)
		return 1
	}
	plugins, err := serverPlugins(impl)
	if err != nil {
		log.Error("cannot serve", "error", err)
		return 1
	}
	stop := newStopper(impl, log)
	if dir := os.Getenv(envPprofDir); dir != "" {
		servePprof(dir, info.Name, log)
	}
	plugins[string(info.Kind)].(*grpcPlugin).shutdown = func(ctx context.Context) error {
		return stop.shutdown(ctx, "the host asked")
	}

	log.Debug("serving", "plugin", info.Name, "version", info.Version, "kind", info.Kind, "protocol", info.ProtocolVersion)
	go watchParent(os.Getppid(), stop)
	go watchSignals(stop)

	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: handshake,
		Plugins:         plugins,
		Logger:          log,
		GRPCServer: func(opts []grpc.ServerOption) *grpc.Server {
			return grpc.NewServer(append(opts, glue.ServerOptions()...)...)
		},
	})
	// The host closed the connection (it called Shutdown first if it
	// stopped cleanly); make sure the plugin has released its resources.
	_ = stop.shutdown(context.Background(), "host closed the connection")
	return 0
}

// standalone handles a plugin executable started by a person or a host's
// discovery rather than by a host's launch.
func standalone(args []string, stdout, stderr io.Writer, newPlugin func(hclog.Logger) Plugin) int {
	impl := newPlugin(hclog.NewNullLogger())
	info := impl.Info()
	info.ProtocolVersion = ProtocolVersion
	if len(args) == 1 && args[0] == DescribeCommand {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(info); err != nil {
			fmt.Fprintf(stderr, "describe: %v\n", err)
			return 1
		}
		return 0
	}
	fmt.Fprintf(stderr, "%s %s is a wavs %s plugin: the wavs node starts it (wavs run --plugins DIR).\n", info.Name, info.Version, info.Kind)
	fmt.Fprintf(stderr, "Run it with the argument %q to print its description as JSON.\n", DescribeCommand)
	return 2
}

// stopper runs the plugin's Shutdown once, whoever asks first: the host's
// Shutdown call, the host closing the connection, SIGTERM, or the host
// process going away.
type stopper struct {
	once sync.Once
	err  error
	impl Plugin
	log  hclog.Logger
}

func newStopper(impl Plugin, log hclog.Logger) *stopper { return &stopper{impl: impl, log: log} }

func (s *stopper) shutdown(ctx context.Context, why string) error {
	s.once.Do(func() {
		s.log.Debug("shutting down", "reason", why)
		ctx, cancel := context.WithTimeout(ctx, shutdownTimeout)
		defer cancel()
		if s.err = s.impl.Shutdown(ctx); s.err != nil {
			s.log.Warn("shutdown", "error", s.err)
		}
	})
	return s.err
}

// watchParent exits the process when the host that launched it is gone,
// even if the host was killed with SIGKILL and could not stop its
// plugins: the plugin's parent then changes (to init or a subreaper).
func watchParent(ppid int, s *stopper) {
	if ppid <= 1 {
		return
	}
	t := time.NewTicker(parentPollInterval)
	defer t.Stop()
	for range t.C {
		if os.Getppid() != ppid {
			_ = s.shutdown(context.Background(), "host process exited")
			os.Exit(0)
		}
	}
}

// watchSignals shuts down cleanly on SIGTERM. SIGINT is ignored, as in
// go-plugin: a Ctrl-C in the host's terminal reaches the whole process
// group, and the host decides when its plugins stop.
func watchSignals(s *stopper) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	<-ch
	_ = s.shutdown(context.Background(), "SIGTERM")
	os.Exit(0)
}

// envPprofDir names a folder for profiling a node's plugins under load: a
// launched plugin then serves Go's profiles (/debug/pprof/...) on a
// loopback port of its own, and writes that address to
// <dir>/<name>-<pid>.addr.
const envPprofDir = "WAVS_PLUGIN_PPROF_DIR"

// servePprof serves the profiles and writes the address file.
func servePprof(dir, name string, log hclog.Logger) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Warn("cannot serve profiles", "error", err)
		return
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	go func() { _ = http.Serve(ln, mux) }()
	path := filepath.Join(dir, fmt.Sprintf("%s-%d.addr", name, os.Getpid()))
	if err := os.WriteFile(path, []byte(ln.Addr().String()), 0o644); err != nil {
		log.Warn("cannot write the profile address", "error", err)
	}
}
