package engine

import (
	"encoding/json"
	"errors"
	"fmt"
)

// ABIVersion is the version of the Component ABI this engine speaks; it is
// the "abi" field of every input.
const ABIVersion = 1

// Chain is what a component learns about one chain the node knows.
type Chain struct {
	ChainID      string
	HTTPEndpoint string
	WSEndpoints  []string
}

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

// The ABI's JSON input and output (docs/components.md).
type (
	inputJSON struct {
		ABI        int                  `json:"abi"`
		ServiceID  string               `json:"service_id"`
		WorkflowID string               `json:"workflow_id"`
		Trigger    Trigger              `json:"trigger"`
		Config     map[string]string    `json:"config"`
		Chains     map[string]chainJSON `json:"chains"`
	}
	chainJSON struct {
		ChainID      string   `json:"chain_id"`
		HTTPEndpoint string   `json:"http_endpoint"`
		WSEndpoints  []string `json:"ws_endpoints"`
	}
	outputJSON struct {
		Responses *[]responseJSON `json:"responses,omitempty"`
		Error     *string         `json:"error,omitempty"`
	}
	responseJSON struct {
		Payload     *hexBytes `json:"payload"`
		EventIDSalt hexBytes  `json:"event_id_salt,omitempty"`
	}
)

// encodeInput is the stdin of an execution of r.
func encodeInput(r *Request) ([]byte, error) {
	in := inputJSON{
		ABI:        ABIVersion,
		ServiceID:  r.ServiceID,
		WorkflowID: r.WorkflowID,
		Trigger:    r.Trigger,
		Config:     r.Config,
		Chains:     make(map[string]chainJSON, len(r.Chains)),
	}
	if in.Config == nil {
		in.Config = map[string]string{}
	}
	for k, c := range r.Chains {
		ws := c.WSEndpoints
		if ws == nil {
			ws = []string{}
		}
		in.Chains[k] = chainJSON{ChainID: c.ChainID, HTTPEndpoint: c.HTTPEndpoint, WSEndpoints: ws}
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
	var out outputJSON
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
	rs := make([]responseJSON, len(resps))
	for i, r := range resps {
		p := hexBytes(r.Payload)
		if p == nil {
			p = hexBytes{}
		}
		rs[i] = responseJSON{Payload: &p, EventIDSalt: r.EventIDSalt}
	}
	return json.Marshal(outputJSON{Responses: &rs})
}
