/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * probes/hw — the only code in cbdiag that touches the machine.
 *
 * Everything that opens a path under /sys, /dev or /proc, calls ioctl(),
 * libudev or libusb lives below probes/hw/. The rest of the tree calls these
 * functions; tests/lint/check-hw-boundary.sh keeps it that way.
 *
 * Paths are the real kernel paths. Under umockdev's preload library the same
 * calls see a test bed instead, so a probe runs unchanged on a Chromebook and
 * in tests/device/.
 *
 * Every read is bounded: a sysfs attribute is read into a caller buffer of
 * known size and never more.
 *
 * Return values follow the kernel convention: >= 0 success, -errno failure.
 * Output parameters are written only on success.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cbd-util.h"

/* The cap for one sysfs text attribute: sysfs itself returns at most a page. */
#define CBD_HW_TEXT_MAX 4096

/**
 * cbd_hw_read_bytes - read at most @size bytes of a file into @buf.
 * Binary-safe (VPD values, device-tree properties, EDID). Stops at EOF.
 * Returns the number of bytes read, or -errno (-ENOENT, -EACCES, -EIO,
 * -ENODATA, ...). A file larger than @size is truncated: use
 * cbd_hw_read_bytes_all() when that must be an error.
 */
int cbd_hw_read_bytes(const char *path, void *buf, size_t size);

/**
 * cbd_hw_read_bytes_all - like cbd_hw_read_bytes() but a file holding more
 * than @size bytes is -EFBIG instead of being truncated.
 */
int cbd_hw_read_bytes_all(const char *path, void *buf, size_t size);

/**
 * cbd_hw_read_text - read a text attribute into @buf (NUL-terminated),
 * strip surrounding white space and trailing NULs.
 * Returns the length of the stripped text, or -errno. Text longer than
 * @size - 1 bytes is -EFBIG. Embedded NULs (device-tree string lists) end
 * the string at the first NUL.
 */
int cbd_hw_read_text(const char *path, char *buf, size_t size);

/** cbd_hw_read_text_at - cbd_hw_read_text() of "@dir/@name". */
int cbd_hw_read_text_at(const char *dir, const char *name, char *buf, size_t size);

/** cbd_hw_read_str_at - the text of "@dir/@name", or "" when it cannot be read
 * (absent, unreadable, too long): for attributes that are simply optional. */
void cbd_hw_read_str_at(const char *dir, const char *name, char *buf, size_t size);

/**
 * cbd_hw_read_ll_at - read "@dir/@name" as a whole decimal integer.
 * Returns 0, -errno from the read, or -EINVAL when the text is not a number.
 */
int cbd_hw_read_ll_at(const char *dir, const char *name, long long *ret);

/** cbd_hw_exists - true if @path exists (follows links). */
bool cbd_hw_exists(const char *path);

/**
 * cbd_hw_list_dir - the entry names of directory @path, sorted, without
 * "." and "..". On success *@ret_names is a NULL-terminated array the caller
 * frees with cbd_hw_strv_free() and *@ret_n its length (@ret_n optional).
 */
int cbd_hw_list_dir(const char *path, char ***ret_names, size_t *ret_n);

void cbd_hw_strv_free(char **strv);

/**
 * cbd_hw_readlink_basename - the last component of the target of symlink
 * @path (e.g. the driver name from ".../driver"). Returns its length or -errno.
 */
int cbd_hw_readlink_basename(const char *path, char *buf, size_t size);

/* ---- libudev enumeration ---------------------------------------------- */

/** One device found by cbd_hw_udev_enumerate(). All strings owned. */
struct cbd_hw_udev_dev {
	char *syspath; /* "/sys/devices/..." */
	char *sysname; /* "BAT0", "event3", "nvme0n1" */
	char *devnode; /* "/dev/input/event3" or NULL */
	char *devtype; /* "disk", "usb_device" or NULL */
};

struct cbd_hw_udev_list {
	struct cbd_hw_udev_dev *devs;
	size_t n;
};

/**
 * cbd_hw_udev_enumerate - list devices of @subsystem (required), optionally
 * only those whose udev property @property equals @value (both or neither).
 * Sorted by syspath so that results are stable. An empty list is success.
 * Free with cbd_hw_udev_list_clear().
 */
