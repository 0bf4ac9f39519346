package plugintest_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/big"
	"net"
	"slices"
	"sync"
	"testing"

	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/plugintest"
)

// fakeScheme: a signer is an ed25519 public key, a signature is ed25519
// over sha256(event id || ordering || payload).
const fakeScheme sdk.Scheme = "plugintest-ed25519"

const (
	fakeChainKey = "fake:1"
	fakeHandler  = "handler-1"
	fakeManager  = "manager-1"
)

// submitBugs break a fakeSubmitter on purpose, one way each.
type submitBugs struct {
	quorumStrangerError bool // Quorum fails for a signer that is no operator
	quorumOwnOrder      bool // Quorum answers every operator's weight in its own order
	validateNoVerify    bool // Validate does not check signatures
	validateErrors      bool // a rejected Validate is an error
	landsTwice          bool // Submit lands an envelope that landed already
	noLandingByTx       bool // FindLanding with TxHash never finds it
	operatorSetOff      bool // OperatorSet reports other weights than Quorum
}

type fakeOperator struct {
	key    ed25519.PrivateKey
	signer []byte
	weight int64
}

type fakeTx struct {
	hash    sdk.Hash
	block   uint64
	handler string
	eventID [20]byte
}

// fakeChain is the chain the fake submitters of one suite run share, as
// instances of a real plugin share a node: one manager with three
// operators of weights 1, 2 and 3 and a 2/3 threshold, one handler.
type fakeChain struct {
	mu   sync.Mutex
	head uint64
	txs  []fakeTx
	ops  []fakeOperator
}

func newFakeChain() *fakeChain {
	c := &fakeChain{head: 10}
	for i, w := range []int64{3, 1, 2} {
		seed := sha256.Sum256([]byte{byte(i)})
		key := ed25519.NewKeyFromSeed(seed[:])
		c.ops = append(c.ops, fakeOperator{key: key, signer: key.Public().(ed25519.PublicKey), weight: w})
	}
	return c
}

func blockHash(n uint64) sdk.Hash {
	return sha256.Sum256(binary.BigEndian.AppendUint64([]byte("block"), n))
}

func envelopeDigest(e sdk.Envelope) []byte {
	h := sha256.New()
	h.Write(e.EventID[:])
	h.Write(e.Ordering[:])
	h.Write(e.Payload)
	return h.Sum(nil)
}

// signed signs env with every operator, signers in ascending order.
func (c *fakeChain) signed(_ *testing.T, env sdk.Envelope) sdk.Submission {
	ops := slices.Clone(c.ops)
	slices.SortFunc(ops, func(a, b fakeOperator) int { return bytes.Compare(a.signer, b.signer) })
	sd := sdk.SignatureData{Scheme: fakeScheme}
	for _, op := range ops {
		sd.Signers = append(sd.Signers, op.signer)
		sd.Signatures = append(sd.Signatures, ed25519.Sign(op.key, envelopeDigest(env)))
	}
	return sdk.Submission{Envelope: env, Signatures: sd}
}

func (c *fakeChain) weightOf(signer []byte) int64 {
	for _, op := range c.ops {
		if bytes.Equal(op.signer, signer) {
			return op.weight
		}
	}
	return 0
}

func (c *fakeChain) total() int64 {
	var sum int64
	for _, op := range c.ops {
		sum += op.weight
	}
	return sum
}

// fakeSubmitter is a submit plugin of the "fake" family over a fakeChain.
// Like the trigger fake it listens on its config's port from Configure to
// Shutdown (a metrics endpoint, say).
type fakeSubmitter struct {
	chain *fakeChain
	bugs  submitBugs

	mu sync.Mutex
	ln net.Listener
}

var (
	_ sdk.Submitter         = (*fakeSubmitter)(nil)
	_ sdk.OperatorSetReader = (*fakeSubmitter)(nil)
)

func (f *fakeSubmitter) Info() sdk.Info {
	return sdk.Info{Name: "fake-submit", Version: "1.0.0", Kind: sdk.KindSubmit, Capabilities: []string{"chain:fake"}}
}

func (f *fakeSubmitter) Configure(_ context.Context, req sdk.ConfigureRequest) error {
	var cfg fakeConfig
	if _, err := req.Section("plugin", &cfg); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", cfg.Port))
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	f.mu.Lock()
	f.ln = ln
	f.mu.Unlock()
	return nil
}

