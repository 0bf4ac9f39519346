// Package sdkmodule checks the SDK as a module that others require by
// version (github.com/wavs-go/wavs/sdk at the version in sdk/VERSION):
// its tests build a third-party plugin module outside this tree, against
// the SDK served by a module proxy made from sdk/, with no replace
// directive and no workspace. It has no code of its own.
package sdkmodule
