package wasip2

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"syscall"

	"github.com/wavs-go/wavs/host/engine/component/cabi"
)

// errorCode is wasi:filesystem/types error-code, by case index.
type errorCode uint32

const (
	ecAccess errorCode = iota
	ecWouldBlock
	ecAlready
	ecBadDescriptor
	ecBusy
	ecDeadlock
	ecQuota
	ecExist
	ecFileTooLarge
	ecIllegalByteSequence
	ecInProgress
	ecInterrupted
	ecInvalid
	ecIO
	ecIsDirectory
	ecLoop
	ecTooManyLinks
	ecMessageSize
	ecNameTooLong
	ecNoDevice
	ecNoEntry
	ecNoLock
	ecInsufficientMemory
	ecInsufficientSpace
	ecNotDirectory
	ecNotEmpty
	ecNotRecoverable
	ecUnsupported
	ecNoTTY
	ecNoSuchDevice
	ecOverflow
	ecNotPermitted
	ecPipe
	ecReadOnly
	ecInvalidSeek
	ecTextFileBusy
	ecCrossDevice
)

var tErrorCode = cabi.EnumOf(
	"access", "would-block", "already", "bad-descriptor", "busy", "deadlock",
	"quota", "exist", "file-too-large", "illegal-byte-sequence", "in-progress",
	"interrupted", "invalid", "io", "is-directory", "loop", "too-many-links",
	"message-size", "name-too-long", "no-device", "no-entry", "no-lock",
	"insufficient-memory", "insufficient-space", "not-directory", "not-empty",
	"not-recoverable", "unsupported", "no-tty", "no-such-device", "overflow",
	"not-permitted", "pipe", "read-only", "invalid-seek", "text-file-busy",
	"cross-device",
)

// fsError is a filesystem failure with its error-code.
type fsError struct {
	code errorCode
	err  error
}

func (e *fsError) Error() string { return e.err.Error() }
func (e *fsError) Unwrap() error { return e.err }

var errnoCodes = map[syscall.Errno]errorCode{
	syscall.EACCES: ecAccess, syscall.EAGAIN: ecWouldBlock, syscall.EBADF: ecBadDescriptor,
	syscall.EBUSY: ecBusy, syscall.EEXIST: ecExist, syscall.EFBIG: ecFileTooLarge,
	syscall.EINTR: ecInterrupted, syscall.EINVAL: ecInvalid, syscall.EIO: ecIO,
	syscall.EISDIR: ecIsDirectory, syscall.ELOOP: ecLoop, syscall.EMLINK: ecTooManyLinks,
	syscall.ENAMETOOLONG: ecNameTooLong, syscall.ENODEV: ecNoDevice, syscall.ENOENT: ecNoEntry,
	syscall.ENOMEM: ecInsufficientMemory, syscall.ENOSPC: ecInsufficientSpace,
	syscall.ENOTDIR: ecNotDirectory, syscall.ENOTEMPTY: ecNotEmpty, syscall.ENOSYS: ecUnsupported,
	syscall.ENXIO: ecNoSuchDevice, syscall.EPERM: ecNotPermitted, syscall.EPIPE: ecPipe,
	syscall.EROFS: ecReadOnly, syscall.ESPIPE: ecInvalidSeek, syscall.EXDEV: ecCrossDevice,
}

// codeOf maps an error from the os package to an error-code.
func codeOf(err error) errorCode {
	var fe *fsError
	if errors.As(err, &fe) {
		return fe.code
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		if c, ok := errnoCodes[errno]; ok {
			return c
		}
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return ecNoEntry
	case errors.Is(err, fs.ErrExist):
		return ecExist
	case errors.Is(err, fs.ErrPermission):
		return ecAccess
	case errors.Is(err, os.ErrClosed):
		return ecBadDescriptor
	case strings.Contains(err.Error(), "path escapes from parent"):
		// os.Root's refusal of ".." or a symlink leaving the folder.
		return ecNotPermitted
	}
	return ecIO
}

// errorCodeOf is the error-code a wasi:io/error made from err stands for
// (filesystem-error-code), or -1 when err is not a filesystem failure.
func errorCodeOf(err error) int {
	var fe *fsError
	var pe *fs.PathError
	if errors.As(err, &fe) || errors.As(err, &pe) {
		return int(codeOf(err))
	}
	return -1
}

// fsErr is the err side of a result<_, error-code>.
func fsErr(err error) ([]cabi.Value, error) {
	return one(cabi.Err(cabi.Enum(codeOf(err))))
}

func fsFail(c errorCode, err error) error { return &fsError{code: c, err: err} }
