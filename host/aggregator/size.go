package aggregator

import (
	"errors"
	"fmt"

	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/sdk"
)

// sizeLimited is a Network that knows the largest message its transport
// sends (transport-libp2p's max_message_bytes); 0 when it does not know.
type sizeLimited interface {
	MaxMessageBytes() int
}

// errTooLarge: a signature message is larger than the transport sends.
var errTooLarge = errors.New("message too large for the transport")

// checkSize refuses data the transport would not send. Its error names
// both sizes and what to raise.
func (a *Aggregator) checkSize(data []byte) error {
	l, ok := a.o.Network.(sizeLimited)
	if !ok {
		return nil
	}
	if limit := l.MaxMessageBytes(); limit > 0 && len(data) > limit {
		return fmt.Errorf("%w: the signature message is %d bytes, above the transport's limit of %d (raise max_message_bytes in the transport plugin's config to at least %d on every operator)",
			errTooLarge, len(data), limit, len(data))
	}
	return nil
}

// tooLarge reports whether a publishing error is permanent: the message
// is too large for the host's check, or the transport refused it as an
// invalid argument (as a transport does with a message over its limit).
func tooLarge(err error) bool {
	return errors.Is(err, errTooLarge) || errors.Is(err, sdk.ErrInvalidArgument)
}

// logTooLarge tells, once per event, that its signature is not gossiped:
// peers never see it, and the result lands only if this node's own weight
// meets the quorum (then this node submits it alone).
func logTooLarge(log hclog.Logger, first bool, err error) {
	if first {
		log.Error("signature not gossiped: peers will not see it; the result lands only if this node's weight alone meets the quorum", "error", err)
	}
}
