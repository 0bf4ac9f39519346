package plugintest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/plugintest"
)

// TestMain makes the test binary a plugin executable when it runs under a
// plugin's file name (CheckBinary's tests link it so): the name picks the
// fake, a folder "crash" or "bad-info" a broken one.
func TestMain(m *testing.M) {
	if name := filepath.Base(os.Args[0]); strings.HasPrefix(name, plugintest.BinaryPrefix) || name == "fake-trigger" {
		switch filepath.Base(filepath.Dir(os.Args[0])) {
		case "crash":
			fmt.Fprintln(os.Stderr, "fake: cannot start")
			os.Exit(3)
		case "bad-info":
			sdk.ServeTrigger(func(hclog.Logger) *fakeTrigger { return newFakeTrigger(false, triggerBugs{badInfo: true}) })
		}
		switch name {
		case plugintest.BinaryPrefix + "fake-submit":
			sdk.ServeSubmitter(func(hclog.Logger) *fakeSubmitter { return &fakeSubmitter{chain: newFakeChain()} })
		case plugintest.BinaryPrefix + "fake-transport":
			sdk.ServeTransport(func(hclog.Logger) *fakeTransport { return newFakeTransport() })
		default:
			sdk.ServeTrigger(func(hclog.Logger) *fakeTrigger { return newFakeTrigger(false, triggerBugs{}) })
		}
	}
	os.Exit(m.Run())
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// freePort returns a 127.0.0.1 port nothing listens on now.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// pluginLink links the test binary as dir/name (TestMain then serves a
// fake) and returns its path.
func pluginLink(t *testing.T, dir, name string) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.Symlink(exe, path); err != nil {
		t.Fatal(err)
	}
	return path
}

// The correct fakes pass every suite.

func TestTriggerSuiteOnFake(t *testing.T) {
	newPlugin := func(persistent bool) func(*testing.T) sdk.Trigger {
		return func(*testing.T) sdk.Trigger { return newFakeTrigger(persistent, triggerBugs{}) }
	}
	t.Run("InMemory", func(t *testing.T) {
		opts := fakeTriggerOptions(false, "")
		opts.Binary = pluginLink(t, t.TempDir(), "wavs-plugin-fake-trigger")
		plugintest.TriggerSuite(t, newPlugin(false), opts)
	})
	t.Run("Persistent", func(t *testing.T) {
		plugintest.TriggerSuite(t, newPlugin(true), fakeTriggerOptions(true, `{"plugin":{}}`))
	})
	t.Run("FixedPort", func(t *testing.T) {
		// Every instance listens on the same port from Configure to
		// Shutdown: it passes because the suite shuts each one down
		// before the next starts.
		opts := fakeTriggerOptions(true, fmt.Sprintf(`{"plugin":{"port":%d}}`, freePort(t)))
		opts.OneAtATime = true
		plugintest.TriggerSuite(t, newPlugin(true), opts)
	})
}

func TestSubmitterSuiteOnFake(t *testing.T) {
	chain := newFakeChain()
	newPlugin := func(*testing.T) sdk.Submitter { return &fakeSubmitter{chain: chain} }
	t.Run("AnyPort", func(t *testing.T) {
		plugintest.SubmitterSuite(t, newPlugin, fakeSubmitterOptions(chain, `{"chains":{"fake":{}}}`))
	})
	t.Run("FixedPort", func(t *testing.T) {
		plugintest.SubmitterSuite(t, newPlugin, fakeSubmitterOptions(chain, fmt.Sprintf(`{"plugin":{"port":%d}}`, freePort(t))))
	})
}

// brokenCase is a deliberately broken plugin and the subtests the suite
// must fail for it.
type brokenCase struct {
	run func(t *testing.T)
	// only restricts the run to these subtests (a regexp).
	only string
	// fail are subtests that must fail; with exact, no other may.
	fail  []string
	exact bool
}

func brokenTrigger(bugs triggerBugs, persistent bool, config string, edit func(*plugintest.TriggerOptions)) func(t *testing.T) {
	return func(t *testing.T) {
		opts := fakeTriggerOptions(persistent, config)
		opts.EventTimeout = 1500 * time.Millisecond
		if edit != nil {
			edit(&opts)
		}
		plugintest.TriggerSuite(t, func(*testing.T) sdk.Trigger { return newFakeTrigger(persistent, bugs) }, opts)
	}
}

