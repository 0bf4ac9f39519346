package registry

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/sdk"
)

// A service reads only the WAVS_ENV_* variables wavs.toml grants it; its
// JSON asking for another is refused at registration.
func TestEnvGrants(t *testing.T) {
	raw, err := os.ReadFile("../service/testdata/full.json")
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	id := svc.ID()
	tests := []struct {
		name   string
		grants map[string][]string
		ok     bool
	}{
		{"no grants", nil, false},
		{"granted to another service", map[string][]string{strings.Repeat("0", 64): {"WAVS_ENV_API_KEY"}}, false},
		{"another variable granted", map[string][]string{id: {"WAVS_ENV_OTHER"}}, false},
		{"granted", map[string][]string{id: {"WAVS_ENV_OTHER", "WAVS_ENV_API_KEY"}}, true},
	}
	for _, tt := range tests {
		r := &Registry{o: Options{EnvGrants: tt.grants}}
		err := r.checkEnvGrants(id, svc)
		if (err == nil) != tt.ok {
			t.Errorf("%s: %v", tt.name, err)
		}
		if err != nil && (!errors.Is(err, sdk.ErrInvalidArgument) || !strings.Contains(err.Error(), "env_keys[0]: WAVS_ENV_API_KEY is not granted")) {
			t.Errorf("%s: error %q", tt.name, err)
		}
	}
	r := &Registry{o: Options{EnvGrants: map[string][]string{id: {"WAVS_ENV_A"}}}}
	if got := r.grantedEnv(id, []string{"WAVS_ENV_A", "WAVS_ENV_B"}); !slices.Equal(got, []string{"WAVS_ENV_A"}) {
		t.Errorf("grantedEnv = %v", got)
	}
	if got := r.grantedEnv("other", []string{"WAVS_ENV_A"}); len(got) != 0 {
		t.Errorf("grantedEnv of another service = %v", got)
	}
}
