package engine

import (
	"errors"
	"fmt"
)

// WAVS derives the event id of a response without a salt from the
// trigger data: the salt is bincode 2 (serde, standard configuration) of
// its wavs_types::TriggerData. The facts this encoding relies on, read in
// Lay3rLabs/WAVS (packages/types/src/service.rs at 2.8.0, 65ac28a7;
// signing.rs EventId::new) and the crates it uses:
//
//   - TriggerData is an externally tagged enum, in declaration order:
//     CosmosContractEvent 0, EvmContractEvent 1, BlockInterval 2, Cron 3,
//     AtProtoEvent 4, HypercoreAppend 5, SolanaProgramEvent 6, Raw 7 (Raw
//     was 6 before 2.8.0 added SolanaProgramEvent).
//   - bincode writes a variant as its index (u32), then the fields in
//     declaration order without names; integers as varints (below 251 one
//     byte, else 0xfb+u16, 0xfc+u32, 0xfd+u64, little-endian); strings and
//     byte strings as a varint length then the bytes; Option as 0, or 1
//     then the value; a sequence as its varint length then the elements;
//     u8 raw.
//   - EvmContractEvent { chain: ChainKey, contract_address: Address,
//     log_data: LogData { topics: Vec<B256>, data: Bytes }, tx_hash: B256,
//     block_number: u64, log_index: u64, block_hash: B256,
//     block_timestamp: Option<u64>, tx_index: u64 }. ChainKey serializes as
//     its "namespace:id" string; alloy's fixed bytes and Bytes as byte
//     strings when the format is not human readable (bincode is not).
//   - BlockInterval { chain, block_height: u64 }; Cron { trigger_time:
//     Timestamp(u64 nanoseconds) }; Raw(Vec<u8>) (a sequence of u8: the
//     same bytes as a byte string).
//
// docs/wavs-compat.md lays out the bytes with worked examples.
const (
	wavsTagEvm   = 1
	wavsTagBlock = 2
	wavsTagCron  = 3
	wavsTagRaw   = 7
)

// WAVSTriggerData is bincode of the WAVS TriggerData of t: the event-id
// salt of a response that brings none. An EVM log's block timestamp of 0
// is none (the RPC did not report it). It fails for a cron tick before
// 1970, which WAVS cannot represent, and a trigger without a kind.
func (t Trigger) WAVSTriggerData() ([]byte, error) {
	var w bincodeWriter
	switch {
	case t.EvmLog != nil:
		l := t.EvmLog
		w.varint(wavsTagEvm)
		w.str(l.Chain)
		w.bytes(l.Address[:])
		w.varint(uint64(len(l.Topics)))
		for i := range l.Topics {
			w.bytes(l.Topics[i][:])
		}
		w.bytes(l.Data)
		w.bytes(l.TxHash[:])
		w.varint(l.BlockNumber)
		w.varint(uint64(l.LogIndex))
		w.bytes(l.BlockHash[:])
		if l.BlockTimestamp == 0 {
			w.b = append(w.b, 0)
		} else {
			w.b = append(w.b, 1)
			w.varint(l.BlockTimestamp)
		}
		w.varint(uint64(l.TxIndex))
	case t.Block != nil:
		w.varint(wavsTagBlock)
		w.str(t.Block.Chain)
		w.varint(t.Block.BlockNumber)
	case t.Cron != nil:
		ns := t.Cron.Time.UnixNano()
		if ns < 0 {
			return nil, fmt.Errorf("cron trigger time %v is before 1970", t.Cron.Time)
		}
		w.varint(wavsTagCron)
		w.varint(uint64(ns))
	case t.Raw != nil:
		w.varint(wavsTagRaw)
		w.bytes(t.Raw)
	default:
		return nil, errors.New("trigger: no kind set")
	}
	return w.b, nil
}

// bincodeWriter writes bincode 2's standard configuration.
type bincodeWriter struct{ b []byte }

func (w *bincodeWriter) varint(v uint64) {
	switch {
	case v < 251:
		w.b = append(w.b, byte(v))
	case v <= 0xffff:
		w.b = append(w.b, 0xfb, byte(v), byte(v>>8))
	case v <= 0xffffffff:
		w.b = append(w.b, 0xfc, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
	default:
		w.b = append(w.b, 0xfd)
		for i := range 8 {
			w.b = append(w.b, byte(v>>(8*i)))
		}
	}
}

func (w *bincodeWriter) bytes(p []byte) {
	w.varint(uint64(len(p)))
	w.b = append(w.b, p...)
}

func (w *bincodeWriter) str(s string) {
	w.varint(uint64(len(s)))
	w.b = append(w.b, s...)
}
