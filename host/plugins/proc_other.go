//go:build !unix

package plugins

import "os/exec"

// killGroupOnCancel leaves cmd as it is: without process groups only cmd
// itself is killed when its context ends.
func killGroupOnCancel(*exec.Cmd) {}