int cbd_hw_udev_enumerate(const char *subsystem, const char *property, const char *value,
			  struct cbd_hw_udev_list *ret);

void cbd_hw_udev_list_clear(struct cbd_hw_udev_list *list);

/** cbd_hw_realpath - the canonical path of @path (sysfs links resolved). */
int cbd_hw_realpath(const char *path, char *buf, size_t size);

/* ---- block devices: read-only, always -------------------------------- */

/*
 * A whole block device opened for the read test. There is no write path:
 * the device is opened O_RDONLY (with O_DIRECT when it allows), the only
 * ioctls issued are the BLKGETSIZE64/BLKSSZGET queries, and the io_uring
 * ring below is restricted by the kernel to IORING_OP_READ before it is
 * enabled (IORING_REGISTER_RESTRICTIONS): it cannot write, sync or discard.
 */
struct cbd_hw_block {
	int fd;
	bool direct;            /* opened with O_DIRECT */
	uint64_t size_bytes;    /* BLKGETSIZE64 */
	unsigned logical_block; /* BLKSSZGET */
	unsigned max_sectors_kb;  /* queue/max_sectors_kb: largest request, 0 unknown */
	unsigned optimal_io_size; /* queue/optimal_io_size: bytes, 0 when none */
};

/** Open /dev/@name read-only for reading its blocks. */
int cbd_hw_block_open(const char *name, struct cbd_hw_block *ret);
/** pread() of @len bytes at @off (aligned for O_DIRECT by the caller).
 * Returns bytes read (short at the end of the device) or -errno. */
ssize_t cbd_hw_block_read(const struct cbd_hw_block *b, void *buf, size_t len, uint64_t off);
void cbd_hw_block_close(struct cbd_hw_block *b);

/*
 * Several reads of one opened block device in flight. Engines, best first:
 * io_uring (a ring restricted to IORING_OP_READ), a small pool of threads
 * doing pread(), and plain pread() one at a time. cbd_hw_block_queue_new()
 * takes the first the kernel allows; the environment variable
 * CBD_READ_ENGINE=threads|pread starts further down the list (for tests
 * and for comparison, never needed in use).
 */
enum cbd_hw_block_engine {
	CBD_HW_ENGINE_IO_URING,
	CBD_HW_ENGINE_THREADS,
	CBD_HW_ENGINE_PREAD,
};
struct cbd_hw_block_queue;

/** "io_uring", "threads" or "pread". */
const char *cbd_hw_block_engine_name(enum cbd_hw_block_engine e);
/** A queue of up to @depth reads on @b (which must outlive it). */
int cbd_hw_block_queue_new(const struct cbd_hw_block *b, unsigned depth,
			   struct cbd_hw_block_queue **ret);
enum cbd_hw_block_engine cbd_hw_block_queue_engine(const struct cbd_hw_block_queue *q);
/** Queue a read of @len bytes at @off into @buf, tagged @tag. At most
 * @depth reads may be queued and not yet reaped: -EBUSY beyond that. */
int cbd_hw_block_queue_submit(struct cbd_hw_block_queue *q, void *buf, size_t len, uint64_t off,
			      unsigned tag);
/** Wait for one queued read to finish, in any order: its tag and its result
 * (bytes read or -errno). Returns 0, -ENOENT when none is queued, or -errno. */
int cbd_hw_block_queue_reap(struct cbd_hw_block_queue *q, unsigned *tag, ssize_t *res);
/** Waits for whatever is still queued, then frees @q. */
void cbd_hw_block_queue_free(struct cbd_hw_block_queue *q);

/* ---- NVMe -------------------------------------------------------------- */

/**
 * The SMART / Health Information log page (log id 0x02, 512 bytes) of NVMe
 * controller /dev/@ctrl through NVME_IOCTL_ADMIN_CMD (Get Log Page,
 * nsid 0xffffffff). Needs CAP_SYS_ADMIN: -EACCES/-EPERM without it.
 *
 * Test seam: inside a umockdev test bed (UMOCKDEV_DIR set), a node that
 * answers the ioctl with ENOTTY is a recorded device: its 512 bytes are read
 * as the log. Outside a test bed that fallback never applies.
 */
