package none_test

import (
	"testing"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/plugins/transport-none/none"
	"github.com/wavs-go/wavs/sdk"
	"github.com/wavs-go/wavs/sdk/plugintest"
)

func TestConformance(t *testing.T) {
	plugintest.TransportSuite(t, func(*testing.T) sdk.Transport {
		return none.New(hclog.NewNullLogger())
	}, plugintest.TransportOptions{})
}

func TestRejectsUnknownOwnKey(t *testing.T) {
	p := plugintest.ConnectTransport(t, none.New(hclog.NewNullLogger()))
	err := p.Configure(t.Context(), sdk.ConfigureRequest{DataDir: t.TempDir(), Config: []byte(`{"plugin":{"peers":3}}`)})
	if err == nil {
		t.Fatal("Configure accepted an unknown key")
	}
	if want := `"peers"`; !contains(err.Error(), want) {
		t.Errorf("error %q does not name the key %s", err, want)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