func brokenSubmitter(bugs submitBugs) func(t *testing.T) {
	return func(t *testing.T) {
		chain := newFakeChain()
		plugintest.SubmitterSuite(t, func(*testing.T) sdk.Submitter { return &fakeSubmitter{chain: chain, bugs: bugs} }, fakeSubmitterOptions(chain, ""))
	}
}

var fixedPort = sync.OnceValue(func() int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
})

var brokenCases = map[string]brokenCase{
	// 1. Every instance is shut down after its test; a Shutdown that
	// fails, hangs or keeps its resources fails.
	"ShutdownFails": {
		run:  brokenTrigger(triggerBugs{shutdownError: true}, false, "", nil),
		fail: []string{"Info", "ConfigureThenHealthy", "ConfigureRejectsMalformed", "Shutdown", "EventCarriesIDAndCursor", "ResumeAfterRestart", "Deterministic"},
	},
	"ShutdownHangs": {
		run:   brokenTrigger(triggerBugs{shutdownHang: true}, false, "", nil),
		only:  "^Shutdown$",
		fail:  []string{"Shutdown"},
		exact: true,
	},
	"ShutdownKeepsPort": {
		run: func(t *testing.T) {
			brokenTrigger(triggerBugs{leakPort: true}, false, fmt.Sprintf(`{"plugin":{"port":%d}}`, fixedPort()), func(o *plugintest.TriggerOptions) { o.OneAtATime = true })(t)
		},
		// The first instance that listened keeps the port: every later
		// Configure fails.
		fail: []string{"ConfigureIgnoresUnknownSections", "Shutdown", "RemoveUnknown", "EventCarriesIDAndCursor", "ResumeAfterRestart", "Deterministic"},
	},
	// 2. Fire reaches the instance under test: a plugin that drops what is
	// POSTed to its own port fails the event checks.
	"DropsWhatItIsSent": {
		run: brokenTrigger(triggerBugs{deaf: true}, false, "", nil),
		// Every event check fails alike; one is enough (and quick).
		only:  "^(EventCarriesIDAndCursor|Info)$",
		fail:  []string{"EventCarriesIDAndCursor"},
		exact: true,
	},
	// 3. Unknown keys, the section's name, sections of others, Info.
	"IgnoresUnknownKeys": {
		run:   brokenTrigger(triggerBugs{lenientConfig: true}, false, "", nil),
		fail:  []string{"ConfigureRejectsUnknownKeys"},
		exact: true,
	},
	"VagueConfigError": {
		run:   brokenTrigger(triggerBugs{vagueConfig: true}, false, "", nil),
		fail:  []string{"ConfigureRejectsUnknownKeys"},
		exact: true,
	},
	"RefusesOtherSections": {
		run:   brokenTrigger(triggerBugs{strictTop: true}, false, "", nil),
		fail:  []string{"ConfigureIgnoresUnknownSections"},
		exact: true,
	},
	"InvalidInfo": {
		run:   brokenTrigger(triggerBugs{badInfo: true}, false, "", nil),
		fail:  []string{"Info"},
		exact: true,
	},
	// 4. The submit checks.
	"QuorumFailsForStranger": {
		run:   brokenSubmitter(submitBugs{quorumStrangerError: true}),
		fail:  []string{"QuorumWeights"},
		exact: true,
	},
	"QuorumIgnoresOrder": {
		run:   brokenSubmitter(submitBugs{quorumOwnOrder: true}),
		fail:  []string{"QuorumWeights", "OperatorSet"},
		exact: true,
	},
	"ValidateIgnoresSignatures": {
		run:   brokenSubmitter(submitBugs{validateNoVerify: true}),
		fail:  []string{"Validate"},
		exact: true,
	},
	"ValidateRevertIsError": {
		run:   brokenSubmitter(submitBugs{validateErrors: true}),
		fail:  []string{"Validate"},
		exact: true,
	},
	"LandsTwice": {
		run:   brokenSubmitter(submitBugs{landsTwice: true}),
		fail:  []string{"SubmitLandsOnce"},
		exact: true,
	},
	"NoLandingByTx": {
		run:   brokenSubmitter(submitBugs{noLandingByTx: true}),
		fail:  []string{"SubmitLandsOnce"},
		exact: true,
	},
	"OperatorSetDisagrees": {
		run:   brokenSubmitter(submitBugs{operatorSetOff: true}),
		fail:  []string{"OperatorSet"},
		exact: true,
	},
	// 5. Resume from the acked cursor after a restart.
	"RedeliversAckedAfterRestart": {
		run:   brokenTrigger(triggerBugs{replayAll: true}, false, "", nil),
		fail:  []string{"ResumeAfterRestart"},
		exact: true,
	},
	"LosesPendingAfterRestart": {
		// In memory, but claims to keep its events.
		run:   brokenTrigger(triggerBugs{}, false, "", func(o *plugintest.TriggerOptions) { o.Persistent = true }),
		fail:  []string{"ResumeAfterRestart"},
		exact: true,
	},
	// 6. Same input, same data.
	"ClockInData": {
		run:   brokenTrigger(triggerBugs{clockInData: true}, false, "", nil),
		fail:  []string{"Deterministic"},
		exact: true,
	},
}

