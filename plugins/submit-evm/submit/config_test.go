package submit_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/contracts/anviltest"
	"github.com/wavs-go/wavs/plugins/submit-evm/submit"
	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/plugintest"
)

func configureErr(t *testing.T, cfg string) error {
	t.Helper()
	p := plugintest.ConnectSubmitter(t, submit.New(hclog.NewNullLogger()))
	return p.Configure(ctxFor(t, 5*time.Second), sdk.ConfigureRequest{DataDir: t.TempDir(), Config: json.RawMessage(cfg)})
}

// TestConfigureRejects: bad settings fail Configure with
// sdk.ErrInvalidArgument naming what is wrong.
func TestConfigureRejects(t *testing.T) {
	t.Setenv(submit.EnvCredential, "")
	for _, tc := range []struct{ cfg, want string }{
		{`{"plugin":{"gas_margn_percent":3}}`, `gas_margn_percent`},
		{`{"plugin":{"max_attempts":0}}`, `max_attempts`},
		{`{"plugin":{"gas_margin_percent":-1}}`, `gas_margin_percent`},
		{`{"plugin":{"already_handled_errors":["not a signature"]}}`, `already_handled_errors[0]`},
		// An error that does not name the event cannot prove a landing.
		{`{"plugin":{"already_handled_errors":["EventAlreadyHandled(bytes20)","InvalidLength()"]}}`, `already_handled_errors[1] = "InvalidLength()": the error's first argument must be the event id`},
		{`{"plugin":{"already_handled_errors":["InsufficientQuorum(uint256,uint256,uint256)"]}}`, `already_handled_errors[0]`},
		{`{"chains":{"evm":{"mainnet":{"http_endpoint":"http://127.0.0.1:1"}}}}`, `chains.evm.mainnet`},
		{`{"chains":{"evm":{"1":{}}}}`, `no endpoint`},
		{`{"chains":{"evm":{"1":{"http_endpoint":"ftp://127.0.0.1:1"}}}}`, `ftp://`},
	} {
		err := configureErr(t, tc.cfg)
		if !errors.Is(err, sdk.ErrInvalidArgument) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Configure(%s) = %v, want sdk.ErrInvalidArgument naming %s", tc.cfg, err, tc.want)
		}
	}
	ok := `{"chains":{"evm":{"1":{"ws_endpoints":["ws://127.0.0.1:1"]}},"cosmos":{"x":{}}},` +
		`"plugin":{"gas_margin_percent":0,"confirmations":1,"receipt_timeout_seconds":5,"receipt_poll_ms":50,"max_attempts":2,"already_handled_errors":["0x12345678","Done(bytes20)"]}}`
	if err := configureErr(t, ok); err != nil {
		t.Errorf("Configure(every key): %v", err)
	}
}

// TestBadCredential: a paying key that is not one fails Configure without
// showing it.
func TestBadCredential(t *testing.T) {
	const secret = "0xnot-a-key-but-a-secret"
	t.Setenv(submit.EnvCredential, secret)
	err := configureErr(t, `{}`)
	if !errors.Is(err, sdk.ErrInvalidArgument) || !strings.Contains(err.Error(), submit.EnvCredential) || strings.Contains(err.Error(), "secret") {
		t.Errorf("Configure with a bad key = %v, want sdk.ErrInvalidArgument naming %s without its value", err, submit.EnvCredential)
	}
}

// TestWrongChainID: chain 1 configured at anvil's 31337 endpoint fails calls
// with both ids, and Health says so.
func TestWrongChainID(t *testing.T) {
	t.Setenv(submit.EnvCredential, "") // hermetic: reads need no paying key
	ch := anviltest.Start(t)
	p := connect(t, config(1, ch.HTTPURL, ""))
	ctx := ctxFor(t, 10*time.Second)
	_, err := p.LatestBlock(ctx, "evm:1")
	if err == nil || !strings.Contains(err.Error(), "wrong chain id") || !strings.Contains(err.Error(), "31337") || !strings.Contains(err.Error(), "configured 1") {
		t.Errorf("LatestBlock on the wrong chain = %v, want a wrong chain id error naming 31337 and 1", err)
	}
	if h := p.Health(ctx); h.Healthy || !strings.Contains(h.Message, "evm:1") {
		t.Errorf("Health = %+v, want unhealthy naming evm:1", h)
	}
}

// TestUnreachable: an endpoint where nothing listens does not fail
// Configure; calls fail with sdk.ErrUnavailable naming it and Health is
// unhealthy.
func TestUnreachable(t *testing.T) {
	t.Setenv(submit.EnvCredential, "")
	url := closedPort(t)
	p := connect(t, config(anviltest.ChainID, url, ""))
	ctx := ctxFor(t, 10*time.Second)
	_, err := p.LatestBlock(ctx, chainKey)
	if !errors.Is(err, sdk.ErrUnavailable) || !strings.Contains(err.Error(), url) {
		t.Errorf("LatestBlock = %v, want sdk.ErrUnavailable naming %s", err, url)
	}
	if _, err := p.Quorum(ctx, sdk.QuorumQuery{Chain: chainKey, Manager: sdk.Address{1}.Hex(), Block: 1, Signers: [][]byte{make([]byte, 20)}}); !errors.Is(err, sdk.ErrUnavailable) {
		t.Errorf("Quorum = %v, want sdk.ErrUnavailable", err)
	}
	if h := p.Health(ctx); h.Healthy || !strings.Contains(h.Message, chainKey) || !strings.Contains(h.Message, url) {
		t.Errorf("Health = %+v, want unhealthy naming %s at %s", h, chainKey, url)
	}
	if _, err := p.LatestBlock(ctx, "evm:5"); !errors.Is(err, sdk.ErrNotFound) {
		t.Errorf("LatestBlock(unknown chain) = %v, want sdk.ErrNotFound", err)
	}
}

// TestMissingCredential: without the paying key reads work and Submit
// names the variable.
func TestMissingCredential(t *testing.T) {
	f := setup(t, 1)
	t.Setenv(submit.EnvCredential, "")
	p := connect(t, config(anviltest.ChainID, f.chain.HTTPURL, ""))
	ctx := ctxFor(t, 10*time.Second)
	if _, err := p.LatestBlock(ctx, chainKey); err != nil {
		t.Errorf("LatestBlock without a paying key: %v", err)
	}
	if v, err := p.Validate(ctx, f.submission(t, envelope(t, "x"), f.keys...)); err != nil || !v.Valid {
		t.Errorf("Validate without a paying key = %+v, %v", v, err)
	}
	_, err := p.Submit(ctx, f.submission(t, envelope(t, "x"), f.keys...))
	if err == nil || !strings.Contains(err.Error(), submit.EnvCredential) {
		t.Errorf("Submit without a paying key = %v, want an error naming %s", err, submit.EnvCredential)
	}
}
