package ledger

import (
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"

	"github.com/wavs-go/wavs/sdk"
)

// The transaction types.
const (
	TxCreateManager = "create_manager"
	TxSetOperators  = "set_operators"
	TxSetServiceURI = "set_service_uri"
	TxCreateHandler = "create_handler"
	TxSubmit        = "submit"
)

// Tx is a ledger transaction, as JSON. Its id is the sha256 of its
// canonical JSON (Canonical), in lowercase hex.
type Tx struct {
	Type string `json:"type"`
	// Nonce tells apart two administrative transactions that would
	// otherwise be identical (a transaction is taken once).
	Nonce uint64 `json:"nonce,omitempty"`

	// Name: create_manager, create_handler.
	Name string `json:"name,omitempty"`
	// Manager: create_handler, set_operators, set_service_uri.
	Manager string `json:"manager,omitempty"`
	// Operators and Threshold: create_manager, set_operators.
	Operators []Operator `json:"operators,omitempty"`
	Threshold *Threshold `json:"threshold,omitempty"`
	// ServiceURI: create_manager, set_service_uri.
	ServiceURI string `json:"service_uri,omitempty"`

	// Handler, Envelope and Signatures: submit.
	Handler    string      `json:"handler,omitempty"`
	Envelope   *Envelope   `json:"envelope,omitempty"`
	Signatures *Signatures `json:"signatures,omitempty"`
}

// Operator is a signer of a manager's operator set and its weight.
type Operator struct {
	// Signer is the 20-byte address of the operator's signing key, as
	// 0x and 40 hex digits (secp256k1-eip191 signers are such keys).
	Signer string `json:"signer"`
	Weight uint64 `json:"weight"`
}

// Threshold is the share of the total weight a submission's signers
// need: signed × Denominator ≥ total × Numerator.
type Threshold struct {
	Numerator   uint64 `json:"numerator"`
	Denominator uint64 `json:"denominator"`
}

// Envelope is a WAVS envelope as JSON: 0x-hex fields.
type Envelope struct {
	EventID  string `json:"event_id"`
	Ordering string `json:"ordering"`
	Payload  string `json:"payload"`
}

// Signatures is an sdk.SignatureData as JSON: 0x-hex signers and
// signatures.
type Signatures struct {
	Scheme     string   `json:"scheme"`
	Signers    []string `json:"signers"`
	Signatures []string `json:"signatures"`
	Reference  uint64   `json:"reference"`
}

// Block is a block of the ledger. A block is final once made.
type Block struct {
	Height uint64 `json:"height"`
	// Hash is the block's sha256 (see blockHash), in hex.
	Hash   string `json:"hash"`
	Parent string `json:"parent"`
	// TimeMs is when the block was made, in unix milliseconds.
	TimeMs int64 `json:"time_ms"`
	// Txs are the ids of the block's transactions.
	Txs []string `json:"txs"`
}

// TxRecord is a transaction in a block.
type TxRecord struct {
	ID        string `json:"id"`
	Height    uint64 `json:"height"`
	BlockHash string `json:"block_hash"`
	Tx        Tx     `json:"tx"`
}

// Receipt answers an accepted transaction.
type Receipt struct {
	ID        string `json:"id"`
	Height    uint64 `json:"height"`
	BlockHash string `json:"block_hash"`
	// Address is the account a create_manager or create_handler made.
	Address string `json:"address,omitempty"`
}

// Account is a manager's or a handler's account.
type Account struct {
	Address string      `json:"address"`
	Kind    AccountKind `json:"kind"`
	Name    string      `json:"name"`
	// Created is the height of the block that made it.
	Created uint64 `json:"created"`
	// Manager is a handler's manager.
	Manager string `json:"manager,omitempty"`
	// ServiceURI is a manager's service URI.
	ServiceURI string `json:"service_uri,omitempty"`
}

// OperatorSet is a manager's operators at a height.
type OperatorSet struct {
	Manager     string     `json:"manager"`
	Height      uint64     `json:"height"`
	Operators   []Operator `json:"operators"`
	TotalWeight uint64     `json:"total_weight"`
	Threshold   Threshold  `json:"threshold"`
}

// Validation is a dry run of a submit transaction.
type Validation struct {
	Valid  bool   `json:"valid"`
	Code   string `json:"code,omitempty"`
	Reason string `json:"reason,omitempty"`
	// SignedWeight of TotalWeight at the reference, when the signatures
	// were checked.
	SignedWeight uint64 `json:"signed_weight"`
	TotalWeight  uint64 `json:"total_weight"`
}

// HandlerTxs lists the submit transactions to a handler from a height.
type HandlerTxs struct {
	Handler string `json:"handler"`
	From    uint64 `json:"from"`
	// Head is the height the listing looked up to.
	Head uint64     `json:"head"`
	Txs  []TxRecord `json:"txs"`
}

