package e2e

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wavs-go/wavs/contracts/anviltest"
)

// stage is a part of a trigger's work in a node, named by the functions
// its CPU samples pass through. A sample counts for the first stage,
// in this order, with a frame that matches.
type stage struct {
	name string
	re   *regexp.Regexp
}

var stages = []stage{
	{"component (wasm)", regexp.MustCompile(`^runtime\._ExternalCode$|/host/engine\.|tetratelabs/wazero`)},
	{"signing", regexp.MustCompile(`host/signer\.\(\*Key\)\.Sign`)},
	{"verification", regexp.MustCompile(`aggregator\.Gossip\)\.Verify|aggregator\.\(\*Gossip\)\.Verify|Ecrecover|RecoverEnvelopeSigner|SigToPub`)},
	{"store", regexp.MustCompile(`/host/store\.|go\.etcd\.io/bbolt`)},
	{"submission", regexp.MustCompile(`host/plugins\.\(\*Submitter\)\.Submit$`)},
	{"chain reads", regexp.MustCompile(`host/plugins\.\(\*Submitter\)\.`)},
	{"gossip", regexp.MustCompile(`host/plugins\.\(\*Transport\)|aggregator\.\(\*Aggregator\)\.(publish|listen|receive|sendReports|Announce)`)},
	{"trigger intake", regexp.MustCompile(`host/plugins\.\(\*Trigger\)|registry\.\(\*Registry\)\.(ack|Run)|sdk\.\(\*triggerClient\)`)},
	{"logging", regexp.MustCompile(`go-hclog`)},
	{"gc", regexp.MustCompile(`^runtime\.(gcBgMarkWorker|bgsweep|bgscavenge|gcDrain|markroot)`)},
}

// cpuByStage reads a CPU profile of bin (with go tool pprof -raw) and
// sums its samples by stage; the rest goes to "other".
func cpuByStage(bin, profile string) (map[string]time.Duration, time.Duration, error) {
	out, err := exec.Command("go", "tool", "pprof", "-raw", bin, profile).Output()
	if err != nil {
		return nil, 0, fmt.Errorf("go tool pprof -raw %s: %w", profile, err)
	}
	type sample struct {
		ns  int64
		loc []int
	}
	var samples []sample
	funcs := map[int][]string{}
	section, cur := "", 0
	locRe := regexp.MustCompile(`^\s*(\d+): 0x[0-9a-f]+ M=\d+ (\S+)`)
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "Samples:"):
			section = "samples"
			continue
		case strings.HasPrefix(line, "Locations"):
			section = "locations"
			continue
		case strings.HasPrefix(line, "Mappings"):
			section = ""
			continue
		}
		switch section {
		case "samples":
			head, tail, ok := strings.Cut(line, ":")
			f := strings.Fields(head)
			if !ok || len(f) != 2 {
				continue
			}
			ns, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				continue
			}
			s := sample{ns: ns}
			for _, id := range strings.Fields(tail) {
				n, _ := strconv.Atoi(id)
				s.loc = append(s.loc, n)
			}
			samples = append(samples, s)
		case "locations":
			if m := locRe.FindStringSubmatch(line); m != nil {
				cur, _ = strconv.Atoi(m[1])
				funcs[cur] = append(funcs[cur], m[2])
			} else if f := strings.Fields(line); len(f) > 0 && cur != 0 {
				funcs[cur] = append(funcs[cur], f[0]) // an inlined frame
			}
		}
	}
	by := map[string]time.Duration{}
	var total time.Duration
	for _, s := range samples {
		total += time.Duration(s.ns)
		name := "other"
	find:
		for _, st := range stages {
			for _, l := range s.loc {
				for _, fn := range funcs[l] {
					if st.re.MatchString(fn) {
						name = st.name
						break find
					}
				}
			}
		}
		by[name] += time.Duration(s.ns)
	}
	return by, total, nil
}

// procPeakRSS is the most memory a process has held at once (VmHWM),
// in bytes, from /proc; 0 when unknown.
func procPeakRSS(pid int) int64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(raw)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// procCPU is a process's user+system CPU time so far, from /proc.
func procCPU(pid int) time.Duration {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the command (which may hold spaces) in parentheses.
	_, rest, ok := strings.Cut(string(raw), ") ")
	if !ok {
		return 0
	}
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond // USER_HZ = 100
}

