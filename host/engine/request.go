package engine

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/wavs-go/wavs/host/service"
)

// EnvPrefix starts the name of every environment variable a component may
// see.
const EnvPrefix = "WAVS_ENV_"

// Request is one execution of a component.
type Request struct {
	// Digest names the component: the sha256 hex of its wasm.
	Digest string
	// ServiceID is the service's id, 64 hex digits.
	ServiceID  string
	WorkflowID string
	Trigger    Trigger
	// Config is the workflow's config vars.
	Config map[string]string
	// Env holds the WAVS_ENV_* variables named in the workflow's env_keys,
	// already looked up by the caller. It is the component's whole
	// environment.
	Env map[string]string
	// HTTP says which hosts http_fetch may reach.
	HTTP service.HostPolicy
	// TimeLimit bounds the execution's wall time; 0 means the engine's
	// DefaultTimeLimit.
	TimeLimit time.Duration
	// Chains is what the component learns about the node's chains, by
	// chain key ("evm:31337").
	Chains map[string]Chain
	// Service is the service the workflow belongs to, for a WAVS
	// component's trigger-config and host.get-service/get-workflow; nil
	// stands for a one-workflow service of this component with a manual
	// trigger (wavs exec).
	Service *service.Service
}

// validate names the first field of r that is not valid.
func (r *Request) validate() error {
	if !validDigest(r.Digest) {
		return fmt.Errorf("digest %q is not 64 lowercase hex digits", abbrev(r.Digest))
	}
	if !isLowerHex(r.ServiceID, 64) {
		return fmt.Errorf("service id %q is not 64 lowercase hex digits", abbrev(r.ServiceID))
	}
	if r.WorkflowID == "" || !utf8.ValidString(r.WorkflowID) {
		return fmt.Errorf("workflow id %q is empty or not UTF-8", abbrev(r.WorkflowID))
	}
	if err := r.Trigger.Validate(); err != nil {
		return err
	}
	for k, v := range r.Env {
		if !strings.HasPrefix(k, EnvPrefix) {
			return fmt.Errorf("env %q: a component may only see variables named %s*", abbrev(k), EnvPrefix)
		}
		if strings.ContainsAny(k, "=\x00") || strings.ContainsRune(v, 0) {
			return fmt.Errorf("env %q: name has '=' or NUL, or value has NUL", abbrev(k))
		}
	}
	for k, v := range r.Config {
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			return fmt.Errorf("config %q: not UTF-8", abbrev(k))
		}
	}
	if r.TimeLimit < 0 {
		return fmt.Errorf("time limit %v is negative", r.TimeLimit)
	}
	return nil
}

// validDigest reports whether d is a sha256 hex digest, so it is safe as a
// file name.
func validDigest(d string) bool { return isLowerHex(d, 64) }

func isLowerHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
