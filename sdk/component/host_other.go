//go:build !wasip1

package component

// Outside wasip1 there is no host: every call fails with ErrNoHost, and
// Log does nothing.

func hostLog(int32, []byte)                {}
func hostKVGet([]byte) (int32, error)      { return 0, ErrNoHost }
func hostKVSet(_, _ []byte) (int32, error) { return 0, ErrNoHost }
func hostKVDelete([]byte) (int32, error)   { return 0, ErrNoHost }
func hostHTTPFetch([]byte) (int32, error)  { return 0, ErrNoHost }
func hostResultRead([]byte) (int32, error) { return 0, ErrNoHost }