// Info describes the ledger.
type Info struct {
	// Chain is the chain key the ledger answers to, "ledger:<id>".
	Chain string `json:"chain"`
	Head  Block  `json:"head"`
}

// Error codes the ledger answers with.
const (
	CodeBadRequest     = "bad_request"
	CodeNotFound       = "not_found"
	CodeDuplicate      = "duplicate_tx"
	CodeAlreadyHandled = "already_handled"
	CodeRefused        = "refused"
)

// Error is the ledger's error answer. An already_handled error names the
// event id (EventID, 0x-hex) and the transaction that handled it.
type Error struct {
	Status  int    `json:"-"`
	Code    string `json:"code"`
	Message string `json:"error"`
	EventID string `json:"event_id,omitempty"`
	TxID    string `json:"tx,omitempty"`
}

func (e *Error) Error() string { return e.Message }

func errorf(status int, code, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

func badRequest(format string, args ...any) *Error {
	return errorf(http.StatusBadRequest, CodeBadRequest, format, args...)
}

func refused(format string, args ...any) *Error {
	return errorf(http.StatusUnprocessableEntity, CodeRefused, format, args...)
}

func notFound(format string, args ...any) *Error {
	return errorf(http.StatusNotFound, CodeNotFound, format, args...)
}

// Hex0x writes bytes as 0x-hex.
func Hex0x(b []byte) string { return "0x" + hex.EncodeToString(b) }

// parseHex0x reads 0x-hex bytes; want is the length, or -1 for any.
func parseHex0x(field, s string, want int) ([]byte, error) {
	rest, ok := strings.CutPrefix(s, "0x")
	if !ok {
		return nil, fmt.Errorf("%s %q: want 0x-prefixed hex", field, s)
	}
	b, err := hex.DecodeString(rest)
	if err != nil {
		return nil, fmt.Errorf("%s %q: %v", field, s, err)
	}
	if want >= 0 && len(b) != want {
		return nil, fmt.Errorf("%s %q: %d bytes, want %d", field, s, len(b), want)
	}
	return b, nil
}

// EnvelopeJSON writes an envelope as JSON.
func EnvelopeJSON(e sdk.Envelope) *Envelope {
	return &Envelope{EventID: Hex0x(e.EventID[:]), Ordering: Hex0x(e.Ordering[:]), Payload: Hex0x(e.Payload)}
}

// SDK reads the envelope.
func (e *Envelope) SDK() (sdk.Envelope, error) {
	var out sdk.Envelope
	if e == nil {
		return out, fmt.Errorf("no envelope")
	}
	id, err := parseHex0x("envelope.event_id", e.EventID, 20)
	if err != nil {
		return out, err
	}
	ord, err := parseHex0x("envelope.ordering", e.Ordering, 12)
	if err != nil {
		return out, err
	}
	payload, err := parseHex0x("envelope.payload", e.Payload, -1)
	if err != nil {
		return out, err
	}
	copy(out.EventID[:], id)
	copy(out.Ordering[:], ord)
	out.Payload = payload
	return out, nil
}

// SignaturesJSON writes signature data as JSON.
func SignaturesJSON(sd sdk.SignatureData) *Signatures {
	out := &Signatures{Scheme: string(sd.Scheme), Reference: sd.Reference, Signers: []string{}, Signatures: []string{}}
	for _, s := range sd.Signers {
		out.Signers = append(out.Signers, Hex0x(s))
	}
	for _, s := range sd.Signatures {
		out.Signatures = append(out.Signatures, Hex0x(s))
	}
	return out
}

// SDK reads the signature data.
func (s *Signatures) SDK() (sdk.SignatureData, error) {
	var out sdk.SignatureData
	if s == nil {
		return out, fmt.Errorf("no signatures")
	}
	out.Scheme, out.Reference = sdk.Scheme(s.Scheme), s.Reference
	for i, v := range s.Signers {
		b, err := parseHex0x(fmt.Sprintf("signatures.signers[%d]", i), v, -1)
		if err != nil {
			return out, err
		}
		out.Signers = append(out.Signers, b)
	}
	for i, v := range s.Signatures {
		b, err := parseHex0x(fmt.Sprintf("signatures.signatures[%d]", i), v, -1)
		if err != nil {
			return out, err
		}
		out.Signatures = append(out.Signatures, b)
	}
	return out, nil
}

// SubmitTx is the submit transaction of a submission.
func SubmitTx(handler string, env sdk.Envelope, sd sdk.SignatureData) Tx {
	return Tx{Type: TxSubmit, Handler: handler, Envelope: EnvelopeJSON(env), Signatures: SignaturesJSON(sd)}
}
