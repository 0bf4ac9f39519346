package registry

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/wavs-go/wavs/host/engine"
	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/host/store"
	"github.com/wavs-go/wavs/sdk"
)

// A service whose component keeps failing with faults (engine.IsFault:
// traps, memory and output limits, timeouts, crashes) is marked failed
// after Options.MaxConsecutiveFailures of them in a row: the store's
// status becomes "failed" with the cause, and its triggers' events are
// acknowledged without running (counted as skipped), so a hostile or
// broken component costs the node nothing more, restarts included. A new
// registration (remove, then add) or Reset clears it.

// StatusFailed is the status of a service marked failed.
const StatusFailed = "failed"

// failedPrefix starts the last error of a service marked failed, which
// tells it apart, after a restart, from one that failed to restore.
const failedPrefix = "marked failed: "

// health is what the registry counts of one service's executions.
type health struct {
	mu      sync.Mutex
	faults  int    // faults in a row
	failed  bool   // marked failed: its events are skipped
	skipped uint64 // events skipped while failed
}

func (h *health) snapshot() (faults int, failed bool, skipped uint64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.faults, h.failed, h.skipped
}

// skip counts an event of a failed service; false when it is not failed.
func (h *health) skip() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.failed {
		return false
	}
	h.skipped++
	return true
}

// skipper is the optional part of an Observer that counts skipped events.
type skipper interface{ Skipped(serviceID string) }

// recordOutcome counts an execution's outcome and marks the service failed
// when it is the limit's fault in a row.
func (r *Registry) recordOutcome(ctx context.Context, e *entry, err error) {
	h := &e.health
	h.mu.Lock()
	if !engine.IsFault(err) {
		h.faults = 0
		h.mu.Unlock()
		return
	}
	h.faults++
	mark := r.o.MaxConsecutiveFailures > 0 && h.faults >= r.o.MaxConsecutiveFailures && !h.failed
	if mark {
		h.failed = true
	}
	n := h.faults
	h.mu.Unlock()
	if !mark {
		return
	}
	msg := fmt.Sprintf("%s%d executions in a row failed (%s); its triggers are skipped until it is registered again or reset; last: %v",
		failedPrefix, n, engine.CauseOf(err), err)
	r.log.Error("service marked failed", "service", e.id, "faults_in_a_row", n, "cause", engine.CauseOf(err).String(), "error", err)
	rec, ok, gerr := r.o.Store.GetService(ctx, e.id)
	if gerr != nil || !ok {
		return
	}
	rec.Status, rec.LastError = StatusFailed, msg
	if perr := r.o.Store.PutService(ctx, rec); perr != nil {
		r.log.Error("record service failure", "service", e.id, "error", perr)
	}
}

// markedFailed reports whether a stored record is of a service marked
// failed (rather than one that could not be restored).
func markedFailed(rec store.ServiceRecord) bool {
	return rec.Status == StatusFailed && strings.HasPrefix(rec.LastError, failedPrefix)
}

// Reset clears a service marked failed: its triggers run again and its
// count of faults starts over. It is the operator's explicit action; a
// service that is not failed is left as it is. Its folder (file_system)
// is kept: a reset is not a new start of its state, which Remove and a
// new registration are.
func (r *Registry) Reset(ctx context.Context, id string) (Info, error) {
	r.mu.RLock()
	e := r.services[id]
	r.mu.RUnlock()
	if e == nil {
		if _, err := r.Get(ctx, id); err != nil {
			return Info{}, err
		}
		return Info{}, fmt.Errorf("%w: service %q is stored but not running (it failed to restore); remove it and register it again", sdk.ErrInvalidArgument, id)
	}
	e.health.mu.Lock()
	e.health.failed, e.health.faults = false, 0
	e.health.mu.Unlock()
	rec, ok, err := r.o.Store.GetService(ctx, id)
	if err != nil {
		return Info{}, err
	}
	if ok && rec.Status == StatusFailed {
		rec.Status, rec.LastError = string(e.svc.Status), ""
		if err := r.o.Store.PutService(ctx, rec); err != nil {
			return Info{}, fmt.Errorf("reset service %s: %w", id, err)
		}
	}
	r.log.Info("service reset", "service", id)
	return r.Get(ctx, id)
}

// ErrInUse says a component cannot be removed while a service uses it.
var ErrInUse = errors.New("component in use")

// RemoveComponent deletes a stored component and frees its compiled code.
// It is refused (ErrInUse, naming the services) while a registered
// service, running or stored, names the component; sdk.ErrNotFound when
// the node has no such component; sdk.ErrInvalidArgument for a digest that
// is not 64 lowercase hex characters.
func (r *Registry) RemoveComponent(ctx context.Context, digest string) error {
	digest = strings.TrimPrefix(digest, "0x")
	r.compMu.Lock()
	defer r.compMu.Unlock()
	recs, err := r.o.Store.ListServices(ctx)
	if err != nil {
		return fmt.Errorf("remove component: %w", err)
	}
	var users []string
	for _, rec := range recs {
		svc, err := service.Decode(rec.Service)
		if err != nil {
			continue
		}
		for _, wid := range sortedKeys(svc.Workflows) {
			if svc.Workflows[wid].Component.Source.WasmDigest().String() == digest {
				users = append(users, fmt.Sprintf("%s (workflow %s)", rec.ID, wid))
			}
		}
	}
	if len(users) > 0 {
		return fmt.Errorf("%w: component %s is used by service %s; remove the service first", ErrInUse, digest, strings.Join(users, ", "))
	}
	if err := r.o.Engine.RemoveComponent(ctx, digest); err != nil {
		switch engine.CauseOf(err) {
		case engine.CauseNotFound:
			return fmt.Errorf("%w: %v", sdk.ErrNotFound, err)
		case engine.CauseInvalid:
			return fmt.Errorf("%w: %v", sdk.ErrInvalidArgument, err)
		}
		return err
	}
	r.log.Info("component removed", "component", digest)
	return nil
}

// checkTimeLimits refuses workflows asking more time than the node allows.
func (r *Registry) checkTimeLimits(svc *service.Service) error {
	ceiling := r.o.MaxTimeLimit
	if ceiling <= 0 {
		return nil
	}
	for _, wid := range sortedKeys(svc.Workflows) {
		t := svc.Workflows[wid].Component.TimeLimitSeconds
		if t != nil && time.Duration(*t)*time.Second > ceiling {
			return fmt.Errorf("%w: workflows.%s.component.time_limit_seconds = %d: this node allows 1..%d (its operator's wavs.engine.max_time_limit_seconds)",
				sdk.ErrInvalidArgument, wid, *t, int64(ceiling/time.Second))
		}
	}
	return nil
}
