package ledger

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// stateFile is the state file: every block with its transactions.
type stateFile struct {
	Chain  string        `json:"chain"`
	Blocks []storedBlock `json:"blocks"`
}

type storedBlock struct {
	Block Block `json:"block"`
	Txs   []Tx  `json:"txs,omitempty"`
}

// save rewrites the state file, if any; l.mu is held.
func (l *Ledger) save() error {
	if l.path == "" {
		return nil
	}
	st := stateFile{Chain: l.chain, Blocks: make([]storedBlock, len(l.blocks))}
	for i, b := range l.blocks {
		st.Blocks[i] = storedBlock{Block: b, Txs: l.bodies[i]}
	}
	raw, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("ledger: state: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(l.path), ".ledger-state-*")
	if err != nil {
		return fmt.Errorf("ledger: state: %w", err)
	}
	_, werr := tmp.Write(raw)
	serr := tmp.Sync()
	cerr := tmp.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("ledger: state: %w", err)
	}
	if err := os.Rename(tmp.Name(), l.path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("ledger: state: %w", err)
	}
	return nil
}

// load replays the state file's blocks, checking each block's hash; it
// reports false when there is no file.
func (l *Ledger) load() (bool, error) {
	raw, err := os.ReadFile(l.path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("ledger: state: %w", err)
	}
	var st stateFile
	if err := json.Unmarshal(raw, &st); err != nil {
		return false, fmt.Errorf("ledger: state %s: %w", l.path, err)
	}
	if st.Chain != l.chain {
		return false, fmt.Errorf("ledger: state %s is of chain %s, not %s", l.path, st.Chain, l.chain)
	}
	if len(st.Blocks) == 0 {
		return false, fmt.Errorf("ledger: state %s has no blocks", l.path)
	}
	path, now := l.path, l.now
	defer func() { l.path, l.now = path, now }()
	l.path = "" // no saving while replaying
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, sb := range st.Blocks {
		at := time.UnixMilli(sb.Block.TimeMs)
		l.now = func() time.Time { return at }
		switch len(sb.Txs) {
		case 0:
			l.seal(nil)
		case 1:
			if _, err := l.apply(sb.Txs[0]); err != nil {
				return false, fmt.Errorf("ledger: state %s: block %d: %w", path, sb.Block.Height, err)
			}
		default:
			return false, fmt.Errorf("ledger: state %s: block %d holds %d transactions, want at most 1", path, sb.Block.Height, len(sb.Txs))
		}
		if got := l.blocks[len(l.blocks)-1]; got.Hash != sb.Block.Hash || got.Height != sb.Block.Height {
			return false, fmt.Errorf("ledger: state %s: block %d replays to hash %s, the file says %s", path, sb.Block.Height, got.Hash, sb.Block.Hash)
		}
	}
	return true, nil
}
