// Command cluster runs three operators of one service on this machine
// against a local chain: it starts anvil on 127.0.0.1, deploys the
// contracts with three operators (equal weights, quorum 2/3), publishes
// the service JSON and its component on a local HTTP server, and starts
// three `wavs run` nodes in remote P2P mode from node1.toml, node2.toml and
// node3.toml beside this file (node 1 is the bootstrap node; nodes 2 and 3
// bootstrap from the address node 1 reports on GET /p2p/status). It
// registers the service on every node by its manager address, waits until
// the nodes see each other on the service's topic, fires triggers and
// waits until the handler holds every result: the nodes gossip their
// signatures, two of three reach the quorum and one transaction lands per
// trigger. Then it stops everything it started. `make cluster` builds what
// it needs and runs it.
package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	_ "embed"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/template"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	p2pcrypto "github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/wavs-go/wavs/contracts/anviltest"
	"github.com/wavs-go/wavs/contracts/bindings"
	"github.com/wavs-go/wavs/contracts/deploy"
	"github.com/wavs-go/wavs/examples/internal/devnode"
)

// The configs are the templates: what README.md shows is what runs.
var (
	//go:embed node1.toml
	node1TOML string
	//go:embed node2.toml
	node2TOML string
	//go:embed node3.toml
	node3TOML string
)

// chainKey is anvil's chain in the service JSON and the API.
const chainKey = "evm:31337"

// Anvil dev accounts by role: 0 deploys, 1–3 are the operators, 4 fires
// the triggers, 7–9 pay for nodes 1–3's transactions (one account per node,
// so their nonces never collide).
const (
	deployerAccount = 0
	firstOperator   = 1
	triggerAccount  = 4
	firstPayer      = 7
)

func main() {
	var o options
	flag.StringVar(&o.bin, "bin", "bin", "folder with wavs, plugins/ and components/ (as make builds it)")
	flag.IntVar(&o.triggers, "triggers", 5, "how many triggers to fire; trigger i carries the number i, which the component squares")
	flag.BoolVar(&o.keep, "keep", false, "leave the chain and the nodes running until Ctrl-C")
	flag.DurationVar(&o.timeout, "timeout", 60*time.Second, "how long to wait for the results on chain")
	flag.StringVar(&o.anvil, "anvil", "", "anvil executable (default: the one make installs under tools/)")
	flag.Parse()
	if o.triggers < 1 {
		fmt.Fprintln(os.Stderr, "cluster: --triggers must be at least 1")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "cluster:", err)
		os.Exit(1)
	}
}

type options struct {
	bin      string
	anvil    string
	triggers int
	keep     bool
	timeout  time.Duration
}

func step(format string, args ...any) { fmt.Printf("==> "+format+"\n", args...) }

// operator is one node of the cluster and who it is on chain.
type operator struct {
	n          int // 1, 2, 3
	address    common.Address
	signingKey *ecdsa.PrivateKey
	signer     common.Address
	payer      *ecdsa.PrivateKey
	dir        string // config, data and log
	apiPort    int
	p2pPort    int
	node       *devnode.Node
	peerID     string
}

