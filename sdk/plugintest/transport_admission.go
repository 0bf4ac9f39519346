package plugintest

import (
	"errors"
	"testing"

	"github.com/wavs-go/wavs/sdk"
)

// admissionSuite checks the optional admission calls (see
// sdk.AdmissionTransport) through gRPC: a transport either answers each
// with ErrUnimplemented, or accepts an open policy without attestations,
// refuses an unknown mode and a malformed peer id, opens a claims stream
// and reports its mode in Status.
func admissionSuite(t *testing.T, ready func(t *testing.T) sdk.Transport) {
	t.Run("AdmissionIsOptional", func(t *testing.T) {
		p := ready(t)
		a, ok := p.(sdk.AdmissionTransport)
		if !ok {
			t.Fatal("the gRPC client does not offer sdk.AdmissionTransport")
		}
		ctx := ctxFor(t)
		err := a.SetAdmission(ctx, sdk.Admission{Mode: sdk.AdmissionOpen})
		if errors.Is(err, sdk.ErrUnimplemented) {
			if _, err := a.PeerClaims(ctx); !errors.Is(err, sdk.ErrUnimplemented) {
				t.Errorf("SetAdmission is unimplemented but PeerClaims = %v", err)
			}
			if err := a.Admit(ctx, "12D3KooWGRUVh5DquV5ZbeAWpAkhEy7TMLGYAXNfP8FiGBMojJLe", "t", true); !errors.Is(err, sdk.ErrUnimplemented) {
				t.Errorf("SetAdmission is unimplemented but Admit = %v", err)
			}
			return
		}
		if err != nil {
			t.Fatalf("SetAdmission(open, no attestations): %v", err)
		}
		if err := a.SetAdmission(ctx, sdk.Admission{Mode: "friends"}); !errors.Is(err, sdk.ErrInvalidArgument) {
			t.Errorf("SetAdmission(mode friends) = %v, want ErrInvalidArgument", err)
		}
		if err := a.Admit(ctx, "not a peer id", "wavs/plugintest/topic/v1", true); !errors.Is(err, sdk.ErrInvalidArgument) {
			t.Errorf("Admit(malformed peer id) = %v, want ErrInvalidArgument", err)
		}
		if _, err := a.PeerClaims(ctx); err != nil {
			t.Errorf("PeerClaims: %v", err)
		}
		st, err := p.Status(ctx)
		if err != nil {
			t.Fatalf("Status: %v", err)
		}
		if st.Admission != sdk.AdmissionOpen {
			t.Errorf("Status.Admission = %q after SetAdmission(open)", st.Admission)
		}
	})
}
