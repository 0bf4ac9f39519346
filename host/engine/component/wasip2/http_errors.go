package wasip2

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/url"
	"syscall"

	"github.com/wavs-go/wavs/host/engine/component/cabi"
	"github.com/wavs-go/wavs/internal/netguard"
)

// httpErrorFor maps a net/http failure to the error-code the guest sees;
// its why keeps the host's own message for the log.
func httpErrorFor(ctx context.Context, err error) *httpError {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	why := err.Error()
	var (
		dns   *net.DNSError
		alert tls.AlertError
		rec   tls.RecordHeaderError
		ua    x509.UnknownAuthorityError
		ci    x509.CertificateInvalidError
		hn    x509.HostnameError
		ne    net.Error
	)
	switch {
	case errors.Is(err, netguard.ErrDenied):
		// The host passed the policy but resolves to an address the
		// node refuses (loopback, private, its own API).
		return ecode(ecDestinationIPProhib, nil, why)
	case context.Cause(ctx) == errHeaderTimeout:
		return ecode(ecHTTPResponseTimeout, nil, errHeaderTimeout.Error())
	case ctx.Err() != nil:
		return ecInternal("the execution ended: " + context.Cause(ctx).Error())
	case errors.As(err, &dns):
		if dns.IsTimeout {
			return ecode(ecDNSTimeout, nil, why)
		}
		rcode := cabi.None()
		if dns.IsNotFound {
			rcode = cabi.Some("NXDOMAIN")
		}
		return ecode(ecDNSError, cabi.Fields(rcode, cabi.None()), why)
	case errors.Is(err, syscall.ECONNREFUSED):
		return ecode(ecConnectionRefused, nil, why)
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return ecode(ecConnectionTerminated, nil, why)
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return ecode(ecDestinationNotFound, nil, why)
	case errors.As(err, &alert):
		return ecode(14, cabi.Fields(cabi.Some(uint8(alert)), cabi.Some(alert.Error())), why)
	case errors.As(err, &rec):
		return ecode(ecTLSProtocolError, nil, why)
	case errors.As(err, &ua), errors.As(err, &ci), errors.As(err, &hn):
		return ecode(ecTLSCertificateError, nil, why)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return ecode(ecHTTPResponseIncomp, nil, why)
	case errors.As(err, &ne) && ne.Timeout():
		return ecode(ecConnectionTimeout, nil, why)
	}
	return ecInternal(why)
}
