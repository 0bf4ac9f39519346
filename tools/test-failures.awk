# test-failures.awk reads the output of `go test -v` and prints, for each
# top-level test that failed, the messages its tests wrote (the
# file_test.go:N: lines), without the logs that failing tests dump.
#
#   awk -f tools/test-failures.awk e2e.log
/^=== (RUN|NAME|CONT|PAUSE)/ {
	split($3, parts, "/")
	cur = parts[1]
	next
}
/^[ \t]+[A-Za-z0-9_]+_test\.go:[0-9]+: / {
	if (length($0) > 600) {
		line = substr($0, 1, 600) " …"
	} else {
		line = $0
	}
	msgs[cur] = msgs[cur] line "\n"
	next
}
/^[ \t]*--- FAIL: / {
	split($3, parts, "/")
	if (!(parts[1] in failed)) {
		failed[parts[1]] = 1
		order[++n] = parts[1]
	}
	if (!($0 in seen)) {
		seen[$0] = 1
		fails[parts[1]] = fails[parts[1]] $0 "\n"
	}
}
END {
	for (i = 1; i <= n; i++) {
		t = order[i]
		printf "== %s\n%s%s", t, msgs[t], fails[t]
	}
}
