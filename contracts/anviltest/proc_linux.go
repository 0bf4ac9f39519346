package anviltest

import "syscall"

// sysProcAttr makes the kernel kill anvil when the process that started it
// dies, so that a killed test binary leaves no chain behind.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
