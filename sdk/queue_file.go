package sdk

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// queueFormat names the layout of an event queue file.
const queueFormat = "wavs-event-queue/1"

// OpenEventQueue returns a queue that keeps its pending events in the
// file at path, so that the events a plugin accepted survive a crash or a
// restart: it loads the events the file holds, in the order they were
// pushed (a missing file is an empty queue; the file is created at once,
// so an unwritable path fails here rather than at the first Push). Push
// returns once the event is in the file; Ack and Remove take events out
// of it. Keep the file in ConfigureRequest.DataDir, and use one queue per
// file: Close the queue in Shutdown, before another instance opens it.
// After a restart the host adds each trigger again with the last cursor
// it acked; call Ack(spec.ID, spec.Cursor) in AddTrigger, so that events
// whose ack did not reach the file are not sent again.
//
// Every change rewrites the whole file (to path+".tmp", synced, then
// renamed over path), so the file is always complete: a file that does
// not read back whole (truncated, corrupted, or of another format) is an
// error naming path, never a partly loaded queue. The cost of a change
// grows with the number of pending events: max bounds them (Push waits
// while the queue holds max), and a few thousand is a sensible limit. A
// file that holds more than max events when opened keeps them all; Push
// waits until acks bring the queue below max.
//
// The file stores each event's trigger id, cursor and data (*EvmLog,
// *BlockTick, *CronTick or *RawData); Push refuses any other data.
func OpenEventQueue(path string, max int) (*EventQueue, error) {
	if path == "" {
		return nil, fmt.Errorf("%w: event queue: no file given (use NewEventQueue for a queue in memory)", ErrInvalidArgument)
	}
	q := NewEventQueue(max)
	q.path = path
	raw, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := q.persist(); err != nil {
			return nil, err
		}
		return q, nil
	case err != nil:
		return nil, fmt.Errorf("event queue %s: %w", path, err)
	}
	events, err := decodeQueueFile(raw)
	if err != nil {
		return nil, fmt.Errorf("event queue %s: %w", path, err)
	}
	for _, e := range events {
		q.seq++
		q.items = append(q.items, queuedEvent{seq: q.seq, ev: e.ev, rec: e.rec})
	}
	return q, nil
}

// persist writes the pending events to the queue file; q.mu must be held.
// It does nothing for a queue in memory or a closed one.
func (q *EventQueue) persist() error {
	if q.path == "" || q.closed {
		return nil
	}
	var b bytes.Buffer
	b.WriteString(`{"format":"` + queueFormat + `","events":[`)
	for i, it := range q.items {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(it.rec)
	}
	b.WriteString("]}\n")
	if err := writeFileSynced(q.path, b.Bytes()); err != nil {
		return fmt.Errorf("event queue %s: %w", q.path, err)
	}
	return nil
}

// writeFileSynced replaces path with data so that a crash leaves either
// the old file or the new one: it writes path+".tmp", syncs it, renames it
// over path and syncs the folder.
func writeFileSynced(path string, data []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	dir, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer dir.Close()
	// Some systems cannot sync a folder; the rename is then as durable as
	// they make it.
	if err := dir.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) && !errors.Is(err, fs.ErrPermission) {
		return err
	}
	return nil
}

type loadedEvent struct {
	ev  TriggerEvent
	rec []byte
}

