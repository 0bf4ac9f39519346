package engine

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/wavs-go/wavs/host/engine/component/wasip2"
)

// A service whose component has WAVS's file_system permission gets its
// own folder, <ServicesDir>/<service id>/fs, preopened in each execution
// (as wasip2.PreopenName, "." like WAVS). It persists across executions
// and restarts and is deleted with the service (RemoveServiceFiles). Its
// usage is counted by one wasip2.Quota per service, scanned on the
// service's first execution since the engine started and shared by all
// its executions after that.

// serviceFolder is the folder and quota r's execution preopens: "" and nil
// when its component lacks file_system or the engine has no ServicesDir.
func (e *Engine) serviceFolder(r *Request) (string, *wasip2.Quota, error) {
	if e.opts.ServicesDir == "" || r.Service == nil {
		return "", nil, nil
	}
	wf, ok := r.Service.Workflows[r.WorkflowID]
	if !ok || !wf.Component.Permissions.FileSystem {
		return "", nil, nil
	}
	// r.ServiceID was validated: 64 lowercase hex digits, one path element.
	dir := e.serviceFilesDir(r.ServiceID)
	e.fsMu.Lock()
	defer e.fsMu.Unlock()
	if q := e.fsQuotas[r.ServiceID]; q != nil {
		if _, err := os.Stat(dir); err == nil {
			return dir, q, nil
		}
		q.Close() // the folder went away under the node: count it anew
		delete(e.fsQuotas, r.ServiceID)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", nil, fmt.Errorf("service folder: %w", err)
	}
	q, err := wasip2.NewQuota(dir, e.opts.ServiceFSBytes, e.opts.ServiceFSFiles)
	if err != nil {
		return "", nil, fmt.Errorf("service folder: %w", err)
	}
	if e.fsQuotas == nil {
		e.fsQuotas = map[string]*wasip2.Quota{}
	}
	e.fsQuotas[r.ServiceID] = q
	return dir, q, nil
}

// serviceFilesDir is the folder of service id's files.
func (e *Engine) serviceFilesDir(id string) string {
	return filepath.Join(e.opts.ServicesDir, id, "fs")
}

// ServiceFilesUsage is what service id keeps in its folder: bytes of files
// and entries (files and folders), as counted since its first execution;
// ok is false when no execution of it has used the folder yet.
func (e *Engine) ServiceFilesUsage(id string) (bytes, entries int64, ok bool) {
	e.fsMu.Lock()
	q := e.fsQuotas[id]
	e.fsMu.Unlock()
	if q == nil {
		return 0, 0, false
	}
	bytes, entries = q.Usage()
	return bytes, entries, true
}

// RemoveServiceFiles deletes service id's folder (<ServicesDir>/<id>, all
// of it). An execution of the service still running can change nothing
// in it any more: its quota refuses every change. Without ServicesDir it
// does nothing.
func (e *Engine) RemoveServiceFiles(id string) error {
	if e.opts.ServicesDir == "" {
		return nil
	}
	if !isLowerHex(id, 64) {
		return execErr(CauseInvalid, "service id %q is not 64 lowercase hex digits", abbrev(id))
	}
	e.fsMu.Lock()
	defer e.fsMu.Unlock()
	if q := e.fsQuotas[id]; q != nil {
		q.Close()
		delete(e.fsQuotas, id)
	}
	if err := os.RemoveAll(filepath.Join(e.opts.ServicesDir, id)); err != nil {
		return fmt.Errorf("remove the files of service %s: %w", id, err)
	}
	return nil
}