int cbd_hw_nvme_smart_log(const char *ctrl, uint8_t buf[512]);

/* ---- evdev -------------------------------------------------------------- */

#define CBD_KEY_BITMAP_BYTES 96 /* KEY_MAX 0x2ff / 8 + 1 */

/**
 * The global key-down bitmap of input device @devnode ("/dev/input/event3")
 * with EVIOCGKEY: which keys are held right now (a key already down when the
 * probe starts never sends a press). Opened read-only and non-blocking; no
 * grab. Returns 0 or -errno (-EACCES without permission to the node).
 */
int cbd_hw_evdev_key_state(const char *devnode, uint8_t bits[CBD_KEY_BITMAP_BYTES]);

/** The kernel's name of key @code without "KEY_"/"BTN_" ("LEFTSHIFT",
 * "BTN_LEFT" keeps its prefix), from libevdev's tables; NULL when unknown. */
const char *cbd_hw_key_name(unsigned code);

/* ---- the one write: the light sweep (screen and keyboard backlight) -------- */

enum cbd_hw_light_class {
	CBD_HW_LIGHT_BACKLIGHT, /* /sys/class/backlight: the panel */
	CBD_HW_LIGHT_LED,       /* /sys/class/leds: the keyboard backlight (*::kbd_backlight) */
};

/*
 * An open handle on <class>/@name/brightness for the sweep the intern asked
 * for. cbd_hw_light_open() remembers the current level;
 * cbd_hw_light_restore() puts it back (also safe from a signal handler: one
 * write(2) of a preformatted string).
 */
struct cbd_hw_light {
	int fd;
	char dir[160];
	long long original;
	char restore_text[32];
	size_t restore_len;
};

int cbd_hw_light_open(enum cbd_hw_light_class cls, const char *name, struct cbd_hw_light *ret);
int cbd_hw_light_set(const struct cbd_hw_light *b, long long level);
/** actual_brightness (what the hardware reports), or brightness when absent
 * (LEDs: the driver's brightness_get, e.g. the EC's own level). */
int cbd_hw_light_get_actual(const struct cbd_hw_light *b, long long *ret);
/** Async-signal-safe. Returns 0 or -errno. */
int cbd_hw_light_restore(const struct cbd_hw_light *b);
void cbd_hw_light_close(struct cbd_hw_light *b);

/* The internal keyboard during the key test: opened read-only, grabbed so that
 * keystrokes reach neither the console nor a shell. Closing releases the grab
 * (and so does the kernel when the process dies). */
struct cbd_hw_evdev {
	int fd;
	bool grabbed;
	bool monotonic; /* event times are CLOCK_MONOTONIC (EVIOCSCLOCKID worked) */
};

struct cbd_hw_input_event {
	uint64_t time_us; /* the kernel's time when monotonic, else the arrival time */
	uint16_t type, code;
	int32_t value;
};

int cbd_hw_evdev_open(const char *devnode, bool grab, struct cbd_hw_evdev *ret);
/** Wait up to @timeout_ms, then read what is there. Returns the number of
 * events (0 on timeout) or -errno (-ENODEV: the keyboard went away). */
int cbd_hw_evdev_read(const struct cbd_hw_evdev *e, struct cbd_hw_input_event *ev, size_t max,
		      int timeout_ms);
void cbd_hw_evdev_close(struct cbd_hw_evdev *e);

/* ---- switches and buttons: the lid switch, the power button --------------- */

#define CBD_SW_BITMAP_BYTES 8 /* SW_MAX 0x10 / 8 + 1, rounded up */

/**
 * The switch-state bitmap of input device @devnode with EVIOCGSW (SW_LID set:
 * the lid is closed now). Opened read-only, non-blocking, no grab.
 * Returns 0 or -errno.
 */
int cbd_hw_evdev_switch_state(const char *devnode, uint8_t bits[CBD_SW_BITMAP_BYTES]);

