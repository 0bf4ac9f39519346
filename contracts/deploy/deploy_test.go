package deploy_test

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"

	"github.com/wavs-go/wavs/contracts"
	"github.com/wavs-go/wavs/contracts/anviltest"
	"github.com/wavs-go/wavs/contracts/bindings"
	"github.com/wavs-go/wavs/contracts/deploy"
)

func addr(b byte) common.Address { return common.Address{19: b} }

func TestOptionsValidate(t *testing.T) {
	one := big.NewInt(1)
	op := func(a, k byte, w *big.Int) deploy.Operator {
		return deploy.Operator{Address: addr(a), SigningKey: addr(k), Weight: w}
	}
	huge := new(big.Int).Lsh(big.NewInt(1), 127)
	cases := []struct {
		name string
		o    deploy.Options
		want string // substring of the error; empty for valid
	}{
		{"empty", deploy.Options{}, ""},
		{"two operators, 3/4", deploy.Options{Operators: []deploy.Operator{op(1, 2, one), op(3, 4, one)}, QuorumNumerator: 3, QuorumDenominator: 4}, ""},
		{"operator is its own key", deploy.Options{Operators: []deploy.Operator{op(1, 1, one)}}, ""},
		{"zero operator", deploy.Options{Operators: []deploy.Operator{op(0, 2, one)}}, "operators[0].Address"},
		{"zero key", deploy.Options{Operators: []deploy.Operator{op(1, 0, one)}}, "operators[0].SigningKey"},
		{"nil weight", deploy.Options{Operators: []deploy.Operator{op(1, 2, nil)}}, "operators[0].Weight"},
		{"zero weight", deploy.Options{Operators: []deploy.Operator{op(1, 2, big.NewInt(0))}}, "operators[0].Weight"},
		{"negative weight", deploy.Options{Operators: []deploy.Operator{op(1, 2, big.NewInt(-1))}}, "operators[0].Weight"},
		{"duplicate operator", deploy.Options{Operators: []deploy.Operator{op(1, 2, one), op(1, 3, one)}}, "operators[1].Address"},
		{"shared key", deploy.Options{Operators: []deploy.Operator{op(1, 2, one), op(3, 2, one)}}, "operators[1].SigningKey"},
		{"total above 2^128-1", deploy.Options{Operators: []deploy.Operator{op(1, 2, huge), op(3, 4, huge)}}, "total weight"},
		{"numerator only", deploy.Options{QuorumNumerator: 1}, "quorum 1/0"},
		{"denominator only", deploy.Options{QuorumDenominator: 3}, "quorum 0/3"},
		{"above one", deploy.Options{QuorumNumerator: 4, QuorumDenominator: 3}, "quorum 4/3"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.o.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("error %v, want one about %q", err, tc.want)
			}
		})
	}
}