func run(ctx context.Context, o options) (err error) {
	bin, err := filepath.Abs(o.bin)
	if err != nil {
		return err
	}
	for _, p := range []string{"wavs", "plugins/wavs-plugin-transport-libp2p", "plugins/wavs-plugin-trigger-evm", "plugins/wavs-plugin-submit-evm", "components/evm-square.wasm"} {
		if _, err := os.Stat(filepath.Join(bin, p)); err != nil {
			return fmt.Errorf("%w (make build builds it)", err)
		}
	}
	work, err := os.MkdirTemp("", "wavs-cluster-")
	if err != nil {
		return err
	}
	// The folder holds the nodes' logs: keep it when something went wrong
	// or when asked to.
	defer func() {
		if err == nil && !o.keep {
			os.RemoveAll(work)
		} else {
			fmt.Fprintf(os.Stderr, "cluster: configs, data and logs kept in %s\n", work)
		}
	}()

	// 1. A local chain.
	if o.anvil == "" {
		if o.anvil, err = anviltest.FindAnvil(); err != nil {
			return fmt.Errorf("%w (make anvil installs it)", err)
		}
	}
	startCtx, cancelStart := context.WithTimeout(ctx, time.Minute)
	chain, err := anviltest.Run(startCtx, anviltest.Options{Binary: o.anvil})
	cancelStart()
	if err != nil {
		return fmt.Errorf("start anvil: %w", err)
	}
	defer chain.Close()
	step("anvil on %s (chain 31337)", chain.HTTPURL)

	// 2. Three operators, each with its own signing key (a fresh secp256k1
	// key, given to its node as WAVS_SIGNING_KEY) and its own paying
	// account (WAVS_EVM_CREDENTIAL).
	ops := make([]*operator, 3)
	for i := range ops {
		key, err := crypto.GenerateKey()
		if err != nil {
			return err
		}
		ops[i] = &operator{
			n:          i + 1,
			address:    chain.Accounts[firstOperator+i],
			signingKey: key,
			signer:     crypto.PubkeyToAddress(key.PublicKey),
			payer:      chain.Keys[firstPayer+i],
			dir:        filepath.Join(work, fmt.Sprintf("node%d", i+1)),
		}
	}

	// 3. A local HTTP server publishes the service JSON and the component.
	svc, err := devnode.ServeSquare(bin, "evm-square")
	if err != nil {
		return err
	}
	defer svc.Close()

	// 4. Contracts: three operators of weight 100, quorum 2/3, so any two
	// signatures are enough and one is not.
	opts := deploy.Options{QuorumNumerator: 2, QuorumDenominator: 3, ServiceURI: svc.ServiceURI()}
	for _, op := range ops {
		opts.Operators = append(opts.Operators, deploy.Operator{Address: op.address, SigningKey: op.signer, Weight: big.NewInt(100)})
	}
	deployCtx, cancelDeploy := context.WithTimeout(ctx, time.Minute)
	addrs, err := deploy.DeployAll(deployCtx, chain.Client, chain.Keys[deployerAccount], opts)
	cancelDeploy()
	if err != nil {
		return fmt.Errorf("deploy: %w", err)
	}
	step("deployed trigger %s, service manager %s, handler %s", addrs.SimpleTrigger, addrs.ServiceManager, addrs.ServiceHandler)
	for _, op := range ops {
		step("operator %d: %s, signing key %s, weight 100 of 300 (quorum 2/3)", op.n, op.address, op.signer)
	}
	svc.Publish("cluster-square", chainKey, addrs)
	if err := devnode.MineEverySecond(ctx, chain); err != nil {
		return err
	}
	step("service JSON published at %s (getServiceURI)", svc.ServiceURI())

	// 5. The nodes: one plugins folder with the three plugins they need.
	pluginsDir := filepath.Join(work, "plugins")
	if err := os.MkdirAll(pluginsDir, 0o755); err != nil {
		return err
	}
	for _, p := range []string{"transport-libp2p", "trigger-evm", "submit-evm"} {
		name := "wavs-plugin-" + p
		if err := os.Symlink(filepath.Join(bin, "plugins", name), filepath.Join(pluginsDir, name)); err != nil {
			return err
		}
	}
	defer func() {
		for _, op := range ops {
			if op.node != nil {
				op.node.Stop()
			}
		}
	}()
	// Every node is a bootstrap node of the others (and lists itself,
	// which it skips): none is a single point of failure. That needs the
	// peer ids before any node starts, so each node's libp2p identity is
	// made here, where the plugin keeps it.
	var bootstrap []string
	for _, op := range ops {
		if op.apiPort, err = devnode.FreePort(); err != nil {
			return err
		}
		if op.p2pPort, err = devnode.FreePort(); err != nil {
			return err
		}
		if op.peerID, err = makeIdentity(filepath.Join(op.dir, "data")); err != nil {
			return fmt.Errorf("node %d: %w", op.n, err)
		}
		bootstrap = append(bootstrap, strconv.Quote(fmt.Sprintf("/ip4/127.0.0.1/tcp/%d/p2p/%s", op.p2pPort, op.peerID)))
	}
	for i, op := range ops {
		tmpl := []string{node1TOML, node2TOML, node3TOML}[i]
		if op.node, err = startNode(ctx, bin, pluginsDir, op, tmpl, configValues{
			APIPort: op.apiPort, P2PPort: op.p2pPort, Data: filepath.Join(op.dir, "data"),
			BootstrapNodes: strings.Join(bootstrap, ", "), ChainWS: chain.WSURL, ChainHTTP: chain.HTTPURL,
		}); err != nil {
			return fmt.Errorf("node %d: %w", op.n, err)
		}
		st, err := op.node.API.P2PStatus(ctx)
		if err != nil {
			return fmt.Errorf("node %d: GET /p2p/status: %w", op.n, err)
		}
		if st.LocalPeerID != op.peerID {
			return fmt.Errorf("node %d runs as peer %s, not %s", op.n, st.LocalPeerID, op.peerID)
		}
		step("node %d on %s, peer %s, P2P port %d", op.n, op.node.URL, op.peerID, op.p2pPort)
	}
	step("each node's bootstrap_nodes: [%s]", strings.Join(bootstrap, ", "))

	// 6. Every operator registers the service by its manager address.
	var serviceID string
	for _, op := range ops {
		info, err := op.node.API.AddService(ctx, []byte(fmt.Sprintf(`{"chain": %q, "address": %q}`, chainKey, addrs.ServiceManager.Hex())))
		if err != nil {
			return fmt.Errorf("node %d: register service: %w", op.n, err)
		}
		if !strings.EqualFold(info.SigningAddress, op.signer.Hex()) {
			return fmt.Errorf("node %d signs with %s, but the manager has %s for it: is WAVS_SIGNING_KEY passed?", op.n, info.SigningAddress, op.signer)
		}
		serviceID = info.ID
		step("node %d registered service %s; signs with %s", op.n, info.ID, info.SigningAddress)
	}
	topic := "wavs/" + serviceID + "/topic/v1"

	// 7. Wait for the mesh: each node connected to the two others and
	// seeing them on the service's topic.
	if err := waitMesh(ctx, ops, topic, time.Minute); err != nil {
		return err
	}
	step("the three nodes see each other on %s", topic)

	// 8. Fire the triggers from another account.
	from, err := deploy.NewSender(ctx, chain.Client, chain.Keys[triggerAccount])
	if err != nil {
		return err
	}
	var firstBlock *big.Int
	for i := 1; i <= o.triggers; i++ {
		trig, receipt, err := deploy.AddTrigger(ctx, from, addrs.SimpleTrigger, []byte(strconv.Itoa(i)))
		if err != nil {
			return fmt.Errorf("fire trigger %d: %w", i, err)
		}
		if firstBlock == nil {
			firstBlock = receipt.BlockNumber
		}
		step("trigger %d fired with %d in block %d", trig.TriggerID, i, receipt.BlockNumber.Uint64())
	}

	// 9. Wait until the handler holds every result, then print them.
	results, err := waitResults(ctx, chain, addrs.ServiceHandler, firstBlock, o.triggers, o.timeout, ops)
	if err == nil {
		err = report(ctx, chain, addrs.ServiceHandler, firstBlock, o.triggers, results, ops)
	}
	printStatus(ctx, ops, topic)
	if err != nil && !o.keep {
		return err
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "cluster:", err)
	}
	if o.keep {
		fmt.Println("\nThe cluster keeps running (Ctrl-C stops it):")
		fmt.Printf("  anvil      %s\n", chain.HTTPURL)
		for _, op := range ops {
			fmt.Printf("  node %d     %s  folder %s  log %s\n", op.n, op.node.URL, op.dir, op.node.LogPath)
		}
		fmt.Printf("  try        curl %s/p2p/status\n", ops[0].node.URL)
		fmt.Printf("             curl %s/services/%s/results\n", ops[0].node.URL, serviceID)
		<-ctx.Done()
		step("stopping")
	}
	return err
}