/*
 * Several input devices watched as one (the lid switches, or every device
 * that has a power key): @fd is readable when any of them has events, for
 * cbd_ui.wait(). The devices whose @grab is true are grabbed when they allow
 * (EVIOCGRAB), so that while cbdiag waits for the lid or the power button, a
 * session manager on the same machine (logind, ChromeOS's powerd) does not
 * suspend or power off on what the intern was asked to do; the grab goes
 * with the file. A keyboard is never to be grabbed here: the intern types
 * "s" on it to skip.
 */
#define CBD_HW_EVDEV_SET_MAX 8
struct cbd_hw_evdev_set {
	struct cbd_hw_evdev dev[CBD_HW_EVDEV_SET_MAX];
	size_t n;
	int fd; /* an epoll instance over dev[].fd */
};

/** Open up to CBD_HW_EVDEV_SET_MAX of @devnodes (@grab[i]: grab devnodes[i]).
 * Returns how many opened, or -errno when none could be (the first error). */
int cbd_hw_evdev_set_open(const char *const *devnodes, const bool *grab, size_t n,
			  struct cbd_hw_evdev_set *ret);
/** What is waiting on every device of @s, without waiting: the number of
 * events, or -errno (-ENODEV: a device went away). */
int cbd_hw_evdev_set_read(const struct cbd_hw_evdev_set *s, struct cbd_hw_input_event *ev,
			  size_t max);
void cbd_hw_evdev_set_close(struct cbd_hw_evdev_set *s);

/* ---- absolute axes: touchpads, touchscreens, pens ------------------------ */

/* One absolute axis as the kernel describes it (EVIOCGABS). */
struct cbd_hw_absinfo {
	int32_t value, minimum, maximum, fuzz, flat;
	int32_t resolution; /* units per millimetre on the position axes; 0 unknown */
};

/**
 * The ranges of the absolute axes @codes[0..@n) of input device @devnode
 * ("/dev/input/event7"), one EVIOCGABS each, into @out. Opened read-only and
 * non-blocking, no grab. Returns 0 or -errno (-EACCES without permission to
 * the node); an axis the device lacks is left zeroed.
 */
int cbd_hw_evdev_absinfo(const char *devnode, const unsigned *codes, size_t n,
			 struct cbd_hw_absinfo *out);


/* ---- the colour-pattern test: a full-screen buffer on the internal panel --- */

/*
 * A DRM dumb buffer shown full screen on one connector (its preferred mode),
 * in XRGB8888. Needs DRM master (root, no compositor): the repair image's
 * console is a kernel client, not a master. cbd_hw_screen_close() puts back
 * what the CRTC showed before (the console); so does
 * cbd_hw_screen_restore_signal_safe(), from a signal handler (one ioctl with
 * a request prepared at open).
 */
struct cbd_hw_screen {
	int fd;
	uint32_t conn_id, crtc_id, fb_id, handle;
	uint32_t width, height, pitch; /* pitch in bytes */
	uint32_t refresh_hz;
	uint32_t *pixels; /* mapped, pitch / 4 pixels per row */
	size_t size;
	bool shown;
	bool have_saved;
	uint8_t saved_req[128]; /* a struct drm_mode_crtc, prepared */
	uint32_t saved_conn;
	uint8_t mode[72]; /* the struct drm_mode_modeinfo to set */
	/* a framebuffer device instead (hw/fbdev.c): pixels is cbdiag's own
	 * XRGB8888 buffer, converted into the device's format when shown */
	bool fbdev;
	uint8_t *fb_mem, *fb_saved; /* the device's memory, mapped; what it showed before */
	size_t fb_size, fb_start;   /* mapped bytes; where the visible screen starts */
	uint32_t fb_line, fb_bpp;   /* bytes per row, bits per pixel */
	uint32_t fb_off[3], fb_len[3]; /* red, green, blue bit offsets and lengths */
	int tty_fd, tty_saved_mode; /* /dev/tty0 (-1: none) and its KDGETMODE before */
};

/** Open /dev/dri/@card (card0), find @connector (eDP-1) and a CRTC for it, and
 * map a buffer the size of its preferred mode. Returns 0 or -errno (-ENODEV:
 * no such connector or mode). Nothing is shown until cbd_hw_screen_show(). */
