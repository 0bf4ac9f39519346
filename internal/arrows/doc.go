// Package arrows holds the test of the module's import arrows: which of
// its parts may import which. It has no code of its own.
package arrows
