// Command demo runs the node's main job end to end on a local chain: it
// starts anvil on 127.0.0.1, deploys the contracts (a trigger contract, a
// service manager with this node's operator registered, a service
// handler), publishes the service definition and its component on a local
// HTTP server, starts `wavs run` with the EVM plugins, registers the
// service by its manager address, fires a trigger and waits until the
// handler holds the signed result, which it prints. It stops everything it
// started. `make demo` builds what it needs and runs it.
//
// --contracts picks the contract pair: "repo" (this repository's manager
// and handler, the default) or "wavs" (a POA-style manager showing only
// the WAVS interface, behind a proxy, and a handler like WAVS's example
// that decodes DataWithId payloads and accepts replays).
package main

import (
	"context"
	"encoding/hex"
	"flag"
	"fmt"
	"math/big"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/wavs-go/wavs/contracts/anviltest"
	"github.com/wavs-go/wavs/contracts/bindings"
	"github.com/wavs-go/wavs/contracts/deploy"
	"github.com/wavs-go/wavs/examples/internal/devnode"
	"github.com/wavs-go/wavs/internal/signer"
)

// The public anvil test mnemonic: the node signs the demo service with its
// HD key 1 (the first service's key).
const mnemonic = "test test test test test test test test test test test junk"

func main() {
	bin := flag.String("bin", "bin", "folder with wavs, plugins/ and components/ (as make builds it)")
	number := flag.Int64("number", 7, "the number the trigger carries; the component squares it")
	anvil := flag.String("anvil", "", "anvil executable (default: the one make installs under tools/)")
	pair := flag.String("contracts", string(deploy.PairRepo), `contract pair: "repo" (this repository's) or "wavs" (behaves like upstream WAVS's)`)
	component := flag.String("component", "evm-square", "the component that squares: "+strings.Join(devnode.SquareComponents, ", ")+" (square-go and square-js are WAVS components: WASI 0.2, world wavs:operator)")
	flag.Parse()
	if p := deploy.Pair(*pair); p != deploy.PairRepo && p != deploy.PairWAVS {
		fmt.Fprintf(os.Stderr, "demo: --contracts %q: want %q or %q\n", *pair, deploy.PairRepo, deploy.PairWAVS)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *bin, *anvil, *component, *number, deploy.Pair(*pair)); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func step(format string, args ...any) { fmt.Printf("==> "+format+"\n", args...) }

func run(ctx context.Context, bin, anvilPath, component string, number int64, pair deploy.Pair) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	bin, err := filepath.Abs(bin)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "wavs-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)

	// 1. A local chain.
	if anvilPath == "" {
		if anvilPath, err = anviltest.FindAnvil(); err != nil {
			return fmt.Errorf("%w (make anvil installs it)", err)
		}
	}
	chain, err := anviltest.Run(ctx, anviltest.Options{Binary: anvilPath})
	if err != nil {
		return fmt.Errorf("start anvil: %w", err)
	}
	defer chain.Close()
	step("anvil on %s (chain 31337)", chain.HTTPURL)

	// 2. The operator: its identity is anvil account 1, its signing key
	// the node's first service key.
	sg, err := signer.FromEnv(func(k string) (string, bool) {
		if k == signer.EnvMnemonic {
			return mnemonic, true
		}
		return "", false
	})
	if err != nil {
		return err
	}
	key, err := sg.ForService(1)
	if err != nil {
		return err
	}
	signingKey := common.Address(key.Address())

	// 3. A local HTTP server publishes the service JSON and the component.
	svc, err := devnode.ServeSquare(bin, component)
	if err != nil {
		return err
	}
	defer svc.Close()

	// 4. Contracts.
	addrs, err := deploy.DeployAll(ctx, chain.Client, chain.Keys[0], deploy.Options{
		Pair:              pair,
		Operators:         []deploy.Operator{{Address: chain.Accounts[1], SigningKey: signingKey, Weight: big.NewInt(100)}},
		QuorumNumerator:   2,
		QuorumDenominator: 3,
		ServiceURI:        svc.ServiceURI(),
	})
	if err != nil {
		return fmt.Errorf("deploy: %w", err)
	}
	switch pair {
	case deploy.PairWAVS:
		step("deployed (WAVS-like pair) trigger %s, POA-style service manager %s behind a proxy (implementation %s), example handler %s",
			addrs.SimpleTrigger, addrs.ServiceManager, addrs.ServiceManagerImplementation, addrs.ServiceHandler)
	default:
		step("deployed trigger %s, service manager %s, handler %s", addrs.SimpleTrigger, addrs.ServiceManager, addrs.ServiceHandler)
	}
	step("operator %s registered with signing key %s (weight 100, quorum 2/3)", chain.Accounts[1], signingKey)
	svc.Publish("demo-square", "evm:31337", addrs)
	step("service JSON published at %s (getServiceURI), component %s", svc.ServiceURI(), component)
	if err := devnode.MineEverySecond(ctx, chain); err != nil {
		return err
	}
	step("anvil now mines a block every second, like a live chain (the node acts on a trigger two blocks deep)")

	// 5. The node, with the EVM plugins, on its own data folder.
	node, err := startNode(ctx, bin, work, chain)
	if err != nil {
		return err
	}
	defer node.Stop()
	step("wavs running on %s, log in %s", node.URL, node.LogPath)

	// 6. Register the service by its manager address.
	info, err := node.API.AddService(ctx, []byte(fmt.Sprintf(`{"chain": "evm:31337", "address": %q}`, addrs.ServiceManager.Hex())))
	if err != nil {
		return fmt.Errorf("register service: %w", err)
	}
	step("service %s registered; the node signs it with %s", info.ID, info.SigningAddress)

	// 7. Fire a trigger from another account.
	from, err := deploy.NewSender(ctx, chain.Client, chain.Keys[2])
	if err != nil {
		return err
	}
	trig, receipt, err := deploy.AddTrigger(ctx, from, addrs.SimpleTrigger, []byte(strconv.FormatInt(number, 10)))
	if err != nil {
		return fmt.Errorf("fire trigger: %w", err)
	}
	step("trigger %d fired with %d in block %d", trig.TriggerID, number, receipt.BlockNumber.Uint64())

	// 8. Wait for the result's transaction, then read what the handler
	// holds. The transaction is found from the chain alone: the WAVS-like
	// handler emits no event.
	for {
		tx, env, block, err := findLanding(ctx, chain, addrs.ServiceHandler, receipt.BlockNumber.Uint64())
		if err != nil {
			return err
		}
		if tx != (common.Hash{}) {
			value, err := heldByHandler(ctx, chain, addrs, env)
			if err != nil {
				return err
			}
			step("the handler holds event 0x%x: payload %s = %s, landed in block %d (tx %s)",
				env.EventId, describePayload(addrs.Pair, env.Payload), value, block, tx.Hex())
			fmt.Printf("\nRESULT: %d squared is %s, signed by %s and verified on chain.\n", number, value, info.SigningAddress)
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("no result on chain: %w; node log:\n%s", ctx.Err(), node.Tail())
		case <-node.Exited():
			return fmt.Errorf("wavs exited; node log:\n%s", node.Tail())
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// findLanding looks in the blocks from `from` on for a successful
// handleSignedEnvelope transaction to handler; a zero hash when there is
// none yet.
func findLanding(ctx context.Context, chain *anviltest.Chain, handler common.Address, from uint64) (common.Hash, bindings.ServiceHandlerEnvelope, uint64, error) {
	var env bindings.ServiceHandlerEnvelope
	head, err := chain.Client.BlockNumber(ctx)
	if err != nil {
		return common.Hash{}, env, 0, err
	}
	call := bindings.NewServiceHandler().GetABI().Methods["handleSignedEnvelope"]
	for n := from; n <= head; n++ {
		block, err := chain.Client.BlockByNumber(ctx, new(big.Int).SetUint64(n))
		if err != nil {
			return common.Hash{}, env, 0, err
		}
		for _, tx := range block.Transactions() {
			if tx.To() == nil || *tx.To() != handler || len(tx.Data()) < 4 || string(tx.Data()[:4]) != string(call.ID) {
				continue
			}
			r, err := chain.Client.TransactionReceipt(ctx, tx.Hash())
			if err != nil || r.Status != 1 {
				continue
			}
			args, err := call.Inputs.Unpack(tx.Data()[4:])
			if err != nil {
				continue
			}
			env = *abi.ConvertType(args[0], new(bindings.ServiceHandlerEnvelope)).(*bindings.ServiceHandlerEnvelope)
			return tx.Hash(), env, n, nil
		}
	}
	return common.Hash{}, env, 0, nil
}

// describePayload shows a payload short: the uint256, or the DataWithId's
// fields.
func describePayload(pair deploy.Pair, payload []byte) string {
	short := func(b []byte) string {
		h := hex.EncodeToString(b)
		if len(h) > 12 {
			h = h[:4] + "…" + h[len(h)-4:]
		}
		return "0x" + h
	}
	if pair == deploy.PairWAVS {
		if id, data, err := deploy.DecodeDataWithID(payload); err == nil {
			return fmt.Sprintf("DataWithId{triggerId: %d, data: %s}", id, short(data))
		}
	}
	return short(payload)
}

// heldByHandler reads back from the handler the number the result
// carries: payloadOf(eventId) on this repository's handler, getData of the
// DataWithId's trigger id on the WAVS-like one.
func heldByHandler(ctx context.Context, chain *anviltest.Chain, addrs deploy.Addresses, env bindings.ServiceHandlerEnvelope) (*big.Int, error) {
	view := func(data []byte) ([]byte, error) {
		return chain.Client.CallContract(ctx, ethereum.CallMsg{To: &addrs.ServiceHandler, Data: data}, nil)
	}
	if addrs.Pair == deploy.PairWAVS {
		id, _, err := deploy.DecodeDataWithID(env.Payload)
		if err != nil {
			return nil, fmt.Errorf("the payload is not a DataWithId: %w", err)
		}
		h := bindings.NewExampleHandler()
		out, err := view(h.PackGetData(id))
		if err != nil {
			return nil, fmt.Errorf("read getData(%d): %w", id, err)
		}
		data, err := h.UnpackGetData(out)
		if err != nil {
			return nil, err
		}
		return new(big.Int).SetBytes(data), nil
	}
	h := bindings.NewServiceHandler()
	out, err := view(h.PackPayloadOf(env.EventId))
	if err != nil {
		return nil, fmt.Errorf("read payloadOf: %w", err)
	}
	payload, err := h.UnpackPayloadOf(out)
	if err != nil {
		return nil, err
	}
	return new(big.Int).SetBytes(payload), nil
}

// startNode runs `wavs run` with the EVM plugins on the local chain; the
// operator's mnemonic and the paying key are in its environment only.
func startNode(ctx context.Context, bin, work string, chain *anviltest.Chain) (*devnode.Node, error) {
	port, err := devnode.FreePort()
	if err != nil {
		return nil, err
	}
	// The service JSON is served from this machine: loopback is allowed
	// for outbound fetches, which a node on a real network never needs.
	config := fmt.Sprintf("[wavs]\nhost = \"127.0.0.1\"\nport = %d\ndata = %q\noutbound_allow = [\"127.0.0.0/8\"]\n\n[default.chains.evm.31337]\nws_endpoints = [%q]\nhttp_endpoint = %q\n",
		port, filepath.Join(work, "data"), chain.WSURL, chain.HTTPURL)
	return devnode.Start(ctx, devnode.Options{
		Bin: bin, Plugins: filepath.Join(bin, "plugins"), Dir: work, Config: []byte(config), Port: port, Data: filepath.Join(work, "data"),
		Env: []string{
			signer.EnvMnemonic + "=" + mnemonic,
			// Anvil account 9 pays for the node's transactions.
			"WAVS_EVM_CREDENTIAL=" + hex.EncodeToString(crypto.FromECDSA(chain.Keys[9])),
		},
	})
}