int cbd_hw_screen_open(const char *card, const char *connector, struct cbd_hw_screen *ret);
/** Show the buffer's current contents (first call: the mode set; later calls
 * after redrawing: the panel is told which pixels changed). 0 or -errno. */
int cbd_hw_screen_show(struct cbd_hw_screen *s);
void cbd_hw_screen_restore_signal_safe(const struct cbd_hw_screen *s);
/** Put the console back and keep the buffer: the next cbd_hw_screen_show()
 * covers it again (a question asked between two patterns, where the intern
 * can read it). */
void cbd_hw_screen_hide(struct cbd_hw_screen *s);
void cbd_hw_screen_close(struct cbd_hw_screen *s);
/** The same on the framebuffer device /dev/@fb ("fb0"), for machines whose
 * kernel has no KMS driver for their graphics (hw/fbdev.c); 0 or -errno
 * (-EOPNOTSUPP: a pixel format the test cannot draw). Show, restore and
 * close are the functions above. */
int cbd_hw_screen_open_fbdev(const char *fb, struct cbd_hw_screen *ret);
int cbd_hw_fbdev_show(struct cbd_hw_screen *s);
void cbd_hw_fbdev_restore_signal_safe(const struct cbd_hw_screen *s);
void cbd_hw_fbdev_hide(struct cbd_hw_screen *s);
void cbd_hw_fbdev_close(struct cbd_hw_screen *s);

/** Ask the driver to probe connector @connector of /dev/dri/@card again now
 * (DRM_IOCTL_MODE_GETCONNECTOR with no modes: the driver re-detects the
 * screen and re-reads its EDID unless it keeps the panel's from boot, as
 * i915 does for eDP). A forced probe needs DRM master (root, no compositor);
 * otherwise the kernel answers from what it knew. Writes nothing. 0 or -errno
 * (-ENODEV: no such connector). */
int cbd_hw_drm_probe_connector(const char *card, const char *connector);


/* ---- USB (libusb enumeration, udev hwdb names) ---------------------------- */

#define CBD_USB_MAX_DEPTH 7
struct cbd_hw_usb_dev {
	uint8_t bus, address;
	uint8_t ports[CBD_USB_MAX_DEPTH]; /* the port path from the root hub */
	int n_ports;                      /* 0 for a root hub */
	int speed_kbps;                   /* 1500, 12000, 480000, 5000000...; 0 unknown */
	uint16_t vid, pid, bcd_usb;
	uint8_t dev_class;
	bool desc_ok; /* the device descriptor could be read (without opening the device) */
};

/** Every USB device libusb sees, root hubs included. *@ret owned by the caller.
 * Returns the count or -errno (-ENODEV: libusb could not start: no USB here). */
int cbd_hw_usb_list(struct cbd_hw_usb_dev **ret);
/** The udev hwdb, opened once for a run of lookups; NULL when there is none. */
struct cbd_hw_hwdb;
struct cbd_hw_hwdb *cbd_hw_hwdb_open(void);
void cbd_hw_hwdb_close(struct cbd_hw_hwdb *h);
/** The hwdb's vendor and model names for USB @vid:@pid ("" when unknown). */
void cbd_hw_usb_hwdb_names(struct cbd_hw_hwdb *h, uint16_t vid, uint16_t pid, char *vendor,
			   size_t vsize, char *model, size_t msize);

/** The text of the system's usb.ids (/usr/share/misc, /usr/share/hwdata or
 * /var/lib/usbutils), for names when there is no hwdb. 0, or -ENOENT. */
int cbd_hw_usb_ids_load(char **ret, size_t *ret_len);

/* The kernel log (hw/kmsg.c). */
struct cbd_hw_kmsg_rec {
	uint64_t ts_us; /* since boot */
	char *msg;      /* the record's text, without the continuation lines */
};
/** Every record of /dev/kmsg still in the ring buffer whose text starts with
 * @prefix (the newest 4096 at most). Returns 0 or -errno (-EPERM without root). */
