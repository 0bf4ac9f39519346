// Package anviltest runs a local anvil chain (the npm-installed one pinned in
// tools/package-lock.json) for tests and demos.
//
// The chain listens on 127.0.0.1 only, on a port the kernel picks, with chain
// id 31337, mines every transaction at once, and funds the ten standard dev
// accounts of Mnemonic. Start stops it when the test ends; Run gives the same
// chain to code that is not a test.
//
// Tests skip when anvil is not installed (`make anvil` installs it) unless
// WAVS_REQUIRE_ANVIL=1, which CI sets so that a missing anvil fails the run
// instead of passing it silently.
package anviltest

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
)

// ChainID is the chain id every chain started here has.
const ChainID = 31337

// Mnemonic is the BIP-39 mnemonic of anvil's default dev accounts.
const Mnemonic = "test test test test test test test test test test test junk"

// EnvRequire, set to 1, turns "anvil is not installed" from a skip into a
// test failure.
const EnvRequire = "WAVS_REQUIRE_ANVIL"

// devKeys are the private keys of m/44'/60'/0'/0/i of Mnemonic for i < 10:
// the accounts anvil funds. Public test keys; never use them on a real chain.
var devKeys = [10]string{
	"ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
	"59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
	"5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
	"7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
	"47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
	"8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
	"92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
	"4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
	"dbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
	"2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
}

// DevKeys returns fresh copies of the private keys of the ten dev accounts,
// in anvil's order.
func DevKeys() []*ecdsa.PrivateKey {
	keys := make([]*ecdsa.PrivateKey, len(devKeys))
	for i, h := range devKeys {
		k, err := crypto.HexToECDSA(h)
		if err != nil {
			panic("anviltest: dev key " + h + ": " + err.Error()) // constant input
		}
		keys[i] = k
	}
	return keys
}

// Options change how a chain is started. The zero value is what Start uses.
type Options struct {
	// Binary is the anvil executable; empty means FindAnvil.
	Binary string
	// BlockTime, when positive, mines a block every BlockTime (whole
	// seconds or more, as anvil's --block-time takes) instead of one block
	// per transaction.
	BlockTime time.Duration
	// Args are more anvil flags, e.g. "--hardfork", "prague".
	Args []string
	// StartTimeout bounds the wait for the first answer; 0 means 30 s.
	StartTimeout time.Duration
	// State, if set, is a file anvil loads its state from at start and
	// writes it to when it stops (--state): blocks, receipts and accounts
	// survive Stop and Resume.
	State string
}

// Chain is a running anvil.
type Chain struct {
	// HTTPURL and WSURL reach the chain's JSON-RPC (one port serves both).
	HTTPURL string
	WSURL   string
	// ChainID is ChainID as a *big.Int, for transactors and signers.
	ChainID *big.Int
	// Client is an ethclient over HTTPURL; RPC is its raw client.
	Client *ethclient.Client
	RPC    *rpc.Client
	// Keys and Accounts are the ten funded dev accounts.
	Keys     []*ecdsa.PrivateKey
	Accounts []common.Address

	bin       string
	args      []string // all but --port
	cmd       *exec.Cmd
	exited    chan struct{} // closed when the process has been waited for
	waitErr   error
	logs      *tail
	calls     callCount
	closeOnce sync.Once
	closeErr  error
}

// Start runs anvil for the test and stops it in t.Cleanup. It skips the test
// when anvil is not installed (see EnvRequire) and fails it on any other
// problem.
func Start(t testing.TB) *Chain {
	t.Helper()
	return StartWithOptions(t, Options{})
}

// StartWithOptions is Start with options.
func StartWithOptions(t testing.TB, opts Options) *Chain {
	t.Helper()
	if opts.Binary == "" {
		bin, err := FindAnvil()
		if errors.Is(err, ErrNotInstalled) && os.Getenv(EnvRequire) != "1" {
			t.Skipf("%v (set %s=1 to fail instead)", err, EnvRequire)
		}
		if err != nil {
			t.Fatal(err)
		}
		opts.Binary = bin
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := Run(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("anvil output (last lines):\n%s", c.Logs())
		}
		if err := c.Close(); err != nil {
			t.Errorf("anviltest: stop anvil: %v", err)
		}
	})
	return c
}

// listenRE matches anvil's "Listening on 127.0.0.1:PORT" line.
var listenRE = regexp.MustCompile(`Listening on (127\.0\.0\.1:\d+)`)