func (f *fakeSubmitter) Health(context.Context) sdk.Health { return sdk.Health{Healthy: true} }

func (f *fakeSubmitter) Shutdown(context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.ln == nil {
		return nil
	}
	err := f.ln.Close()
	f.ln = nil
	return err
}

func (f *fakeSubmitter) lock(chain string) error {
	if chain != fakeChainKey {
		return fmt.Errorf("%w: chain %q", sdk.ErrNotFound, chain)
	}
	f.chain.mu.Lock()
	return nil
}

func (f *fakeSubmitter) LatestBlock(_ context.Context, chain string) (sdk.BlockRef, error) {
	if err := f.lock(chain); err != nil {
		return sdk.BlockRef{}, err
	}
	defer f.chain.mu.Unlock()
	return sdk.BlockRef{Number: f.chain.head, Hash: blockHash(f.chain.head)}, nil
}

func (f *fakeSubmitter) BlockAt(_ context.Context, chain string, n uint64) (sdk.BlockRef, error) {
	if err := f.lock(chain); err != nil {
		return sdk.BlockRef{}, err
	}
	defer f.chain.mu.Unlock()
	if n > f.chain.head {
		return sdk.BlockRef{}, fmt.Errorf("%w: no block %d yet", sdk.ErrNotFound, n)
	}
	return sdk.BlockRef{Number: n, Hash: blockHash(n)}, nil
}

func (f *fakeSubmitter) ServiceManager(_ context.Context, chain, handler string) (string, error) {
	if err := f.lock(chain); err != nil {
		return "", err
	}
	defer f.chain.mu.Unlock()
	if handler != fakeHandler {
		return "", fmt.Errorf("%w: no handler %q", sdk.ErrInvalidArgument, handler)
	}
	return fakeManager, nil
}

func (f *fakeSubmitter) ServiceURI(_ context.Context, chain, manager string) (string, error) {
	if err := f.lock(chain); err != nil {
		return "", err
	}
	defer f.chain.mu.Unlock()
	if manager != fakeManager {
		return "", fmt.Errorf("%w: no manager %q", sdk.ErrInvalidArgument, manager)
	}
	return "http://127.0.0.1:1/service.json", nil
}

func (f *fakeSubmitter) Quorum(_ context.Context, q sdk.QuorumQuery) (sdk.Quorum, error) {
	if err := f.lock(q.Chain); err != nil {
		return sdk.Quorum{}, err
	}
	defer f.chain.mu.Unlock()
	if q.Manager != fakeManager {
		return sdk.Quorum{}, fmt.Errorf("%w: no manager %q", sdk.ErrInvalidArgument, q.Manager)
	}
	out := sdk.Quorum{TotalWeight: big.NewInt(f.chain.total()), ThresholdNumerator: 2, ThresholdDenominator: 3}
	if f.bugs.quorumOwnOrder {
		for _, op := range f.chain.ops {
			out.Weights = append(out.Weights, big.NewInt(op.weight))
		}
		return out, nil
	}
	for _, s := range q.Signers {
		w := f.chain.weightOf(s)
		if w == 0 && f.bugs.quorumStrangerError {
			return sdk.Quorum{}, fmt.Errorf("signer %x is not an operator", s)
		}
		out.Weights = append(out.Weights, big.NewInt(w))
	}
	return out, nil
}

// validate is the manager's validate; f.chain.mu must be held.
func (f *fakeSubmitter) validate(s sdk.Submission) sdk.Validation {
	sd := s.Signatures
	if sd.Scheme != fakeScheme {
		return sdk.Validation{Reason: "UnknownScheme()"}
	}
	if len(sd.Signers) == 0 || len(sd.Signers) != len(sd.Signatures) {
		return sdk.Validation{Reason: "InvalidSignatureLength()"}
	}
	var signed int64
	for i, signer := range sd.Signers {
		if i > 0 && bytes.Compare(sd.Signers[i-1], signer) >= 0 {
			return sdk.Validation{Reason: "InvalidSignatureOrder()"}
		}
		w := f.chain.weightOf(signer)
		if w == 0 {
			return sdk.Validation{Reason: "InvalidSigner()"}
		}
		if !f.bugs.validateNoVerify && (len(signer) != ed25519.PublicKeySize || !ed25519.Verify(signer, envelopeDigest(s.Envelope), sd.Signatures[i])) {
			return sdk.Validation{Reason: "InvalidSignature()"}
		}
		signed += w
	}
	if 3*signed < 2*f.chain.total() {
		return sdk.Validation{Reason: fmt.Sprintf("InsufficientQuorum(%d, %d)", signed, f.chain.total())}
	}
	return sdk.Validation{Valid: true}
}

