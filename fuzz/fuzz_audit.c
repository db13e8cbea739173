/* fuzz_audit.c — libFuzzer target for the audit line's escaping
 * (audit_escape, applets/dived/audit.c), the one thing between
 * client-chosen text (user name, argv[0], refusal reasons) and the log.
 *
 * The rule (audit.h): no control character reaches the log, no space a
 * field, no '=' the outcome, so neither a line nor a field can be forged.
 * Input: user, argv0 and outcome text, NUL-separated. Each part is
 * escaped in its own heap block, exactly as large as it is plus one
 * canary byte, so that a write past the string is an ASan report or a
 * changed canary. Checked: the result is exactly what an oracle written
 * another way (the Unicode standard's table of well-formed UTF-8 byte
 * sequences, Table 3-7) says: every byte the rule forbids became '?',
 * every other byte is unchanged (nothing else is lost); the string ends
 * where it did, escaping twice changes nothing, and a line laid out as
 * write_line() does parses back into exactly its six parts with the same
 * values. */
#include "audit.h"
#include "util.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int forbidden(unsigned char c, int outcome)
{
	return c < 0x20 || c == 0x7f || (!outcome && c == ' ') ||
	       (outcome && c == '=');
}

/* Table 3-7: the second byte's range for a lead byte; 0 if no lead. */
static int second_range(unsigned char b, unsigned char *lo, unsigned char *hi)
{
	*lo = 0x80, *hi = 0xbf;
	if (b >= 0xc2 && b <= 0xdf)
		return 2;
	if (b == 0xe0)
		return *lo = 0xa0, 3;
	if (b == 0xed)
		return *hi = 0x9f, 3;
	if (b >= 0xe1 && b <= 0xef)
		return 3;
	if (b == 0xf0)
		return *lo = 0x90, 4;
	if (b == 0xf4)
		return *hi = 0x8f, 4;
	if (b >= 0xf1 && b <= 0xf3)
		return 4;
	return 0;
}

/* C1, ALM, LRM/RLM, U+2028-202E, U+2066-2069: by their encodings */
static int banned(const uint8_t *q, int n)
{
	if (n == 2)
		return (q[0] == 0xc2 && q[1] <= 0x9f) ||
		       (q[0] == 0xd8 && q[1] == 0x9c);
	if (n != 3 || q[0] != 0xe2)
		return 0;
	return (q[1] == 0x80 && (q[2] == 0x8e || q[2] == 0x8f ||
				 (q[2] >= 0xa8 && q[2] <= 0xae))) ||
	       (q[1] == 0x81 && q[2] >= 0xa6 && q[2] <= 0xa9);
}

/* What the escaping must make of in[0..len). */
static void oracle(const uint8_t *in, size_t len, int outcome, char *want)
{
	for (size_t i = 0; i < len;) {
		unsigned char lo, hi;
		int n = in[i] < 0x80 ? 1 : second_range(in[i], &lo, &hi);
		int ok = n > 0;
		for (int k = 1; ok && k < n; k++)
			ok = i + (size_t)k < len &&
			     in[i + k] >= (k == 1 ? lo : 0x80) &&
			     in[i + k] <= (k == 1 ? hi : 0xbf);
		if (n == 1 && forbidden(in[i], outcome))
			ok = 0;
		if (!ok || banned(in + i, n)) {
			want[i++] = '?';
			continue;
		}
		memcpy(want + i, in + i, (size_t)n);
		i += (size_t)n;
	}
	want[len] = 0;
}

/* Escape a copy of in[0..len) (len: up to the first NUL) and check it. */
static char *escaped(const uint8_t *in, size_t len, int outcome)
{
	char *s = malloc(len + 2);
	if (!s)
		abort();
	memcpy(s, in, len);
	s[len] = 0;
	s[len + 1] = 0x5a; /* canary */
	audit_escape(s, outcome);
	if (s[len] != 0 || s[len + 1] != 0x5a)
		abort(); /* terminator or the byte past it moved */
	char *want = malloc(len + 1);
	if (!want)
		abort();
	oracle(in, len, outcome, want);
	if (memcmp(s, want, len + 1))
		abort(); /* forbidden byte kept, or a good one changed */
	free(want);
	for (size_t i = 0; i < len; i++)
		if (forbidden((unsigned char)s[i], outcome))
			abort();
	char *again = strdup(s);
	if (!again)
		abort();
	audit_escape(again, outcome);
	if (strcmp(again, s))
		abort(); /* not idempotent */
	free(again);
	return s;
}

/* Next part of the input: up to a NUL or the end. */
static const uint8_t *part(const uint8_t **p, const uint8_t *end, size_t *len)
{
	const uint8_t *s = *p, *z = memchr(s, 0, (size_t)(end - s));
	*len = (size_t)((z ? z : end) - s);
	*p = z ? z + 1 : end;
	return s;
}

static void expect(const char **p, const char *want)
{
	size_t n = strlen(want);
	if (strncmp(*p, want, n))
		abort(); /* a field out of its place: forged */
	*p += n;
}

/* Take the value up to the next space; it must be `want`. */
static void value(const char **p, const char *want)
{
	const char *sp = strchr(*p, ' ');
	if (!sp || (size_t)(sp - *p) != strlen(want) ||
	    strncmp(*p, want, strlen(want)))
		abort(); /* the field's value spilled over or was cut */
	*p = sp + 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	size_t ul, al, ol;
	const uint8_t *u = part(&p, end, &ul), *a = part(&p, end, &al),
		      *o = part(&p, end, &ol);
	char *user = escaped(u, ul, 0), *argv0 = escaped(a, al, 0),
	     *out = escaped(o, ol, 1);
	/* write_line()'s layout: time uid= pid= user= argv0= outcome */
	const char *uv = user[0] ? user : "?", *av = argv0[0] ? argv0 : "?";
	size_t n = 64 + strlen(uv) + strlen(av) + strlen(out);
	char *line = malloc(n);
	if (!line)
		abort();
	strjoin(line, n, "2026-12-02T00:00:00Z uid=1000 pid=42 user=", uv,
		" argv0=", av, " ", out, (char *)0);
	if (strpbrk(line, "\n\r"))
		abort(); /* a second line */
	const char *q = line;
	value(&q, "2026-12-02T00:00:00Z");
	expect(&q, "uid="), value(&q, "1000");
	expect(&q, "pid="), value(&q, "42");
	expect(&q, "user="), value(&q, uv);
	expect(&q, "argv0="), value(&q, av);
	if (strcmp(q, out) || strchr(q, '='))
		abort(); /* the outcome carries a key=value */
	free(line);
	free(user);
	free(argv0);
	free(out);
	return 0;
}
