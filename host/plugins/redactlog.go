package plugins

import (
	"github.com/hashicorp/go-hclog"

	"github.com/wavs-go/wavs/internal/redact"
)

// redactingLogger is the logger a plugin's own log lines go through: a
// plugin is not the host's code, and a URL it logs (an RPC endpoint with a
// key in its path, a userinfo password) is redacted before it reaches the
// node's log.
type redactingLogger struct {
	hclog.Logger
}

// redacting wraps l, once.
func redacting(l hclog.Logger) hclog.Logger {
	if _, ok := l.(redactingLogger); ok {
		return l
	}
	return redactingLogger{l}
}

func redactArgs(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string:
			out[i] = redact.Text(v)
		case error:
			out[i] = redact.Text(v.Error())
		case []byte:
			out[i] = redact.Text(string(v))
		default:
			out[i] = a
		}
	}
	return out
}

func (l redactingLogger) Log(level hclog.Level, msg string, args ...any) {
	l.Logger.Log(level, redact.Text(msg), redactArgs(args)...)
}

func (l redactingLogger) Trace(msg string, args ...any) {
	l.Logger.Trace(redact.Text(msg), redactArgs(args)...)
}

func (l redactingLogger) Debug(msg string, args ...any) {
	l.Logger.Debug(redact.Text(msg), redactArgs(args)...)
}

func (l redactingLogger) Info(msg string, args ...any) {
	l.Logger.Info(redact.Text(msg), redactArgs(args)...)
}

func (l redactingLogger) Warn(msg string, args ...any) {
	l.Logger.Warn(redact.Text(msg), redactArgs(args)...)
}

func (l redactingLogger) Error(msg string, args ...any) {
	l.Logger.Error(redact.Text(msg), redactArgs(args)...)
}

func (l redactingLogger) With(args ...any) hclog.Logger {
	return redactingLogger{l.Logger.With(redactArgs(args)...)}
}

func (l redactingLogger) Named(name string) hclog.Logger {
	return redactingLogger{l.Logger.Named(name)}
}

func (l redactingLogger) ResetNamed(name string) hclog.Logger {
	return redactingLogger{l.Logger.ResetNamed(name)}
}