// envBroken names the broken case TestBrokenHelper runs.
const envBroken = "PLUGINTEST_BROKEN_CASE"

// TestBrokenHelper runs a suite against one broken plugin; it is meant to
// fail, so it runs only in the subprocess TestBrokenPluginsFail starts.
func TestBrokenHelper(t *testing.T) {
	name := os.Getenv(envBroken)
	if name == "" {
		t.Skip("runs in TestBrokenPluginsFail's subprocess")
	}
	c, ok := brokenCases[name]
	if !ok {
		t.Fatalf("no broken case %q", name)
	}
	c.run(t)
}

var failLine = regexp.MustCompile(`(?m)^\s*--- FAIL: TestBrokenHelper/([^/\s]+)`)

// TestBrokenPluginsFail runs the suites against each broken plugin in a
// subprocess (this test binary, running TestBrokenHelper) and checks that
// the suite fails in the subtests that catch the bug.
func TestBrokenPluginsFail(t *testing.T) {
	t.Parallel()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(brokenCases))
	for name := range brokenCases {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		c := brokenCases[name]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			pattern := "^TestBrokenHelper$"
			if c.only != "" {
				pattern += "/" + c.only
			}
			cmd := exec.Command(exe, "-test.run="+pattern, "-test.v", "-test.count=1", "-test.timeout=2m")
			// A race-enabled binary waits a second at exit by default.
			cmd.Env = append(os.Environ(), envBroken+"="+name, "GORACE=atexit_sleep_ms=0")
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("the suite passed a broken plugin:\n%s", out)
			}
			if bytes.Contains(out, []byte("panic:")) || bytes.Contains(out, []byte("test timed out")) {
				t.Fatalf("the suite crashed instead of failing:\n%s", out)
			}
			var failed []string
			for _, m := range failLine.FindAllSubmatch(out, -1) {
				if s := string(m[1]); !slices.Contains(failed, s) {
					failed = append(failed, s)
				}
			}
			for _, want := range c.fail {
				if !slices.Contains(failed, want) {
					t.Errorf("subtest %s passed; want it to fail", want)
				}
			}
			if c.exact {
				for _, got := range failed {
					if !slices.Contains(c.fail, got) {
						t.Errorf("subtest %s failed too; want only %v", got, c.fail)
					}
				}
			}
			if t.Failed() {
				t.Logf("failed subtests: %v\n%s", failed, out)
			}
		})
	}
}

// recorder is a testing.TB that keeps failures instead of reporting them;
// Fatal ends the goroutine, as in a test.
type recorder struct {
	testing.TB
	mu     sync.Mutex
	errors []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}

// record runs f with a recorder and returns what it reported.
func record(t *testing.T, f func(tb testing.TB)) []string {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	return r.errors
}

