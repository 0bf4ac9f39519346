// Package version holds the build's version, set by the Makefile with
// -ldflags "-X github.com/wavs-go/wavs/internal/version.Version=...".
package version

// Version of this build of wavs and its bundled plugins.
var Version = "dev"
