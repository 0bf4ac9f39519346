package submit

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/wavs-go/wavs/contracts/bindings"
	"github.com/wavs-go/wavs/sdk"
)

// TestABIMatchesContracts: every function and error of the plugin's own
// ABI has the selector the contracts in contracts/src give it, so a
// renamed or retyped function there fails here.
func TestABIMatchesContracts(t *testing.T) {
	w, err := newWAVSABI()
	if err != nil {
		t.Fatal(err)
	}
	contractABIs := []abi.ABI{
		bindings.NewServiceManager().GetABI(), bindings.NewServiceHandler().GetABI(),
		bindings.NewPoaServiceManager().GetABI(), bindings.NewExampleHandler().GetABI(),
	}
	// Views of upstream's POA registry that no contract here has (the
	// POA-style manager here shows only the WAVS interface, on purpose):
	// checked against their selectors as upstream declares them.
	poaViews := map[string]string{
		fnPOATotalWeight:     "getLastCheckpointTotalWeight()",
		fnPOAThresholdWeight: "getLastCheckpointThresholdWeight()",
		fnPOAQuorum:          "getLastCheckpointQuorum()",
	}
	for name, m := range w.abi.Methods {
		if sig, ok := poaViews[name]; ok {
			if m.Sig != sig {
				t.Errorf("function %s has signature %s, upstream's is %s", name, m.Sig, sig)
			}
			continue
		}
		found := false
		for _, c := range contractABIs {
			if cm, ok := c.Methods[name]; ok && string(cm.ID) == string(m.ID) {
				found = true
			}
		}
		if !found {
			t.Errorf("function %s (%x) is in no contract's ABI with that selector", m.Sig, m.ID)
		}
	}
	known := 0
	for name, e := range w.abi.Errors {
		for _, c := range contractABIs {
			if ce, ok := c.Errors[name]; ok {
				known++
				if ce.ID != e.ID {
					t.Errorf("error %s: selector %x, contract has %x", e.Sig, e.ID, ce.ID)
				}
			}
		}
	}
	if known < 8 {
		t.Errorf("only %d of the ABI's errors are declared by the contracts", known)
	}
	sel, err := parseErrorSelector(DefaultAlreadyHandledError)
	if err != nil {
		t.Fatal(err)
	}
	if want := bindings.NewServiceHandler().GetABI().Errors["EventAlreadyHandled"].ID; string(sel[:]) != string(want[:4]) {
		t.Errorf("default already-handled selector %x, contract's EventAlreadyHandled is %x", sel, want[:4])
	}
}

func TestDescribeRevert(t *testing.T) {
	w, err := newWAVSABI()
	if err != nil {
		t.Fatal(err)
	}
	errorString, _ := abi.NewType("string", "", nil)
	msg, err := abi.Arguments{{Type: errorString}}.Pack("boom")
	if err != nil {
		t.Fatal(err)
	}
	eah := w.abi.Errors["EventAlreadyHandled"]
	eahArgs, err := eah.Inputs.Pack([20]byte{0xab})
	if err != nil {
		t.Fatal(err)
	}
	iq := w.abi.Errors["InsufficientQuorum"]
	iqArgs, err := iq.Inputs.Pack(big.NewInt(1), big.NewInt(2), big.NewInt(3))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		data []byte
		want string
	}{
		{nil, "revert without data"},
		{append([]byte{0x08, 0xc3, 0x79, 0xa0}, msg...), `Error("boom")`},
		{append(append([]byte{}, panicSelector...), common.LeftPadBytes([]byte{0x11}, 32)...), "Panic(0x11)"},
		{append(eah.ID[:4:4], eahArgs...), "EventAlreadyHandled(0xab00000000000000000000000000000000000000)"},
		{append(iq.ID[:4:4], iqArgs...), "InsufficientQuorum(1, 2, 3)"},
		{[]byte{1, 2, 3, 4}, "unknown error 0x01020304"},
		{[]byte{1, 2, 3, 4, 5}, "unknown error 0x01020304 (1 bytes of arguments)"},
	} {
		if got := w.describeRevert(tc.data); got != tc.want {
			t.Errorf("describeRevert(%x) = %q, want %q", tc.data, got, tc.want)
		}
	}
}

