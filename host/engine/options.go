package engine

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/internal/netguard"
)

// Defaults of Options.
const (
	DefaultTimeLimit        = 30 * time.Second
	DefaultMaxMemoryPages   = 4096 // 256 MiB
	DefaultMaxOutputBytes   = 1 << 20
	DefaultMaxHTTPBodyBytes = 4 << 20
	DefaultMaxTimeLimit     = 300 * time.Second
	DefaultMaxTableElements = 1 << 20
	DefaultMaxCompiledBytes = 512 << 20
	DefaultServiceFSBytes   = 64 << 20
	DefaultServiceFSFiles   = 10_000

	// wasmPageSize is the size of one WebAssembly memory page.
	wasmPageSize = 64 << 10
	// maxWasm32Pages is the most pages a 32-bit memory can have (4 GiB).
	maxWasm32Pages = 65536
)

// Options configure an Engine. The zero value of each field means its
// default.
type Options struct {
	// CacheDir holds wazero's compilation cache (created if missing), so a
	// restarted node does not compile its components again. "" keeps
	// compiled code in memory only.
	CacheDir string
	// ComponentsDir is the content-addressed component store:
	// <dir>/<sha256 hex>.wasm (created if missing). "" keeps components in
	// memory only.
	ComponentsDir string
	// ServicesDir holds the services' folders: a WAVS component whose
	// permissions grant file_system gets <ServicesDir>/<service id>/fs
	// (created 0700 when missing) preopened as "." in every execution.
	// "": file_system is not granted (no preopens).
	ServicesDir string
	// ServiceFSBytes bounds the bytes of the files in one service's folder
	// (default 64 MiB), ServiceFSFiles its files and folders (default
	// 10000): a write, create or resize past either fails in the guest
	// with error-code.insufficient-space.
	ServiceFSBytes int64
	ServiceFSFiles int64
	// MaxConcurrent bounds the executions running at once (default
	// runtime.NumCPU()). Execute waits for a free slot.
	MaxConcurrent int
	// MaxConcurrentPerService bounds the executions of one service running
	// at once (default half of MaxConcurrent, rounded up), so that a
	// service whose components run long cannot hold every slot.
	MaxConcurrentPerService int
	// DefaultTimeLimit is the wall-time limit of an execution whose
	// Request has none (default 30s).
	DefaultTimeLimit time.Duration
	// MaxTimeLimit is the ceiling of any execution's time limit (default
	// 300s); a longer Request.TimeLimit is cut to it.
	MaxTimeLimit time.Duration
	// MaxTableElements bounds the elements of a component's tables, summed
	// (default 1<<20, 8 MiB of host memory): a table declared without a
	// maximum gets one, so table.grow fails in the guest past it.
	MaxTableElements uint32
	// MaxCompiledBytes is the budget of compiled components kept in memory
	// (estimated; default 512 MiB). Past it the least recently used ones
	// that no execution runs are closed, and compiled again (from the disk
	// cache) when next needed. Without ComponentsDir nothing is evicted.
	MaxCompiledBytes int64
	// MaxMemoryPages bounds each instance's linear memory in 64 KiB pages
	// (default 4096 = 256 MiB, at most 65536).
	MaxMemoryPages uint32
	// MaxOutputBytes bounds what a component writes to stdout (default
	// 1 MiB).
	MaxOutputBytes int
	// MaxHTTPBodyBytes bounds the body of an http_fetch response (default
	// 4 MiB).
	MaxHTTPBodyBytes int
	// HTTPClient makes the requests of http_fetch (default: a client with
	// connect, TLS and header timeouts). Its CheckRedirect is replaced per
	// request by one that applies the workflow's host policy.
	HTTPClient *http.Client
	// Outbound checks every address http_fetch connects to, after name
	// resolution (default: a guard refusing loopback, private and other
	// special ranges). It is used by the default HTTPClient only: a
	// caller's own HTTPClient must dial through it itself
	// (Outbound.Transport()).
	Outbound *netguard.Guard
	// KV is the persistent key-value store behind kv_get, kv_set and
	// kv_delete; nil makes those calls return an error to the component.
	KV KVStore
	// WASI serves the WASI 0.2 imports of WAVS components (default:
	// package wasip2).
	WASI WASIHost
	// Logger receives component log lines and stderr (default: discard).
	Logger hclog.Logger
}