int cbd_hw_kmsg_read(const char *prefix, struct cbd_hw_kmsg_rec **ret, size_t *ret_n);
void cbd_hw_kmsg_free(struct cbd_hw_kmsg_rec *v, size_t n);

/* A Wi-Fi scan (hw/wifi-scan.c, nl80211 through libnl): counts and the
 * strongest signal only, never a network's name or address. */
struct cbd_hw_wifi_scan {
	bool done;       /* the scan ran to its end (or was cut short) and was read */
	bool brought_up; /* the link was down: up for the scan, down again after */
	unsigned networks, networks_2ghz, networks_5ghz, networks_6ghz;
	bool have_signal;
	int strongest_dbm;
};
/** Scan on @ifname, waiting up to @timeout_ms for the results. The link is
 * brought up for the scan when it is down, and taken down again. Returns 0,
 * or -errno: -ERFKILL (blocked), -EPROTONOSUPPORT (no nl80211), -ETIMEDOUT
 * (no end of scan in time; what the kernel held is still in @out), -EPERM. */
int cbd_hw_wifi_scan(const char *ifname, unsigned timeout_ms, struct cbd_hw_wifi_scan *out);

/* Cameras (hw/v4l2.c): the V4L2 nodes, and figures of a short stream. No
 * frame ever leaves hw/v4l2.c: only its brightness figures do. */
struct cbd_hw_camera_node {
	char node[16];    /* "video0" */
	char name[64];    /* sysfs name: "Integrated_Webcam_HD: Integrate" */
	char card[32];    /* VIDIOC_QUERYCAP card */
	char driver[16];  /* "uvcvideo", "vivid", "ipu3-cio2", "mtk-cam" */
	char bus[16];     /* of its device: "usb", "platform", "pci" */
	bool capture, capture_mplane, streaming;
	int open_err;     /* it could not be opened or asked (-errno), else 0 */
};
/** The /sys/class/video4linux nodes, each asked VIDIOC_QUERYCAP. */
int cbd_hw_camera_list(struct cbd_hw_camera_node **ret, size_t *ret_n);

struct cbd_hw_camera_grab {
	uint32_t width, height, fourcc;
	bool luma;                 /* its format has a luma plane read here */
	unsigned frames;           /* delivered */
	unsigned error_frames;     /* flagged V4L2_BUF_FLAG_ERROR */
	unsigned short_frames;     /* fewer bytes than a whole frame */
	unsigned first_frame_ms;   /* from open to the first frame */
	double mean, stddev;       /* of the last frame's luma samples, 0..255 */
	bool all_identical;        /* every frame's samples the same (frozen) */
};
/** Stream up to @frames frames from /dev/@node (single-planar capture, mmap
 * buffers), at most @timeout_ms. Returns 0 when at least one frame came, else
 * -errno (-ETIMEDOUT: none in time, -EBUSY: in use). */
int cbd_hw_camera_grab(const char *node, unsigned frames, unsigned timeout_ms,
		       struct cbd_hw_camera_grab *out);

/* Arrivals and departures of USB devices (hw/usb-monitor.c): udevd's events
 * when it runs, else the kernel's own netlink source. */
struct cbd_hw_usb_monitor;
struct cbd_hw_usb_event {
	char action[8];     /* "add" or "remove" */
	char name[32];      /* the sysfs name: "2-1", "1-3.2" */
	double speed_mbps;  /* add: the negotiated speed, 0 unknown */
	char vid[8], pid[8]; /* add: idVendor, idProduct */
	char product[64];   /* add: the product string, "" when none */
};
/** The whole disk (block device name, "sdb") below USB device @usbdev ("2-1"):
 * a stick's, once usb-storage and the SCSI scan have made it. -ENOENT: none (yet). */
int cbd_hw_usb_disk_of(const char *usbdev, char *buf, size_t size);
/** Does USB device @usbdev have a mass-storage interface (class 08)? 1 yes,
 * 0 it has interfaces and none is, -ENOENT no interfaces (yet), -ENODEV the
 * device is gone. */
