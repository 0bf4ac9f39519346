package plugins

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
)

// TestPluginLogsRedacted: what a plugin logs reaches the node's log with
// the credentials of any URL in it removed, however it was logged.
func TestPluginLogsRedacted(t *testing.T) {
	const secretURL = "https://user:hunter2@rpc.example.com/v2/0123456789abcdef0123456789abcdef?apikey=s3cr3tvalue"
	secrets := []string{"hunter2", "0123456789abcdef0123456789abcdef", "s3cr3tvalue"}
	cases := []struct {
		name string
		log  func(l hclog.Logger)
	}{
		{"message", func(l hclog.Logger) { l.Info("dialing " + secretURL) }},
		{"string arg", func(l hclog.Logger) { l.Warn("dial failed", "endpoint", secretURL) }},
		{"error arg", func(l hclog.Logger) { l.Error("dial failed", "error", errors.New("dial "+secretURL+": refused")) }},
		{"bytes arg", func(l hclog.Logger) { l.Debug("raw", "line", []byte(secretURL)) }},
		{"named and with", func(l hclog.Logger) { l.Named("sub").With("endpoint", secretURL).Trace("x") }},
		{"log level", func(l hclog.Logger) { l.Log(hclog.Info, secretURL) }},
		{"reset named", func(l hclog.Logger) { l.ResetNamed("other").Info(secretURL) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			base := hclog.New(&hclog.LoggerOptions{Output: &buf, Level: hclog.Trace})
			c.log(redacting(base))
			out := buf.String()
			if !strings.Contains(out, "rpc.example.com") {
				t.Errorf("the host is gone too: %q", out)
			}
			for _, s := range secrets {
				if strings.Contains(out, s) {
					t.Errorf("%q in the log: %q", s, out)
				}
			}
		})
	}
	if l := redacting(hclog.NewNullLogger()); redacting(l) != l {
		t.Error("a redacting logger is wrapped twice")
	}
}
