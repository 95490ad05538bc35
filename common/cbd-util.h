/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Small helpers shared by probes/, report/ and diag/: scope cleanup,
 * ownership hand-off and string/number helpers. Nothing here touches the
 * machine.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CBD_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define _cleanup_(fn) __attribute__((cleanup(fn)))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _unused_ __attribute__((unused))

/*
 * CBD_DEFINE_TRIVIAL_CLEANUP_FUNC(type, func) defines funcp(type *p), which
 * calls func(*p) when *p is set: the function _cleanup_(funcp) needs. Every
 * scope-cleanup helper of a pointer type is made with it.
 */
#define CBD_DEFINE_TRIVIAL_CLEANUP_FUNC(type, func)                                               \
	static inline void func##p(type *p)                                                        \
	{                                                                                          \
		if (*p)                                                                            \
			func(*p);                                                                  \
	}

static inline void
cbd_freep(void *p)
{
	free(*(void **)p);
}
#define _cleanup_free_ _cleanup_(cbd_freep)

static inline void
cbd_closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}
#define _cleanup_close_ _cleanup_(cbd_closep)

static inline void
cbd_fclose(FILE *f)
{
	fclose(f);
}
CBD_DEFINE_TRIVIAL_CLEANUP_FUNC(FILE *, cbd_fclose)
#define _cleanup_fclose_ _cleanup_(cbd_fclosep)

/* Hand ownership of *pp to the caller and leave NULL behind. */
#define steal_ptr(pp)                                                                              \
	({                                                                                         \
		__typeof__(*(pp)) _p = *(pp);                                                      \
		*(pp) = NULL;                                                                      \
		_p;                                                                                \
	})

static inline bool
streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static inline bool
strempty(const char *s)
{
	return !s || !*s;
}

/* Say "out of memory" and abort: what every allocation helper does on failure. */
_Noreturn void cbd_oom(void);
/* strdup that aborts on OOM and passes NULL through. */
char *cbd_strdup(const char *s);
/* asprintf that aborts on OOM. */
char *cbd_strdupf(const char *fmt, ...) _printf_(1, 2);
void *cbd_zalloc(size_t size);
void *cbd_realloc_array(void *p, size_t n, size_t size);

/* Strip leading and trailing white space (and NULs counted in @len) in place;
 * returns the new length. */
size_t cbd_strstrip(char *s);

/* Parse a whole string as a decimal (or 0x hex with @base 0) integer.
 * Returns 0, or -EINVAL when @s is not entirely a number, -ERANGE on overflow. */
int cbd_parse_ll(const char *s, int base, long long *ret);

/* Replace every character outside [A-Za-z0-9._-] with '_' (for file names). */
void cbd_filename_safe(char *s);

/*
 * A part of a file name made from an outside string (a serial, a ticket):
 * cbd_filename_safe, a leading '.' or '-' made '_' (no hidden or
 * option-like names), and at most @max bytes (>= 16): a longer one keeps
 * its first @max - 9 bytes and "~" with 8 hex digits of a hash of the whole
 * string, so that long serials sharing a start still get distinct names.
 * An empty or NULL @s gives @fallback. Caller frees.
 */
char *cbd_filename_part(const char *s, size_t max, const char *fallback);

/* True if every byte is printable ASCII (0x20..0x7e). */
bool cbd_is_printable_ascii(const char *s, size_t len);

/* Monotonic and wall clocks. */
uint64_t cbd_now_mono_ms(void);
uint64_t cbd_now_mono_us(void);
/* Format @epoch_s as RFC 3339 UTC ("2026-11-28T23:11:21Z") into @buf (>= 21 bytes). */
void cbd_format_utc(int64_t epoch_s, char *buf, size_t size);
/* "20261128T231121Z" (>= 17 bytes). */
void cbd_format_utc_compact(int64_t epoch_s, char *buf, size_t size);

/* Length of the valid UTF-8 sequence at @s (1..4), or 0 if invalid.
 * @avail is how many bytes may be read. Overlongs and surrogates are invalid. */
size_t cbd_utf8_seq_len(const unsigned char *s, size_t avail);
bool cbd_utf8_valid(const char *s, size_t len);
/*
 * The one rule for text from hardware, reports, servers or the command line
 * on its way to a terminal (or into a report): a code point that can drive a
 * terminal or hide text is unsafe. That is C0 and DEL, C1 (U+0080..U+009F;
 * U+009B is CSI on the Linux console), the soft hyphen, zero-width and bidi
 * controls (U+200B..U+200F, U+202A..U+202E, U+2066..U+2069), line and
 * paragraph separators (U+2028, U+2029), U+FEFF, other format characters and
 * tags. Tab is unsafe too; callers that keep it say so.
 */
bool cbd_codepoint_is_unsafe(uint32_t cp);
/* A copy of @s with each invalid UTF-8 byte and each unsafe code point
 * except tab (and newline if @keep_newlines) replaced by one '?'. NULL
 * passes through. The copy is never longer than @s. */
