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
		{[]string{"--help"}, 0, "service status", ""},
		{[]string{"bogus"}, 2, "", `unknown command "bogus"`},
		{[]string{"version"}, 0, "plugin protocol 2", ""},
		{[]string{"version", "extra"}, 2, "", `unexpected argument "extra"`},
		{[]string{"run", "--bogus"}, 2, "", "flag provided but not defined: -bogus"},
		{[]string{"run", "--port", "x"}, 2, "", "1..65535"},
		{[]string{"run", "stray"}, 2, "", `unexpected argument "stray"`},
		{[]string{"run", "--config", "/does/not/exist.toml"}, 1, "", "exist.toml"},
		{[]string{"plugins", "/does/not/exist"}, 1, "", "plugins folder"},
		{[]string{"plugins", "a", "b"}, 2, "", `unexpected argument "b"`},
		{[]string{"plugins", "/does/not/exist", "--json"}, 1, "", "plugins folder"},
		{[]string{"exec"}, 2, "", "--component is required"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Main(context.Background(), c.args, strings.NewReader(""), &stdout, &stderr)
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

// commands lists every command and subcommand with a flag its usage names.
var commands = []struct {
	args []string
	flag string // a flag the usage lists
}{
	{[]string{"run"}, "-plugins"},
	{[]string{"exec"}, "-component"},
	{[]string{"plugins"}, "-json"},
	{[]string{"version"}, ""},
	{[]string{"component", "add"}, "-node"},
	{[]string{"service", "add"}, "-manager"},
	{[]string{"service", "list"}, "-node"},
	{[]string{"service", "status"}, "-limit"},
	{[]string{"service", "remove"}, "-token"},
	{[]string{"service", "reset"}, "-token"},
	{[]string{"component", "remove"}, "-node"},
	{[]string{"p2p", "status"}, "-timeout"},
	{[]string{"signer"}, "-json"},
}

func TestEveryCommandAnswersHelp(t *testing.T) {
	for _, c := range commands {
		for _, help := range []string{"--help", "-h"} {
			args := append(append([]string{}, c.args...), help)
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				var stdout, stderr bytes.Buffer
				if code := Main(context.Background(), args, strings.NewReader(""), &stdout, &stderr); code != 0 {
					t.Errorf("exit %d, want 0; stderr: %s", code, &stderr)
				}
				want := "Usage: wavs " + strings.Join(c.args, " ")
				if !strings.HasPrefix(stdout.String(), want) || !strings.Contains(stdout.String(), c.flag) {
					t.Errorf("stdout %q: want the usage, starting %q and naming %q", &stdout, want, c.flag)
				}
				if stderr.Len() != 0 {
					t.Errorf("stderr %q, want nothing", &stderr)
				}
			})
		}
	}
	for _, group := range []string{"service", "p2p"} {
		t.Run(group+" --help", func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := Main(context.Background(), []string{group, "--help"}, nil, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "Commands:") || stderr.Len() != 0 {
				t.Errorf("exit %d, stdout %q, stderr %q; want 0 and the group's commands on stdout", code, &stdout, &stderr)
			}
		})
	}
}

func TestEveryCommandRejectsABadFlag(t *testing.T) {
	for _, c := range commands {
		args := append(append([]string{}, c.args...), "--bogus")
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := Main(context.Background(), args, strings.NewReader(""), &stdout, &stderr); code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if !strings.Contains(stderr.String(), "flag provided but not defined: -bogus") || !strings.Contains(stderr.String(), "Usage: wavs "+strings.Join(c.args, " ")) {
				t.Errorf("stderr %q: want the reason and the usage", &stderr)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout %q, want nothing", &stdout)
			}
		})
	}
}
