package contracts_test

import (
	"bytes"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"

	"github.com/wavs-go/wavs/contracts"
	"github.com/wavs-go/wavs/contracts/bindings"
)

func TestDecodeRevert(t *testing.T) {
	smABI := bindings.NewServiceManager().GetABI()
	shABI := bindings.NewServiceHandler().GetABI()
	stringType, err := abi.NewType("string", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	errorString := append([]byte{0x08, 0xc3, 0x79, 0xa0}, mustPackArgs(t, abi.Arguments{{Type: stringType}}, "nope")...)
	quorum := smABI.Errors["InsufficientQuorum"]
	quorumData := append(append([]byte{}, quorum.ID[:4]...), mustPackArgs(t, quorum.Inputs, big.NewInt(1), big.NewInt(2), big.NewInt(3))...)
	handled := shABI.Errors["EventAlreadyHandled"]
	eventID := [20]byte{1, 2, 3}
	handledData := append(append([]byte{}, handled.ID[:4]...), mustPackArgs(t, handled.Inputs, eventID)...)

	cases := []struct {
		name, want string
		data       []byte
		contract   string
	}{
		{"InsufficientQuorum", "InsufficientQuorum(1, 2, 3)", quorumData, "ServiceManager"},
		{"InvalidSignatureOrder", "InvalidSignatureOrder()", smABI.Errors["InvalidSignatureOrder"].ID.Bytes()[:4], "ServiceManager"},
		{"EventAlreadyHandled", "EventAlreadyHandled(0x0102030000000000000000000000000000000000)", handledData, "ServiceHandler"},
		{"Error(string)", `Error("nope")`, errorString, ""},
		{"Panic(uint256)", "Panic(17)", append([]byte{0x4e, 0x48, 0x7b, 0x71}, common.LeftPadBytes([]byte{0x11}, 32)...), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := contracts.DecodeRevert(tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if r.String() != tc.want || r.Contract != tc.contract || !bytes.Equal(r.Selector[:], tc.data[:4]) {
				t.Errorf("got %s from %q, want %s from %q", r, r.Contract, tc.want, tc.contract)
			}
		})
	}
	for _, data := range [][]byte{nil, {1, 2, 3}, {0xde, 0xad, 0xbe, 0xef}} {
		if _, err := contracts.DecodeRevert(data); !errors.Is(err, contracts.ErrUnknownRevert) {
			t.Errorf("DecodeRevert(%x): %v, want ErrUnknownRevert", data, err)
		}
	}
}

func TestRevertDataWithoutData(t *testing.T) {
	if _, ok := contracts.RevertData(errors.New("plain")); ok {
		t.Error("a plain error has no revert data")
	}
	if _, ok := contracts.RevertData(nil); ok {
		t.Error("nil has no revert data")
	}
}

func TestTriggerInfoRoundTrip(t *testing.T) {
	for _, info := range []contracts.TriggerInfo{
		{TriggerID: 1, Creator: common.HexToAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), Data: []byte("x")},
		{TriggerID: 1<<64 - 1, Data: []byte{}},
		{TriggerID: 7, Data: bytes.Repeat([]byte{0xee}, 65)},
	} {
		got, err := contracts.DecodeTriggerInfo(contracts.EncodeTriggerInfo(info))
		if err != nil {
			t.Fatal(err)
		}
		if got.TriggerID != info.TriggerID || got.Creator != info.Creator || !bytes.Equal(got.Data, info.Data) {
			t.Errorf("round trip %+v → %+v", info, got)
		}
	}
	if _, err := contracts.DecodeTriggerInfo([]byte{1, 2, 3}); err == nil {
		t.Error("garbage decoded")
	}
}

func mustPackArgs(t *testing.T, args abi.Arguments, vals ...any) []byte {
	t.Helper()
	b, err := args.Pack(vals...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
