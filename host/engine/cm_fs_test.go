package engine

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wavs-go/wavs/host/service"
)

// recordingWASI is the engine's wasip2 host that also keeps each
// execution's WASI config.
type recordingWASI struct {
	wasip2Host
	mu   sync.Mutex
	cfgs []WASIConfig
}

func (r *recordingWASI) Bind(ctx context.Context, c WASIConfig) (context.Context, func()) {
	r.mu.Lock()
	r.cfgs = append(r.cfgs, c)
	r.mu.Unlock()
	return r.wasip2Host.Bind(ctx, c)
}

func (r *recordingWASI) last() WASIConfig {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cfgs[len(r.cfgs)-1]
}

const fsServiceID = "abababababababababababababababababababababababababababababababab"

// fsRequest is a request of one workflow whose component has file_system
// as fs says.
func fsRequest(digest string, fs bool) *Request {
	d, _ := service.ParseDigest(digest)
	return &Request{
		Digest: digest, ServiceID: fsServiceID, WorkflowID: "default",
		Trigger: Trigger{Raw: []byte("12")}, TimeLimit: time.Minute,
		Service: &service.Service{
			Name: "fs", Status: service.StatusActive,
			Manager: service.Manager{Evm: &service.EvmManager{Chain: "evm:31337"}},
			Workflows: map[string]service.Workflow{"default": {
				Component: service.Component{Source: service.Source{Digest: &d},
					Permissions: service.Permissions{FileSystem: fs}},
			}},
		},
	}
}

// The folder a service with file_system gets: made on demand, private,
// the same folder and count for every execution, scanned again by a new
// engine (a restart), deleted with the service. Without the permission,
// or without a ServicesDir, there is none.
func TestServiceFolder(t *testing.T) {
	ctx := context.Background()
	base := t.TempDir()
	services := filepath.Join(base, "services")
	e, err := New(ctx, Options{ServicesDir: services, ServiceFSBytes: 1000, ServiceFSFiles: 5})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close(ctx)
	digest := strings.Repeat("cd", 32)
	if dir, q, err := e.serviceFolder(fsRequest(digest, false)); dir != "" || q != nil || err != nil {
		t.Fatalf("without file_system: %q %v %v", dir, q, err)
	}
	if _, err := os.Stat(services); err == nil {
		t.Error("a services folder was made for a service without file_system")
	}
	dir, q, err := e.serviceFolder(fsRequest(digest, true))
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(services, fsServiceID, "fs"); dir != want {
		t.Fatalf("folder %s, want %s", dir, want)
	}
	fi, err := os.Stat(dir)
	if err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o700 {
		t.Fatalf("folder: %v %v", fi, err)
	}
	if err := os.WriteFile(filepath.Join(dir, "kept"), []byte("12345"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir2, q2, _ := e.serviceFolder(fsRequest(digest, true))
	if dir2 != dir || q2 != q {
		t.Error("a second execution got another folder or count")
	}
	// A restarted node counts what the folder holds.
	e2, err := New(ctx, Options{ServicesDir: services})
	if err != nil {
		t.Fatal(err)
	}
	defer e2.Close(ctx)
	if _, q3, _ := e2.serviceFolder(fsRequest(digest, true)); q3 == nil {
		t.Fatal("no count after a restart")
	}
	if b, n, ok := e2.ServiceFilesUsage(fsServiceID); !ok || b != 5 || n != 1 {
		t.Errorf("usage after a restart: %d bytes %d entries %v", b, n, ok)
	}
	// Removing the service deletes its folder and stops its count.
	if err := e.RemoveServiceFiles(fsServiceID); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(services, fsServiceID)); !os.IsNotExist(err) {
		t.Errorf("folder left after removal: %v", err)
	}
	if _, _, ok := e.ServiceFilesUsage(fsServiceID); ok {
		t.Error("usage still counted after removal")
	}
	if err := e.RemoveServiceFiles("../x"); err == nil {
		t.Error("RemoveServiceFiles took a path")
	}
	// No ServicesDir: file_system is not granted.
	e3, err := New(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e3.Close(ctx)
	if dir, q, _ := e3.serviceFolder(fsRequest(digest, true)); dir != "" || q != nil {
		t.Errorf("without ServicesDir: %q %v", dir, q)
	}
}

// A real component runs with its folder preopened when its service has
// file_system, and with none otherwise.
func TestServiceFolderComponent(t *testing.T) {
	ctx := context.Background()
	wasm := wavsComponent(t, "square-go")
	services := filepath.Join(t.TempDir(), "services")
	w := &recordingWASI{}
	e, err := New(ctx, Options{ServicesDir: services, WASI: w, KV: &testKV{m: map[string][]byte{}}})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close(ctx)
	digest, err := e.AddComponent(ctx, wasm)
	if err != nil {
		t.Fatal(err)
	}
	for _, fs := range []bool{false, true, true} {
		if _, err := e.Execute(ctx, *fsRequest(digest, fs)); err != nil {
			t.Fatalf("file_system %v: %v", fs, err)
		}
		c := w.last()
		if !fs {
			if c.Dir != "" || c.Quota != nil {
				t.Errorf("without file_system: Dir %q Quota %v", c.Dir, c.Quota)
			}
			continue
		}
		if c.Dir != filepath.Join(services, fsServiceID, "fs") || c.Quota == nil {
			t.Errorf("with file_system: Dir %q Quota %v", c.Dir, c.Quota)
		}
	}
	if w.cfgs[1].Quota != w.cfgs[2].Quota {
		t.Error("two executions of one service counted apart")
	}
}
