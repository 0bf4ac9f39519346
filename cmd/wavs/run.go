package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/host/config"
	"github.com/wavs-go/wavs/host/node"
	"github.com/wavs-go/wavs/host/plugins"
)

func runCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("run", "run [--plugins DIR] [--config FILE] [--data DIR] [--host IP] [--port N] [--log-level LEVEL]", stdout, stderr)
	pluginsDir := fs.String("plugins", defaultPluginsDir(), "folder holding the plugin executables (wavs-plugin-*); env WAVS_PLUGINS")
	configPath := fs.String("config", os.Getenv("WAVS_CONFIG"), "wavs.toml to read (default: none, built-in defaults); env WAVS_CONFIG")
	var o config.Overrides
	fs.Func("data", "data folder (default ~/.wavs); env WAVS_DATA", func(v string) error { o.Data = &v; return nil })
	fs.Func("host", "IP address the HTTP API listens on (default 127.0.0.1); env WAVS_HOST", func(v string) error { o.Host = &v; return nil })
	fs.Func("port", "port the HTTP API listens on (default 8000); env WAVS_PORT", func(v string) error {
		var p int
		if _, err := fmt.Sscanf(v, "%d", &p); err != nil || fmt.Sprint(p) != v {
			return fmt.Errorf("want a port number 1..65535")
		}
		o.Port = &p
		return nil
	})
	fs.Func("log-level", "trace, debug, info, warn or error (default info); env WAVS_LOG_LEVEL", func(v string) error { o.LogLevel = &v; return nil })
	logJSON := fs.Bool("log-json", false, "write logs as JSON lines")
	if err := parse(fs, args, 0); err != nil {
		return err
	}

	cfg, err := config.Load(*configPath, os.LookupEnv, o)
	if err != nil {
		return err
	}
	log := hclog.New(&hclog.LoggerOptions{
		Name:       "wavs",
		Level:      hclog.LevelFromString(cfg.Wavs.LogLevel),
		Output:     stderr,
		JSONFormat: *logJSON,
	})
	if err := servePprof(log); err != nil {
		return err
	}
	tuneGC(log)
	n, err := node.New(node.Options{Config: cfg, PluginsDir: *pluginsDir, Logger: log})
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		// A second signal ends the process at once; plugins notice their
		// host is gone and exit by themselves.
		stop()
	}()
	return n.Run(ctx)
}

// tuneGC sets the garbage collector's target to plugins.GCPercent (what
// the plugins get too) unless the operator set GOGC.
func tuneGC(log hclog.Logger) {
	if os.Getenv("GOGC") != "" {
		return
	}
	debug.SetGCPercent(plugins.GCPercent)
	log.Debug("garbage collector target set; GOGC overrides it", "gogc", plugins.GCPercent)
}
