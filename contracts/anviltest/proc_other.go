//go:build !linux

package anviltest

import "syscall"

// sysProcAttr has nothing to add outside Linux: there a killed test binary
// may leave anvil running until it is stopped by hand.
func sysProcAttr() *syscall.SysProcAttr { return nil }
