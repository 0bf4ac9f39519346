package e2e

import (
	"os"
	"strings"
	"testing"
	"time"
)

// TestHostileWAVSComponents: through the node binary, the hostile WAVS
// components (examples/components/wavs/hostile): the sockets importer is
// refused at upload naming the import; the trap, the loop, the memory
// bomb and the table bomb, each registered as a service, are marked failed
// with their cause while square-go keeps running beside them and the node
// stays up.
func TestHostileWAVSComponents(t *testing.T) {
	square := wavsComponent(t, "square-go")
	n := startNode(t, nodeOptions{
		plugins: []string{"transport-none", "trigger-ticker"},
		env:     []string{"WAVS_SIGNING_MNEMONIC=" + testMnemonic},
		config: `[wavs.engine]
max_concurrent = 2
memory_limit_mib = 64
max_consecutive_failures = 3
`,
	})

	sockets, err := os.ReadFile(wavsComponent(t, "hostile-sockets"))
	if err != nil {
		t.Fatal(err)
	}
	var e struct{ Error string }
	if code := n.send("POST", "/components", "", sockets, &e); code != 400 || !strings.Contains(e.Error, "wasi:sockets/tcp@0.2.0") {
		t.Errorf("POST /components (sockets importer): %d %q, want 400 naming wasi:sockets/tcp@0.2.0", code, e.Error)
	}
	t.Logf("sockets importer: %s", e.Error)

	normal := register(t, n, workflowsJSON("normal", "0x000000000000000000000000000000000000c0de",
		map[string]wfSpec{"main": {"@every 1s", uploadFile(t, n, square), 5}}))
	hostile := []struct {
		name      string
		timeLimit int
		cause     string
	}{
		{"trap", 5, "trap"},
		{"loop", 1, "timeout"},
		{"membomb", 30, "out of memory"},
		{"tablebomb", 5, "trap"},
	}
	var cases []hostileCase
	for _, h := range hostile {
		cases = append(cases, hostileCase{h.name, wavsComponent(t, "hostile-"+h.name), h.timeLimit, h.cause})
	}
	registerHostile(t, n, cases)
	select {
	case <-n.done:
		t.Fatalf("the node died: %v", n.err)
	default:
	}
	if before := counterRuns(t, n, normal.ID); !eventually(15*time.Second, func() bool { return counterRuns(t, n, normal.ID) > before+3 }) {
		t.Errorf("square-go stopped beside the hostile components:\n%s", n.log)
	}
	var info hostileInfo
	if n.get("/services/"+normal.ID, &info); info.Status != "active" {
		t.Errorf("square-go's service: %+v", info)
	}
}
