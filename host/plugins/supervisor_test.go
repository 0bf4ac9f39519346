package plugins

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/sdk"
)

// binDir holds real plugin executables built once for these tests.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "wavs-plugins-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, p := range []string{"plugins/transport-none", "internal/testplugins/trigger-burst"} {
		out := filepath.Join(dir, "wavs-plugin-"+filepath.Base(p))
		cmd := exec.Command("go", "build", "-o", out, "./"+p)
		cmd.Dir = "../.."
		if b, err := cmd.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "build %s: %v\n%s", p, err, b)
			os.Exit(1)
		}
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func find(t *testing.T, name string) Found {
	t.Helper()
	f, err := copyPlugin(filepath.Join(binDir, FilePrefix+name), name, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := describe(context.Background(), &f); err != nil {
		t.Fatal(err)
	}
	return f
}

func testOptions(t *testing.T) Options {
	return Options{
		Logger:     hclog.New(&hclog.LoggerOptions{Output: testWriter{t}, Level: hclog.Debug}),
		DataDir:    t.TempDir(),
		ConfigJSON: []byte(`{}`),
		// A long first backoff leaves time to act while the plugin is down.
		MinBackoff:     time.Second,
		HealthInterval: 100 * time.Millisecond,
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func start(t *testing.T, sup *Supervisor) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	if err := sup.Start(ctx); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		<-sup.Done()
	})
}

func alive(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(stat)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || (s[i+2] != 'Z' && s[i+2] != 'X')
}

func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, d)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// killAndWaitDown kills the plugin process and waits until the supervisor
// has taken it out of service.
func killAndWaitDown(t *testing.T, sup *Supervisor) int {
	t.Helper()
	pid := sup.Status().PID
	if pid == 0 {
		t.Fatal("plugin has no pid")
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "plugin out of service", 2*time.Second, func() bool {
		_, err := sup.Current()
		return errors.Is(err, sdk.ErrUnavailable)
	})
	return pid
}

func waitRunning(t *testing.T, sup *Supervisor, restarts int) {
	t.Helper()
	waitFor(t, "plugin running again", 10*time.Second, func() bool {
		st := sup.Status()
		return st.State == StateRunning && st.Restarts == restarts
	})
}

func TestTriggerSurvivesRestart(t *testing.T) {
	sup := NewSupervisor(find(t, "trigger-burst"), testOptions(t))
	trig := NewTrigger(sup)
	start(t, sup)
	ctx := context.Background()
	if err := trig.AddTrigger(ctx, sdk.TriggerSpec{ID: "t", Source: &sdk.Cron{Schedule: "@every 20ms"}}); err != nil {
		t.Fatal(err)
	}
	var third sdk.TriggerEvent
	for i := 0; i < 3; i++ {
		third = <-trig.Events()
	}
	if third.Cursor != "000000000003" {
		t.Fatalf("third event cursor = %q", third.Cursor)
	}
	if err := trig.Ack(ctx, third.TriggerID, third.Cursor); err != nil {
		t.Fatal(err)
	}

	oldPID := killAndWaitDown(t, sup)
	// Added while the plugin is down: recorded, then applied on restart.
	if err := trig.AddTrigger(ctx, sdk.TriggerSpec{ID: "late", Source: &sdk.Cron{Schedule: "@every 20ms"}}); err != nil {
		t.Fatalf("AddTrigger while down: %v", err)
	}
	for len(trig.Events()) > 0 { // what the dead process sent
		<-trig.Events()
	}
	waitRunning(t, sup, 1)
	if pid := sup.Status().PID; pid == oldPID || alive(oldPID) {
		t.Errorf("pid %d after restart (was %d, alive %v)", pid, oldPID, alive(oldPID))
	}

	seen := map[string]bool{}
	deadline := time.After(5 * time.Second)
	for !seen["late"] || !seen["t"] {
		select {
		case ev := <-trig.Events():
			seen[ev.TriggerID] = true
			if ev.TriggerID == "t" && ev.Cursor <= third.Cursor {
				t.Fatalf("after restart trigger t sent cursor %s again; it was acknowledged up to %s", ev.Cursor, third.Cursor)
			}
		case <-deadline:
			t.Fatalf("after restart saw events of %v, want t and late", seen)
		}
	}
}

