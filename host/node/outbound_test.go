package node

import (
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/host/config"
	"github.com/wavs-go/wavs/host/service"
)

// Components see chain ids and endpoints, never the credentials in them.
func TestChainsForComponentsHaveNoCredentials(t *testing.T) {
	cfg := config.Default()
	cfg.Default.Chains.EVM = map[string]config.EVMChain{
		"1": {
			HTTPEndpoint: "https://user:pass@eth-mainnet.g.alchemy.com/v2/AbCdEfGhIjKlMnOpQrStUv",
			WSEndpoints:  []string{"wss://mainnet.infura.io/ws/v3/9aa3d95b3bc440fa88ea12eaa4456161?apikey=k3y"},
		},
	}
	n := &Node{cfg: cfg, log: hclog.NewNullLogger()}
	c := n.chains()["evm:1"]
	all := c.HTTPEndpoint + " " + strings.Join(c.WSEndpoints, " ")
	for _, secret := range []string{"user", "pass", "AbCdEfGhIjKlMnOpQrStUv", "9aa3d95b3bc440fa88ea12eaa4456161", "k3y"} {
		if strings.Contains(all, secret) {
			t.Errorf("components see %q in %s", secret, all)
		}
	}
	if c.ChainID != "1" || !strings.HasPrefix(c.HTTPEndpoint, "https://REDACTED@eth-mainnet.g.alchemy.com/v2/") {
		t.Errorf("chain %+v", c)
	}
}

func TestEnvGrantsByManagerOrID(t *testing.T) {
	cfg := config.Default()
	const mgr = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
	cfg.Wavs.ServiceEnv = map[string][]string{
		"evm:31337:" + mgr:       {"WAVS_ENV_A"},
		strings.Repeat("ab", 32): {"WAVS_ENV_B"},
	}
	n := &Node{cfg: cfg, log: hclog.NewNullLogger()}
	a, _ := service.ParseAddress(mgr)
	g := n.envGrants()
	if got := g[service.ServiceID("evm:31337", a)]; len(got) != 1 || got[0] != "WAVS_ENV_A" {
		t.Errorf("by manager: %v", g)
	}
	if got := g[strings.Repeat("ab", 32)]; len(got) != 1 || got[0] != "WAVS_ENV_B" {
		t.Errorf("by id: %v", g)
	}
}
