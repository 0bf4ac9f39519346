//go:build !unix

package wasip2

import "io/fs"

// fileKey names a file whatever its names; without Unix inodes there is
// none, and a removed file's bytes are released at its removal.
type fileKey struct{}

func keyOf(fs.FileInfo) (fileKey, bool) { return fileKey{}, false }

func linkCount(fs.FileInfo) uint64 { return 1 }
