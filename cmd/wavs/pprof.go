package main

import (
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"runtime"
	"time"

	"github.com/hashicorp/go-hclog"
)

// envPprof names a loopback address on which `wavs run` serves Go's
// profiles (/debug/pprof/...), for profiling a node under load; unset, no
// profile is served. Block and mutex profiles are recorded while it is set.
const envPprof = "WAVS_PPROF_ADDR"

// servePprof starts the profile server when WAVS_PPROF_ADDR is set. The
// address must be a loopback IP with a port: profiles show the node's
// internals and must not reach a network.
func servePprof(log hclog.Logger) error {
	addr := os.Getenv(envPprof)
	if addr == "" {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%s=%q: want a loopback address with a port, e.g. 127.0.0.1:6060", envPprof, addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("%s: %w", envPprof, err)
	}
	runtime.SetBlockProfileRate(int(100 * time.Microsecond))
	runtime.SetMutexProfileFraction(10)
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	log.Warn("serving Go profiles", "address", "http://"+ln.Addr().String()+"/debug/pprof/")
	return nil
}