int cbd_hw_usb_has_storage(const char *usbdev);
int cbd_hw_usb_monitor_open(struct cbd_hw_usb_monitor **ret);
int cbd_hw_usb_monitor_fd(const struct cbd_hw_usb_monitor *m);
/** "udev" or "kernel" */
const char *cbd_hw_usb_monitor_source(const struct cbd_hw_usb_monitor *m);
/** The next pending event: 1 with *@ev filled, 0 when none is pending. */
int cbd_hw_usb_monitor_next(struct cbd_hw_usb_monitor *m, struct cbd_hw_usb_event *ev);
void cbd_hw_usb_monitor_close(struct cbd_hw_usb_monitor *m);

/* ---- SATA SMART (libatasmart: SMART READ DATA through SG_IO, read-only) ---- */

struct cbd_hw_ata_smart {
	bool available;   /* the disk has SMART and it is enabled */
	int status;       /* the self-assessment: 1 good, 0 failing, -1 unknown */
	int overall;      /* enum cbd_ata_overall below, -1 unknown */
	long long bad_sectors, power_on_hours, power_cycles, temperature_c; /* -1 unknown */
};
enum cbd_ata_overall {
	CBD_ATA_GOOD,
	CBD_ATA_BAD_ATTRIBUTE_IN_THE_PAST,
	CBD_ATA_BAD_SECTOR,
	CBD_ATA_BAD_ATTRIBUTE_NOW,
	CBD_ATA_BAD_SECTOR_MANY,
	CBD_ATA_BAD_STATUS,
};
/** SMART of /dev/@name (sda). 0, or -errno (-EACCES/-EPERM: needs root;
 * -ENOTSUP: no SMART). Opens the disk read-only; sends only reading commands. */
int cbd_hw_ata_smart(const char *name, struct cbd_hw_ata_smart *ret);

/* ---- the console's size (TIOCGWINSZ) ---- */

/** Rows and columns of the terminal on @fd. 0, or -errno (-ENOTTY: not a
 * terminal, or one that does not know its size). */
int cbd_hw_terminal_size(int fd, int *ret_rows, int *ret_cols);

/* ---- sound (hw/alsa.c): the kernel's ALSA interface, without alsa-lib ----
 *
 * Cards, their PCM devices and their jack-detect controls, the playback
 * mixer set for a test tone and put back, a tone played and the
 * microphone's level measured. Talks to <sound/asound.h> directly: alsa-lib
 * and its configuration tree do not fit on the stick (probes/hw/README.md).
 * No sample recorded from a microphone ever leaves hw/alsa.c: only figures
 * do. */
#define CBD_HW_SND_MAX_PCMS 8
#define CBD_HW_SND_MAX_JACKS 8

struct cbd_hw_snd_pcm {
	unsigned device;        /* pcmC<card>D<device> */
	bool playback, capture; /* ...p and ...c nodes */
	char name[40];          /* PCM_INFO's name: "ALC256 Analog", "HDMI 0", "" unknown */
};

struct cbd_hw_snd_jack {
	char name[44];  /* the control's name: "Headphone Jack", "Mic Jack" */
	bool plugged;   /* its value now */
};

struct cbd_hw_snd_card {
	int index;           /* the N of cardN */
	char id[16];         /* CARD_INFO id: "PCH", "sofrt5682" */
	char driver[16];     /* CARD_INFO driver: "HDA-Intel", "sof-rt5682" */
	char name[32];       /* CARD_INFO name */
	char longname[80];
	char mixername[80];  /* the codecs: "Realtek ALC256" */
	char bus[16];        /* of its device: "pci", "platform" */
	char dev_driver[48]; /* the kernel driver bound to that device */
	int info_err;        /* controlC<N> could not be opened or asked (-errno) */
	struct cbd_hw_snd_pcm pcms[CBD_HW_SND_MAX_PCMS];
	size_t n_pcms;
	struct cbd_hw_snd_jack jacks[CBD_HW_SND_MAX_JACKS];
	size_t n_jacks;
	unsigned n_phantom_jacks; /* "... Phantom Jack": pins without presence detect */
	unsigned n_controls; /* every control the card has */
};

/** The cards of /sys/class/sound (cardN, pcmCNDMp/c), each asked
 * SNDRV_CTL_IOCTL_CARD_INFO and for its "... Jack" controls (iface CARD,
 * boolean). An empty list is success (no sound driver). */
