package wasip2

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// Quota bounds what a preopened folder holds: the bytes of its files (the
// size stat reports, so a sparse file counts at its full length) and its
// entries (files, folders and links; the folder itself is not one).
//
// One Quota stands for one folder and is shared by every execution that
// preopens it (a service's executions, concurrent or not). Every change a
// guest makes to the folder goes through it under its mutex: the size a
// change adds is checked before it is made and counted from what was
// done, so usage stays exact and concurrent executions together never go
// past the limits. A change that would go past them fails with
// error-code.insufficient-space and changes nothing.
//
// Two things are held outside the count: the folders' own blocks (bounded
// by the entry limit), and a file removed while some execution still has
// it open, which stays counted until its last descriptor is closed (on
// Unix; elsewhere its bytes are released at the removal).
type Quota struct {
	maxBytes, maxEntries int64

	mu      sync.Mutex
	bytes   int64
	entries int64
	open    map[fileKey]*openFile // files open through descriptors
	closed  bool                  // the folder was removed: no more changes
}

// openFile is a file some descriptor of the folder has open.
type openFile struct {
	refs     int
	unlinked bool // its last name is gone: its bytes go when refs is 0
}

// NewQuota scans dir (not following links) for its usage and returns its
// Quota. maxBytes or maxEntries <= 0 leaves that side unbounded. A folder
// already past its limits (they were lowered) is scanned as it is: only
// what would grow it further fails.
func NewQuota(dir string, maxBytes, maxEntries int64) (*Quota, error) {
	q := &Quota{maxBytes: maxBytes, maxEntries: maxEntries, open: map[fileKey]*openFile{}}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path == dir {
			return nil
		}
		q.entries++
		if d.IsDir() {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				q.entries--
				return nil
			}
			return err
		}
		q.bytes += fi.Size()
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("scan %s: %w", dir, err)
	}
	return q, nil
}

// Usage is what the folder holds now: bytes of files and entries.
func (q *Quota) Usage() (bytes, entries int64) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.bytes, q.entries
}

// Close refuses every later change through q: its folder is being
// removed. Changes in progress finish first.
func (q *Quota) Close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
}

var errNoSpace = errors.New("the service's folder is full")

// lock takes q's mutex for one change; a nil Quota (no limits, no
// accounting) locks nothing.
func (q *Quota) lock() error {
	if q == nil {
		return nil
	}
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return fsFail(ecNoEntry, errors.New("the service's folder was removed"))
	}
	return nil
}

func (q *Quota) unlock() {
	if q != nil {
		q.mu.Unlock()
	}
}

// fits checks that adding bytes and entries stays within the limits.
// Called with q locked.
func (q *Quota) fits(bytes, entries int64) error {
	if q == nil {
		return nil
	}
	if bytes > 0 && q.maxBytes > 0 && q.bytes+bytes > q.maxBytes {
		return fsFail(ecInsufficientSpace, fmt.Errorf("%w: %d more bytes would make %d, over its quota of %d", errNoSpace, bytes, q.bytes+bytes, q.maxBytes))
	}
	if entries > 0 && q.maxEntries > 0 && q.entries+entries > q.maxEntries {
		return fsFail(ecInsufficientSpace, fmt.Errorf("%w: it holds %d files and folders, its quota", errNoSpace, q.entries))
	}
	return nil
}

// add counts a change that was made. Called with q locked.
func (q *Quota) add(bytes, entries int64) {
	if q == nil {
		return
	}
	q.bytes = max(q.bytes+bytes, 0)
	q.entries = max(q.entries+entries, 0)
}

// opened notes that a descriptor has fi's file open. Called with q locked.
func (q *Quota) opened(fi fs.FileInfo) (fileKey, bool) {
	k, ok := keyOf(fi)
	if q == nil || !ok {
		return k, false
	}
	of := q.open[k]
	if of == nil {
		of = &openFile{}
		q.open[k] = of
	}
	of.refs++
	return k, true
}

// closing notes that a descriptor of k is being closed; f is its file,
// still open. The last descriptor of a removed file releases its bytes.
func (q *Quota) closing(k fileKey, f *os.File) {
	if q == nil {
		return
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	of := q.open[k]
	if of == nil {
		return
	}
	if of.refs--; of.refs > 0 {
		return
	}
	delete(q.open, k)
	if of.unlinked {
		if fi, err := f.Stat(); err == nil {
			q.add(-fi.Size(), 0)
		}
	}
}

// removed counts the removal of fi's entry (a file replaced by a rename
// too). A file some descriptor has open keeps its bytes counted until it
// is closed. Called with q locked.
func (q *Quota) removed(fi fs.FileInfo) {
	if q == nil {
		return
	}
	if fi.IsDir() {
		q.add(0, -1)
		return
	}
	if k, ok := keyOf(fi); ok && linkCount(fi) <= 1 {
		if of := q.open[k]; of != nil {
			of.unlinked = true
			q.add(0, -1)
			return
		}
	}
	q.add(-fi.Size(), -1)
}
