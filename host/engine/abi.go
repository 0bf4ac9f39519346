package engine

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/wavs-go/wavs/sdk/component/abi"
)

// ABIVersion is the version of the Component ABI this engine speaks; it is
// the "abi" field of every input.
const ABIVersion = abi.Version

// Chain is what a component learns about one chain the node knows.
type Chain = abi.Chain

// Response is one result of an execution.
type Response struct {
	Payload []byte
	// EventIDSalt is the component's salt for the event id, nil if it gave
	// none (the node then uses Trigger.WAVSTriggerData, as WAVS does).
	EventIDSalt []byte
	// Ordering is a WAVS component's wasm-response.ordering; the envelope
	// carries it as WAVS does (service.Ordering), zero when nil.
	Ordering *uint64
}

// encodeInput is the stdin of an execution of r.
func encodeInput(r *Request) ([]byte, error) {
	trig, err := r.Trigger.wire()
	if err != nil {
		return nil, fmt.Errorf("encode input: %w", err)
	}
	in := abi.Input{
		ABI:        ABIVersion,
		ServiceID:  r.ServiceID,
		WorkflowID: r.WorkflowID,
		Trigger:    trig,
		Config:     r.Config,
		Chains:     make(map[string]abi.Chain, len(r.Chains)),
	}
	if in.Config == nil {
		in.Config = map[string]string{}
	}
	for k, c := range r.Chains {
		ws := c.WSEndpoints
		if ws == nil {
			ws = []string{}
		}
		c.WSEndpoints = ws
		in.Chains[k] = c
	}
	b, err := json.Marshal(in)
	if err != nil {
		return nil, fmt.Errorf("encode input: %w", err)
	}
	return b, nil
}

// errComponent is what a component reported as its error in its output.
type errComponent struct{ msg string }

func (e errComponent) Error() string { return e.msg }

// decodeOutput decodes a component's stdout. It returns the responses, or
// an errComponent when the component reported an error, or another error
// when the output is not ABI v1.
func decodeOutput(b []byte) ([]Response, error) {
	if len(b) == 0 {
		return nil, errors.New("the component wrote no output")
	}
	var out abi.Output
	if err := decodeStrict(b, &out); err != nil {
		return nil, fmt.Errorf("output is not ABI v1 JSON: %w", err)
	}
	switch {
	case out.Error != nil && out.Responses != nil:
		return nil, errors.New(`output has both "responses" and "error"`)
	case out.Error != nil:
		msg := *out.Error
		if msg == "" {
			msg = "(empty error message)"
		}
		return nil, errComponent{msg: msg}
	case out.Responses == nil:
		return nil, errors.New(`output has neither "responses" nor "error"`)
	}
	resps := make([]Response, len(*out.Responses))
	for i, r := range *out.Responses {
		if r.Payload == nil {
			return nil, fmt.Errorf("output: responses[%d] has no payload", i)
		}
		resps[i].Payload = []byte(*r.Payload)
		if len(r.EventIDSalt) > 0 {
			resps[i].EventIDSalt = []byte(r.EventIDSalt)
		}
	}
	return resps, nil
}

// encodeOutput is the inverse of decodeOutput for responses (used by tests
// and fuzzing).
func encodeOutput(resps []Response) ([]byte, error) {
	rs := make([]abi.Response, len(resps))
	for i, r := range resps {
		p := abi.Hex(r.Payload)
		if p == nil {
			p = abi.Hex{}
		}
		rs[i] = abi.Response{Payload: &p, EventIDSalt: r.EventIDSalt}
	}
	return json.Marshal(abi.Output{Responses: &rs})
}
