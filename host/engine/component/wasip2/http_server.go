package wasip2

import (
	"context"
	"errors"

	"github.com/wavs-go/wavs/host/engine/component/cabi"
)

// The server side of wasi:http/types (incoming-request, response-outparam,
// outgoing-response) is bound, because componentize-js components import
// it, but a WAVS component is never handed an incoming request: these
// functions trap, naming themselves.
var errNoServer = errors.New("wasi:http incoming requests and responses are not available to components")

func serverFuncs() map[string]*funcDef {
	trapping := func(params []cabi.Param, results ...*cabi.Type) *funcDef {
		return def(params, results, func(context.Context, *State, []cabi.Value) ([]cabi.Value, error) {
			return nil, errNoServer
		})
	}
	inReq := p("self", cabi.Borrow("incoming-request"))
	outResp := p("self", cabi.Borrow("outgoing-response"))
	optStr := cabi.OptionOf(cabi.String())
	return map[string]*funcDef{
		"[method]incoming-request.method":          trapping([]cabi.Param{inReq}, tMethod),
		"[method]incoming-request.path-with-query": trapping([]cabi.Param{inReq}, optStr),
		"[method]incoming-request.scheme":          trapping([]cabi.Param{inReq}, cabi.OptionOf(tScheme)),
		"[method]incoming-request.authority":       trapping([]cabi.Param{inReq}, optStr),
		"[method]incoming-request.headers":         trapping([]cabi.Param{inReq}, cabi.Own("fields")),
		"[method]incoming-request.consume":         trapping([]cabi.Param{inReq}, cabi.ResultOf(cabi.Own("incoming-body"), nil)),
		"[static]response-outparam.set": trapping([]cabi.Param{
			p("param", cabi.Own("response-outparam")),
			p("response", cabi.ResultOf(cabi.Own("outgoing-response"), tHTTPErrorCode)),
		}),
		"[constructor]outgoing-response":            trapping([]cabi.Param{p("headers", cabi.Own("fields"))}, cabi.Own("outgoing-response")),
		"[method]outgoing-response.status-code":     trapping([]cabi.Param{outResp}, cabi.U16()),
		"[method]outgoing-response.set-status-code": trapping([]cabi.Param{outResp, p("status-code", cabi.U16())}, tUnitResult),
		"[method]outgoing-response.headers":         trapping([]cabi.Param{outResp}, cabi.Own("fields")),
		"[method]outgoing-response.body":            trapping([]cabi.Param{outResp}, cabi.ResultOf(cabi.Own("outgoing-body"), nil)),
	}
}
