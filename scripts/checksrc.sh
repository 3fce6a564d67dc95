#!/bin/sh
# House rules a compiler does not check (see STYLE.md): no unbounded
# string functions, no atoi-style parsing, no files past 1,000 lines.
set -u
cd "$(dirname "$0")/.."
bad=0
if grep -nE '\b(sprintf|vsprintf|strcpy|strcat|gets|atoi|atol|atoll|strtok)[[:space:]]*\(' \
	$(find src tools tests -name '*.[ch]' | sort); then
	echo "checksrc: use snprintf, bounded copies and str_to_i64 instead"
	bad=1
fi
for f in $(find src -name '*.[ch]' | sort); do
	n=$(wc -l < "$f")
	if [ "$n" -gt 1100 ]; then
		echo "checksrc: $f has $n lines: split it by noun"
		bad=1
	fi
done
[ $bad -eq 0 ] && echo "checksrc: ok"
exit $bad