// cpuMeter measures the CPU of a cluster's processes over a run.
type cpuMeter struct {
	pids  map[string][]int // "wavs", "anvil", each plugin name
	start map[int]time.Duration
	chain *anviltest.Chain
	calls map[string]int // the chain's JSON-RPC calls by method at the start
	nodes []*node
	// pluginCalls are the nodes' calls to their plugins at the start, by
	// "kind method" (wavs_plugin_calls_total).
	pluginCalls map[string]float64
	// storeWrites are the nodes' store writes at the start, by operation,
	// and "commits" (wavs_store_writes_total, wavs_store_commits_total).
	storeWrites map[string]float64
}

// storeWrites sums the nodes' store writes by operation, and their
// commits as "(commits)".
func storeWrites(t testing.TB, nodes []*node) map[string]float64 {
	re := regexp.MustCompile(`^wavs_store_writes_total\{op="([^"]+)"\} (\S+)$`)
	out := map[string]float64{}
	for _, n := range nodes {
		for _, line := range strings.Split(string(scrape(t, n)), "\n") {
			if m := re.FindStringSubmatch(line); m != nil {
				v, _ := strconv.ParseFloat(m[2], 64)
				out[m[1]] += v
			} else if v, ok := strings.CutPrefix(line, "wavs_store_commits_total "); ok {
				f, _ := strconv.ParseFloat(v, 64)
				out["(commits)"] += f
			}
		}
	}
	return out
}

// pluginCalls sums the nodes' calls to their plugins by "kind method".
func pluginCalls(t testing.TB, nodes []*node) map[string]float64 {
	re := regexp.MustCompile(`^wavs_plugin_calls_total\{kind="([^"]+)",method="([^"]+)",outcome="[^"]+",plugin="[^"]+"\} (\S+)$`)
	out := map[string]float64{}
	for _, n := range nodes {
		for _, line := range strings.Split(string(scrape(t, n)), "\n") {
			if m := re.FindStringSubmatch(line); m != nil {
				v, _ := strconv.ParseFloat(m[3], 64)
				out[m[1]+" "+m[2]] += v
			}
		}
	}
	return out
}

func meterCluster(t testing.TB, c *quorumCluster) *cpuMeter {
	var nodes []*node
	for _, op := range c.ops {
		if op.node != nil {
			nodes = append(nodes, op.node)
		}
	}
	return meterNodes(t, c.chain, nodes...)
}

// meterNodes measures the CPU of chain's anvil and of nodes with their
// plugins.
func meterNodes(t testing.TB, chain *anviltest.Chain, nodes ...*node) *cpuMeter {
	m := &cpuMeter{pids: map[string][]int{}, start: map[int]time.Duration{}, chain: chain, calls: chain.Calls(), nodes: nodes, pluginCalls: pluginCalls(t, nodes), storeWrites: storeWrites(t, nodes)}
	if pid := chain.PID(); pid != 0 {
		m.pids["anvil"] = []int{pid}
	}
	for _, n := range nodes {
		m.pids["wavs"] = append(m.pids["wavs"], n.cmd.Process.Pid)
		for name, pid := range n.pluginPIDs() {
			m.pids[name] = append(m.pids[name], pid)
		}
	}
	for _, pids := range m.pids {
		for _, pid := range pids {
			m.start[pid] = procCPU(pid)
		}
	}
	return m
}

