package service

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestValidateBuiltInCode(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Service)
		want []string
	}{
		{"valid", func(*Service) {}, nil},
		{"no status", func(s *Service) { s.Status = "" }, []string{`status: "": ` + wantStatus}},
		{"no manager", func(s *Service) { s.Manager = Manager{} }, []string{"manager: " + wantManager}},
		{"nil workflows", func(s *Service) { s.Workflows = nil }, []string{"workflows: want at least one workflow"}},
		{"no trigger", func(s *Service) {
			w := s.Workflows["tick"]
			w.Trigger = Trigger{}
			s.Workflows["tick"] = w
		}, []string{"workflows.tick.trigger: " + wantTrigger}},
		{"two triggers", func(s *Service) {
			w := s.Workflows["tick"]
			w.Trigger.BlockInterval = &BlockInterval{Chain: "evm:1", NBlocks: 1}
			s.Workflows["tick"] = w
		}, []string{"workflows.tick.trigger: " + wantTrigger}},
		{"no source", func(s *Service) {
			w := s.Workflows["blocks"]
			w.Component.Source = Source{}
			s.Workflows["blocks"] = w
		}, []string{"workflows.blocks.component.source: " + wantSource}},
		{"bad host policy kind", func(s *Service) {
			w := s.Workflows["blocks"]
			w.Component.Permissions.AllowedHTTPHosts.Kind = 7
			s.Workflows["blocks"] = w
		}, []string{"workflows.blocks.component.permissions.allowed_http_hosts: kind 7: " + wantHostPolicy}},
		{"long name", func(s *Service) { s.Name = strings.Repeat("é", 129) }, []string{
			`name: "` + strings.Repeat("é", 40) + `"… (258 bytes): ` + wantName}},
		{"name at limit", func(s *Service) { s.Name = strings.Repeat("é", 128) }, nil},
		{"sorted by path, numbers by value", func(s *Service) {
			w := s.Workflows["price"]
			w.Component.EnvKeys = nil
			for i := range 11 {
				w.Component.EnvKeys = append(w.Component.EnvKeys, "X"+string(rune('a'+i)))
			}
			s.Workflows["price"] = w
		}, func() []string {
			var out []string
			for i := range 11 {
				out = append(out, "workflows.price.component.env_keys["+strconv.Itoa(i)+`]: "X`+string(rune('a'+i))+`": `+wantEnvKey)
			}
			return out
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := decodeFixture(t, "full.json")
			tt.edit(s)
			if got := errLines(s.Validate()); !slices.Equal(got, tt.want) {
				t.Errorf("Validate:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestValidChainKey(t *testing.T) {
	tests := map[string]bool{
		"evm:1": true, "evm:31337": true, "evm:18446744073709551615": true, "cosmos:neutron-1": true,
		"solana:devnet": true, "dev:A_b-9": true, "evm:0x1": true, "evm:0": true,
		strings.Repeat("a", 32) + ":" + strings.Repeat("Z", 32): true,
		strings.Repeat("a", 33) + ":1":                          false, "evm:" + strings.Repeat("1", 33): false,
		"evm:": false, ":1": false, "EVM:1": false, "evm:+1": false, "evm:1 ": false, "evm:1:2": false,
		"ev_m:1": false, "evm:1.0": false, "": false,
	}
	for key, want := range tests {
		if got := ValidChainKey(key); got != want {
			t.Errorf("ValidChainKey(%q) = %v, want %v", key, got, want)
		}
	}
}

func TestValidWorkflowID(t *testing.T) {
	tests := map[string]bool{
		"a": true, "price_feed-2": true, strings.Repeat("A", 64): true,
		"": false, strings.Repeat("A", 65): false, "a.b": false, "a b": false, "é": false, "a/b": false,
	}
	for id, want := range tests {
		if got := ValidWorkflowID(id); got != want {
			t.Errorf("ValidWorkflowID(%q) = %v, want %v", id, got, want)
		}
	}
}

func TestValidHost(t *testing.T) {
	tests := map[string]bool{
		"api.example.com": true, "localhost": true, "127.0.0.1": true, "::1": true, "API.Example.COM": true,
		"a-b.c": true, "xn--bcher-kva.example": true,
		"": false, "https://a.com": false, "a.com:443": false, "a.com/x": false, "-a.com": false,
		"a-.com": false, "a..com": false, "a.com.": false, "*.a.com": false, "1.2.3": false, "fe80::1%eth0": false,
		"[::1]": false, strings.Repeat("a", 64) + ".com": false,
	}
	for h, want := range tests {
		if got := validHost(h); got != want {
			t.Errorf("validHost(%q) = %v, want %v", h, got, want)
		}
	}
}

func TestHostPolicyAllows(t *testing.T) {
	only := AllowOnlyHosts("api.example.com", "::1", "10.0.0.1")
	tests := []struct {
		p    HostPolicy
		host string
		want bool
	}{
		{AllowAllHosts(), "anything.example", true},
		{AllowNoHosts(), "api.example.com", false},
		{HostPolicy{}, "api.example.com", false},
		{only, "api.example.com", true},
		{only, "API.example.com.", true},
		{only, "example.com", false},
		{only, "evil-api.example.com", false},
		{only, "0:0::1", true},
		{only, "[::1]", true},
		{only, "::ffff:10.0.0.1", true},
		{only, "10.0.0.2", false},
		{only, "", false},
	}
	for _, tt := range tests {
		if got := tt.p.Allows(tt.host); got != tt.want {
			t.Errorf("%+v.Allows(%q) = %v, want %v", tt.p, tt.host, got, tt.want)
		}
	}
}

func TestComparePaths(t *testing.T) {
	in := []string{"b", "a.x[10]", "a.x[2]", "a", "a.x", `a["z z"]`, "a.x[02]", ""}
	want := []string{"", "a", "a.x", "a.x[2]", "a.x[02]", "a.x[10]", `a["z z"]`, "b"}
	slices.SortStableFunc(in, comparePaths)
	if !slices.Equal(in, want) {
		t.Errorf("sorted = %q, want %q", in, want)
	}
}

func TestParseHostPolicy(t *testing.T) {
	for _, tt := range []struct {
		in, want string // want: the policy's String, or "error"
	}{
		{"all", "all"},
		{"none", "none"},
		{"", "none"},
		{"api.example.com", "api.example.com"},
		{"api.example.com, 127.0.0.1,::1", "api.example.com,127.0.0.1,::1"},
		{"api.example.com:443", "error"},
		{"https://api.example.com", "error"},
		{"all,api.example.com", "error"},
		{"a.com,", "error"},
		{"*.a.com", "error"},
	} {
		p, err := ParseHostPolicy(tt.in)
		got := p.String()
		if err != nil {
			got = "error"
			if !strings.Contains(err.Error(), strconv.Quote(tt.in)) {
				t.Errorf("ParseHostPolicy(%q): error %q does not name the value", tt.in, err)
			}
		}
		if got != tt.want {
			t.Errorf("ParseHostPolicy(%q) = %q (%v), want %q", tt.in, got, err, tt.want)
		}
	}
	if p, _ := ParseHostPolicy("API.example.com"); !p.Allows("api.example.com") {
		t.Error("a parsed policy compares names without regard to case")
	}
}
