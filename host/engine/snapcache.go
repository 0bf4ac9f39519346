package engine

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/wavs-go/wavs/internal/atomicfile"
)

// The snapshot cache: a snapshot is taken again whenever its component is
// compiled (added, loaded after a restart or an eviction), and taking one
// costs a fifth of a second for a Go component. With Options.CacheDir the
// engine keeps each snapshot in <CacheDir>/wavs-snapshots, keyed by what
// makes it: the component's digest, snapshotFormat, the table bound
// (MaxTableElements, written into the module) and wazero's version (its
// WASI and interpreter ran the initialisation). A snapshot is the same
// whoever takes it, so a cached one stands for a new one; an entry that is
// damaged (its checksum fails) or does not fit the memory limit is
// ignored.

const snapshotCacheDir = "wavs-snapshots"

// snapshotMagic starts a cached snapshot.
var snapshotMagic = []byte("WAVSSNAP")

// snapshotCachePath is where the snapshot of the component digest is
// cached, "" without a cache.
func (e *Engine) snapshotCachePath(digest string) string {
	if e.opts.CacheDir == "" || !validDigest(digest) {
		return ""
	}
	name := fmt.Sprintf("%s-f%d-t%d-wazero-%s.snap", digest, snapshotFormat, e.opts.MaxTableElements, wazeroVersion())
	return filepath.Join(e.opts.CacheDir, snapshotCacheDir, name)
}

// wazeroVersion is the version of wazero the engine is built with, as a
// file name may hold it.
var wazeroVersion = sync.OnceValue(func() string {
	v := "unknown"
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, m := range info.Deps {
			if m.Path == "github.com/tetratelabs/wazero" {
				v = m.Version
				if m.Replace != nil {
					v = m.Replace.Path + "@" + m.Replace.Version
				}
			}
		}
	}
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' {
			return r
		}
		return '_'
	}, v)
})

// encodeSnapshot is the cache file of snap: the magic, the clock, the
// pages, the bare module, the memory's runs, and the SHA-256 of all that.
func encodeSnapshot(snap *snapshotResult) []byte {
	b := append([]byte(nil), snapshotMagic...)
	b = binary.LittleEndian.AppendUint64(b, uint64(snap.clock))
	b = binary.LittleEndian.AppendUint32(b, snap.pages)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(snap.bare)))
	b = append(b, snap.bare...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(snap.runs)))
	for _, r := range snap.runs {
		b = binary.LittleEndian.AppendUint32(b, uint32(r.start))
		b = binary.LittleEndian.AppendUint32(b, uint32(r.end-r.start))
		b = append(b, snap.memory[r.start:r.end]...)
	}
	sum := sha256.Sum256(b)
	return append(b, sum[:]...)
}

// decodeSnapshot reads a cache file, of at most maxPages pages.
func decodeSnapshot(b []byte, maxPages uint32) (*snapshotResult, error) {
	if len(b) < len(snapshotMagic)+sha256.Size || !bytes.HasPrefix(b, snapshotMagic) {
		return nil, errors.New("not a snapshot")
	}
	body, sum := b[:len(b)-sha256.Size], b[len(b)-sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
		return nil, errors.New("checksum mismatch")
	}
	r := snapReader{b: body[len(snapshotMagic):]}
	snap := &snapshotResult{clock: int64(r.u64())}
	snap.pages = r.u32()
	snap.bare = r.bytes(r.u32())
	if r.err == nil && snap.pages > maxPages {
		r.err = fmt.Errorf("its memory of %d pages is past the limit of %d pages", snap.pages, maxPages)
	}
	if r.err == nil {
		snap.memory = make([]byte, int(snap.pages)*wasmPageSize)
	}
	for n := r.u32(); n > 0 && r.err == nil; n-- {
		start, size := r.u32(), r.u32()
		data := r.bytes(size)
		if r.err == nil && uint64(start)+uint64(size) > uint64(len(snap.memory)) {
			r.err = errors.New("run outside the memory")
		}
		if r.err == nil {
			copy(snap.memory[start:], data)
			snap.runs = append(snap.runs, memRun{int(start), int(start + size)})
			snap.segments++
			snap.data += int(size)
		}
	}
	if r.err == nil && len(r.b) != 0 {
		r.err = errors.New("trailing bytes")
	}
	if r.err != nil {
		return nil, r.err
	}
	return snap, nil
}

type snapReader struct {
	b   []byte
	err error
}

func (r *snapReader) bytes(n uint32) []byte {
	if r.err != nil {
		return nil
	}
	if uint64(n) > uint64(len(r.b)) {
		r.err = errShort
		return nil
	}
	out := r.b[:n:n]
	r.b = r.b[n:]
	return out
}

func (r *snapReader) u32() uint32 {
	if b := r.bytes(4); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

func (r *snapReader) u64() uint64 {
	if b := r.bytes(8); b != nil {
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}

// cachedSnapshot returns the cached snapshot of digest, if there is a
// sound one within the memory limit.
func (e *Engine) cachedSnapshot(digest string) (*snapshotResult, error) {
	path := e.snapshotCachePath(digest)
	if path == "" {
		return nil, errors.New("no cache")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	snap, err := decodeSnapshot(b, e.opts.MaxMemoryPages)
	if err != nil {
		return nil, fmt.Errorf("cached snapshot %s: %w", path, err)
	}
	return snap, nil
}

// cacheSnapshot writes snap to the cache atomically.
func (e *Engine) cacheSnapshot(digest string, snap *snapshotResult) error {
	path := e.snapshotCachePath(digest)
	if path == "" {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return atomicfile.Write(path, encodeSnapshot(snap), 0o600)
}

// withDataSegments is the module bare (a snapshot without data segments)
// with memory's runs as its data segments: the snapshot module whole.
func withDataSegments(bare, memory []byte, runs []memRun) ([]byte, error) {
	secs, err := splitModule(bare)
	if err != nil {
		return nil, err
	}
	found := false
	for i := range secs {
		switch secs[i].id {
		case sectionData:
			secs[i].body, found = encodeData(memory, runs), true
		case sectionDataCount:
			secs[i].body = appendLEB(nil, uint32(len(runs)))
		}
	}
	if !found {
		return nil, errors.New("the snapshot has no data section")
	}
	return joinModule(secs), nil
}

// uncacheSnapshot deletes the cached snapshot of digest, if any.
func (e *Engine) uncacheSnapshot(digest string) {
	if path := e.snapshotCachePath(digest); path != "" {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			e.opts.Logger.Warn("cached snapshot not deleted", "component", digest[:12], "error", err.Error())
		}
	}
}
