// Package devnode runs `wavs run` processes for the example programs
// (make demo, make cluster): a config written into the node's folder,
// secrets in its environment only, and a wait until its API is healthy.
package devnode

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/wavs-go/wavs/api"
	"github.com/wavs-go/wavs/contracts/anviltest"
	"github.com/wavs-go/wavs/internal/apitoken"
)

// Options describe one node.
type Options struct {
	// Bin is the folder with the wavs executable; Plugins the plugins
	// folder it loads.
	Bin, Plugins string
	// Dir is the node's folder: wavs.toml and wavs.log are written there,
	// and it is the node's HOME.
	Dir string
	// Config is the wavs.toml content; Port the API port it sets (on
	// 127.0.0.1).
	Config []byte
	Port   int
	// Data is the node's data folder (as its config sets it), where the
	// node keeps the API token it makes on its first start.
	Data string
	// Env is added to PATH and HOME: the node's keys, as VAR=value.
	Env []string
}

// Node is a running wavs process.
type Node struct {
	URL     string
	LogPath string
	// Token is the node's API bearer token, read from its data folder
	// once it answers; API calls the node with it.
	Token  string
	API    *api.Client
	cmd    *exec.Cmd
	exited chan struct{}
}

// Start runs the node and returns once GET /health answers 200 (within a
// minute), or with its log's end when it exits first.
func Start(ctx context.Context, o Options) (*Node, error) {
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return nil, err
	}
	cfgPath := filepath.Join(o.Dir, "wavs.toml")
	if err := os.WriteFile(cfgPath, o.Config, 0o600); err != nil {
		return nil, err
	}
	logPath := filepath.Join(o.Dir, "wavs.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(filepath.Join(o.Bin, "wavs"), "run", "--plugins", o.Plugins, "--config", cfgPath)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + o.Dir}, o.Env...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, err
	}
	n := &Node{URL: fmt.Sprintf("http://127.0.0.1:%d", o.Port), LogPath: logPath, cmd: cmd, exited: make(chan struct{})}
	go func() { cmd.Wait(); logFile.Close(); close(n.exited) }()
	deadline := time.Now().Add(time.Minute)
	for {
		resp, err := http.Get(n.URL + "/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				tok, err := apitoken.Read(o.Data)
				if err != nil {
					n.Stop()
					return nil, fmt.Errorf("the node's API token: %w", err)
				}
				n.Token = tok
				if n.API, err = api.NewClient(n.URL, tok); err != nil {
					n.Stop()
					return nil, err
				}
				n.API.HTTP = &http.Client{Timeout: time.Minute}
				return n, nil
			}
		}
		select {
		case <-n.exited:
			return nil, fmt.Errorf("wavs exited while starting:\n%s", n.Tail())
		case <-ctx.Done():
			n.Stop()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			n.Stop()
			return nil, fmt.Errorf("wavs not healthy within a minute:\n%s", n.Tail())
		}
	}
}

// Exited is closed when the process has exited.
func (n *Node) Exited() <-chan struct{} { return n.exited }

// Stop sends SIGTERM and waits for the node to exit (SIGKILL after 15 s).
func (n *Node) Stop() {
	select {
	case <-n.exited:
		return
	default:
	}
	_ = n.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-n.exited:
	case <-time.After(15 * time.Second):
		_ = n.cmd.Process.Kill()
		<-n.exited
	}
}

// Tail is the end of the node's log.
func (n *Node) Tail() string {
	b, _ := os.ReadFile(n.LogPath)
	if len(b) > 8000 {
		b = b[len(b)-8000:]
	}
	return string(b)
}

// FreePort returns a port on 127.0.0.1 that was free a moment ago.
func FreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// MineEverySecond switches a local anvil from mining a block per
// transaction to a block every second, as a live chain makes them: the
// node acts on a trigger once two blocks are on top of it (trigger-evm's
// default confirmations), which a chain that mines only on demand would
// never give it.
func MineEverySecond(ctx context.Context, chain *anviltest.Chain) error {
	if err := chain.RPC.CallContext(ctx, nil, "evm_setIntervalMining", 1); err != nil {
		return fmt.Errorf("evm_setIntervalMining: %w", err)
	}
	return nil
}