// Run starts anvil on 127.0.0.1 with a kernel-chosen port and returns once
// it answers eth_chainId. The caller must Close it. ctx bounds the start
// only, not the chain's life.
func Run(ctx context.Context, opts Options) (*Chain, error) {
	bin := opts.Binary
	if bin == "" {
		var err error
		if bin, err = FindAnvil(); err != nil {
			return nil, err
		}
	}
	timeout := opts.StartTimeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	args := []string{
		"--host", "127.0.0.1",
		"--chain-id", fmt.Sprint(ChainID),
		"--mnemonic", Mnemonic,
		"--accounts", fmt.Sprint(len(devKeys)),
	}
	if opts.BlockTime > 0 {
		secs := max(1, int64(opts.BlockTime.Round(time.Second)/time.Second))
		args = append(args, "--block-time", fmt.Sprint(secs))
	}
	if opts.State != "" {
		args = append(args, "--state", opts.State)
	}
	args = append(args, opts.Args...)

	c := &Chain{bin: bin, args: args, logs: newTail(200)}
	hostPort, err := c.spawn(ctx, "0", timeout)
	if err != nil {
		return nil, err
	}
	c.HTTPURL = "http://" + hostPort
	c.WSURL = "ws://" + hostPort
	c.ChainID = big.NewInt(ChainID)
	c.Keys = DevKeys()
	for _, k := range c.Keys {
		c.Accounts = append(c.Accounts, crypto.PubkeyToAddress(k.PublicKey))
	}
	if err := c.connect(ctx); err != nil {
		_ = c.Close()
		return nil, err
	}
	return c, nil
}

// spawn starts the anvil process on port ("0": one the kernel picks) and
// returns the address it listens on.
func (c *Chain) spawn(ctx context.Context, port string, timeout time.Duration) (string, error) {
	c.exited = make(chan struct{})
	addr := make(chan string, 1)
	out := &lineWriter{onLine: c.outputLine(addr)}

	// Not exec.CommandContext: ctx bounds the start, Close ends the process.
	cmd := exec.Command(c.bin, append([]string{"--port", port}, c.args...)...)
	cmd.SysProcAttr = sysProcAttr()
	// A writer, not StdoutPipe: exec copies the output in its own goroutine
	// and Wait returns only once all of it has been read, so the last lines
	// of an anvil that dies are in Logs.
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("anviltest: start %s: %w", c.bin, err)
	}
	c.cmd = cmd
	exited := c.exited
	go func() {
		c.waitErr = cmd.Wait()
		out.flush()
		close(exited)
	}()
	select {
	case hostPort := <-addr:
		return hostPort, nil
	case <-exited:
		return "", fmt.Errorf("anviltest: anvil exited before listening (%v):\n%s", c.waitErr, c.Logs())
	case <-ctx.Done():
		c.terminate()
		return "", fmt.Errorf("anviltest: anvil did not listen within %v:\n%s", timeout, c.Logs())
	}
}

// Stop ends the anvil process as an outage would, keeping the Chain: with
// Options.State it writes its state on the way out, and Resume starts it
// again on the same port from there. Clients see connection errors
// meanwhile.
func (c *Chain) Stop() error {
	c.terminate()
	return nil
}

// Resume starts anvil again after Stop, on the same port (and, with
// Options.State, from the state it wrote), and returns once it answers.
func (c *Chain) Resume(ctx context.Context) error {
	select {
	case <-c.exited:
	default:
		return errors.New("anviltest: Resume: anvil is running")
	}
	_, port, err := net.SplitHostPort(strings.TrimPrefix(c.HTTPURL, "http://"))
	if err != nil {
		return fmt.Errorf("anviltest: Resume: %w", err)
	}
	const timeout = 30 * time.Second
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if _, err := c.spawn(ctx, port, timeout); err != nil {
		return err
	}
	return c.waitReady(ctx)
}

// terminate ends the process: SIGTERM, then SIGKILL if it has not exited
// within 5 s.
func (c *Chain) terminate() {
	select {
	case <-c.exited:
		return // already gone
	default:
	}
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		c.closeErr = fmt.Errorf("anviltest: SIGTERM: %w", err)
	}
	select {
	case <-c.exited:
		return
	case <-time.After(5 * time.Second):
	}
	if err := c.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		c.closeErr = fmt.Errorf("anviltest: SIGKILL: %w", err)
	}
	<-c.exited
}

// connect dials the RPC and waits until eth_chainId answers ChainID.
func (c *Chain) connect(ctx context.Context) error {
	rc, err := rpc.DialContext(ctx, c.HTTPURL)
	if err != nil {
		return fmt.Errorf("anviltest: dial %s: %w", c.HTTPURL, err)
	}
	c.RPC = rc
	c.Client = ethclient.NewClient(rc)
	return c.waitReady(ctx)
}