func TestTransportReplaysSubscriptions(t *testing.T) {
	sup := NewSupervisor(find(t, "transport-none"), testOptions(t))
	tr := NewTransport(sup)
	start(t, sup)
	ctx := context.Background()
	for _, topic := range []string{"a", "b"} {
		if err := tr.Subscribe(ctx, topic); err != nil {
			t.Fatal(err)
		}
	}
	if err := tr.Unsubscribe(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	killAndWaitDown(t, sup)
	if _, err := tr.Status(ctx); !errors.Is(err, sdk.ErrUnavailable) {
		t.Errorf("Status while down = %v, want sdk.ErrUnavailable", err)
	}
	if err := tr.Publish(ctx, "a", []byte("x")); !errors.Is(err, sdk.ErrUnavailable) {
		t.Errorf("Publish while down = %v, want sdk.ErrUnavailable", err)
	}
	if err := tr.Subscribe(ctx, "c"); err != nil {
		t.Errorf("Subscribe while down = %v, want it recorded", err)
	}
	waitRunning(t, sup, 1)
	st, err := tr.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(st.SubscribedTopics, []string{"a", "c"}) {
		t.Errorf("topics after restart = %v, want [a c]", st.SubscribedTopics)
	}
}

func TestRestartRequestAndBackoff(t *testing.T) {
	o := testOptions(t)
	o.MinBackoff = 50 * time.Millisecond
	sup := NewSupervisor(find(t, "transport-none"), o)
	start(t, sup)
	for i := 1; i <= 2; i++ {
		pid := sup.Status().PID
		sup.Restart()
		waitRunning(t, sup, i)
		if sup.Status().PID == pid {
			t.Fatalf("restart %d kept pid %d", i, pid)
		}
		waitFor(t, "old process gone", 3*time.Second, func() bool { return !alive(pid) })
	}
}

func TestStartFailsOnBadConfig(t *testing.T) {
	o := testOptions(t)
	o.ConfigJSON = []byte(`{"plugin":{"peers":3}}`)
	sup := NewSupervisor(find(t, "transport-none"), o)
	err := sup.Start(context.Background())
	if err == nil {
		t.Fatal("Start accepted a config the plugin rejects")
	}
	if !errors.Is(err, sdk.ErrInvalidArgument) || !strings.Contains(err.Error(), "peers") || !strings.Contains(err.Error(), "transport-none") {
		t.Errorf("err = %v, want an invalid-argument error naming the plugin and the key", err)
	}
	// The host tells the plugin its name, so the plugin's own error names
	// the table of wavs.toml to fix.
	if !strings.Contains(err.Error(), "[plugins.transport-none.config]") {
		t.Errorf("err = %v, want it to name [plugins.transport-none.config]", err)
	}
	if st := sup.Status(); st.State != StateStopped || st.PID != 0 {
		t.Errorf("status after failed start = %+v", st)
	}
}

func TestStopEndsProcess(t *testing.T) {
	sup := NewSupervisor(find(t, "transport-none"), testOptions(t))
	ctx, cancel := context.WithCancel(context.Background())
	if err := sup.Start(ctx); err != nil {
		t.Fatal(err)
	}
	pid := sup.Status().PID
	cancel()
	select {
	case <-sup.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("supervisor did not stop")
	}
	if alive(pid) {
		t.Errorf("plugin process %d still alive after stop", pid)
	}
	if st := sup.Status(); st.State != StateStopped {
		t.Errorf("state = %s", st.State)
	}
}

func TestPluginEnvDropsHostSecrets(t *testing.T) {
	got := PluginEnv([]string{"PATH=/bin", "WAVS_SIGNING_KEY=k", "WAVS_SIGNING_MNEMONIC=m", "WAVS_BEARER_TOKEN=t", "WAVS_ENV_API=x", "WAVS_EVM_CREDENTIAL=c"})
	want := []string{"PATH=/bin", "WAVS_EVM_CREDENTIAL=c", fmt.Sprintf("GOGC=%d", GCPercent)}
	if !slices.Equal(got, want) {
		t.Errorf("PluginEnv = %v, want %v", got, want)
	}
}

// TestPluginEnvGC: a plugin runs with the operator's GOGC when there is
// one, and with GCPercent otherwise (an empty GOGC is none, as Go reads
// it).
func TestPluginEnvGC(t *testing.T) {
	cases := []struct {
		name    string
		environ []string
		want    []string
	}{
		{"unset", []string{"PATH=/bin"}, []string{"PATH=/bin", fmt.Sprintf("GOGC=%d", GCPercent)}},
		{"empty", []string{"GOGC=", "PATH=/bin"}, []string{"PATH=/bin", fmt.Sprintf("GOGC=%d", GCPercent)}},
		{"operator's", []string{"GOGC=50", "PATH=/bin"}, []string{"GOGC=50", "PATH=/bin"}},
		{"off", []string{"GOGC=off"}, []string{"GOGC=off"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := PluginEnv(c.environ); !slices.Equal(got, c.want) {
				t.Errorf("PluginEnv(%q) = %q, want %q", c.environ, got, c.want)
			}
		})
	}
}

// TestUpgradeShowsNewVersion: an operator replaces a plugin's executable
// and asks for a restart; the status reports the new version.
func TestUpgradeShowsNewVersion(t *testing.T) {
	dir := t.TempDir()
	build := func(version, out string) {
		t.Helper()
		cmd := exec.Command("go", "build", "-ldflags", "-X github.com/wavs-go/wavs/internal/version.Version="+version, "-o", out, "./plugins/transport-none")
		cmd.Dir = "../.."
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("build %s: %v\n%s", version, err, b)
		}
	}
	path := filepath.Join(dir, FilePrefix+"transport-none")
	build("1.0.0-test", path)
	f, err := copyPlugin(path, "transport-none", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := describe(context.Background(), &f); err != nil {
		t.Fatal(err)
	}
	o := testOptions(t)
	o.MinBackoff = 50 * time.Millisecond
	sup := NewSupervisor(f, o)
	start(t, sup)
	if v := sup.Status().Version; v != "1.0.0-test" {
		t.Fatalf("version %q before the upgrade", v)
	}
	next := filepath.Join(dir, "next")
	build("1.1.0-test", next)
	if err := os.Rename(next, path); err != nil {
		t.Fatal(err)
	}
	sup.Restart()
	waitRunning(t, sup, 1)
	if v := sup.Status().Version; v != "1.1.0-test" {
		t.Errorf("version %q after the upgrade, want 1.1.0-test", v)
	}
}
