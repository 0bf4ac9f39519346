package submit_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/contracts/anviltest"
	"github.com/wavs-go/wavs/contracts/bindings"
	"github.com/wavs-go/wavs/contracts/deploy"
	"github.com/wavs-go/wavs/plugins/submit-evm/submit"
	"github.com/wavs-go/wavs/sdk"
	sdkenv "github.com/wavs-go/wavs/sdk/envelope"
	"github.com/wavs-go/wavs/sdk/plugintest"
)

// chainKey is the key of anvil's chain.
const chainKey = "evm:31337"

// serviceURI is what the deployed manager answers getServiceURI with.
const serviceURI = "http://127.0.0.1:1/service.json"

// payerIndex is the dev account that pays the plugin's transactions; the
// deployer (dev account 0) sends the rest.
const payerIndex = 5

// fixture is a chain with the WAVS contracts deployed and a configured
// plugin behind a real gRPC connection.
type fixture struct {
	chain *anviltest.Chain
	addrs deploy.Addresses
	// keys sign for ops: keys[i] is the signing key of ops[i].
	keys  []testKey
	ops   []common.Address
	payer common.Address
	p     sdk.Submitter
}

func ctxFor(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// testKey is an operator's envelope-signing key in these tests.
type testKey struct{ priv *secp256k1.PrivateKey }

// Address is the key's signer address.
func (k testKey) Address() [20]byte { return sdkenv.AddressOf(k.priv.PubKey()) }

// SignEnvelope signs env as an operator's node does.
func (k testKey) SignEnvelope(env sdk.Envelope) []byte { return sdkenv.Sign(env, k.priv) }

// serviceKeys returns the test's signing keys of the given indexes: the
// same key for the same index, a different one for another.
func serviceKeys(t *testing.T, indexes ...uint32) []testKey {
	t.Helper()
	keys := make([]testKey, len(indexes))
	for i, idx := range indexes {
		seed := sha256.Sum256(fmt.Appendf(nil, "submit-evm test signing key %d", idx))
		keys[i] = testKey{secp256k1.PrivKeyFromBytes(seed[:])}
	}
	return keys
}

// config is the Configure JSON for one chain id served at endpoint.
func config(chainID uint64, endpoint string, own string) json.RawMessage {
	if own == "" {
		own = `{"receipt_poll_ms":20}`
	}
	return json.RawMessage(fmt.Sprintf(`{"chains":{"evm":{"%d":{"http_endpoint":%q}}},"plugin":%s}`, chainID, endpoint, own))
}

// connect returns a plugin behind gRPC, configured with cfg.
func connect(t *testing.T, cfg json.RawMessage) sdk.Submitter {
	t.Helper()
	p := plugintest.ConnectSubmitter(t, submit.New(hclog.NewNullLogger()))
	if err := p.Configure(ctxFor(t, 10*time.Second), sdk.ConfigureRequest{DataDir: t.TempDir(), Config: cfg}); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	return p
}

// setup starts anvil, deploys the contracts with one operator per weight
// (operator = dev account 3+i, signing key = HD service key 1+i) and
// returns a plugin configured for the chain that pays with dev account
// payerIndex.
func setup(t *testing.T, weights ...int64) *fixture {
	t.Helper()
	return setupWith(t, deploy.Options{}, "", weights...)
}

// setupWith is setup with deploy options (the contract pair, a threshold)
// and the plugin's own config table ("" for the default).
func setupWith(t *testing.T, opts deploy.Options, own string, weights ...int64) *fixture {
	t.Helper()
	ch := anviltest.Start(t)
	f := &fixture{chain: ch, payer: ch.Accounts[payerIndex]}
	opts.ServiceURI = serviceURI
	for i, w := range weights {
		key := serviceKeys(t, uint32(1+i))[0]
		f.keys = append(f.keys, key)
		f.ops = append(f.ops, ch.Accounts[3+i])
		opts.Operators = append(opts.Operators, deploy.Operator{Address: ch.Accounts[3+i], SigningKey: key.Address(), Weight: big.NewInt(w)})
	}
	var err error
	if f.addrs, err = deploy.DeployAll(ctxFor(t, 30*time.Second), ch.Client, ch.Keys[0], opts); err != nil {
		t.Fatal(err)
	}
	t.Setenv(submit.EnvCredential, hex.EncodeToString(crypto.FromECDSA(ch.Keys[payerIndex])))
	f.p = connect(t, config(anviltest.ChainID, ch.HTTPURL, own))
	return f
}

// head returns the chain's head number.
func (f *fixture) head(t *testing.T) uint64 {
	t.Helper()
	n, err := f.chain.Client.BlockNumber(ctxFor(t, 5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// envelope returns an envelope with a random event id.
func envelope(t *testing.T, payload string) sdk.Envelope {
	t.Helper()
	var e sdk.Envelope
	if _, err := rand.Read(e.EventID[:]); err != nil {
		t.Fatal(err)
	}
	e.Payload = []byte(payload)
	return e
}

// submission signs env with keys (sorted as validate wants) with the
// reference block head − 1.
func (f *fixture) submission(t *testing.T, env sdk.Envelope, keys ...testKey) sdk.Submission {
	t.Helper()
	sorted := slices.Clone(keys)
	slices.SortFunc(sorted, func(a, b testKey) int {
		x, y := a.Address(), b.Address()
		return bytes.Compare(x[:], y[:])
	})
	var sd sdk.SignatureData
	var signers [][20]byte
	for _, k := range sorted {
		signers = append(signers, k.Address())
		sd.Signatures = append(sd.Signatures, k.SignEnvelope(env))
	}
	sd.Signers = signerBytes(signers...)
	sd.Scheme, sd.Reference = sdk.SchemeSecp256k1EIP191, f.head(t)-1
	return sdk.Submission{Chain: chainKey, Handler: sdk.Address(f.addrs.ServiceHandler).Hex(), Envelope: env, Signatures: sd}
}

// viewCall runs an eth_call with calldata on to at the latest block.
func (f *fixture) viewCall(t *testing.T, to common.Address, data []byte) []byte {
	t.Helper()
	out, err := f.chain.Client.CallContract(ctxFor(t, 5*time.Second), ethereum.CallMsg{To: &to, Data: data}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// payloadOf reads what the handler stored under an event id.
func (f *fixture) payloadOf(t *testing.T, eventID [20]byte) []byte {
	t.Helper()
	h := bindings.NewServiceHandler()
	out, err := h.UnpackPayloadOf(f.viewCall(t, f.addrs.ServiceHandler, h.PackPayloadOf(eventID)))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// handledCount reads how many envelopes the handler accepted.
func (f *fixture) handledCount(t *testing.T) uint64 {
	t.Helper()
	h := bindings.NewServiceHandler()
	out, err := h.UnpackHandledCount(f.viewCall(t, f.addrs.ServiceHandler, h.PackHandledCount()))
	if err != nil {
		t.Fatal(err)
	}
	return out.Uint64()
}

// payerNonce is the payer's pending nonce.
func (f *fixture) payerNonce(t *testing.T) uint64 {
	t.Helper()
	n, err := f.chain.Client.PendingNonceAt(ctxFor(t, 5*time.Second), f.payer)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// closedPort returns a 127.0.0.1 URL on which nothing listens.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return "http://" + addr
}

// signerBytes lays out signer addresses as the protocol carries them.
func signerBytes(as ...[20]byte) [][]byte {
	out := make([][]byte, len(as))
	for i := range as {
		out[i] = as[i][:]
	}
	return out
}