// report logs, per trigger, the CPU each kind of process used over the
// run, and (when dir holds the nodes' CPU profiles) how the nodes' share
// splits by stage; it writes the same to dir/breakdown.txt.
func (m *cpuMeter) report(t testing.TB, n int, dir, bin string) {
	if m == nil || n == 0 {
		return
	}
	var b strings.Builder
	per := func(d time.Duration) string {
		return fmt.Sprintf("%6.2f ms", float64(d.Microseconds())/1000/float64(n))
	}
	fmt.Fprintf(&b, "CPU per trigger (all processes of a kind together), %d triggers:\n", n)
	names := make([]string, 0, len(m.pids))
	for name := range m.pids {
		names = append(names, name)
	}
	sort.Strings(names)
	var all, chain time.Duration
	for _, name := range names {
		var d time.Duration
		for _, pid := range m.pids[name] {
			d += procCPU(pid) - m.start[pid]
		}
		all += d
		if name == "anvil" {
			chain = d
		}
		var peak int64
		for _, pid := range m.pids[name] {
			peak = max(peak, procPeakRSS(pid))
		}
		fmt.Fprintf(&b, "  %-18s %s   peak memory %4d MiB (the largest one)\n", name, per(d), peak>>20)
	}
	fmt.Fprintf(&b, "  %-18s %s\n", "total", per(all))
	if len(m.nodes) > 0 {
		// What one operator's machine would spend: its node and plugins,
		// not the chain.
		fmt.Fprintf(&b, "  %-18s %s\n", "per operator", per((all-chain)/time.Duration(len(m.nodes))))
	}
	if m.chain != nil {
		now := m.chain.Calls()
		methods := make([]string, 0, len(now))
		calls := 0
		for k, v := range now {
			if v -= m.calls[k]; v > 0 {
				methods = append(methods, k)
				calls += v
			}
		}
		sort.Slice(methods, func(i, j int) bool {
			return now[methods[i]]-m.calls[methods[i]] > now[methods[j]]-m.calls[methods[j]]
		})
		fmt.Fprintf(&b, "chain calls per trigger (anvil's JSON-RPC, all nodes): %.1f\n", float64(calls)/float64(n))
		for _, k := range methods {
			fmt.Fprintf(&b, "  %-26s %6.2f\n", k, float64(now[k]-m.calls[k])/float64(n))
		}
	}
	if len(m.nodes) > 0 {
		now := pluginCalls(t, m.nodes)
		keys := make([]string, 0, len(now))
		for k, v := range now {
			if v > m.pluginCalls[k] {
				keys = append(keys, k)
			}
		}
		sort.Slice(keys, func(i, j int) bool { return now[keys[i]]-m.pluginCalls[keys[i]] > now[keys[j]]-m.pluginCalls[keys[j]] })
		fmt.Fprintf(&b, "calls to plugins per trigger (all nodes):\n")
		for _, k := range keys {
			fmt.Fprintf(&b, "  %-26s %6.2f\n", k, (now[k]-m.pluginCalls[k])/float64(n))
		}
		writes := storeWrites(t, m.nodes)
		keys = keys[:0]
		for k, v := range writes {
			if v > m.storeWrites[k] {
				keys = append(keys, k)
			}
		}
		sort.Slice(keys, func(i, j int) bool {
			return writes[keys[i]]-m.storeWrites[keys[i]] > writes[keys[j]]-m.storeWrites[keys[j]]
		})
		fmt.Fprintf(&b, "store writes per trigger (all nodes):\n")
		for _, k := range keys {
			fmt.Fprintf(&b, "  %-26s %6.2f\n", k, (writes[k]-m.storeWrites[k])/float64(n))
		}
	}
	if dir != "" {
		files, _ := filepath.Glob(filepath.Join(dir, "node*.cpu.pprof"))
		sum := map[string]time.Duration{}
		var total time.Duration
		for _, f := range files {
			by, tot, err := cpuByStage(bin, f)
			if err != nil {
				t.Logf("breakdown: %v", err)
				continue
			}
			for k, v := range by {
				sum[k] += v
			}
			total += tot
		}
		if total > 0 {
			fmt.Fprintf(&b, "wavs CPU by stage (share of the nodes' profiled CPU):\n")
			keys := make([]string, 0, len(sum))
			for k := range sum {
				keys = append(keys, k)
			}
			sort.Slice(keys, func(i, j int) bool { return sum[keys[i]] > sum[keys[j]] })
			for _, k := range keys {
				fmt.Fprintf(&b, "  %-18s %5.1f%%\n", k, 100*float64(sum[k])/float64(total))
			}
		}
		_ = os.WriteFile(filepath.Join(dir, "breakdown.txt"), []byte(b.String()), 0o644)
	}
	t.Log("\n" + b.String())
}
