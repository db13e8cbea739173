#!/bin/sh
# run-suites-except.sh — run shunit2 suites like testsuite/run, but
# without the tests named in $SKIP_TESTS (for check-sanitize and
# check-valgrind: tests that cannot work with a dynamic or wrapped binary,
# whatever the code does; the caller says why). Prints one line per suite,
# the output of failing suites, and a summary; exit 1 on any failure.
#
#   SKIP_TESTS="test_a test_b" DIVEBOX=... TOP=... sh run-suites-except.sh SUITE...
#
# REPORT_DIR: where sanitizer/valgrind logs land; any non-empty file there
# afterwards is shown and fails the run (errors in forked handlers whose
# stderr no test reads, or in processes whose exit status no test sees).
: "${TOP:?}" "${DIVEBOX:?}"
export TOP DIVEBOX
RESULTS=$(mktemp "${TMPDIR:-/tmp}/divebox-results.XXXXXX")
LOG=$(mktemp "${TMPDIR:-/tmp}/divebox-log.XXXXXX")
export RESULTS
trap 'rm -f "$RESULTS" "$LOG"' EXIT INT TERM
rc=0
for suite in "$@"; do
	tests=$(sed -n 's/^\(test_[A-Za-z0-9_]*\)() *{.*/\1/p' "$suite" |
		grep -vxF "$(printf '%s\n' $SKIP_TESTS)")
	before=$(grep -c '^FAIL' "$RESULTS")
	start=$(date +%s)
	# shellcheck disable=SC2086
	bash "$suite" -- $tests >"$LOG" 2>&1
	src=$?
	after=$(grep -c '^FAIL' "$RESULTS")
	printf '%-24s %3d tests %3ss%s\n' "$(basename "$suite" .sh)" \
		"$(echo $tests | wc -w)" "$(( $(date +%s) - start ))" \
		"$([ "$after" = "$before" ] && [ $src -eq 0 ] || echo '  FAILED')"
	if [ "$after" != "$before" ] || [ $src -ne 0 ]; then
		sed 's/^/    /' "$LOG"
		rc=1
	fi
done
grep '^SKIP' "$RESULTS" | sed 's/^/  /'
echo "$(grep -c '^PASS' "$RESULTS") passed, $(grep -c '^FAIL' "$RESULTS") failed," \
	"$(grep -c '^SKIP' "$RESULTS") skipped; not run here: $(echo $SKIP_TESTS)"
if [ -n "$REPORT_DIR" ]; then
	bad=$(find "$REPORT_DIR" -type f -size +0 | wc -l)
	[ "$bad" -eq 0 ] || echo "errors reported by $bad process(es):"
	for f in $(find "$REPORT_DIR" -type f -size +0); do
		echo "==== $f"
		head -40 "$f"
		rc=1
	done
fi
exit $rc
