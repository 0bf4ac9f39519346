package registry

import (
	"fmt"
	"slices"

	"github.com/wavs-go/wavs/host/service"
	"github.com/wavs-go/wavs/sdk"
)

// checkEnvGrants refuses a service whose workflows name a WAVS_ENV_*
// variable the operator has not granted to it: which of the operator's
// secrets a service reads is the operator's decision, not the service
// JSON's.
func (r *Registry) checkEnvGrants(id string, svc *service.Service) error {
	granted := r.o.EnvGrants[id]
	for _, wid := range sortedKeys(svc.Workflows) {
		for i, k := range svc.Workflows[wid].Component.EnvKeys {
			if !slices.Contains(granted, k) {
				return fmt.Errorf("%w: workflows.%s.component.env_keys[%d]: %s is not granted to service %s; the operator grants it in wavs.toml with [wavs] service_env = { %q = [%q] } (granted now: %v)",
					sdk.ErrInvalidArgument, wid, i, k, id, managerKey(svc, id), k, granted)
			}
		}
	}
	return nil
}

// managerKey is how wavs.toml's service_env names svc: by its manager when
// it has one, else by id.
func managerKey(svc *service.Service, id string) string {
	if m := svc.Manager.Evm; m != nil {
		return m.Chain + ":" + m.Address.String()
	}
	return id
}

// grantedEnv is keys less those not granted to the service (a grant
// withdrawn after registration takes effect at the next execution).
func (r *Registry) grantedEnv(id string, keys []string) []string {
	granted := r.o.EnvGrants[id]
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		if slices.Contains(granted, k) {
			out = append(out, k)
		}
	}
	return out
}