// configValues fill the placeholders of node*.toml.
type configValues struct {
	APIPort, P2PPort int
	Data, ChainWS    string
	ChainHTTP        string
	// BootstrapNodes are the three nodes' addresses, quoted, for a TOML
	// list.
	BootstrapNodes string
}

// makeIdentity writes a new libp2p identity where transport-libp2p keeps
// it in the node's data folder (plugins/transport-libp2p/identity.key)
// and returns its peer id.
func makeIdentity(data string) (string, error) {
	key, _, err := p2pcrypto.GenerateEd25519Key(nil)
	if err != nil {
		return "", err
	}
	raw, err := p2pcrypto.MarshalPrivateKey(key)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(data, "plugins", "transport-libp2p")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "identity.key"), raw, 0o600); err != nil {
		return "", err
	}
	id, err := peer.IDFromPrivateKey(key)
	if err != nil {
		return "", err
	}
	return id.String(), nil
}

// renderConfig fills a node*.toml template.
func renderConfig(tmpl string, v configValues) ([]byte, error) {
	t, err := template.New("wavs.toml").Option("missingkey=error").Parse(tmpl)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := t.Execute(&out, v); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func waitMesh(ctx context.Context, ops []*operator, topic string, d time.Duration) error {
	deadline := time.Now().Add(d)
	for {
		why := ""
		for _, op := range ops {
			st, err := op.node.API.P2PStatus(ctx)
			if err != nil {
				why = fmt.Sprintf("node %d: %v", op.n, err)
				break
			}
			for _, other := range ops {
				if other != op && !slices.Contains(st.PeerIDs, other.peerID) {
					why = fmt.Sprintf("node %d is not connected to node %d", op.n, other.n)
				}
			}
			if n := st.TopicPeerCounts[topic]; why == "" && n != len(ops)-1 {
				why = fmt.Sprintf("node %d sees %d peers on the service topic, want %d", op.n, n, len(ops)-1)
			}
			if why != "" {
				break
			}
		}
		if why == "" {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the nodes did not mesh within %s: %s", d, why)
		}
		if err := sleep(ctx, ops, 250*time.Millisecond); err != nil {
			return err
		}
	}
}

// result is one SignedEnvelopeHandled event of the handler.
type result struct {
	eventID [20]byte
	payload []byte
	block   uint64
	tx      common.Hash
}

// waitResults waits until the handler has handled want envelopes since
// block from, or fails after d.
func waitResults(ctx context.Context, chain *anviltest.Chain, handlerAddr common.Address, from *big.Int, want int, d time.Duration, ops []*operator) ([]result, error) {
	handler := bindings.NewServiceHandler()
	deadline := time.Now().Add(d)
	var got []result
	for {
		logs, err := chain.Client.FilterLogs(ctx, ethereum.FilterQuery{FromBlock: from, Addresses: []common.Address{handlerAddr}})
		if err == nil {
			got = got[:0]
			for _, l := range logs {
				ev, err := handler.UnpackSignedEnvelopeHandledEvent(&l)
				if err != nil {
					continue
				}
				got = append(got, result{eventID: ev.EventId, payload: ev.Payload, block: l.BlockNumber, tx: l.TxHash})
			}
			if len(got) >= want {
				return got, nil
			}
		}
		if time.Now().After(deadline) {
			return got, fmt.Errorf("after %s the handler holds %d of %d results. With quorum 2/3 no node reaches the quorum alone: "+
				"the operators must gossip their signatures over the service topic (multi-operator aggregation). "+
				"GET /services/<id>/results on each node and the logs in the nodes' folders say where the results wait", d, len(got), want)
		}
		if err := sleep(ctx, ops, 250*time.Millisecond); err != nil {
			return got, err
		}
	}
}

// report prints every result with its signers, and the transactions sent
// to the handler.
func report(ctx context.Context, chain *anviltest.Chain, handlerAddr common.Address, from *big.Int, triggers int, results []result, ops []*operator) error {
	parsed, err := bindings.ServiceHandlerMetaData.ParseABI()
	if err != nil {
		return err
	}
	method, ok := parsed.Methods["handleSignedEnvelope"]
	if !ok {
		return errors.New("the handler's ABI has no handleSignedEnvelope")
	}
	byAddress := map[common.Address]int{}
	for _, op := range ops {
		byAddress[op.signer] = op.n
	}
	fmt.Println()
	for _, r := range results {
		signers := "?"
		tx, _, err := chain.Client.TransactionByHash(ctx, r.tx)
		if err == nil && len(tx.Data()) > 4 && bytes.Equal(tx.Data()[:4], method.ID) {
			if vals, err := method.Inputs.Unpack(tx.Data()[4:]); err == nil && len(vals) == 2 {
				sig := *abi.ConvertType(vals[1], new(bindings.ServiceHandlerSignatureData)).(*bindings.ServiceHandlerSignatureData)
				var names []string
				for _, s := range sig.Signers {
					if n, ok := byAddress[s]; ok {
						names = append(names, fmt.Sprintf("operator %d (%s)", n, s))
					} else {
						names = append(names, s.Hex())
					}
				}
				signers = strings.Join(names, ", ")
			}
		}
		fmt.Printf("RESULT event 0x%x: %s, block %d, tx %s\n       signed by %s\n",
			r.eventID, new(big.Int).SetBytes(r.payload), r.block, r.tx.Hex(), signers)
	}

	// Every transaction to the handler since the first trigger: one per
	// result when exactly one operator submits each envelope.
	head, err := chain.Client.BlockNumber(ctx)
	if err != nil {
		return err
	}
	txs := 0
	for n := from.Uint64(); n <= head; n++ {
		block, err := chain.Client.BlockByNumber(ctx, new(big.Int).SetUint64(n))
		if err != nil {
			return fmt.Errorf("read block %d: %w", n, err)
		}
		for _, tx := range block.Transactions() {
			if to := tx.To(); to != nil && *to == handlerAddr {
				txs++
			}
		}
	}
	fmt.Printf("\n%d triggers, %d results, %d transactions\n", triggers, len(results), txs)
	if len(results) != triggers || txs != triggers {
		return fmt.Errorf("want one result and one transaction per trigger: %d triggers, %d results, %d transactions", triggers, len(results), txs)
	}
	return nil
}

// printStatus prints a line per node from GET /p2p/status.
func printStatus(ctx context.Context, ops []*operator, topic string) {
	fmt.Println()
	for _, op := range ops {
		st, err := op.node.API.P2PStatus(ctx)
		if err != nil {
			fmt.Printf("node %d: /p2p/status: %v\n", op.n, err)
			continue
		}
		fmt.Printf("node %d: peer %s, %d connected, %d on the service topic, listening on %s\n",
			op.n, st.LocalPeerID, st.ConnectedPeers, st.TopicPeerCounts[topic], strings.Join(st.ListenAddresses, " "))
	}
}

// sleep waits d, or fails when ctx ends or a node has exited.
func sleep(ctx context.Context, ops []*operator, d time.Duration) error {
	for _, op := range ops {
		select {
		case <-op.node.Exited():
			return fmt.Errorf("node %d exited; its log:\n%s", op.n, op.node.Tail())
		default:
		}
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// startNode writes the node's config from its template and runs it with
// its keys in the environment, until its API answers /health.
func startNode(ctx context.Context, bin, pluginsDir string, op *operator, tmpl string, v configValues) (*devnode.Node, error) {
	cfg, err := renderConfig(tmpl, v)
	if err != nil {
		return nil, err
	}
	return devnode.Start(ctx, devnode.Options{
		Bin: bin, Plugins: pluginsDir, Dir: op.dir, Config: cfg, Port: v.APIPort, Data: v.Data,
		Env: []string{
			"WAVS_SIGNING_KEY=" + hex.EncodeToString(crypto.FromECDSA(op.signingKey)),
			"WAVS_EVM_CREDENTIAL=" + hex.EncodeToString(crypto.FromECDSA(op.payer)),
		},
	})
}