char *cbd_text_neutralise(const char *s, bool keep_newlines);
/* cbd_text_neutralise(@s, false): one line of text. */
char *cbd_text_sanitize(const char *s);
/* A copy of the JSON text @json with each unsafe code point from DEL up
 * (they can only sit in strings) written as a \\u escape: the same JSON
 * value, but safe to print or cat on a terminal. cJSON escapes C0 itself. */
char *cbd_json_escape_unsafe(const char *json);
/* Print @s neutralised (NULL prints nothing). */
void cbd_text_fputs(const char *s, bool keep_newlines, FILE *out);

/*
 * Write @len bytes to @path atomically: a temporary file in the same
 * directory, fsync, rename over @path, fsync of the directory. A crash
 * leaves the old file or the new one, never half of one; on failure nothing
 * is left behind. "-" writes to stdout; a path that is a character device,
 * FIFO or socket (/dev/null, a named pipe) is written into as it is, never
 * replaced; a block device is refused (-EPERM): cbdiag never writes to disks.
 * Returns 0 or -errno with *@ret_err set to a message naming the path
 * (caller frees).
 */
int cbd_write_file_atomic(const char *path, const char *data, size_t len, char **ret_err);

/* The atomic writer's temporaries: "<dir>/.cbdiag-<pid>-XXXXXX". */
#define CBD_TMP_PREFIX ".cbdiag-"
/* An unlocked but empty leftover younger than this may be a writer between
 * creating and locking it: left alone. */
#define CBD_LEFTOVER_GRACE_S 60
enum {
	CBD_CLEAN_QUEUE_DIRS = 1 << 0, /* also .new-* and .old-* queue entry directories */
};

/*
 * Remove what writers killed mid-way (kill -9, power loss) left in @dir:
 * CBD_TMP_PREFIX temporaries and, with CBD_CLEAN_QUEUE_DIRS, half-built
 * (.new-*) and half-removed (.old-*) queue entries. Every such temporary is
 * flock()ed by its creator for its whole life, so one is stale when nobody
 * holds its lock and it holds data, or the pid in its name
 * (".cbdiag-<pid>-", ".new-<pid>-") is gone, or it is older than
 * CBD_LEFTOVER_GRACE_S (an .old-* one, made by renaming a locked entry: at
 * once). The pid test is for this machine: on a folder shared by several,
 * an empty temporary of another machine's writer, caught in the
 * microseconds between its creation and its lock, could be taken (that
 * write then fails and is retried: the folder help desk queues it). Only
 * entries of our name patterns, owned by our euid, regular files or real
 * directories (never a symbolic link, never followed: all by name relative
 * to @dir's fd, opened O_NOFOLLOW and checked to be what was looked at);
 * from an entry directory only report.json, entry.json and temporaries are
 * removed, and the directory only when that empties it. A missing @dir is
 * not an error. Returns 0 or -errno; how many were removed in *@ret_removed
 * (may be NULL).
 */
int cbd_clean_leftovers(const char *dir, unsigned flags, unsigned *ret_removed);
/* cbd_clean_leftovers() of the directory that holds @path ("-": nothing). */
void cbd_clean_leftovers_near(const char *path);

/* write() all of @len bytes, again after EINTR and short writes. 0 or -errno. */
int cbd_write_all(int fd, const void *data, size_t len);

/* mkdir -p: @path and its missing parents with @mode. 0 or -errno. */
int cbd_mkdir_p(const char *path, mode_t mode);

/*
 * Open @path for reading only if it is a regular file, without blocking: a
 * FIFO, a device (/dev/zero), a socket or a directory is refused before it
 * is opened (stat) and again on the open file (fstat). Returns the fd, or
 * -EISDIR for a directory, -EINVAL for another non-regular file (then
 * *@ret_mode, if given, says which: cbd_file_type_name), or -errno.
 */
int cbd_open_regular(const char *path, mode_t *ret_mode);
/* "a named pipe (FIFO)", "a character device", ... for messages. */
const char *cbd_file_type_name(mode_t mode);

/* Read the regular file @path whole (NUL-terminated); -EFBIG past @max bytes,
 * -EISDIR or -EINVAL (not a regular file) as cbd_open_regular. */
int cbd_read_file(const char *path, size_t max, char **ret, size_t *ret_len);

/** Decode standard base64 (RFC 4648, '=' padding; line breaks and spaces
 * between groups skipped, as MIME and RT's REST2 write it) into a new buffer
 * (NUL-terminated, *@ret_len without the NUL). 0, or -EINVAL on anything else
 * (a stray character, bad padding, data after the padding). */
int cbd_base64_decode(const char *in, size_t len, char **ret, size_t *ret_len);

/* An XRGB8888 colour as a framebuffer's packed pixel whose red, green and
 * blue fields sit at bit offsets @off[0..2] with @len[0..2] bits (RGB565:
 * 11/5/0 with 5/6/5): each channel scaled from 8 bits to its field. */
uint32_t cbd_pixel_pack(uint32_t xrgb, const uint32_t off[3], const uint32_t len[3]);