// KVStore is the persistent key-value store of components. The engine
// passes the service id of the execution; the store keeps each service's
// keys apart.
type KVStore interface {
	Get(ctx context.Context, serviceID, key string) ([]byte, bool, error)
	Set(ctx context.Context, serviceID, key string, value []byte) error
	Delete(ctx context.Context, serviceID, key string) (bool, error)
	// Keys lists, in byte order, up to limit keys that start with prefix
	// and are not before from; more reports that keys follow.
	Keys(ctx context.Context, serviceID, prefix, from string, limit int) (keys []string, more bool, err error)
}

// withDefaults returns o with its zero fields set to their defaults, or an
// error naming the first field out of range.
func (o Options) withDefaults() (Options, error) {
	switch {
	case o.MaxConcurrent < 0:
		return o, fmt.Errorf("engine: options: MaxConcurrent %d is negative", o.MaxConcurrent)
	case o.DefaultTimeLimit < 0:
		return o, fmt.Errorf("engine: options: DefaultTimeLimit %v is negative", o.DefaultTimeLimit)
	case o.MaxMemoryPages > maxWasm32Pages:
		return o, fmt.Errorf("engine: options: MaxMemoryPages %d is more than the %d pages of a 32-bit memory", o.MaxMemoryPages, maxWasm32Pages)
	case o.MaxConcurrentPerService < 0:
		return o, fmt.Errorf("engine: options: MaxConcurrentPerService %d is negative", o.MaxConcurrentPerService)
	case o.MaxTimeLimit < 0:
		return o, fmt.Errorf("engine: options: MaxTimeLimit %v is negative", o.MaxTimeLimit)
	case o.MaxCompiledBytes < 0:
		return o, fmt.Errorf("engine: options: MaxCompiledBytes %d is negative", o.MaxCompiledBytes)
	case o.MaxOutputBytes < 0:
		return o, fmt.Errorf("engine: options: MaxOutputBytes %d is negative", o.MaxOutputBytes)
	case o.MaxHTTPBodyBytes < 0:
		return o, fmt.Errorf("engine: options: MaxHTTPBodyBytes %d is negative", o.MaxHTTPBodyBytes)
	case o.ServiceFSBytes < 0:
		return o, fmt.Errorf("engine: options: ServiceFSBytes %d is negative", o.ServiceFSBytes)
	case o.ServiceFSFiles < 0:
		return o, fmt.Errorf("engine: options: ServiceFSFiles %d is negative", o.ServiceFSFiles)
	}
	if o.ServiceFSBytes == 0 {
		o.ServiceFSBytes = DefaultServiceFSBytes
	}
	if o.ServiceFSFiles == 0 {
		o.ServiceFSFiles = DefaultServiceFSFiles
	}
	if o.MaxConcurrent == 0 {
		o.MaxConcurrent = runtime.NumCPU()
	}
	if o.MaxConcurrentPerService == 0 {
		o.MaxConcurrentPerService = (o.MaxConcurrent + 1) / 2
	}
	o.MaxConcurrentPerService = min(o.MaxConcurrentPerService, o.MaxConcurrent)
	if o.MaxTimeLimit == 0 {
		o.MaxTimeLimit = DefaultMaxTimeLimit
	}
	if o.DefaultTimeLimit == 0 {
		o.DefaultTimeLimit = min(DefaultTimeLimit, o.MaxTimeLimit)
	}
	if o.DefaultTimeLimit > o.MaxTimeLimit {
		return o, fmt.Errorf("engine: options: DefaultTimeLimit %v is more than MaxTimeLimit %v", o.DefaultTimeLimit, o.MaxTimeLimit)
	}
	if o.MaxTableElements == 0 {
		o.MaxTableElements = DefaultMaxTableElements
	}
	if o.MaxCompiledBytes == 0 {
		o.MaxCompiledBytes = DefaultMaxCompiledBytes
	}
	if o.MaxMemoryPages == 0 {
		o.MaxMemoryPages = DefaultMaxMemoryPages
	}
	if o.MaxOutputBytes == 0 {
		o.MaxOutputBytes = DefaultMaxOutputBytes
	}
	if o.MaxHTTPBodyBytes == 0 {
		o.MaxHTTPBodyBytes = DefaultMaxHTTPBodyBytes
	}
	if o.Outbound == nil {
		o.Outbound = netguard.New(netguard.Options{})
	}
	if o.HTTPClient == nil {
		o.HTTPClient = o.Outbound.Client(60 * time.Second)
	}
	if o.WASI == nil {
		o.WASI = wasip2Host{}
	}
	if o.Logger == nil {
		o.Logger = hclog.NewNullLogger()
	}
	return o, nil
}
