package webhook

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
)

// spool keeps the bodies of accepted, unacknowledged hooks on disk, so
// that a hook answered 202 survives a crash of the plugin or the node:
// one file per event, <dir>/<hex of the trigger id>/<sequence, 20
// digits>, holding the body as received. A file is written and synced
// (and its folder synced) before the hook is answered, and removed once
// the host acknowledges its cursor.
//
// TODO: switch to sdk.OpenEventQueue(path, max) when it lands: the
// SDK's persistent queue does what this file does for every plugin.
type spool struct {
	dir string // "": nothing is kept (no data folder)
}

// pending is an event read back from the spool.
type pending struct {
	seq  uint64
	body []byte
}

func (s spool) triggerDir(triggerID string) string {
	return filepath.Join(s.dir, hex.EncodeToString([]byte(triggerID)))
}

func seqName(seq uint64) string { return fmt.Sprintf("%020d", seq) }

// put stores one event's body and syncs it to disk.
func (s spool) put(triggerID string, seq uint64, body []byte) error {
	if s.dir == "" {
		return nil
	}
	dir := s.triggerDir(triggerID)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	tmp := f.Name()
	_, werr := f.Write(body)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("spool: write %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, seqName(seq))); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("spool: %w", err)
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("spool: sync %s: %w", dir, err)
	}
	return nil
}

// load returns the trigger's stored events, in sequence order.
func (s spool) load(triggerID string) ([]pending, error) {
	if s.dir == "" {
		return nil, nil
	}
	seqs, err := s.seqs(triggerID)
	if err != nil {
		return nil, err
	}
	out := make([]pending, 0, len(seqs))
	for _, seq := range seqs {
		body, err := os.ReadFile(filepath.Join(s.triggerDir(triggerID), seqName(seq)))
		if err != nil {
			return nil, fmt.Errorf("spool: %w", err)
		}
		out = append(out, pending{seq: seq, body: body})
	}
	return out, nil
}

// seqs lists the sequence numbers stored for a trigger, ascending.
func (s spool) seqs(triggerID string) ([]uint64, error) {
	entries, err := os.ReadDir(s.triggerDir(triggerID))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	var out []uint64
	for _, e := range entries {
		if len(e.Name()) != 20 {
			continue // a temporary file of a write that did not finish
		}
		if seq, err := strconv.ParseUint(e.Name(), 10, 64); err == nil {
			out = append(out, seq)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, nil
}

// drop removes the trigger's events up to and including seq.
func (s spool) drop(triggerID string, seq uint64) error {
	if s.dir == "" {
		return nil
	}
	seqs, err := s.seqs(triggerID)
	if err != nil {
		return err
	}
	var errs []error
	for _, n := range seqs {
		if n > seq {
			break
		}
		if err := os.Remove(filepath.Join(s.triggerDir(triggerID), seqName(n))); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	return nil
}

// remove forgets a trigger and its events.
func (s spool) remove(triggerID string) error {
	if s.dir == "" {
		return nil
	}
	if err := os.RemoveAll(s.triggerDir(triggerID)); err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	return nil
}
