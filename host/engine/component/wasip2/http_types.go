package wasip2

import (
	"fmt"

	"github.com/wavs-go/wavs/host/engine/component/cabi"
)

// The types of wasi:http/types@0.2.x, written from the WIT of
// WebAssembly/wasi-http (case and field order is the ABI).
var (
	tMethod = cabi.VariantOf(
		cabi.Case{Name: "get"}, cabi.Case{Name: "head"}, cabi.Case{Name: "post"},
		cabi.Case{Name: "put"}, cabi.Case{Name: "delete"}, cabi.Case{Name: "connect"},
		cabi.Case{Name: "options"}, cabi.Case{Name: "trace"}, cabi.Case{Name: "patch"},
		cabi.Case{Name: "other", Type: cabi.String()},
	)
	tScheme = cabi.VariantOf(
		cabi.Case{Name: "HTTP"}, cabi.Case{Name: "HTTPS"},
		cabi.Case{Name: "other", Type: cabi.String()},
	)
	tHeaderError = cabi.VariantOf(
		cabi.Case{Name: "invalid-syntax"}, cabi.Case{Name: "forbidden"}, cabi.Case{Name: "immutable"},
	)
	tDNSErrorPayload = cabi.RecordOf(
		cabi.Field{Name: "rcode", Type: cabi.OptionOf(cabi.String())},
		cabi.Field{Name: "info-code", Type: cabi.OptionOf(cabi.U16())},
	)
	tTLSAlertPayload = cabi.RecordOf(
		cabi.Field{Name: "alert-id", Type: cabi.OptionOf(cabi.U8())},
		cabi.Field{Name: "alert-message", Type: cabi.OptionOf(cabi.String())},
	)
	tFieldSizePayload = cabi.RecordOf(
		cabi.Field{Name: "field-name", Type: cabi.OptionOf(cabi.String())},
		cabi.Field{Name: "field-size", Type: cabi.OptionOf(cabi.U32())},
	)
	tHTTPErrorCode = cabi.VariantOf(httpErrorCases()...)

	tFieldEntry   = cabi.TupleOf(cabi.String(), tU8List)
	tFieldEntries = cabi.ListOf(tFieldEntry)
	tFieldValues  = cabi.ListOf(tU8List)
	tDuration     = cabi.OptionOf(cabi.U64())
	tUnitResult   = cabi.ResultOf(nil, nil)
	tHeaderResult = cabi.ResultOf(nil, tHeaderError)
)

// error-code cases this package returns, by index in the variant.
const (
	ecDNSTimeout            = 0
	ecDNSError              = 1
	ecDestinationNotFound   = 2
	ecDestinationIPProhib   = 4
	ecConnectionRefused     = 6
	ecConnectionTerminated  = 7
	ecConnectionTimeout     = 8
	ecConnectionLimit       = 11
	ecTLSProtocolError      = 12
	ecTLSCertificateError   = 13
	ecHTTPRequestDenied     = 15
	ecHTTPRequestBodySize   = 17
	ecHTTPRequestMethod     = 18
	ecHTTPRequestURIInvalid = 19
	ecHTTPRequestHeaderSect = 21
	ecHTTPResponseIncomp    = 25
	ecHTTPResponseHeaderSec = 26
	ecHTTPResponseBodySize  = 29
	ecHTTPResponseTimeout   = 33
	ecHTTPProtocolError     = 35
	ecInternalError         = 38
)

func httpErrorCases() []cabi.Case {
	u32 := cabi.OptionOf(cabi.U32())
	u64 := cabi.OptionOf(cabi.U64())
	str := cabi.OptionOf(cabi.String())
	c := func(name string, t *cabi.Type) cabi.Case { return cabi.Case{Name: name, Type: t} }
	return []cabi.Case{
		c("DNS-timeout", nil),
		c("DNS-error", tDNSErrorPayload),
		c("destination-not-found", nil),
		c("destination-unavailable", nil),
		c("destination-IP-prohibited", nil),
		c("destination-IP-unroutable", nil),
		c("connection-refused", nil),
		c("connection-terminated", nil),
		c("connection-timeout", nil),
		c("connection-read-timeout", nil),
		c("connection-write-timeout", nil),
		c("connection-limit-reached", nil),
		c("TLS-protocol-error", nil),
		c("TLS-certificate-error", nil),
		c("TLS-alert-received", tTLSAlertPayload),
		c("HTTP-request-denied", nil),
		c("HTTP-request-length-required", nil),
		c("HTTP-request-body-size", u64),
		c("HTTP-request-method-invalid", nil),
		c("HTTP-request-URI-invalid", nil),
		c("HTTP-request-URI-too-long", nil),
		c("HTTP-request-header-section-size", u32),
		c("HTTP-request-header-size", cabi.OptionOf(tFieldSizePayload)),
		c("HTTP-request-trailer-section-size", u32),
		c("HTTP-request-trailer-size", tFieldSizePayload),
		c("HTTP-response-incomplete", nil),
		c("HTTP-response-header-section-size", u32),
		c("HTTP-response-header-size", tFieldSizePayload),
		c("HTTP-response-body-size", u64),
		c("HTTP-response-trailer-section-size", u32),
		c("HTTP-response-trailer-size", tFieldSizePayload),
		c("HTTP-response-transfer-coding", str),
		c("HTTP-response-content-coding", str),
		c("HTTP-response-timeout", nil),
		c("HTTP-upgrade-failed", nil),
		c("HTTP-protocol-error", nil),
		c("loop-detected", nil),
		c("configuration-error", nil),
		c("internal-error", str),
	}
}

// httpError is a wasi:http error-code value with the host's own account
// of it (for the log and for http-error-code's io errors).
type httpError struct {
	v   cabi.Variant
	why string
}

func (e *httpError) Error() string {
	return fmt.Sprintf("%s: %s", tHTTPErrorCode.Cases()[e.v.Case].Name, e.why)
}

func ecode(c uint32, payload cabi.Value, why string) *httpError {
	return &httpError{v: cabi.Variant{Case: c, Value: payload}, why: why}
}

// ecInternal is internal-error(some(why)).
func ecInternal(why string) *httpError {
	return ecode(ecInternalError, cabi.Some(why), why)
}

// Header errors, as header-error values.
var (
	hdrInvalid   = cabi.Err(cabi.Variant{Case: 0})
	hdrForbidden = cabi.Err(cabi.Variant{Case: 1})
	hdrImmutable = cabi.Err(cabi.Variant{Case: 2})
)