// TestDeployAll deploys and configures on a chain that mines a block every
// second, the way a real chain would: several transactions in flight at
// once, each waited for.
func TestDeployAll(t *testing.T) {
	t.Parallel()
	chain := anviltest.StartWithOptions(t, anviltest.Options{BlockTime: time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	ops := []deploy.Operator{
		{Address: chain.Accounts[5], SigningKey: chain.Accounts[1], Weight: big.NewInt(3)},
		{Address: chain.Accounts[6], SigningKey: chain.Accounts[2], Weight: big.NewInt(4)},
		{Address: chain.Accounts[7], SigningKey: chain.Accounts[3], Weight: big.NewInt(5)},
	}
	const uri = "http://127.0.0.1:9/service.json"
	addrs, err := deploy.DeployAll(ctx, chain.Client, chain.Keys[0], deploy.Options{
		Operators: ops, QuorumNumerator: 3, QuorumDenominator: 4, ServiceURI: uri,
	})
	if err != nil {
		t.Fatal(err)
	}
	if addrs.ServiceManager == addrs.ServiceHandler || addrs.ServiceHandler == addrs.SimpleTrigger {
		t.Fatalf("addresses %+v", addrs)
	}

	sm, sh := bindings.NewServiceManager(), bindings.NewServiceHandler()
	smc, shc := sm.Instance(chain.Client, addrs.ServiceManager), sh.Instance(chain.Client, addrs.ServiceHandler)
	opts := &bind.CallOpts{Context: ctx}
	check := func(what string, got, want any) {
		t.Helper()
		if g, w := toString(got), toString(want); g != w {
			t.Errorf("%s = %s, want %s", what, g, w)
		}
	}
	mgr, err := bind.Call(shc, opts, sh.PackGetServiceManager(), sh.UnpackGetServiceManager)
	check("handler.getServiceManager()", mgr, addrs.ServiceManager)
	owner, err2 := bind.Call(smc, opts, sm.PackOwner(), sm.UnpackOwner)
	check("owner()", owner, chain.Accounts[0])
	total, err3 := bind.Call(smc, opts, sm.PackGetTotalWeight(), sm.UnpackGetTotalWeight)
	check("getTotalWeight()", total, big.NewInt(12))
	num, err4 := bind.Call(smc, opts, sm.PackQuorumNumerator(), sm.UnpackQuorumNumerator)
	den, err5 := bind.Call(smc, opts, sm.PackQuorumDenominator(), sm.UnpackQuorumDenominator)
	check("quorum", toString(num)+"/"+toString(den), "3/4")
	threshold, err6 := bind.Call(smc, opts, sm.PackGetThresholdWeight(), sm.UnpackGetThresholdWeight)
	check("getThresholdWeight()", threshold, big.NewInt(9)) // ceil(12 * 3/4)
	gotURI, err7 := bind.Call(smc, opts, sm.PackGetServiceURI(), sm.UnpackGetServiceURI)
	check("getServiceURI()", gotURI, uri)
	list, err8 := bind.Call(smc, opts, sm.PackGetOperators(), sm.UnpackGetOperators)
	check("len(getOperators())", len(list), len(ops))
	if err := errors.Join(err, err2, err3, err4, err5, err6, err7, err8); err != nil {
		t.Fatal(err)
	}
	for i, op := range ops {
		w, err := bind.Call(smc, opts, sm.PackGetOperatorWeight(op.Address), sm.UnpackGetOperatorWeight)
		check("weight of operator "+toString(i), w, op.Weight)
		o, err2 := bind.Call(smc, opts, sm.PackGetLatestOperatorForSigningKey(op.SigningKey), sm.UnpackGetLatestOperatorForSigningKey)
		check("operator of key "+toString(i), o, op.Address)
		k, err3 := bind.Call(smc, opts, sm.PackGetLatestOperatorSigningKey(op.Address), sm.UnpackGetLatestOperatorSigningKey)
		check("key of operator "+toString(i), k, op.SigningKey)
		if err := errors.Join(err, err2, err3); err != nil {
			t.Fatal(err)
		}
	}
}

// TestSenderErrors: a reverting call fails at estimation with the decoded
// revert in the error, and the Sender goes on with the right nonce.
func TestSenderErrors(t *testing.T) {
	t.Parallel()
	chain := anviltest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := deploy.NewSender(ctx, chain.Client, chain.Keys[0])
	if err != nil {
		t.Fatal(err)
	}
	addrs, err := deploy.Deploy(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	sm := bindings.NewServiceManager()

	// Deploy left the quorum at its default.
	num, err := bind.Call(sm.Instance(chain.Client, addrs.ServiceManager), &bind.CallOpts{Context: ctx}, sm.PackQuorumNumerator(), sm.UnpackQuorumNumerator)
	if err != nil || num.Int64() != 2 {
		t.Errorf("default quorum numerator %v, %v; want 2", num, err)
	}

	_, err = s.Transact(ctx, "bad quorum", addrs.ServiceManager, sm.PackSetQuorum(big.NewInt(5), big.NewInt(4)))
	if err == nil || !strings.Contains(err.Error(), "bad quorum") || !strings.Contains(err.Error(), "ServiceManager.InvalidQuorum(5, 4)") {
		t.Fatalf("error %v: want it to name the call and the decoded revert", err)
	}
	if data, ok := contracts.RevertData(err); !ok || len(data) < 4 {
		t.Errorf("revert data lost in the error chain: %v", err)
	}
	tx, err := s.Transact(ctx, "good quorum", addrs.ServiceManager, sm.PackSetQuorum(big.NewInt(1), big.NewInt(2)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Wait(ctx, tx); err != nil {
		t.Fatal(err)
	}

	// Configure refuses bad options before sending anything.
	err = deploy.Configure(ctx, s, addrs.ServiceManager, deploy.Options{QuorumNumerator: 2})
	if err == nil || !strings.Contains(err.Error(), "quorum 2/0") {
		t.Errorf("Configure with a bad quorum: %v", err)
	}
}

func toString(v any) string {
	switch x := v.(type) {
	case *big.Int:
		return x.String()
	case common.Address:
		return x.Hex()
	case int:
		return big.NewInt(int64(x)).String()
	case string:
		return x
	default:
		return "?"
	}
}
