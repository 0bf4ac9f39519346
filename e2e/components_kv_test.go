package e2e

import (
	"fmt"
	"math/big"
	"regexp"
	"syscall"
	"testing"
	"time"
)

var (
	// square-go's log lines: "...: <n>^2 = <square>, event ..." and
	// "square-go: kv square last/<workflow> was <hex>|unset".
	squareLine = regexp.MustCompile(`: \d+\^2 = (\d+), event`)
	kvWasLine  = regexp.MustCompile(`kv square last/main was ([0-9a-f]{64}|unset)`)
)

// TestWAVSComponentKVSurvivesRestart: the value a WAVS component (square-go)
// writes to wasi:keyvalue before the node restarts is what it reads after:
// the first run after the restart logs, as the key's previous value, one of
// the squares computed before it.
func TestWAVSComponentKVSurvivesRestart(t *testing.T) {
	square := wavsComponent(t, "square-go")
	opts := nodeOptions{
		data:    t.TempDir(),
		plugins: []string{"transport-none", "trigger-ticker"},
		env:     []string{"WAVS_SIGNING_MNEMONIC=" + testMnemonic},
	}
	n := startNode(t, opts)
	register(t, n, workflowsJSON("kv", "0x000000000000000000000000000000000000c0de",
		map[string]wfSpec{"main": {"@every 1s", uploadFile(t, n, square), 5}}))
	if !eventually(30*time.Second, func() bool { return len(squareLine.FindAllString(n.log.String(), -1)) >= 2 }) {
		t.Fatalf("square-go did not run twice:\n%s", n.log)
	}
	n.signal(syscall.SIGTERM)
	if err := n.wait(30 * time.Second); err != nil {
		t.Fatalf("wavs exit: %v", err)
	}
	before := map[string]bool{}
	for _, m := range squareLine.FindAllStringSubmatch(n.log.String(), -1) {
		sq, _ := new(big.Int).SetString(m[1], 10)
		before[fmt.Sprintf("%064x", sq)] = true
	}

	n = startNode(t, opts)
	var was string
	if !eventually(30*time.Second, func() bool {
		m := kvWasLine.FindStringSubmatch(n.log.String())
		if m != nil {
			was = m[1]
		}
		return m != nil
	}) {
		t.Fatalf("square-go did not run after the restart:\n%s", n.log)
	}
	if !before[was] {
		t.Fatalf("after the restart last/main was %s, want one of the squares before it %v", was, before)
	}
	t.Logf("after the restart square-go read last/main = %s, written before it", was)
}
