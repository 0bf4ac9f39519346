package plugins

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/wavs-go/wavs/sdk"
)

// transportAdmission keeps the admission policy the host wants and replays
// it into every new plugin process, and merges the processes' peer claims
// into one channel.
type transportAdmission struct {
	mu     sync.Mutex
	want   *sdk.Admission
	claims chan sdk.PeerClaim
}

func newTransportAdmission() *transportAdmission {
	return &transportAdmission{claims: make(chan sdk.PeerClaim, 256)}
}

// admissionReady replays the admission policy into a new process and
// pumps its claims. A plugin without admission is not an error: the host
// then admits everyone (see Transport.SetAdmission).
func (t *Transport) admissionReady(ctx context.Context, p sdk.Plugin) error {
	a, ok := p.(sdk.AdmissionTransport)
	t.adm.mu.Lock()
	want := t.adm.want
	t.adm.mu.Unlock()
	if !ok {
		return nil
	}
	if want != nil {
		if err := a.SetAdmission(ctx, *want); err != nil {
			if errors.Is(err, sdk.ErrUnimplemented) {
				return nil
			}
			t.sup.log.Warn("re-apply admission", "error", err)
		}
	}
	go func() {
		for ctx.Err() == nil {
			ch, err := a.PeerClaims(ctx)
			if errors.Is(err, sdk.ErrUnimplemented) {
				return
			}
			if err != nil {
				t.sup.log.Warn("open peer claims stream", "error", err)
			}
			for c := range ch {
				select {
				case t.adm.claims <- c:
				case <-ctx.Done():
					return
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(streamRetry):
			}
		}
	}()
	return nil
}

// SetAdmission gives the plugin the admission policy and this node's
// attestations now and after every restart. It returns ErrUnimplemented
// when the plugin does not admit peers (everyone then joins every topic),
// ErrUnavailable while it restarts (the policy is applied when it is
// back).
func (t *Transport) SetAdmission(ctx context.Context, a sdk.Admission) error {
	t.adm.mu.Lock()
	t.adm.want = &a
	t.adm.mu.Unlock()
	p, err := t.sup.Current()
	if err != nil {
		return err
	}
	at, ok := p.(sdk.AdmissionTransport)
	if !ok {
		return sdk.ErrUnimplemented
	}
	return at.SetAdmission(ctx, a)
}

// PeerClaims is every peer claim the plugin verified, across restarts.
func (t *Transport) PeerClaims() <-chan sdk.PeerClaim { return t.adm.claims }

// Admit answers a peer claim.
func (t *Transport) Admit(ctx context.Context, peerID, topic string, ok bool) error {
	p, err := t.sup.Current()
	if err != nil {
		return err
	}
	at, isAdm := p.(sdk.AdmissionTransport)
	if !isAdm {
		return sdk.ErrUnimplemented
	}
	return at.Admit(ctx, peerID, topic, ok)
}
