// Command square-go is a WAVS operator component written in plain Go:
// the Go toolchain builds a wasip1 reactor (-buildmode=c-shared) that
// speaks the component model's canonical ABI by hand (abi_wasip1.go),
// and jco wraps it into a component of wavs:operator/wavs-world@2.7.0,
// the way cargo-component wraps a Rust build. It computes exactly what
// square-js computes; ../README.md has the contract and the layouts.
//
// This file is the part that does not touch linear memory, so it builds
// and tests on any GOOS.
package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// A reactor has no main work; the node calls the exports.
func main() {}

// Payload formats, chosen by the config var "payload".
const (
	formatDataWithID = "data_with_id"
	formatUint256    = "uint256"
)

// trigger is the part of a trigger-data value the component reads.
type trigger struct {
	kind    string // the trigger-data case name
	logData []byte // evm-contract-event: log.data.data
	height  uint64 // block-interval
	nanos   uint64 // cron
	raw     []byte // raw
}

// result is what one run answers: one response and what to log.
type result struct {
	payload []byte
	salt    []byte
	id      uint64
	n, sq   *big.Int
}

// compute squares the trigger's number and encodes the payload.
func compute(format string, t trigger) (result, error) {
	switch format {
	case "":
		format = formatDataWithID
	case formatDataWithID, formatUint256:
	default:
		return result{}, fmt.Errorf("square-go: config payload = %q: want %q or %q", format, formatDataWithID, formatUint256)
	}
	var r result
	var err error
	switch t.kind {
	case "evm-contract-event":
		var data []byte
		r.id, data, err = decodeNewTrigger(t.logData)
		if err == nil {
			r.n, err = number(data)
		}
	case "block-interval":
		r.id, r.n = t.height, new(big.Int).SetUint64(t.height)
	case "cron":
		sec := t.nanos / 1e9
		r.id, r.n = sec, new(big.Int).SetUint64(sec)
	case "raw":
		r.n, err = number(t.raw)
	default:
		err = fmt.Errorf("trigger %s is not supported", t.kind)
	}
	if err != nil {
		return result{}, fmt.Errorf("square-go: %w", err)
	}
	r.sq = new(big.Int).Mul(r.n, r.n)
	if r.sq.BitLen() > 256 {
		return result{}, errors.New("square-go: the square does not fit in a uint256")
	}
	word := r.sq.FillBytes(make([]byte, 32))
	r.payload = word
	if format == formatDataWithID {
		r.payload = dataWithID(r.id, word)
	}
	r.salt = []byte(fmt.Sprintf("square:%d", r.id))
	return r, nil
}

// dataWithID is abi.encode(uint64 id, bytes data) as one dynamic tuple
// (DataWithId): an offset word, the id, data's offset, its length, data.
func dataWithID(id uint64, data []byte) []byte {
	padded := (len(data) + 31) / 32 * 32
	out := make([]byte, 128+padded)
	out[31] = 0x20
	binary.BigEndian.PutUint64(out[56:64], id)
	out[95] = 0x40
	binary.BigEndian.PutUint64(out[120:128], uint64(len(data)))
	copy(out[128:], data)
	return out
}

// number reads a 32-byte big-endian uint256, or else decimal ASCII.
func number(b []byte) (*big.Int, error) {
	if len(b) == 32 {
		return new(big.Int).SetBytes(b), nil
	}
	s := strings.TrimSpace(string(b))
	for _, c := range s {
		if c < '0' || c > '9' {
			s = ""
			break
		}
	}
	n, ok := new(big.Int).SetString(s, 10)
	if !ok || n.BitLen() > 256 {
		return nil, fmt.Errorf("trigger data %q is not a decimal number or a 32-byte uint256", string(b))
	}
	return n, nil
}

// decodeNewTrigger reads SimpleTrigger's NewTrigger(bytes) log data:
// abi.encode(bytes) around abi.encode((uint64 id, address creator, bytes data)).
func decodeNewTrigger(logData []byte) (uint64, []byte, error) {
	outer, err := abiBytes(logData, 0)
	if err != nil {
		return 0, nil, err
	}
	start, err := wordAt(outer, 0)
	if err != nil || start > uint64(len(outer)) {
		return 0, nil, errors.New("NewTrigger data: bad tuple offset")
	}
	tuple := outer[start:]
	id, err := wordAt(tuple, 0)
	if err != nil {
		return 0, nil, err
	}
	data, err := abiBytes(tuple, 64)
	return id, data, err
}

// abiBytes reads the dynamic bytes whose offset is the word at b[head:].
func abiBytes(b []byte, head int) ([]byte, error) {
	off, err := wordAt(b, head)
	if err != nil || off > uint64(len(b)) {
		return nil, errors.New("NewTrigger data: bad bytes offset")
	}
	n, err := wordAt(b, int(off))
	if err != nil || n > uint64(len(b))-off-32 {
		return nil, errors.New("NewTrigger data: bytes run past the end")
	}
	return b[off+32 : off+32+n], nil
}

// wordAt reads the 32-byte word at off; it must fit in 64 bits.
func wordAt(b []byte, off int) (uint64, error) {
	if off < 0 || off+32 > len(b) {
		return 0, errors.New("NewTrigger data: too short")
	}
	for _, x := range b[off : off+24] {
		if x != 0 {
			return 0, errors.New("NewTrigger data: word does not fit in 64 bits")
		}
	}
	return binary.BigEndian.Uint64(b[off+24 : off+32]), nil
}
