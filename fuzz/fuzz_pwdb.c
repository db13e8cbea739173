/* fuzz_pwdb.c — libFuzzer target for the bounded passwd/group parser
 * (libcommon/pwdb.c), the one reader used on files someone else controls
 * (a container's /etc) and the musl build's reader of the host's.
 *
 * Input: one mode byte, a name (up to the first NUL, at most 63 bytes),
 * then the file text. Modes: user by name, user by uid (the mode byte's
 * high bits), group by name, grouplist of the name with a small list (so
 * that "more than fit" is reached). The text is handed over in its own
 * heap block, exactly as large as it is, so that any read or write past
 * it is an ASan report; every result is checked for its bounds. */
#include "pwdb.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_str(const char *s, size_t size)
{
	if (strnlen(s, size) >= size)
		abort(); /* not terminated inside its field */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pwent pw;
	gid_t gid, list[4];
	char name[64];
	size_t i;
	int n, r;

	if (size < 1)
		return 0;
	unsigned mode = data[0];
	data++, size--;
	for (i = 0; i < size && i < sizeof(name) - 1 && data[i]; i++)
		name[i] = (char)data[i];
	name[i] = 0;
	if (i < size && !data[i])
		i++;
	data += i, size -= i;
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;

	switch (mode & 3) {
	case 0:
	case 1:
		memset(&pw, 0x55, sizeof(pw));
		r = pwdb_parse_user(text, (mode & 3) ? NULL : name,
				    (uid_t)(mode >> 2), &pw);
		if (r == 0) {
			check_str(pw.name, sizeof(pw.name));
			check_str(pw.home, sizeof(pw.home));
			check_str(pw.shell, sizeof(pw.shell));
			if ((mode & 3) && pw.uid != (uid_t)(mode >> 2))
				abort(); /* found by uid, but another uid */
			if (!(mode & 3) && strcmp(pw.name, name))
				abort(); /* found by name, but another name */
		} else if (r != -1) {
			abort();
		}
		break;
	case 2:
		r = pwdb_parse_group(text, name, &gid);
		if (r != 0 && r != -1)
			abort();
		break;
	default:
		n = (int)(mode >> 2) % 5; /* room 0..4 */
		r = pwdb_parse_grouplist(text, name, (gid_t)(mode >> 4), list, &n);
		if (r == 0 && (n < 0 || n > (int)(mode >> 2) % 5))
			abort(); /* more than there was room for */
		if (r == 0 && n > 0 && list[0] != (gid_t)(mode >> 4))
			abort(); /* the primary group comes first */
		for (int a = 0; r == 0 && a < n; a++)
			for (int b = a + 1; b < n; b++)
				if (list[a] == list[b])
					abort(); /* a repeat */
		break;
	}
	free(text);
	return 0;
}
