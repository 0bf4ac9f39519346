package p2p

import "time"

// SetAdmissionTimings shortens admissionGrace and admissionBan for a test;
// call the returned function to restore them.
func SetAdmissionTimings(grace, ban time.Duration) (restore func()) {
	g, b := admissionGrace, admissionBan
	admissionGrace, admissionBan = grace, ban
	return func() { admissionGrace, admissionBan = g, b }
}
