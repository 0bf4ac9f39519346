package component

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/wavs-go/wavs/sdk/component/abi"
)

// ErrNoHost is returned by the host functions outside a wasip1 build.
var ErrNoHost = errors.New("component host functions are only available in a wasip1 build")

// Level is the level of a log line.
type Level int32

// Log levels of the ABI's log function.
const (
	LevelTrace Level = 0
	LevelDebug Level = 1
	LevelInfo  Level = 2
	LevelWarn  Level = 3
	LevelError Level = 4
)

// Limits the host enforces on the key-value store.
const (
	MaxKeyBytes   = 1 << 10
	MaxValueBytes = 1 << 20
)

// Log sends msg to the node's log at level, tagged with the service and
// workflow. (Writing to stderr also reaches the log, at debug level.)
func Log(level Level, msg string) {
	hostLog(int32(level), []byte(msg))
}

// Logf formats and sends a log line.
func Logf(level Level, format string, args ...any) {
	Log(level, fmt.Sprintf(format, args...))
}

// Env returns the value of an environment variable the workflow lets the
// component see (one of its env_keys, named WAVS_ENV_*), or "".
func Env(name string) string { return os.Getenv(name) }

// KVGet returns the value of key in the service's key-value store, and
// whether it is there.
func KVGet(key string) ([]byte, bool, error) {
	if err := checkKey(key); err != nil {
		return nil, false, err
	}
	rc, err := hostKVGet([]byte(key))
	if err != nil {
		return nil, false, err
	}
	if rc == rcNotFound {
		return nil, false, nil
	}
	v, err := result("kv_get", rc)
	if err != nil {
		return nil, false, err
	}
	return v, true, nil
}

// KVSet stores value under key in the service's key-value store.
func KVSet(key string, value []byte) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if len(value) > MaxValueBytes {
		return fmt.Errorf("kv_set: value of %d bytes exceeds %d bytes", len(value), MaxValueBytes)
	}
	rc, err := hostKVSet([]byte(key), value)
	if err != nil {
		return err
	}
	_, err = result("kv_set", rc)
	return err
}

// KVDelete removes key from the service's key-value store and reports
// whether it was there.
func KVDelete(key string) (bool, error) {
	if err := checkKey(key); err != nil {
		return false, err
	}
	rc, err := hostKVDelete([]byte(key))
	if err != nil {
		return false, err
	}
	if rc == rcNotFound {
		return false, nil
	}
	_, err = result("kv_delete", rc)
	return err == nil, err
}

func checkKey(key string) error {
	switch {
	case key == "":
		return errors.New("kv: key is empty")
	case len(key) > MaxKeyBytes:
		return fmt.Errorf("kv: key of %d bytes exceeds %d bytes", len(key), MaxKeyBytes)
	}
	return nil
}

// HTTPRequest is an HTTP request for Fetch.
type HTTPRequest struct {
	Method  string            // default GET
	URL     string            // http or https; its host must be allowed by the workflow
	Headers map[string]string // the Host header cannot be set
	Body    []byte
}

// HTTPResponse is the response of Fetch. Header names are lowercase; the
// values of a repeated header are joined with ", ".
type HTTPResponse struct {
	Status  int
	Headers map[string]string
	Body    []byte
}

// Fetch makes an HTTP request through the host. The host allows only the
// hosts of the workflow's policy (also for redirects, at most 5), bounds
// the request by the execution's time limit and the body by its own limit
// (4 MiB by default). A status of 4xx or 5xx is not an error. ctx is not
// used by the host yet; the execution's deadline bounds the call.
func Fetch(ctx context.Context, req HTTPRequest) (*HTTPResponse, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	method := req.Method
	if method == "" {
		method = "GET"
	}
	b, err := json.Marshal(abi.FetchRequest{Method: method, URL: req.URL, Headers: req.Headers, Body: req.Body})
	if err != nil {
		return nil, fmt.Errorf("http_fetch: %w", err)
	}
	rc, err := hostHTTPFetch(b)
	if err != nil {
		return nil, err
	}
	out, err := result("http_fetch", rc)
	if err != nil {
		return nil, err
	}
	var res abi.FetchResponse
	if err := json.Unmarshal(out, &res); err != nil {
		return nil, fmt.Errorf("http_fetch: decode result: %w", err)
	}
	return &HTTPResponse{Status: res.Status, Headers: res.Headers, Body: res.Body}, nil
}

// HTTPGet GETs url and returns the body of a 2xx response; any other
// status is an error.
func HTTPGet(ctx context.Context, url string) ([]byte, error) {
	res, err := Fetch(ctx, HTTPRequest{URL: url})
	if err != nil {
		return nil, err
	}
	if res.Status < 200 || res.Status > 299 {
		return nil, fmt.Errorf("GET %s: status %d", url, res.Status)
	}
	return res.Body, nil
}

// rcNotFound is the return code of kv_get and kv_delete for a missing key.
const rcNotFound = -1

// result turns a host call's return code into its staged result or error.
func result(call string, rc int32) ([]byte, error) {
	if rc >= 0 {
		buf := make([]byte, rc)
		if rc > 0 {
			n, err := hostResultRead(buf)
			if err != nil {
				return nil, err
			}
			if n != rc {
				return nil, fmt.Errorf("%s: result_read returned %d, want %d", call, n, rc)
			}
		}
		return buf, nil
	}
	if rc == rcNotFound {
		return nil, fmt.Errorf("%s: not found", call)
	}
	msg := make([]byte, -rc-2)
	if len(msg) > 0 {
		if _, err := hostResultRead(msg); err != nil {
			return nil, err
		}
	}
	return nil, &HostError{Call: call, Msg: string(msg)}
}

// HostError is an error the host returned from a host function.
type HostError struct {
	Call string // kv_get, kv_set, kv_delete or http_fetch
	Msg  string // the host's message; it usually starts with Call
}

func (e *HostError) Error() string { return e.Msg }
