package submit

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/rpc"

	"github.com/wavs-go/wavs/internal/backoff"
	"github.com/wavs-go/wavs/sdk"
)

// Backoff between attempts of one Submit.
const (
	retryMin = 250 * time.Millisecond
	retryMax = 5 * time.Second
)

// transientMessages are what nodes say about failures that may pass.
var transientMessages = []string{
	"connection refused",
	"connection reset",
	"broken pipe",
	"timeout",
	"timed out",
	"eof",
	"nonce too low",
	"replacement transaction underpriced",
	"too many requests",
	"service unavailable",
	"bad gateway",
}

// transient reports whether err may pass if the same step is tried again.
func transient(err error) bool {
	// A revert, a bad configuration and a sent transaction that did not
	// come back in time are final for this Submit, whatever their text.
	if err == nil || errors.Is(err, sdk.ErrInvalidArgument) || errors.Is(err, errNotMined) {
		return false
	}
	if errors.Is(err, sdk.ErrUnavailable) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var he rpc.HTTPError
	if errors.As(err, &he) {
		switch he.StatusCode {
		case 429, 502, 503, 504:
			return true
		}
	}
	msg := strings.ToLower(err.Error())
	for _, m := range transientMessages {
		if strings.Contains(msg, m) {
			return true
		}
	}
	return false
}

// backoffFor is the wait before attempt n (n ≥ 2).
func backoffFor(n int) time.Duration {
	return backoff.Doubling(retryMin, retryMax, n-2)
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