func TestCheckBinary(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := pluginLink(t, dir, "wavs-plugin-fake-trigger")
	cases := []struct {
		name string
		path string
		impl sdk.Plugin
		want string // in the one failure; "" for none
	}{
		{"good", good, newFakeTrigger(false, triggerBugs{}), ""},
		{"good without a plugin", good, nil, ""},
		{"no prefix", pluginLink(t, dir, "fake-trigger"), nil, "the file name must be wavs-plugin-<name>"},
		{"other name", pluginLink(t, dir, "wavs-plugin-renamed"), nil, `describes itself as "fake-trigger": name the file wavs-plugin-fake-trigger`},
		{"other info", good, func() sdk.Plugin { f := newFakeTrigger(false, triggerBugs{}); f.version = "2.0.0"; return f }(), "prints another Info than the plugin answers"},
		{"invalid info", pluginLink(t, filepath.Join(dir, "bad-info"), "wavs-plugin-fake-trigger"), nil, `name "Fake Webhook" does not match`},
		{"describe fails", pluginLink(t, filepath.Join(dir, "crash"), "wavs-plugin-fake-trigger"), nil, "fake: cannot start"},
		{"missing", filepath.Join(dir, "wavs-plugin-nothing"), nil, "`describe` failed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := record(t, func(tb testing.TB) { plugintest.CheckBinary(tb, c.path, c.impl) })
			switch {
			case c.want == "" && len(got) > 0:
				t.Errorf("CheckBinary failed: %q", got)
			case c.want != "" && (len(got) != 1 || !strings.Contains(got[0], c.want)):
				t.Errorf("CheckBinary reported %q; want one failure saying %q", got, c.want)
			}
		})
	}
}

func TestTransportSuiteOnFake(t *testing.T) {
	plugintest.TransportSuite(t, func(*testing.T) sdk.Transport { return newFakeTransport() }, plugintest.TransportOptions{})
}

// docChecks reads the checks doc.go lists, by section.
func docChecks(t *testing.T) map[string][]string {
	t.Helper()
	src, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	section := ""
	bullet := regexp.MustCompile(`^//   - (\w+): `)
	for _, line := range strings.Split(string(src), "\n") {
		if h, ok := strings.CutPrefix(line, "// # "); ok {
			section = h
			continue
		}
		if m := bullet.FindStringSubmatch(line); m != nil {
			out[section] = append(out[section], m[1])
		}
	}
	return out
}

// TestDocListsEveryCheck: the package documentation lists exactly the
// subtests each suite runs (every subtest starts an instance, so the
// instances' tests name them).
func TestDocListsEveryCheck(t *testing.T) {
	t.Parallel()
	doc := docChecks(t)
	base := doc["What every suite checks"]
	if len(base) == 0 {
		t.Fatal("doc.go lists no checks under \"# What every suite checks\"")
	}
	record := func() (func(t *testing.T), func() []string) {
		var mu sync.Mutex
		var names []string
		return func(t *testing.T) {
				mu.Lock()
				defer mu.Unlock()
				parts := strings.Split(t.Name(), "/")
				if n := parts[len(parts)-1]; !slices.Contains(names, n) {
					names = append(names, n)
				}
			}, func() []string {
				mu.Lock()
				defer mu.Unlock()
				return slices.Clone(names)
			}
	}
	dir := t.TempDir()
	suites := map[string]func(t *testing.T, seen func(*testing.T)){
		"TriggerSuite": func(t *testing.T, seen func(*testing.T)) {
			opts := fakeTriggerOptions(false, "")
			opts.Binary = pluginLink(t, dir, "wavs-plugin-fake-trigger")
			plugintest.TriggerSuite(t, func(t *testing.T) sdk.Trigger { seen(t); return newFakeTrigger(false, triggerBugs{}) }, opts)
		},
		"SubmitterSuite": func(t *testing.T, seen func(*testing.T)) {
			chain := newFakeChain()
			opts := fakeSubmitterOptions(chain, "")
			opts.Binary = pluginLink(t, dir, "wavs-plugin-fake-submit")
			plugintest.SubmitterSuite(t, func(t *testing.T) sdk.Submitter { seen(t); return &fakeSubmitter{chain: chain} }, opts)
		},
		"TransportSuite": func(t *testing.T, seen func(*testing.T)) {
			plugintest.TransportSuite(t, func(t *testing.T) sdk.Transport { seen(t); return newFakeTransport() }, plugintest.TransportOptions{Binary: pluginLink(t, dir, "wavs-plugin-fake-transport")})
		},
	}
	for name, run := range suites {
		seen, names := record()
		if !t.Run(name, func(t *testing.T) { run(t, seen) }) {
			t.Errorf("%s failed on its correct fake", name)
		}
		got := names()
		want := append(slices.Clone(base), doc[name]...)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s runs %v; doc.go lists %v", name, got, want)
		}
	}
}
