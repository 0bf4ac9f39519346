package aggregator

import (
	"hash/maphash"
	"sync"

	"github.com/wavs-go/wavs/host/service"
)

// eventLocks serialise work on one event without holding up the others:
// an event id maps to one of a fixed set of mutexes (two events may share
// one, rarely, which only makes one wait for the other).
type eventLocks struct {
	once  sync.Once
	seed  maphash.Seed
	locks [64]sync.Mutex
}

// lock locks the event's mutex and returns its unlock.
func (l *eventLocks) lock(eventID service.EventID) (unlock func()) {
	l.once.Do(func() { l.seed = maphash.MakeSeed() })
	m := &l.locks[maphash.Bytes(l.seed, eventID[:])%uint64(len(l.locks))]
	m.Lock()
	return m.Unlock
}
