/* fuzz_options.c — libFuzzer target for dived's option handling: the
 * whole of dived_parse() (applets/dived/cmdline.c: opt_next, plan_option,
 * the cross-option checks, --allow-*, --chown, --rlimit, caps, namespace
 * lists...).
 *
 * The input is an argv: NUL-separated words. Usage errors end in die()
 * or exit(), which would end the fuzzer; this target is linked with
 * -Wl,--wrap=_exit,--wrap=exit so that they longjmp back here instead —
 * no source change needed, and an error path is fuzzed like any other.
 * Nothing is executed: only parsing. */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"

static jmp_buf back;
static int armed;

void __real__exit(int code) __attribute__((noreturn));
void __real_exit(int code) __attribute__((noreturn));

void __wrap__exit(int code)
{
	if (armed)
		longjmp(back, 1);
	__real__exit(code);
}

void __wrap_exit(int code)
{
	if (armed)
		longjmp(back, 1);
	__real_exit(code);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct server sv;
	char *words = malloc(size + 1);
	char *argv[66];
	int argc = 0;
	if (!words)
		return 0;
	memcpy(words, data, size);
	words[size] = 0;
	argv[argc++] = "dived";
	for (char *p = words; p < words + size && argc < 65;
	     p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	applet_name = "dived";
	armed = 1;
	if (!setjmp(back)) {
		dived_parse(&sv, argc, argv);
	}
	armed = 0;
	free(words);
	return 0;
}
