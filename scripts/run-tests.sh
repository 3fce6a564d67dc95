#!/bin/sh
# Runs test programs and sums their results: `run-tests.sh SUITE BIN...`.
# Each program is a cmocka (or compatible) test that prints
# "[  PASSED  ] N test(s)." and, on failure, "[  FAILED  ] N test(s)…".
# The suite's total is printed as "SUITE: N passed, N failed" and added
# to build/test-counts for `make check`'s closing line.
set -u
suite=$1
shift
passed=0
failed=0
broken=""
for t in "$@"; do
	out=$("$t" 2>&1)
	rc=$?
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	if [ $rc -ne 0 ]; then
		printf '%s\n' "$out" | tail -40
		echo "FAILED: $t (exit $rc)"
		broken="$broken $t"
		[ -z "$f" ] && failed=$((failed + 1))
	else
		echo "ok: $t (${p:-0} tests)"
	fi
done
mkdir -p build
echo "$suite $passed $failed" >> build/test-counts
echo "$suite: $passed passed, $failed failed"
[ -z "$broken" ]