// waitReady waits until eth_chainId answers ChainID.
func (c *Chain) waitReady(ctx context.Context) error {
	for {
		id, err := c.Client.ChainID(ctx)
		if err == nil {
			if id.Cmp(c.ChainID) != 0 {
				return fmt.Errorf("anviltest: chain id %v, want %d", id, ChainID)
			}
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("anviltest: eth_chainId at %s: %w (last error %v)", c.HTTPURL, ctx.Err(), err)
		case <-c.exited:
			return fmt.Errorf("anviltest: anvil exited (%v):\n%s", c.waitErr, c.Logs())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// outputLine returns the handler of anvil's output lines: it keeps them for
// Logs and reports the listening address once.
func (c *Chain) outputLine(addr chan<- string) func(string) {
	found := false
	return func(line string) {
		c.logs.add(line)
		c.calls.add(line)
		if !found {
			if m := listenRE.FindStringSubmatch(line); m != nil {
				found = true
				addr <- m[1] // buffered, read at most once
			}
		}
	}
}

// Logs returns anvil's last output lines.
func (c *Chain) Logs() string { return c.logs.String() }

// Close stops anvil: SIGTERM, then SIGKILL if it has not exited within 5 s.
// It is safe to call more than once.
func (c *Chain) Close() error {
	c.closeOnce.Do(func() {
		if c.RPC != nil {
			c.RPC.Close()
		}
		c.terminate()
	})
	return c.closeErr
}

// Transactor returns transaction options signing with dev key i.
func (c *Chain) Transactor(i int) *bind.TransactOpts {
	return bind.NewKeyedTransactor(c.Keys[i], c.ChainID)
}

// Mine mines n empty blocks at once (anvil_mine).
func (c *Chain) Mine(ctx context.Context, n int) error {
	if err := c.RPC.CallContext(ctx, nil, "anvil_mine", hexutil.Uint64(n)); err != nil {
		return fmt.Errorf("anviltest: anvil_mine %d: %w", n, err)
	}
	return nil
}

// lineWriter splits what is written to it into lines. exec calls Write
// from one goroutine at a time (Stdout and Stderr are the same writer);
// flush runs after the last Write.
type lineWriter struct {
	partial []byte
	onLine  func(string)
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.partial = append(w.partial, p...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			break
		}
		w.onLine(strings.TrimRight(string(w.partial[:i]), "\r"))
		w.partial = w.partial[i+1:]
	}
	// Bound a line that never ends.
	if len(w.partial) > 64<<10 {
		w.onLine(string(w.partial))
		w.partial = nil
	}
	return len(p), nil
}

func (w *lineWriter) flush() {
	if len(w.partial) > 0 {
		w.onLine(string(w.partial))
		w.partial = nil
	}
}

// tail keeps the last n lines written to it.
type tail struct {
	mu    sync.Mutex
	lines []string
	next  int
	full  bool
}

func newTail(n int) *tail { return &tail{lines: make([]string, n)} }

func (t *tail) add(line string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lines[t.next] = line
	t.next = (t.next + 1) % len(t.lines)
	if t.next == 0 {
		t.full = true
	}
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var ordered []string
	if t.full {
		ordered = append(ordered, t.lines[t.next:]...)
	}
	ordered = append(ordered, t.lines[:t.next]...)
	return strings.Join(ordered, "\n")
}

// callCount counts the JSON-RPC calls anvil served, by method: anvil
// prints each call's method name on a line of its own.
type callCount struct {
	mu sync.Mutex
	n  map[string]int
}

// rpcMethodRE matches a line that is a JSON-RPC method name.
var rpcMethodRE = regexp.MustCompile(`^(eth|net|web3|anvil|evm|debug|trace|txpool|ots)_[A-Za-z0-9]+$`)

func (c *callCount) add(line string) {
	if !rpcMethodRE.MatchString(line) {
		return
	}
	c.mu.Lock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[line]++
	c.mu.Unlock()
}

// Calls returns how many JSON-RPC calls of each method anvil has served
// so far (a copy): the difference of two readings is what a stretch of a
// test asked of the chain.
func (c *Chain) Calls() map[string]int {
	c.calls.mu.Lock()
	defer c.calls.mu.Unlock()
	out := make(map[string]int, len(c.calls.n))
	for k, v := range c.calls.n {
		out[k] = v
	}
	return out
}

// PID is the anvil process's id (for measuring its CPU time).
func (c *Chain) PID() int {
	if c.cmd == nil || c.cmd.Process == nil {
		return 0
	}
	return c.cmd.Process.Pid
}
