package sdk_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/plugintest"
)

// fakeSubmitter serves one chain whose head moves forward on every read.
type fakeSubmitter struct {
	chain string
	head  uint64
}

func (*fakeSubmitter) Info() sdk.Info {
	return sdk.Info{Name: "fake-submit", Version: "0", Kind: sdk.KindSubmit, Capabilities: []string{"chain:evm"}}
}
func (f *fakeSubmitter) Configure(_ context.Context, req sdk.ConfigureRequest) error {
	var own struct{}
	_, err := req.Section("plugin", &own)
	return err
}
func (*fakeSubmitter) Health(context.Context) sdk.Health { return sdk.Health{Healthy: true} }
func (*fakeSubmitter) Shutdown(context.Context) error    { return nil }
func (f *fakeSubmitter) LatestBlock(_ context.Context, chain string) (sdk.BlockRef, error) {
	if chain != f.chain {
		return sdk.BlockRef{}, fmt.Errorf("%w: chain %q", sdk.ErrNotFound, chain)
	}
	f.head++
	return sdk.BlockRef{Number: f.head}, nil
}
func (*fakeSubmitter) ServiceManager(context.Context, string, string) (string, error) {
	return "", sdk.ErrUnimplemented
}
func (*fakeSubmitter) ServiceURI(context.Context, string, string) (string, error) {
	return "", sdk.ErrUnimplemented
}
func (*fakeSubmitter) Quorum(context.Context, sdk.QuorumQuery) (sdk.Quorum, error) {
	return sdk.Quorum{}, sdk.ErrUnimplemented
}
func (*fakeSubmitter) Validate(context.Context, sdk.Submission) (sdk.Validation, error) {
	return sdk.Validation{}, sdk.ErrUnimplemented
}
func (*fakeSubmitter) Submit(context.Context, sdk.Submission) (sdk.Receipt, error) {
	return sdk.Receipt{}, sdk.ErrUnimplemented
}
func (f *fakeSubmitter) FindLanding(_ context.Context, q sdk.LandingQuery) (sdk.Landing, error) {
	if q.Chain != f.chain {
		return sdk.Landing{}, fmt.Errorf("%w: chain %q", sdk.ErrNotFound, q.Chain)
	}
	return sdk.Landing{Reason: "nothing ever lands here", ScannedTo: f.head}, nil
}

func (f *fakeSubmitter) BlockAt(_ context.Context, chain string, n uint64) (sdk.BlockRef, error) {
	if chain != f.chain {
		return sdk.BlockRef{}, fmt.Errorf("%w: chain %q", sdk.ErrNotFound, chain)
	}
	if n > f.head {
		return sdk.BlockRef{}, fmt.Errorf("%w: no block %d yet", sdk.ErrNotFound, n)
	}
	return sdk.BlockRef{Number: n, Hash: sdk.Hash{byte(n)}}, nil
}

// The submit suite itself is exercised against a fake until a real
// submit plugin exists.
func TestSubmitterSuiteOnFake(t *testing.T) {
	plugintest.SubmitterSuite(t, func(*testing.T) sdk.Submitter {
		return &fakeSubmitter{chain: "evm:31337"}
	}, plugintest.SubmitterOptions{Chain: "evm:31337"})
}
