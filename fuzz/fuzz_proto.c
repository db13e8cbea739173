/* fuzz_proto.c — libFuzzer target for the first code hostile bytes meet:
 * proto_check_header and proto_decode (libcommon/proto.c), and the
 * /proc/PID/status parser of the access check (applets/dived/access.c).
 *
 * Each input is decoded twice: as it is (the length field usually
 * disagrees, as in an attack) and with the length field patched to the
 * input size, so that the fuzzer gets past that check to the fd numbers
 * and strings. Every decoded string is walked to its NUL, so a string
 * that is not terminated inside the buffer is an ASan report. */
#include "proto.h"
#include "access.h"
#include <stdlib.h>
#include <string.h>

static void walk(char **v, uint32_t n)
{
	size_t total = 0;
	for (uint32_t i = 0; i < n; i++)
		total += strlen(v[i]);
	if (v[n] != NULL)
		abort();
	(void)total;
}

static void decode(char *buf, size_t size)
{
	struct request r;
	int vm;
	if (size >= sizeof(struct req_header))
		proto_check_header((const struct req_header *)buf, &vm);
	if (proto_decode(&r, buf, size) == 0) {
		if (r.h.length != size || r.h.nfds > PROTO_MAX_FDS)
			abort();
		for (uint32_t i = 1; i < r.h.nfds; i++)
			if (r.fdnum[i] <= r.fdnum[i - 1])
				abort();
		walk(r.argv, r.h.argc);
		walk(r.envp, r.h.envc);
		proto_free(&r);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size heap copy: any read past the end is caught */
	char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	decode(buf, size);
	if (size >= sizeof(struct req_header)) {
		uint32_t len = (uint32_t)size;
		memcpy(buf + offsetof(struct req_header, length), &len, 4);
		decode(buf, size);
	}
	static const unsigned ids[] = { 0, 4242, 65534 };
	memcpy(buf, data, size);
	buf[size] = 0;
	access_status_line(buf, "Groups:", ids, 3);
	access_status_line(buf, "Gid:", ids, 3);
	free(buf);
	return 0;
}