func TestParseErrorSelector(t *testing.T) {
	a, err := parseErrorSelector("Done(bytes20, uint256)")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := parseErrorSelector("Done(bytes20,uint256)")
	if a != b {
		t.Errorf("spaces change the selector: %x vs %x", a, b)
	}
	if s, err := parseErrorSelector("0xDEADbeef"); err != nil || s != [4]byte{0xde, 0xad, 0xbe, 0xef} {
		t.Errorf("selector = %x, %v", s, err)
	}
	// An error that does not name the event cannot prove a landing.
	for _, bad := range []string{"", "Done", "0x123", "Done(bytes20", "1x(uint)", "InvalidLength()", "Handled(uint256,bytes20)", "Handled(bytes32)"} {
		if _, err := parseErrorSelector(bad); err == nil {
			t.Errorf("parseErrorSelector(%q) accepted", bad)
		}
	}
}

// TestNamesHandled: a configured "already handled" revert proves a landing
// only when its first argument is the very event submitted.
func TestNamesHandled(t *testing.T) {
	handled, _ := parseErrorSelector(DefaultAlreadyHandledError)
	noArgs, _ := parseErrorSelector("0x" + hex.EncodeToString(crypto.Keccak256([]byte("InvalidLength()"))[:4]))
	errs := map[[4]byte]string{handled: DefaultAlreadyHandledError, noArgs: "0x…"}
	event := [20]byte{0xaa, 1, 2, 3}
	word := func(b []byte) []byte { w := make([]byte, 32); copy(w, b); return w }
	revert := func(sel [4]byte, args ...[]byte) []byte {
		out := append([]byte{}, sel[:]...)
		for _, a := range args {
			out = append(out, a...)
		}
		return out
	}
	other := event
	other[19] = 9
	dirty := word(event[:])
	dirty[31] = 1
	cases := []struct {
		name string
		data []byte
		want bool
	}{
		{"this event", revert(handled, word(event[:])), true},
		{"this event, more arguments", revert(handled, word(event[:]), word([]byte{7})), true},
		{"another event", revert(handled, word(other[:])), false},
		{"not left-aligned", revert(handled, dirty), false},
		{"configured error without arguments", revert(noArgs), false},
		{"configured selector, short data", revert(handled, event[:]), false},
		{"unconfigured error naming the event", revert([4]byte{1, 2, 3, 4}, word(event[:])), false},
		{"no data", nil, false},
	}
	for _, tc := range cases {
		if _, got := namesHandled(errs, tc.data, event); got != tc.want {
			t.Errorf("%s: namesHandled = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestTransient(t *testing.T) {
	yes := []error{
		fmt.Errorf("send: %w", syscall.ECONNREFUSED),
		fmt.Errorf("x: %w", io.ErrUnexpectedEOF),
		&net.OpError{Op: "dial", Err: syscall.ECONNRESET},
		errors.New("nonce too low: next nonce 5, tx nonce 4"),
		errors.New("replacement transaction underpriced"),
		rpc.HTTPError{StatusCode: 503, Status: "503 Service Unavailable"},
		fmt.Errorf("%w: chain down", sdk.ErrUnavailable),
	}
	no := []error{
		nil,
		errors.New("insufficient funds for gas * price + value"),
		fmt.Errorf("%w: reverts: Error(\"timeout\")", sdk.ErrInvalidArgument),
		fmt.Errorf("%w: %w: transaction timeout", sdk.ErrUnavailable, errNotMined),
	}
	for _, err := range yes {
		if !transient(err) {
			t.Errorf("transient(%v) = false", err)
		}
	}
	for _, err := range no {
		if transient(err) {
			t.Errorf("transient(%v) = true", err)
		}
	}
	if backoffFor(2) != retryMin || backoffFor(3) != 2*retryMin || backoffFor(50) != retryMax {
		t.Errorf("backoff: %v %v %v", backoffFor(2), backoffFor(3), backoffFor(50))
	}
}

func TestSettingsDefaults(t *testing.T) {
	s, err := parseSettings(ownConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if s.gasMarginPercent != 25 || s.confirmations != 0 || s.receiptTimeout != 120*time.Second ||
		s.maxAttempts != 5 || len(s.alreadyHandled) != 1 || s.receiptPoll != 500*time.Millisecond {
		t.Errorf("defaults = %+v", s)
	}
	empty, err := parseSettings(ownConfig{AlreadyHandledErrors: []string{}})
	if err != nil || len(empty.alreadyHandled) != 0 {
		t.Errorf("already_handled_errors = [] gives %v, %v; want none", empty.alreadyHandled, err)
	}
}

func TestRedactURL(t *testing.T) {
	got := redactURL("https://user:pw@rpc.example/v1?key=secret")
	if strings.Contains(got, "pw") || strings.Contains(got, "secret") {
		t.Errorf("redactURL = %q", got)
	}
}
