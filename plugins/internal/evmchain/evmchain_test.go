package evmchain

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/wavs-go/wavs/sdk"
)

func parse(t *testing.T, s string) ([]Chain, error) {
	t.Helper()
	var fam map[string]json.RawMessage
	if err := json.Unmarshal([]byte(s), &fam); err != nil {
		t.Fatal(err)
	}
	return Parse(fam)
}

func TestParse(t *testing.T) {
	got, err := parse(t, `{"cosmos":{"x":1},"evm":{"31337":{"ws_endpoints":["ws://127.0.0.1:8545"],"http_endpoint":"http://127.0.0.1:8545"},"1":{"http_endpoint":"https://rpc.example/?key=s3cret"}}}`)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Key != "evm:1" || got[1].Key != "evm:31337" || got[1].ID.Int64() != 31337 ||
		len(got[1].WSEndpoints) != 1 || got[1].HTTPEndpoint != "http://127.0.0.1:8545" {
		t.Fatalf("Parse = %+v", got)
	}
	if none, err := parse(t, `{}`); err != nil || len(none) != 0 {
		t.Errorf("no evm family: %v, %v", none, err)
	}
}

func TestParseRejects(t *testing.T) {
	cases := map[string]string{
		`{"evm":[]}`: "chains.evm is not an object",
		`{"evm":{"x1":{"http_endpoint":"http://a"}}}`:  "chains.evm.x1: the key is not a decimal chain id",
		`{"evm":{"007":{"http_endpoint":"http://a"}}}`: "chains.evm.007",
		`{"evm":{"1":{}}}`: "chains.evm.1: no endpoint",
		`{"evm":{"1":{"ws_endpoints":["http://a"]}}}`:         "chains.evm.1.ws_endpoints[0]",
		`{"evm":{"1":{"http_endpoint":"ws://a?key=s3cret"}}}`: "chains.evm.1.http_endpoint",
	}
	for in, want := range cases {
		_, err := parse(t, in)
		if !errors.Is(err, sdk.ErrInvalidArgument) || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%s) = %v, want an invalid-argument error containing %q", in, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "s3cret") {
			t.Errorf("error %q shows the URL's secret", err)
		}
	}
}

func TestRedactURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://user:pw@rpc.example/v1?key=abc", "https://REDACTED@rpc.example/v1?key=REDACTED"},
		{"https://eth-mainnet.g.alchemy.com/v2/AbCdEfGhIjKlMnOpQrStUv", "https://eth-mainnet.g.alchemy.com/v2/REDACTED"},
		{"ws://127.0.0.1:8545", "ws://127.0.0.1:8545"},
	}
	for _, tt := range tests {
		if got := RedactURL(tt.in); got != tt.want {
			t.Errorf("RedactURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