func (f *fakeSubmitter) Validate(_ context.Context, s sdk.Submission) (sdk.Validation, error) {
	if err := f.lock(s.Chain); err != nil {
		return sdk.Validation{}, err
	}
	defer f.chain.mu.Unlock()
	if s.Handler != fakeHandler {
		return sdk.Validation{}, fmt.Errorf("%w: no handler %q", sdk.ErrInvalidArgument, s.Handler)
	}
	v := f.validate(s)
	if !v.Valid && f.bugs.validateErrors {
		return sdk.Validation{}, fmt.Errorf("validate reverted: %s", v.Reason)
	}
	return v, nil
}

func (f *fakeSubmitter) Submit(_ context.Context, s sdk.Submission) (sdk.Receipt, error) {
	if err := f.lock(s.Chain); err != nil {
		return sdk.Receipt{}, err
	}
	defer f.chain.mu.Unlock()
	if s.Handler != fakeHandler {
		return sdk.Receipt{}, fmt.Errorf("%w: no handler %q", sdk.ErrInvalidArgument, s.Handler)
	}
	if v := f.validate(s); !v.Valid {
		return sdk.Receipt{}, fmt.Errorf("reverted: %s", v.Reason)
	}
	if !f.bugs.landsTwice {
		for _, tx := range f.chain.txs {
			if tx.handler == s.Handler && tx.eventID == s.Envelope.EventID {
				return sdk.Receipt{AlreadyHandled: true}, nil
			}
		}
	}
	f.chain.head++
	tx := fakeTx{block: f.chain.head, handler: s.Handler, eventID: s.Envelope.EventID}
	tx.hash = sha256.Sum256(fmt.Appendf(nil, "%d %x %d", tx.block, tx.eventID, len(f.chain.txs)))
	f.chain.txs = append(f.chain.txs, tx)
	return sdk.Receipt{TxHash: tx.hash, BlockNumber: tx.block}, nil
}

func (f *fakeSubmitter) FindLanding(_ context.Context, q sdk.LandingQuery) (sdk.Landing, error) {
	if err := f.lock(q.Chain); err != nil {
		return sdk.Landing{}, err
	}
	defer f.chain.mu.Unlock()
	for _, tx := range f.chain.txs {
		if tx.handler != q.Handler || tx.eventID != q.EventID {
			continue
		}
		byTx := q.TxHash != (sdk.Hash{})
		if (byTx && (tx.hash != q.TxHash || f.bugs.noLandingByTx)) || (!byTx && tx.block < q.FromBlock) {
			continue
		}
		return sdk.Landing{Found: true, TxHash: tx.hash, BlockNumber: tx.block, BlockHash: blockHash(tx.block), Final: true}, nil
	}
	return sdk.Landing{Reason: "no such landing", ScannedTo: f.chain.head}, nil
}

func (f *fakeSubmitter) OperatorSet(_ context.Context, chain, manager string, _ uint64) (sdk.OperatorSet, error) {
	if err := f.lock(chain); err != nil {
		return sdk.OperatorSet{}, err
	}
	defer f.chain.mu.Unlock()
	if manager != fakeManager {
		return sdk.OperatorSet{}, fmt.Errorf("%w: no manager %q", sdk.ErrInvalidArgument, manager)
	}
	set := sdk.OperatorSet{Scheme: fakeScheme, TotalWeight: big.NewInt(f.chain.total()), ThresholdNumerator: 2, ThresholdDenominator: 3}
	for i, op := range f.chain.ops {
		w := op.weight
		if f.bugs.operatorSetOff && i == 0 {
			w++
			set.TotalWeight.Add(set.TotalWeight, big.NewInt(1))
		}
		set.Operators = append(set.Operators, sdk.Operator{Signer: op.signer, Weight: big.NewInt(w)})
	}
	return set, nil
}

// fakeSubmitterOptions are the suite options for the fake over chain.
func fakeSubmitterOptions(chain *fakeChain, config string) plugintest.SubmitterOptions {
	return plugintest.SubmitterOptions{
		Config:  []byte(config),
		Chain:   fakeChainKey,
		Handler: fakeHandler,
		Manager: fakeManager,
		Signed:  chain.signed,
	}
}
