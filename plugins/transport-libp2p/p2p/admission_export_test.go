package p2p

import "time"

// SetAdmissionTimings shortens admissionGrace and admissionBan for a test;
// call the returned function to restore them.
func SetAdmissionTimings(grace, ban time.Duration) (restore func()) {
	g, b := admissionGrace.Swap(int64(grace)), admissionBan.Swap(int64(ban))
	return func() { admissionGrace.Store(g); admissionBan.Store(b) }
}
