package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestCommandLine(t *testing.T) {
	cases := []struct {
		args       []string
		code       int
		out, errOK string
	}{
		{nil, 2, "", "Commands:"},
		{[]string{"help"}, 0, "Commands:", ""},
		{[]string{"bogus"}, 2, "", `unknown command "bogus"`},
		{[]string{"version"}, 0, "plugin protocol 1", ""},
		{[]string{"version", "extra"}, 2, "", `unexpected argument "extra"`},
		{[]string{"run", "--help"}, 0, "", "-plugins"},
		{[]string{"run", "--bogus"}, 2, "", "flag provided but not defined: -bogus"},
		{[]string{"run", "--port", "x"}, 2, "", "1..65535"},
		{[]string{"run", "stray"}, 2, "", `unexpected argument "stray"`},
		{[]string{"run", "--config", "/does/not/exist.toml"}, 1, "", "exist.toml"},
		{[]string{"plugins", "--help"}, 0, "", "-json"},
		{[]string{"plugins", "/does/not/exist"}, 1, "", "plugins folder"},
		{[]string{"plugins", "a", "b"}, 2, "", `unexpected argument "b"`},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Main(context.Background(), c.args, &stdout, &stderr)
			if code != c.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, c.code, &stdout, &stderr)
			}
			if !strings.Contains(stdout.String(), c.out) {
				t.Errorf("stdout %q does not contain %q", &stdout, c.out)
			}
			if !strings.Contains(stderr.String(), c.errOK) {
				t.Errorf("stderr %q does not contain %q", &stderr, c.errOK)
			}
		})
	}
}
