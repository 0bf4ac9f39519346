package contracts_test

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/wavs-go/wavs/contracts"
	"github.com/wavs-go/wavs/contracts/anviltest"
	"github.com/wavs-go/wavs/contracts/bindings"
	"github.com/wavs-go/wavs/contracts/deploy"
)

// vector is one entry of testdata/envelope-signing.json: signatures made as
// a WAVS operator makes them, which a WAVS service manager accepts.
type vector struct {
	Name          string           `json:"name"`
	EventID       hexutil.Bytes    `json:"event_id"`
	Ordering      hexutil.Bytes    `json:"ordering"`
	Payload       hexutil.Bytes    `json:"payload"`
	Encoded       hexutil.Bytes    `json:"abi_encode_envelope"`
	EIP191Digest  hexutil.Bytes    `json:"eip191_digest"`
	SignersSorted []common.Address `json:"signers_sorted"`
	Signatures    []struct {
		Address   common.Address `json:"address"`
		Signature hexutil.Bytes  `json:"signature"`
	} `json:"signatures"`
}

func loadVectors(t *testing.T) map[string]vector {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "envelope-signing.json"))
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Vectors []vector `json:"vectors"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	out := map[string]vector{}
	for _, v := range file.Vectors {
		out[v.Name] = v
	}
	if len(out) != 3 {
		t.Fatalf("%d vectors, want 3", len(out))
	}
	return out
}

func (v vector) envelope() bindings.ServiceManagerEnvelope {
	var e bindings.ServiceManagerEnvelope
	copy(e.EventId[:], v.EventID)
	copy(e.Ordering[:], v.Ordering)
	e.Payload = append([]byte{}, v.Payload...)
	return e
}

// signature is the vector's signature by signer.
func (v vector) signature(t *testing.T, signer common.Address) []byte {
	t.Helper()
	for _, s := range v.Signatures {
		if s.Address == signer {
			return append([]byte{}, s.Signature...)
		}
	}
	t.Fatalf("vector %s has no signature by %s", v.Name, signer)
	return nil
}

// sigData builds SignatureData from the vector's signatures by signers, in
// the order given.
func (v vector) sigData(t *testing.T, ref uint64, signers ...common.Address) bindings.ServiceManagerSignatureData {
	t.Helper()
	d := bindings.ServiceManagerSignatureData{Signers: []common.Address{}, Signatures: [][]byte{}, ReferenceBlock: uint32(ref)}
	for _, s := range signers {
		d.Signers = append(d.Signers, s)
		d.Signatures = append(d.Signatures, v.signature(t, s))
	}
	return d
}

// encodeEnvelope is abi.encode(envelope), taken from the ABI of validate's
// first parameter: one dynamic tuple.
func encodeEnvelope(t *testing.T, e bindings.ServiceManagerEnvelope) []byte {
	t.Helper()
	out, err := bindings.NewServiceManager().GetABI().Methods["validate"].Inputs[:1].Pack(e)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// signEnvelope signs e as an operator does: EIP-191 over
// keccak256(abi.encode(e)), v = 27/28.
func signEnvelope(t *testing.T, key *ecdsa.PrivateKey, e bindings.ServiceManagerEnvelope) []byte {
	t.Helper()
	digest := crypto.Keccak256([]byte("\x19Ethereum Signed Message:\n32"), crypto.Keccak256(encodeEnvelope(t, e)))
	sig, err := crypto.Sign(digest, key)
	if err != nil {
		t.Fatal(err)
	}
	sig[64] += 27
	return sig
}

// fixture is a chain with the three contracts deployed by dev account 0 and
// two operators (dev accounts 5 and 6) whose signing keys are the vectors'
// keys 0 and 1, with weight 1 each, under the default 2/3 quorum.
// chainFixture is what both pairs' fixtures share: a local chain, the
// test's context and the contracts' owner.
type chainFixture struct {
	ctx   context.Context
	chain *anviltest.Chain
	owner *deploy.Sender
}

type fixture struct {
	*chainFixture
	addrs  deploy.Addresses
	sm     *bindings.ServiceManager
	smc    *bind.BoundContract
	sh     *bindings.ServiceHandler
	shc    *bind.BoundContract
	ops    []common.Address // operator addresses
	keys   []common.Address // their signing keys, in the same order
	signer []*ecdsa.PrivateKey
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	chain := anviltest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	f := &fixture{
		chainFixture: &chainFixture{ctx: ctx, chain: chain},
		ops:          []common.Address{chain.Accounts[5], chain.Accounts[6]},
		keys:         []common.Address{chain.Accounts[0], chain.Accounts[1]},
		signer:       []*ecdsa.PrivateKey{chain.Keys[0], chain.Keys[1]},
		sm:           bindings.NewServiceManager(),
		sh:           bindings.NewServiceHandler(),
	}
	var err error
	f.addrs, err = deploy.DeployAll(ctx, chain.Client, chain.Keys[0], deploy.Options{
		Operators: []deploy.Operator{
			{Address: f.ops[0], SigningKey: f.keys[0], Weight: big.NewInt(1)},
			{Address: f.ops[1], SigningKey: f.keys[1], Weight: big.NewInt(1)},
		},
		ServiceURI: "http://127.0.0.1:9/service.json",
	})
	if err != nil {
		t.Fatal(err)
	}
	if f.owner, err = deploy.NewSender(ctx, chain.Client, chain.Keys[0]); err != nil {
		t.Fatal(err)
	}
	f.smc = f.sm.Instance(chain.Client, f.addrs.ServiceManager)
	f.shc = f.sh.Instance(chain.Client, f.addrs.ServiceHandler)
	// Registration is now at least one block in the past.
	f.mine(t)
	return f
}

// mine mines one block and returns the new reference block: head - 1.
func (f *chainFixture) mine(t *testing.T) uint64 {
	t.Helper()
	if err := f.chain.Mine(f.ctx, 1); err != nil {
		t.Fatal(err)
	}
	return f.head(t) - 1
}

func (f *chainFixture) head(t *testing.T) uint64 {
	t.Helper()
	n, err := f.chain.Client.BlockNumber(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// validate calls ServiceManager.validate and returns the decoded custom
// error it reverted with, or nil if it passed.
func (f *fixture) validate(t *testing.T, e bindings.ServiceManagerEnvelope, d bindings.ServiceManagerSignatureData) any {
	t.Helper()
	_, err := f.smc.CallRaw(&bind.CallOpts{Context: f.ctx}, f.sm.PackValidate(e, d))
	return f.revertOf(t, err)
}

// transact sends data to `to` from the owner and waits for it.
func (f *chainFixture) transact(t *testing.T, name string, to common.Address, data []byte) {
	t.Helper()
	tx, err := f.owner.Transact(f.ctx, name, to, data)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.owner.Wait(f.ctx, tx); err != nil {
		t.Fatal(err)
	}
}

// revertOf decodes err's revert data by selector with the bindings' ABIs
// (the manager's first: the handler bubbles its errors up). nil for nil.
func (f *fixture) revertOf(t *testing.T, err error) any {
	t.Helper()
	if err == nil {
		return nil
	}
	data, ok := contracts.RevertData(err)
	if !ok || len(data) < 4 {
		t.Fatalf("not a revert with data: %v", err)
	}
	if v, decErr := f.sm.UnpackError(data); decErr == nil {
		return v
	}
	if v, decErr := f.sh.UnpackError(data); decErr == nil {
		return v
	}
	t.Fatalf("revert %x matches no error of the bindings (%v)", data, err)
	return nil
}

// sameRevert compares decoded errors; uint256 fields by value.
func sameRevert(want, got any) bool {
	if reflect.TypeOf(want) != reflect.TypeOf(got) {
		return false
	}
	wv, gv := reflect.ValueOf(want), reflect.ValueOf(got)
	if wv.Kind() == reflect.Pointer {
		if wv.IsNil() || gv.IsNil() {
			return wv.IsNil() == gv.IsNil()
		}
		wv, gv = wv.Elem(), gv.Elem()
	}
	if wv.Kind() != reflect.Struct {
		return reflect.DeepEqual(want, got)
	}
	for i := range wv.NumField() {
		w, g := wv.Field(i).Interface(), gv.Field(i).Interface()
		if wb, ok := w.(*big.Int); ok {
			if gb, ok := g.(*big.Int); !ok || wb.Cmp(gb) != 0 {
				return false
			}
			continue
		}
		if !reflect.DeepEqual(w, g) {
			return false
		}
	}
	return true
}

func describe(v any) string {
	if v == nil {
		return "no revert"
	}
	b, _ := json.Marshal(v)
	return reflect.TypeOf(v).String() + string(b)
}
