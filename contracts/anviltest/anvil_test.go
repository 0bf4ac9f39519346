package anviltest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/btcutil/hdkeychain"
	"github.com/btcsuite/btcd/chaincfg"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/tyler-smith/go-bip39"
)

// TestDevKeysFromMnemonic checks the hard-coded keys against BIP-44
// derivation from Mnemonic, so that a typo cannot hide in them.
func TestDevKeysFromMnemonic(t *testing.T) {
	master, err := hdkeychain.NewMaster(bip39.NewSeed(Mnemonic, ""), &chaincfg.MainNetParams)
	if err != nil {
		t.Fatal(err)
	}
	base := master
	for _, i := range []uint32{hdkeychain.HardenedKeyStart + 44, hdkeychain.HardenedKeyStart + 60, hdkeychain.HardenedKeyStart, 0} {
		if base, err = base.Derive(i); err != nil {
			t.Fatal(err)
		}
	}
	for i, key := range DevKeys() {
		child, err := base.Derive(uint32(i))
		if err != nil {
			t.Fatal(err)
		}
		priv, err := child.ECPrivKey()
		if err != nil {
			t.Fatal(err)
		}
		want, err := crypto.ToECDSA(priv.Serialize())
		if err != nil {
			t.Fatal(err)
		}
		if !want.Equal(key) {
			t.Errorf("dev key %d is not m/44'/60'/0'/0/%d of the mnemonic", i, i)
		}
	}
}

func TestChain(t *testing.T) {
	c := Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	if !strings.HasPrefix(c.HTTPURL, "http://127.0.0.1:") || !strings.HasPrefix(c.WSURL, "ws://127.0.0.1:") {
		t.Errorf("URLs %s %s: want loopback", c.HTTPURL, c.WSURL)
	}
	id, err := c.Client.ChainID(ctx)
	if err != nil || id.Int64() != ChainID {
		t.Fatalf("chain id %v, %v; want %d", id, err, ChainID)
	}

	// The ten accounts anvil funds are the ten keys here.
	var accounts []common.Address
	if err := c.RPC.CallContext(ctx, &accounts, "eth_accounts"); err != nil {
		t.Fatal(err)
	}
	if len(accounts) != len(c.Accounts) {
		t.Fatalf("anvil has %d accounts, want %d", len(accounts), len(c.Accounts))
	}
	for i := range accounts {
		if accounts[i] != c.Accounts[i] || crypto.PubkeyToAddress(c.Keys[i].PublicKey) != c.Accounts[i] {
			t.Errorf("account %d: anvil %s, here %s", i, accounts[i], c.Accounts[i])
		}
		if bal, err := c.Client.BalanceAt(ctx, c.Accounts[i], nil); err != nil || bal.Sign() <= 0 {
			t.Errorf("account %d balance %v, %v", i, bal, err)
		}
	}

	head, err := c.Client.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Mine(ctx, 3); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Client.BlockNumber(ctx); err != nil || got != head+3 {
		t.Errorf("after Mine(3): head %d, %v; want %d", got, err, head+3)
	}

	// Calls counts what was asked, by method (anvil prints a line as it
	// answers, so the count may trail the answer by a moment).
	before := c.Calls()["eth_accounts"]
	for range 3 {
		if err := c.RPC.CallContext(ctx, &accounts, "eth_accounts"); err != nil {
			t.Fatal(err)
		}
	}
	for deadline := time.Now().Add(5 * time.Second); c.Calls()["eth_accounts"] < before+3 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if got := c.Calls()["eth_accounts"]; got != before+3 || before < 1 {
		t.Errorf("eth_accounts counted %d then %d, want at least 1 then 3 more (%v)", before, got, c.Calls())
	}

	// The WebSocket endpoint answers too.
	ws, err := ethclient.DialContext(ctx, c.WSURL)
	if err != nil {
		t.Fatal(err)
	}
	if id, err := ws.ChainID(ctx); err != nil || id.Int64() != ChainID {
		t.Errorf("ws chain id %v, %v", id, err)
	}
	ws.Close()

	// Close stops the process, and a second Close is harmless.
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.exited:
	default:
		t.Fatal("anvil still running after Close")
	}
	if err := c.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// TestStopResume: a chain stopped as in an outage comes back on the same
// port with its blocks and receipts, and the same clients reach it.
func TestStopResume(t *testing.T) {
	c := StartWithOptions(t, Options{State: filepath.Join(t.TempDir(), "state.json")})
	ctx := t.Context()
	if err := c.Mine(ctx, 4); err != nil {
		t.Fatal(err)
	}
	before, err := c.Client.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	url := c.HTTPURL
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Client.BlockNumber(ctx); err == nil {
		t.Fatal("the chain answers while stopped")
	}
	if err := c.Resume(ctx); err == nil {
		if err := c.Resume(ctx); err == nil {
			t.Error("a second Resume of a running chain succeeded")
		}
	} else {
		t.Fatal(err)
	}
	if c.HTTPURL != url {
		t.Errorf("URL %s after Resume, want %s", c.HTTPURL, url)
	}
	after, err := c.Client.HeaderByNumber(ctx, before.Number)
	if err != nil {
		t.Fatal(err)
	}
	if after.Hash() != before.Hash() {
		t.Errorf("block %v is %s after Resume, was %s", before.Number, after.Hash(), before.Hash())
	}
}

func TestFindAnvilFromEnv(t *testing.T) {
	dir := t.TempDir()
	notExec := filepath.Join(dir, "anvil")
	if err := os.WriteFile(notExec, []byte("#!/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path string
		ok         bool
	}{
		{"missing file", filepath.Join(dir, "nope"), false},
		{"not executable", notExec, false},
		{"a directory", dir, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(EnvAnvil, tc.path)
			_, err := FindAnvil()
			if err == nil {
				t.Fatal("no error")
			}
			// A wrong explicit path is an error to fix, not a reason to skip.
			if errors.Is(err, ErrNotInstalled) || !strings.Contains(err.Error(), EnvAnvil) {
				t.Errorf("error %q: want one naming %s, not ErrNotInstalled", err, EnvAnvil)
			}
		})
	}
	if err := os.Chmod(notExec, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvAnvil, notExec)
	if got, err := FindAnvil(); err != nil || got != notExec {
		t.Errorf("FindAnvil() = %q, %v; want %q", got, err, notExec)
	}
}

func TestRunFailsClearly(t *testing.T) {
	// An executable that exits at once: Run must say so, with its output.
	script := filepath.Join(t.TempDir(), "anvil")
	if err := os.WriteFile(script, []byte("#!/bin/sh\necho broken anvil\nexit 3\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := Run(context.Background(), Options{Binary: script, StartTimeout: 10 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "exited") || !strings.Contains(err.Error(), "broken anvil") {
		t.Errorf("Run with a failing binary: %v", err)
	}
}

func TestTail(t *testing.T) {
	tl := newTail(3)
	if tl.String() != "" {
		t.Errorf("empty tail %q", tl.String())
	}
	for _, l := range []string{"a", "b"} {
		tl.add(l)
	}
	if got := tl.String(); got != "a\nb" {
		t.Errorf("tail %q", got)
	}
	for _, l := range []string{"c", "d", "e"} {
		tl.add(l)
	}
	if got := tl.String(); got != "c\nd\ne" {
		t.Errorf("tail %q, want the last three lines", got)
	}
}