int cbd_hw_snd_list(struct cbd_hw_snd_card **ret, size_t *ret_n);

/* A sound device the kernel sees that may have no card: a PCI audio
 * function (class 0x0401xx, 0x0403xx; AMD's audio coprocessor 0x0480xx) or
 * a device-tree "sound" node (ARM Chromebooks). */
struct cbd_hw_snd_device {
	char where[16];   /* "pci" or "dt" */
	char name[64];    /* PCI address or the device-tree node's name */
	char id[16];      /* PCI "8086:a0c8", "" for dt */
	char compatible[64]; /* dt: the first compatible string */
	char driver[48];  /* the bound driver, "" when none */
	bool has_card;    /* a sound card hangs below it (PCI only; dt: unknown) */
};
/** The sound devices of the PCI bus and the device tree. An empty list is success. */
int cbd_hw_snd_devices(struct cbd_hw_snd_device **ret, size_t *ret_n);

/* The mixer of one card, set for a test and always put back: every
 * "... Playback Switch" of the outputs turned on and every "... Playback
 * Volume" set to @percent of its range (@capture: the "... Capture Switch"
 * and "... Capture Volume" controls instead). Before anything is changed, a
 * guard process is forked that holds the original values and writes them
 * back when the prober dies without saying it did so itself (Ctrl-C, the
 * runner's deadline: SIGKILL cannot be caught). */
#define CBD_HW_SND_MAX_SAVED 32
struct cbd_hw_snd_mixer {
	int fd;
	int guard_fd;  /* write end of the guard's pipe, -1 without a guard */
	int guard_pid;
	size_t n;      /* values saved */
	unsigned changed; /* controls actually changed */
	struct cbd_hw_snd_saved {
		unsigned numid;
		unsigned count;
		long value[8];
	} saved[CBD_HW_SND_MAX_SAVED];
};
/** Save, guard, then unmute and set the volume. 0 (also when the card has
 * no such control), or -errno. */
int cbd_hw_snd_mixer_prepare(int card, bool capture, unsigned percent,
			     struct cbd_hw_snd_mixer *ret);
/** Write every saved value back, dismiss the guard. 0, or -errno of the
 * first value that could not be put back (the guard then still tries). */
int cbd_hw_snd_mixer_restore(struct cbd_hw_snd_mixer *m);

/* A tone on one channel (S16_LE, stereo, 48 kHz or the nearest the device
 * takes). */
enum cbd_hw_snd_side { CBD_HW_SND_LEFT = 0, CBD_HW_SND_RIGHT = 1 };
struct cbd_hw_snd_play {
	unsigned rate, channels;
	unsigned long frames_written;
	unsigned ms; /* open to drained */
};
/** Play @hz for @ms on @side of pcmC@cardD@devicep, at most @timeout_ms in
 * all. 0, or -errno (-EBUSY in use, -ETIMEDOUT the device took too long,
 * -EINVAL no format it takes). */
int cbd_hw_snd_tone(int card, unsigned device, enum cbd_hw_snd_side side, unsigned hz,
		    unsigned ms, unsigned timeout_ms, struct cbd_hw_snd_play *out);

/* The microphone's level over a recording that stays inside hw/alsa.c. */
struct cbd_hw_snd_level {
	unsigned rate, channels;
	unsigned long frames;   /* recorded */
	double peak_dbfs;       /* the loudest sample, dB below full scale (-inf: all zero) */
	double rms_dbfs;        /* the whole recording's */
	double loudest_dbfs;    /* the loudest 100 ms window's RMS */
	bool all_zero;          /* not a single sample other than 0 */
	unsigned first_data_ms; /* from start to the first samples */
};
/** Record @ms from pcmC@cardD@devicec and measure it, at most @timeout_ms
 * in all (a device that never delivers ends as -ETIMEDOUT with what came).
 * Nothing recorded is kept. 0, or -errno. */
int cbd_hw_snd_level(int card, unsigned device, unsigned ms, unsigned timeout_ms,
		     struct cbd_hw_snd_level *out);