func decodeQueueFile(raw []byte) ([]loadedEvent, error) {
	var file struct {
		Format string            `json:"format"`
		Events []json.RawMessage `json:"events"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err := dec.Decode(&file)
	if err == nil {
		if _, terr := dec.Token(); terr != io.EOF {
			err = errors.New("data after the queue's JSON object")
		}
	}
	if err != nil {
		return nil, fmt.Errorf("not a complete event queue file (truncated or corrupted?): %v", err)
	}
	if file.Format != queueFormat {
		return nil, fmt.Errorf("format %q is not %q", file.Format, queueFormat)
	}
	out := make([]loadedEvent, 0, len(file.Events))
	for i, rec := range file.Events {
		ev, err := decodeQueuedEvent(rec)
		if err != nil {
			return nil, fmt.Errorf("events[%d]: %w", i, err)
		}
		// Keep the record compact, as Push writes it.
		var c bytes.Buffer
		if err := json.Compact(&c, rec); err != nil {
			return nil, fmt.Errorf("events[%d]: %w", i, err)
		}
		out = append(out, loadedEvent{ev: ev, rec: c.Bytes()})
	}
	return out, nil
}

// The file's JSON form of a TriggerEvent. Data is a union: Kind names
// which one of the other fields is set.
type eventRecord struct {
	TriggerID string     `json:"trigger_id"`
	Cursor    string     `json:"cursor"`
	Data      dataRecord `json:"data"`
}

type dataRecord struct {
	Kind      string           `json:"kind"`
	EvmLog    *evmLogRecord    `json:"evm_log,omitempty"`
	BlockTick *blockTickRecord `json:"block_tick,omitempty"`
	CronTick  *cronTickRecord  `json:"cron_tick,omitempty"`
	Raw       *rawRecord       `json:"raw,omitempty"`
}

// The data kinds' names in the file.
const (
	recordEvmLog    = "evm_log"
	recordBlockTick = "block_tick"
	recordCronTick  = "cron_tick"
	recordRaw       = "raw"
)

type evmLogRecord struct {
	Chain          string   `json:"chain"`
	Address        string   `json:"address"`
	Topics         []string `json:"topics"`
	Data           string   `json:"data"`
	BlockNumber    uint64   `json:"block_number"`
	BlockHash      string   `json:"block_hash"`
	TxHash         string   `json:"tx_hash"`
	TxIndex        uint32   `json:"tx_index"`
	LogIndex       uint32   `json:"log_index"`
	BlockTimestamp uint64   `json:"block_timestamp"`
}

type blockTickRecord struct {
	Chain       string `json:"chain"`
	BlockNumber uint64 `json:"block_number"`
	BlockHash   string `json:"block_hash"`
}

type cronTickRecord struct {
	// Time is RFC 3339 with nanoseconds and the time's offset.
	Time string `json:"time"`
}

type rawRecord struct {
	Data string `json:"data"` // 0x-prefixed hex
}

func encodeQueuedEvent(ev TriggerEvent) ([]byte, error) {
	r := eventRecord{TriggerID: ev.TriggerID, Cursor: ev.Cursor}
	switch d := ev.Data.(type) {
	case *EvmLog:
		if d == nil {
			break
		}
		topics := make([]string, len(d.Topics))
		for i, t := range d.Topics {
			topics[i] = t.Hex()
		}
		r.Data = dataRecord{Kind: recordEvmLog, EvmLog: &evmLogRecord{
			Chain: d.Chain, Address: d.Address.Hex(), Topics: topics, Data: hexBytes(d.Data),
			BlockNumber: d.BlockNumber, BlockHash: d.BlockHash.Hex(), TxHash: d.TxHash.Hex(),
			TxIndex: d.TxIndex, LogIndex: d.LogIndex, BlockTimestamp: d.BlockTimestamp,
		}}
	case *BlockTick:
		if d == nil {
			break
		}
		r.Data = dataRecord{Kind: recordBlockTick, BlockTick: &blockTickRecord{Chain: d.Chain, BlockNumber: d.BlockNumber, BlockHash: d.BlockHash.Hex()}}
	case *CronTick:
		if d == nil {
			break
		}
		t, err := d.Time.MarshalText()
		if err != nil {
			return nil, fmt.Errorf("%w: trigger %q: cron tick time: %v", ErrInvalidArgument, ev.TriggerID, err)
		}
		r.Data = dataRecord{Kind: recordCronTick, CronTick: &cronTickRecord{Time: string(t)}}
	case *RawData:
		if d == nil {
			break
		}
		r.Data = dataRecord{Kind: recordRaw, Raw: &rawRecord{Data: hexBytes(d.Data)}}
	}
	if r.Data.Kind == "" {
		return nil, fmt.Errorf("%w: trigger %q: event data %T is not one of *EvmLog, *BlockTick, *CronTick, *RawData", ErrInvalidArgument, ev.TriggerID, ev.Data)
	}
	return json.Marshal(r)
}

func decodeQueuedEvent(raw []byte) (TriggerEvent, error) {
	var r eventRecord
	if err := decodeStrict(raw, &r); err != nil {
		return TriggerEvent{}, err
	}
	ev := TriggerEvent{TriggerID: r.TriggerID, Cursor: r.Cursor}
	if ev.TriggerID == "" {
		return ev, errors.New("trigger_id is empty")
	}
	d := r.Data
	set := 0
	for _, p := range []bool{d.EvmLog != nil, d.BlockTick != nil, d.CronTick != nil, d.Raw != nil} {
		if p {
			set++
		}
	}
	if set != 1 {
		return ev, fmt.Errorf("data: want exactly one of evm_log, block_tick, cron_tick, raw; found %d", set)
	}
	var err error
	switch {
	case d.Kind == recordEvmLog && d.EvmLog != nil:
		ev.Data, err = d.EvmLog.decode()
	case d.Kind == recordBlockTick && d.BlockTick != nil:
		b := &BlockTick{Chain: d.BlockTick.Chain, BlockNumber: d.BlockTick.BlockNumber}
		err = parseHexInto(b.BlockHash[:], d.BlockTick.BlockHash, "block_tick.block_hash")
		ev.Data = b
	case d.Kind == recordCronTick && d.CronTick != nil:
		c := &CronTick{}
		if terr := c.Time.UnmarshalText([]byte(d.CronTick.Time)); terr != nil {
			err = fmt.Errorf("cron_tick.time: %v", terr)
		}
		ev.Data = c
	case d.Kind == recordRaw && d.Raw != nil:
		var b []byte
		b, err = parseHex(d.Raw.Data, "raw.data")
		ev.Data = &RawData{Data: b}
	default:
		err = fmt.Errorf("data: kind %q does not match the field set", d.Kind)
	}
	return ev, err
}

func (r *evmLogRecord) decode() (*EvmLog, error) {
	l := &EvmLog{Chain: r.Chain, BlockNumber: r.BlockNumber, TxIndex: r.TxIndex, LogIndex: r.LogIndex, BlockTimestamp: r.BlockTimestamp}
	if err := parseHexInto(l.Address[:], r.Address, "evm_log.address"); err != nil {
		return nil, err
	}
	if err := parseHexInto(l.BlockHash[:], r.BlockHash, "evm_log.block_hash"); err != nil {
		return nil, err
	}
	if err := parseHexInto(l.TxHash[:], r.TxHash, "evm_log.tx_hash"); err != nil {
		return nil, err
	}
	l.Topics = make([]Hash, len(r.Topics))
	for i, t := range r.Topics {
		if err := parseHexInto(l.Topics[i][:], t, fmt.Sprintf("evm_log.topics[%d]", i)); err != nil {
			return nil, err
		}
	}
	var err error
	l.Data, err = parseHex(r.Data, "evm_log.data")
	return l, err
}

// hexBytes is b as 0x-prefixed hex ("0x" for none).
func hexBytes(b []byte) string { return "0x" + hex.EncodeToString(b) }

// parseHex reads 0x-prefixed hex; "0x" is no bytes (nil).
func parseHex(s, field string) ([]byte, error) {
	rest, ok := strings.CutPrefix(s, "0x")
	if !ok {
		return nil, fmt.Errorf("%s: %q is not 0x-prefixed hex", field, s)
	}
	if rest == "" {
		return nil, nil
	}
	b, err := hex.DecodeString(rest)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", field, err)
	}
	return b, nil
}

func parseHexInto(dst []byte, s, field string) error {
	b, err := parseHex(s, field)
	if err != nil {
		return err
	}
	return fixed(dst, b, field)
}
