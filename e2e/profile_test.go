package e2e

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// envProfileDir names a folder into which the cluster benchmarks write
// each node's CPU, block and mutex profiles (node<i>.cpu.pprof, …), taken
// over the measured run: `go tool pprof -top bin/wavs node0.cpu.pprof`.
const envProfileDir = "WAVS_E2E_PROFILE_DIR"

// profiler collects the nodes' profiles over a run.
type profiler struct {
	dir  string
	wg   sync.WaitGroup
	errs chan error
}

// startProfiles starts a CPU profile of seconds on every node of c that
// serves profiles; stop waits for them and adds the block and mutex
// profiles. Without WAVS_E2E_PROFILE_DIR it does nothing.
func startProfiles(t testing.TB, c *quorumCluster, seconds int) *profiler {
	dir := os.Getenv(envProfileDir)
	if dir == "" || !c.profiling {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	addrs, _ := filepath.Glob(filepath.Join(dir, "*.addr"))
	p := &profiler{dir: dir, errs: make(chan error, 3*len(c.ops)+len(addrs))}
	// The plugins' profiles, at the addresses they wrote.
	for _, a := range addrs {
		raw, err := os.ReadFile(a)
		if err != nil {
			continue
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			name := strings.TrimSuffix(filepath.Base(a), ".addr") + ".cpu.pprof"
			p.fetch(string(raw), fmt.Sprintf("profile?seconds=%d", seconds), name, time.Duration(seconds+30)*time.Second)
		}()
	}
	for i, op := range c.ops {
		if op.pprof == "" {
			continue
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.fetch(op.pprof, fmt.Sprintf("profile?seconds=%d", seconds), fmt.Sprintf("node%d.cpu.pprof", i), time.Duration(seconds+30)*time.Second)
		}()
	}
	return p
}

func (p *profiler) fetch(addr, path, file string, timeout time.Duration) {
	cl := &http.Client{Timeout: timeout}
	resp, err := cl.Get("http://" + addr + "/debug/pprof/" + path)
	if err != nil {
		p.errs <- err
		return
	}
	defer resp.Body.Close()
	f, err := os.Create(filepath.Join(p.dir, file))
	if err != nil {
		p.errs <- err
		return
	}
	defer f.Close()
	if _, err := io.Copy(f, resp.Body); err != nil {
		p.errs <- err
	}
}

// stop waits for the CPU profiles and takes the block and mutex ones.
func (p *profiler) stop(t testing.TB, c *quorumCluster) {
	if p == nil {
		return
	}
	p.wg.Wait()
	for i, op := range c.ops {
		if op.pprof == "" {
			continue
		}
		p.fetch(op.pprof, "block", fmt.Sprintf("node%d.block.pprof", i), 30*time.Second)
		p.fetch(op.pprof, "mutex", fmt.Sprintf("node%d.mutex.pprof", i), 30*time.Second)
		p.fetch(op.pprof, "goroutine", fmt.Sprintf("node%d.goroutine.pprof", i), 30*time.Second)
	}
	close(p.errs)
	for err := range p.errs {
		t.Logf("profile: %v", err)
	}
	t.Logf("profiles in %s", p.dir)
}
