package contracts_test

import (
	"bytes"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/wavs-go/wavs/contracts"
	"github.com/wavs-go/wavs/contracts/bindings"
	"github.com/wavs-go/wavs/contracts/deploy"
)

// TestUpgradeableProxy checks the ERC-1967 slots, the proxy's creation,
// that calls go through to the implementation, that neither the proxy nor
// the implementation can be initialized again, and who may upgrade.
func TestUpgradeableProxy(t *testing.T) {
	t.Parallel()
	f := newWAVSFixture(t, wavsSetup{weights: []int64{1, 2}})
	proxy, impl := f.addrs.ServiceManager, f.addrs.ServiceManagerImplementation
	admin, stranger := f.chain.Accounts[0], f.chain.Accounts[3]
	pm, up := f.pm, bindings.NewUpgradeableProxy()
	opts := &bind.CallOpts{Context: f.ctx}
	slot := func(s common.Hash) common.Address {
		t.Helper()
		b, err := f.chain.Client.StorageAt(f.ctx, proxy, s, nil)
		if err != nil {
			t.Fatal(err)
		}
		return common.BytesToAddress(b)
	}
	if impl == (common.Address{}) || impl == proxy {
		t.Fatalf("implementation %s, proxy %s", impl, proxy)
	}
	if got := slot(deploy.ImplementationSlot); got != impl {
		t.Errorf("implementation slot holds %s, want %s", got, impl)
	}
	if got := slot(deploy.AdminSlot); got != admin {
		t.Errorf("admin slot holds %s, want %s", got, admin)
	}

	// Through the proxy the manager has the proxy's state; the
	// implementation has none and cannot be initialized.
	if o, err := bind.Call(f.pmc, opts, pm.PackOwner(), pm.UnpackOwner); err != nil || o != admin {
		t.Errorf("owner() through the proxy = %s, %v; want %s", o, err, admin)
	}
	implc := pm.Instance(f.chain.Client, impl)
	if o, err := bind.Call(implc, opts, pm.PackOwner(), pm.UnpackOwner); err != nil || o != (common.Address{}) {
		t.Errorf("owner() of the implementation = %s, %v; want zero", o, err)
	}
	for name, to := range map[string]*bind.BoundContract{"proxy": f.pmc, "implementation": implc} {
		_, err := to.CallRaw(&bind.CallOpts{Context: f.ctx, From: stranger}, pm.PackInitialize(stranger, big.NewInt(0), big.NewInt(1), big.NewInt(1)))
		if got := f.revertOf(t, err); !sameRevert(&bindings.PoaServiceManagerInvalidInitialization{}, got) {
			t.Errorf("initialize on the %s: %s, want InvalidInitialization", name, describe(got))
		}
	}
	// Ether is delegated too, and the manager takes none.
	_, err := f.chain.Client.CallContract(f.ctx, ethereum.CallMsg{From: stranger, To: &proxy, Value: big.NewInt(1)}, nil)
	if got := f.revertOf(t, err); !sameRevert(errNoData{}, got) {
		t.Errorf("plain transfer: %s, want a revert without data", describe(got))
	}

	// A stranger's upgradeToAndCall is the manager's business, which has
	// no such function.
	impl2, tx, err := f.owner.Deploy(f.ctx, "deploy PoaServiceManager 2", &bindings.PoaServiceManagerMetaData, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.owner.Wait(f.ctx, tx); err != nil {
		t.Fatal(err)
	}
	upgrade := up.PackUpgradeToAndCall(impl2, pm.PackSetServiceURI("upgraded"))
	_, err = f.pmc.CallRaw(&bind.CallOpts{Context: f.ctx, From: stranger}, upgrade)
	if got := f.revertOf(t, err); !sameRevert(errNoData{}, got) {
		t.Errorf("stranger's upgradeToAndCall: %s, want the manager's revert without data", describe(got))
	}
	forced := f.chain.Transactor(3)
	forced.Context, forced.GasLimit = f.ctx, 300_000
	tx, err = bind.Transact(up.Instance(f.chain.Client, proxy), forced, upgrade)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := bind.WaitMined(f.ctx, f.chain.Client, tx.Hash()); err != nil || r.Status != types.ReceiptStatusFailed {
		t.Errorf("stranger's upgradeToAndCall mined: %+v, %v; want a failed receipt", r, err)
	}
	if got := slot(deploy.ImplementationSlot); got != impl {
		t.Errorf("after a stranger's upgrade the implementation is %s", got)
	}

	// The admin's: not to an account without code, nor with a call that
	// reverts; to a contract, with the call run on the new code.
	for name, c := range map[string]struct {
		data []byte
		want any
	}{
		"to an account without code": {up.PackUpgradeToAndCall(stranger, nil), &bindings.UpgradeableProxyInvalidImplementation{Implementation: stranger}},
		"with a reverting call":      {up.PackUpgradeToAndCall(impl2, pm.PackUpdateQuorum(big.NewInt(2), big.NewInt(1))), &bindings.PoaServiceManagerInvalidQuorum{}},
	} {
		_, err := f.pmc.CallRaw(&bind.CallOpts{Context: f.ctx, From: admin}, c.data)
		if got := f.revertOf(t, err); !sameRevert(c.want, got) {
			t.Errorf("admin upgrade %s: %s, want %s", name, describe(got), describe(c.want))
		}
	}
	tx, err = f.owner.Transact(f.ctx, "upgradeToAndCall", proxy, upgrade)
	if err != nil {
		t.Fatal(err)
	}
	receipts, err := f.owner.Wait(f.ctx, tx)
	if err != nil {
		t.Fatal(err)
	}
	var upgraded []common.Address
	for _, l := range receipts[0].Logs {
		if ev, err := up.UnpackUpgradedEvent(l); err == nil {
			upgraded = append(upgraded, ev.Implementation)
		}
	}
	if len(upgraded) != 1 || upgraded[0] != impl2 {
		t.Errorf("Upgraded events %v, want [%s]", upgraded, impl2)
	}
	if got := slot(deploy.ImplementationSlot); got != impl2 {
		t.Errorf("implementation slot after the upgrade: %s, want %s", got, impl2)
	}
	if uri, err := bind.Call(f.pmc, opts, pm.PackGetServiceURI(), pm.UnpackGetServiceURI); err != nil || uri != "upgraded" {
		t.Errorf("URI set by the upgrade's call: %q, %v", uri, err)
	}
	// The state stayed: operators still validate.
	if w, err := bind.Call(f.pmc, opts, pm.PackGetOperatorWeight(f.ops[1]), pm.UnpackGetOperatorWeight); err != nil || w.Int64() != 2 {
		t.Errorf("weight after the upgrade: %v, %v; want 2", w, err)
	}
	v := loadVectors(t)["empty-payload"]
	if got := f.validate(t, v.wavsEnvelope(), v.wavsSigData(t, f.mine(t), f.keys[1], f.keys[0])); got != nil {
		t.Errorf("validate after the upgrade: %s", describe(got))
	}
}

// TestUpgradeableProxyCreation deploys a proxy by hand: the creation emits
// Upgraded and runs the init data; init data that reverts fails the
// creation with its revert; empty init data leaves the proxy uninitialized.
func TestUpgradeableProxyCreation(t *testing.T) {
	t.Parallel()
	f := newWAVSFixture(t, wavsSetup{})
	impl, admin := f.addrs.ServiceManagerImplementation, f.chain.Accounts[4]
	pm, up := f.pm, bindings.NewUpgradeableProxy()
	opts := &bind.CallOpts{Context: f.ctx}

	init := pm.PackInitialize(f.chain.Accounts[2], big.NewInt(5), big.NewInt(1), big.NewInt(2))
	proxy, tx, err := f.owner.Deploy(f.ctx, "deploy proxy", &bindings.UpgradeableProxyMetaData, up.PackConstructor(impl, admin, init))
	if err != nil {
		t.Fatal(err)
	}
	receipts, err := f.owner.Wait(f.ctx, tx)
	if err != nil {
		t.Fatal(err)
	}
	var upgraded, initialized, quorums int
	for _, l := range receipts[0].Logs {
		if l.Address != proxy {
			t.Errorf("log from %s, want all from the proxy", l.Address)
		}
		if ev, err := up.UnpackUpgradedEvent(l); err == nil && ev.Implementation == impl {
			upgraded++
		}
		if ev, err := pm.UnpackInitializedEvent(l); err == nil && ev.Version == 1 {
			initialized++
		}
		if ev, err := pm.UnpackQuorumThresholdUpdatedEvent(l); err == nil && ev.Numerator.Int64() == 1 && ev.Denominator.Int64() == 2 {
			quorums++
		}
	}
	if upgraded != 1 || initialized != 1 || quorums != 1 {
		t.Errorf("Upgraded %d, Initialized(1) %d, QuorumThresholdUpdated(1, 2) %d: want one each", upgraded, initialized, quorums)
	}
	if o, err := bind.Call(pm.Instance(f.chain.Client, proxy), opts, pm.PackOwner(), pm.UnpackOwner); err != nil || o != f.chain.Accounts[2] {
		t.Errorf("owner() = %s, %v; want the initialized owner", o, err)
	}

	// Init data that reverts: the creation fails with the implementation's error.
	_, _, err = f.owner.Deploy(f.ctx, "deploy proxy, bad init", &bindings.UpgradeableProxyMetaData,
		up.PackConstructor(impl, admin, pm.PackInitialize(common.Address{}, big.NewInt(0), big.NewInt(1), big.NewInt(1))))
	zeroAddress := pm.GetABI().Errors["ZeroAddress"].ID
	if data, ok := contracts.RevertData(err); !ok || !bytes.Equal(data, zeroAddress[:4]) {
		t.Errorf("creation with a reverting initialize: %v, want ZeroAddress()", err)
	}
	// No code at the implementation address.
	_, _, err = f.owner.Deploy(f.ctx, "deploy proxy, no implementation", &bindings.UpgradeableProxyMetaData,
		up.PackConstructor(admin, admin, nil))
	if got := f.revertOf(t, err); !sameRevert(&bindings.UpgradeableProxyInvalidImplementation{Implementation: admin}, got) {
		t.Errorf("creation without an implementation: %s", describe(got))
	}

	// Without init data the proxy is uninitialized: anyone may initialize
	// it, once.
	bare, tx, err := f.owner.Deploy(f.ctx, "deploy bare proxy", &bindings.UpgradeableProxyMetaData, up.PackConstructor(impl, admin, nil))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.owner.Wait(f.ctx, tx); err != nil {
		t.Fatal(err)
	}
	barec := pm.Instance(f.chain.Client, bare)
	if o, err := bind.Call(barec, opts, pm.PackOwner(), pm.UnpackOwner); err != nil || o != (common.Address{}) {
		t.Errorf("owner() of an uninitialized proxy = %s, %v", o, err)
	}
	f.transact(t, "initialize", bare, pm.PackInitialize(f.chain.Accounts[0], big.NewInt(0), big.NewInt(2), big.NewInt(3)))
	_, err = barec.CallRaw(opts, pm.PackInitialize(f.chain.Accounts[0], big.NewInt(0), big.NewInt(2), big.NewInt(3)))
	if got := f.revertOf(t, err); !sameRevert(&bindings.PoaServiceManagerInvalidInitialization{}, got) {
		t.Errorf("second initialize: %s", describe(got))
	}
}
