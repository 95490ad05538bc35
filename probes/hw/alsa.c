/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Sound through the kernel's ALSA interface (<sound/asound.h>), without
 * alsa-lib: libasound is 1.1 MB and needs its configuration tree at run
 * time, more than the stick has room for, and Debian has no tinyalsa. What
 * cbdiag needs of it is small: the control device's card info, element
 * list, info, read and write (jacks, the playback mixer), and a PCM's
 * hardware parameters, prepare, interleaved writes and reads.
 *
 * Every wait is a poll() with a deadline: a PCM is opened O_NONBLOCK (an
 * open must not wait for a device another program holds) and stays so, so
 * a device that never takes or gives a sample ends as -ETIMEDOUT, never as
 * a hang. The mixer values changed for a tone are put back by the caller,
 * and by a guard process should the caller die first (mixer_guard()).
 *
 * Privacy: no sample recorded from a microphone leaves this file; only the
 * level figures do. Nothing recorded is written anywhere.
 */
#include "hw.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sound/asound.h>

#define SOUND_CLASS "/sys/class/sound"
#define PCI_DEVICES "/sys/bus/pci/devices"
#define DT_BASE "/sys/firmware/devicetree/base"
#define MAX_CARDS 32
#define MAX_ELEMS 4096

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* a fixed-size string from the kernel, NUL-terminated into @dst */
static void
copy_kstr(char *dst, size_t size, const unsigned char *src, size_t srclen)
{
	size_t n = strnlen((const char *)src, srclen);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int
ctl_open(int card, int flags)
{
	char path[32];
	int fd;

	snprintf(path, sizeof(path), "/dev/snd/controlC%d", card);
	fd = open(path, flags | O_CLOEXEC | O_NOCTTY);
	return fd < 0 ? -errno : fd;
}

/* Every element id of the card (at most MAX_ELEMS). */
static int
ctl_elems(int fd, struct snd_ctl_elem_id **ret, unsigned *ret_n)
{
	struct snd_ctl_elem_list l = {0};
	struct snd_ctl_elem_id *ids;

	if (ioctl(fd, SNDRV_CTL_IOCTL_ELEM_LIST, &l) < 0)
		return -errno;
	if (l.count == 0) {
		*ret = NULL;
		*ret_n = 0;
		return 0;
	}
	l.space = l.count < MAX_ELEMS ? l.count : MAX_ELEMS;
	ids = cbd_zalloc(l.space * sizeof(*ids));
	l.pids = ids;
	if (ioctl(fd, SNDRV_CTL_IOCTL_ELEM_LIST, &l) < 0) {
		int r = -errno;

		free(ids);
		return r;
	}
	*ret = ids;
	*ret_n = l.used < l.space ? l.used : l.space;
	return 0;
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && streq(s + a - b, suffix);
}

static void
read_jacks(int fd, struct cbd_hw_snd_card *c)
{
	struct snd_ctl_elem_id *ids = NULL;
	unsigned n = 0;

	if (ctl_elems(fd, &ids, &n) < 0)
		return;
	c->n_controls = n;
	for (unsigned i = 0; i < n && c->n_jacks < CBD_HW_SND_MAX_JACKS; i++) {
		struct snd_ctl_elem_info info = {.id = ids[i]};
		struct snd_ctl_elem_value v = {.id = ids[i]};
		char name[sizeof(ids[i].name) + 1];
		struct cbd_hw_snd_jack *j;

		copy_kstr(name, sizeof(name), ids[i].name, sizeof(ids[i].name));
		if (ids[i].iface != SNDRV_CTL_ELEM_IFACE_CARD || !ends_with(name, " Jack"))
			continue;
		/* HDA's "... Phantom Jack": a pin without presence detect, always
		 * "plugged": it reports nothing */
		if (ends_with(name, " Phantom Jack")) {
			c->n_phantom_jacks++;
			continue;
		}
		if (ioctl(fd, SNDRV_CTL_IOCTL_ELEM_INFO, &info) < 0 ||
		    info.type != SNDRV_CTL_ELEM_TYPE_BOOLEAN ||
		    ioctl(fd, SNDRV_CTL_IOCTL_ELEM_READ, &v) < 0)
			continue;
		j = &c->jacks[c->n_jacks++];
		copy_kstr(j->name, sizeof(j->name), (const unsigned char *)name, sizeof(name));
		j->plugged = v.value.integer.value[0] != 0;
	}
	free(ids);
}

static void
read_card(int index, struct cbd_hw_snd_card *c)
{
	_cleanup_free_ char *dir = cbd_strdupf(SOUND_CLASS "/card%d/device", index);
	_cleanup_free_ char *sub = cbd_strdupf("%s/subsystem", dir);
	_cleanup_free_ char *drv = cbd_strdupf("%s/driver", dir);
	struct snd_ctl_card_info info = {0};
	int fd;

	c->index = index;
	(void)cbd_hw_readlink_basename(sub, c->bus, sizeof(c->bus));
	(void)cbd_hw_readlink_basename(drv, c->dev_driver, sizeof(c->dev_driver));
	fd = ctl_open(index, O_RDONLY);
	if (fd < 0) {
		c->info_err = fd;
		return;
	}
	if (ioctl(fd, SNDRV_CTL_IOCTL_CARD_INFO, &info) < 0) {
		c->info_err = -errno;
		close(fd);
		return;
	}
	copy_kstr(c->id, sizeof(c->id), info.id, sizeof(info.id));
	copy_kstr(c->driver, sizeof(c->driver), info.driver, sizeof(info.driver));
	copy_kstr(c->name, sizeof(c->name), info.name, sizeof(info.name));
	copy_kstr(c->longname, sizeof(c->longname), info.longname, sizeof(info.longname));
	copy_kstr(c->mixername, sizeof(c->mixername), info.mixername, sizeof(info.mixername));
	read_jacks(fd, c);
	close(fd);
}

static struct cbd_hw_snd_pcm *
pcm_of(struct cbd_hw_snd_card *c, unsigned device)
{
	for (size_t i = 0; i < c->n_pcms; i++)
		if (c->pcms[i].device == device)
			return &c->pcms[i];
	if (c->n_pcms == CBD_HW_SND_MAX_PCMS)
		return NULL;
	c->pcms[c->n_pcms] = (struct cbd_hw_snd_pcm){.device = device};
	return &c->pcms[c->n_pcms++];
}

int
cbd_hw_snd_list(struct cbd_hw_snd_card **ret, size_t *ret_n)
{
	struct cbd_hw_snd_card *cards = NULL;
	char **names = NULL;
	size_t n = 0;
	int r = cbd_hw_list_dir(SOUND_CLASS, &names, NULL);

	if (r == -ENOENT) {
		*ret = NULL;
		*ret_n = 0;
		return 0;
	}
	if (r < 0)
		return r;
	cards = cbd_zalloc(MAX_CARDS * sizeof(*cards));
	for (size_t i = 0; names[i]; i++) {
		unsigned idx;
		char tail;

		if (sscanf(names[i], "card%u%c", &idx, &tail) != 1 || idx >= 1000 || n == MAX_CARDS)
			continue;
		read_card((int)idx, &cards[n++]);
	}
	for (size_t i = 0; names[i]; i++) {
		unsigned ci, di;
		char dir, tail;
		struct cbd_hw_snd_pcm *p = NULL;

		if (sscanf(names[i], "pcmC%uD%u%c%c", &ci, &di, &dir, &tail) != 3 ||
		    (dir != 'p' && dir != 'c'))
			continue;
		for (size_t k = 0; k < n && !p; k++)
			if (cards[k].index == (int)ci)
				p = pcm_of(&cards[k], di);
		if (!p)
			continue;
		if (dir == 'p')
			p->playback = true;
		else
			p->capture = true;
	}
	cbd_hw_strv_free(names);
	/* each PCM device's name (HDMI outputs are not the speakers) */
	for (size_t k = 0; k < n; k++) {
		int fd;

		if (cards[k].info_err < 0 || cards[k].n_pcms == 0 ||
		    (fd = ctl_open(cards[k].index, O_RDONLY)) < 0)
			continue;
		for (size_t i = 0; i < cards[k].n_pcms; i++) {
			struct cbd_hw_snd_pcm *p = &cards[k].pcms[i];
			struct snd_pcm_info info = {.device = p->device,
						    .stream = p->playback ? SNDRV_PCM_STREAM_PLAYBACK
									  : SNDRV_PCM_STREAM_CAPTURE};

			if (ioctl(fd, SNDRV_CTL_IOCTL_PCM_INFO, &info) == 0)
				copy_kstr(p->name, sizeof(p->name), info.name, sizeof(info.name));
		}
		close(fd);
	}
	*ret = cards;
	*ret_n = n;
	return 0;
}

/* ---- sound devices that may have no card ---- */

/* Is a card's device @devpath itself or below it? (realpaths) */
static bool
card_below(const char *devpath, bool exact_of_node)
{
	char **names = NULL;
	bool found = false;
	size_t dl = strlen(devpath);

	if (cbd_hw_list_dir(SOUND_CLASS, &names, NULL) < 0)
		return false;
	for (size_t i = 0; names[i] && !found; i++) {
		_cleanup_free_ char *p = NULL;
		char real[PATH_MAX];
		unsigned idx;
		char tail;

		if (sscanf(names[i], "card%u%c", &idx, &tail) != 1)
			continue;
		p = exact_of_node ? cbd_strdupf(SOUND_CLASS "/%s/device/of_node", names[i])
				  : cbd_strdupf(SOUND_CLASS "/%s", names[i]);
		if (cbd_hw_realpath(p, real, sizeof(real)) < 0)
			continue;
		if (exact_of_node)
			found = streq(real, devpath);
		else
			found = strncmp(real, devpath, dl) == 0 && real[dl] == '/';
	}
	cbd_hw_strv_free(names);
	return found;
}

static struct cbd_hw_snd_device *
add_dev(struct cbd_hw_snd_device **v, size_t *n)
{
	if (*n >= 16)
		return NULL;
	*v = cbd_realloc_array(*v, *n + 1, sizeof(**v));
	(*v)[*n] = (struct cbd_hw_snd_device){0};
	return &(*v)[(*n)++];
}

int
cbd_hw_snd_devices(struct cbd_hw_snd_device **ret, size_t *ret_n)
{
	struct cbd_hw_snd_device *v = NULL;
	char **names = NULL;
	size_t n = 0;

	if (cbd_hw_list_dir(PCI_DEVICES, &names, NULL) == 0) {
		for (size_t i = 0; names[i]; i++) {
			_cleanup_free_ char *dir = cbd_strdupf(PCI_DEVICES "/%s", names[i]);
			_cleanup_free_ char *drv = cbd_strdupf("%s/driver", dir);
			char cls[16] = "", ven[16] = "", dev[16] = "", real[PATH_MAX];
			struct cbd_hw_snd_device *d;

			cbd_hw_read_str_at(dir, "class", cls, sizeof(cls));
			cbd_hw_read_str_at(dir, "vendor", ven, sizeof(ven));
			cbd_hw_read_str_at(dir, "device", dev, sizeof(dev));
			/* multimedia audio, HD audio; AMD's audio coprocessor is
			 * "other multimedia" (0x0480) */
			if (strncmp(cls, "0x0401", 6) != 0 && strncmp(cls, "0x0403", 6) != 0 &&
			    !(strncmp(cls, "0x0480", 6) == 0 && streq(ven, "0x1022")))
				continue;
			if (!(d = add_dev(&v, &n)))
				break;
			snprintf(d->where, sizeof(d->where), "pci");
			snprintf(d->name, sizeof(d->name), "%.63s", names[i]);
			snprintf(d->id, sizeof(d->id), "%.4s:%.4s", ven[0] ? ven + 2 : "",
				 dev[0] ? dev + 2 : "");
			(void)cbd_hw_readlink_basename(drv, d->driver, sizeof(d->driver));
			d->has_card = cbd_hw_realpath(dir, real, sizeof(real)) >= 0 &&
				      card_below(real, false);
		}
		cbd_hw_strv_free(names);
		names = NULL;
	}
	/* ARM Chromebooks: the board's sound is a device-tree node "sound"
	 * (its machine driver makes the card) */
	if (cbd_hw_list_dir(DT_BASE, &names, NULL) == 0) {
		for (size_t i = 0; names[i]; i++) {
			_cleanup_free_ char *dir = NULL, *cpath = NULL;
			char compat[256], status[32] = "", real[PATH_MAX];
			struct cbd_hw_snd_device *d;
			int len;

			if (strncmp(names[i], "sound", 5) != 0 ||
			    (names[i][5] != '\0' && names[i][5] != '@' && names[i][5] != '-'))
				continue;
			dir = cbd_strdupf(DT_BASE "/%s", names[i]);
			cpath = cbd_strdupf("%s/compatible", dir);
			len = cbd_hw_read_bytes(cpath, compat, sizeof(compat) - 1);
			if (len <= 0)
				continue;
			compat[len] = '\0';
			cbd_hw_read_str_at(dir, "status", status, sizeof(status));
			if (status[0] && !streq(status, "okay") && !streq(status, "ok"))
				continue;
			if (!(d = add_dev(&v, &n)))
				break;
			snprintf(d->where, sizeof(d->where), "dt");
			snprintf(d->name, sizeof(d->name), "%.63s", names[i]);
			snprintf(d->compatible, sizeof(d->compatible), "%.63s", compat);
			d->has_card = cbd_hw_realpath(dir, real, sizeof(real)) >= 0 &&
				      card_below(real, true);
		}
		cbd_hw_strv_free(names);
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

/* ---- the playback mixer, set for a test and always put back ---- */

/* The outputs' controls (HDA's Master, Speaker, Headphone, PCM, Front, Line
 * Out; ASoC codecs' DAC). Not "Mic/Line/CD Playback": on HDA codecs those are
 * the analog loopback of an input into the output. */
static bool
input_control(const char *name)
{
	/* the capture path's own switches and volumes ("Capture Switch",
	 * "Internal Mic Capture Volume"); boosts are left as they are */
	return (strstr(name, "Capture Switch") || strstr(name, "Capture Volume")) &&
	       !strstr(name, "Loopback");
}

static bool
output_control(const char *name)
{
	static const char *const prefixes[] = {"Master ", "Speaker", "Headphone", "PCM ",
					       "Front ", "Line Out", "Line-Out", "DAC",
					       "Bass Speaker", "Playback "};

	if (!strstr(name, "Playback Switch") && !strstr(name, "Playback Volume"))
		return false;
	for (size_t i = 0; i < CBD_ARRAY_SIZE(prefixes); i++)
		if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

static int
write_saved(int fd, const struct cbd_hw_snd_saved *s)
{
	struct snd_ctl_elem_value v = {.id.numid = s->numid};

	for (unsigned k = 0; k < s->count; k++)
		v.value.integer.value[k] = s->value[k];
	return ioctl(fd, SNDRV_CTL_IOCTL_ELEM_WRITE, &v) < 0 ? -errno : 0;
}

/* The guard: a process that holds the saved values and writes them back
 * when its pipe ends without the word that the prober did it itself. Ctrl-C
 * reaches it too (the terminal's process group), so it ignores it. */
static void
mixer_guard(struct cbd_hw_snd_mixer *m)
{
	int p[2];
	pid_t pid;

	m->guard_fd = -1;
	m->guard_pid = -1;
	if (pipe2(p, O_CLOEXEC) < 0)
		return;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return;
	}
	if (pid == 0) {
		static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT};
		char c = 0;
		ssize_t got;

		for (size_t i = 0; i < CBD_ARRAY_SIZE(sigs); i++)
			signal(sigs[i], SIG_IGN);
		/* nothing else of the prober's kept open (its result pipe: the
		 * runner waits for that to end) */
		for (int fd = 0; fd < 1024; fd++)
			if (fd != p[0] && fd != m->fd)
				close(fd);
		do
			got = read(p[0], &c, 1);
		while (got < 0 && errno == EINTR);
		if (got == 1 && c == 'd')
			_exit(0);
		for (size_t i = 0; i < m->n; i++)
			(void)write_saved(m->fd, &m->saved[i]);
		_exit(0);
	}
	close(p[0]);
	m->guard_fd = p[1];
	m->guard_pid = pid;
}

int
cbd_hw_snd_mixer_prepare(int card, bool capture, unsigned percent, struct cbd_hw_snd_mixer *ret)
{
	struct cbd_hw_snd_mixer m = {.fd = -1, .guard_fd = -1, .guard_pid = -1};
	struct snd_ctl_elem_id *ids = NULL;
	unsigned n = 0;
	int r;

	if (percent > 100)
		percent = 100;
	m.fd = ctl_open(card, O_RDWR);
	if (m.fd < 0)
		return m.fd;
	r = ctl_elems(m.fd, &ids, &n);
	if (r < 0) {
		close(m.fd);
		return r;
	}
	/* first every value is saved... */
	for (unsigned i = 0; i < n && m.n < CBD_HW_SND_MAX_SAVED; i++) {
		struct snd_ctl_elem_info info = {.id = ids[i]};
		struct snd_ctl_elem_value v = {.id = ids[i]};
		char name[sizeof(ids[i].name) + 1];
		struct cbd_hw_snd_saved *s;

		copy_kstr(name, sizeof(name), ids[i].name, sizeof(ids[i].name));
		if (ids[i].iface != SNDRV_CTL_ELEM_IFACE_MIXER ||
		    !(capture ? input_control(name) : output_control(name)))
			continue;
		if (ioctl(m.fd, SNDRV_CTL_IOCTL_ELEM_INFO, &info) < 0 || info.count == 0 ||
		    info.count > CBD_ARRAY_SIZE(s->value) ||
		    (info.type != SNDRV_CTL_ELEM_TYPE_BOOLEAN &&
		     info.type != SNDRV_CTL_ELEM_TYPE_INTEGER) ||
		    (info.access & SNDRV_CTL_ELEM_ACCESS_READWRITE) != SNDRV_CTL_ELEM_ACCESS_READWRITE ||
		    (info.access & SNDRV_CTL_ELEM_ACCESS_INACTIVE) ||
		    ioctl(m.fd, SNDRV_CTL_IOCTL_ELEM_READ, &v) < 0)
			continue;
		s = &m.saved[m.n++];
		s->numid = info.id.numid;
		s->count = info.count;
		for (unsigned k = 0; k < info.count; k++)
			s->value[k] = v.value.integer.value[k];
	}
	/* ...and guarded, before anything changes */
	if (m.n)
		mixer_guard(&m);
	for (size_t i = 0; i < m.n; i++) {
		struct snd_ctl_elem_info info = {.id.numid = m.saved[i].numid};
		struct snd_ctl_elem_value v = {.id.numid = m.saved[i].numid};
		bool differs = false;

		if (ioctl(m.fd, SNDRV_CTL_IOCTL_ELEM_INFO, &info) < 0)
			continue;
		for (unsigned k = 0; k < info.count && k < m.saved[i].count; k++) {
			long want = 1;

			if (info.type == SNDRV_CTL_ELEM_TYPE_INTEGER) {
				long lo = info.value.integer.min, hi = info.value.integer.max;
				long step = info.value.integer.step > 0 ? info.value.integer.step : 1;

				want = lo + (long)((double)(hi - lo) * percent / 100.0);
				want = lo + (want - lo) / step * step;
			}
			v.value.integer.value[k] = want;
			differs |= want != m.saved[i].value[k];
		}
		if (!differs)
			continue;
		if (ioctl(m.fd, SNDRV_CTL_IOCTL_ELEM_WRITE, &v) == 0)
			m.changed++;
	}
	free(ids);
	*ret = m;
	return 0;
}

int
cbd_hw_snd_mixer_restore(struct cbd_hw_snd_mixer *m)
{
	int first = 0;

	if (!m || m->fd < 0)
		return 0;
	for (size_t i = 0; i < m->n; i++) {
		int r = write_saved(m->fd, &m->saved[i]);

		if (r < 0 && first == 0)
			first = r;
	}
	if (m->guard_fd >= 0) {
		/* all back: the guard can go; when a value could not be put
		 * back it tries once more as it ends */
		if (first == 0)
			(void)!write(m->guard_fd, "d", 1);
		close(m->guard_fd);
		m->guard_fd = -1;
	}
	if (m->guard_pid > 0) {
		int st;

		while (waitpid(m->guard_pid, &st, 0) < 0 && errno == EINTR)
			;
		m->guard_pid = -1;
	}
	close(m->fd);
	m->fd = -1;
	return first;
}

/* ---- PCM ---- */

static struct snd_mask *
hp_mask(struct snd_pcm_hw_params *p, int param)
{
	return &p->masks[param - SNDRV_PCM_HW_PARAM_FIRST_MASK];
}

static struct snd_interval *
hp_interval(struct snd_pcm_hw_params *p, int param)
{
	return &p->intervals[param - SNDRV_PCM_HW_PARAM_FIRST_INTERVAL];
}

static void
hp_any(struct snd_pcm_hw_params *p)
{
	memset(p, 0, sizeof(*p));
	for (int k = SNDRV_PCM_HW_PARAM_FIRST_MASK; k <= SNDRV_PCM_HW_PARAM_LAST_MASK; k++)
		memset(hp_mask(p, k), 0xff, sizeof(struct snd_mask));
	for (int k = SNDRV_PCM_HW_PARAM_FIRST_INTERVAL; k <= SNDRV_PCM_HW_PARAM_LAST_INTERVAL; k++) {
		struct snd_interval *i = hp_interval(p, k);

		i->min = 0;
		i->max = UINT_MAX;
	}
	p->rmask = ~0u;
	p->info = ~0u;
}

static void
hp_set_mask(struct snd_pcm_hw_params *p, int param, unsigned bit)
{
	struct snd_mask *m = hp_mask(p, param);

	memset(m, 0, sizeof(*m));
	m->bits[bit >> 5] |= 1u << (bit & 31);
}

static void
hp_set_range(struct snd_pcm_hw_params *p, int param, unsigned min, unsigned max)
{
	struct snd_interval *i = hp_interval(p, param);

	i->min = min;
	i->max = max;
	i->openmin = i->openmax = 0;
	i->integer = 1;
}

/* S16_LE interleaved, the first of @rates and of @chans the device takes,
 * periods of 10 to 50 ms when it can. */
static int
pcm_setup(int fd, const unsigned *rates, size_t nr, const unsigned *chans, size_t nc,
	  unsigned *ret_rate, unsigned *ret_ch, unsigned long *ret_period)
{
	struct snd_pcm_hw_params p;

	for (size_t ri = 0; ri <= nr; ri++)
		for (size_t ci = 0; ci <= nc; ci++)
			for (int timing = 1; timing >= 0; timing--) {
				hp_any(&p);
				hp_set_mask(&p, SNDRV_PCM_HW_PARAM_ACCESS,
					    SNDRV_PCM_ACCESS_RW_INTERLEAVED);
				hp_set_mask(&p, SNDRV_PCM_HW_PARAM_FORMAT,
					    (unsigned)SNDRV_PCM_FORMAT_S16_LE);
				hp_set_mask(&p, SNDRV_PCM_HW_PARAM_SUBFORMAT,
					    SNDRV_PCM_SUBFORMAT_STD);
				/* the last round of each list: whatever it takes */
				if (ri < nr)
					hp_set_range(&p, SNDRV_PCM_HW_PARAM_RATE, rates[ri], rates[ri]);
				else
					hp_set_range(&p, SNDRV_PCM_HW_PARAM_RATE, 8000, 192000);
				if (ci < nc)
					hp_set_range(&p, SNDRV_PCM_HW_PARAM_CHANNELS, chans[ci],
						     chans[ci]);
				else
					hp_set_range(&p, SNDRV_PCM_HW_PARAM_CHANNELS, 1, 32);
				if (timing) {
					hp_set_range(&p, SNDRV_PCM_HW_PARAM_PERIOD_TIME, 10000,
						     50000);
					hp_set_range(&p, SNDRV_PCM_HW_PARAM_BUFFER_TIME, 40000,
						     500000);
				}
				if (ioctl(fd, SNDRV_PCM_IOCTL_HW_REFINE, &p) < 0)
					continue;
				if (ioctl(fd, SNDRV_PCM_IOCTL_HW_PARAMS, &p) < 0)
					continue;
				*ret_rate = hp_interval(&p, SNDRV_PCM_HW_PARAM_RATE)->min;
				*ret_ch = hp_interval(&p, SNDRV_PCM_HW_PARAM_CHANNELS)->min;
				*ret_period = hp_interval(&p, SNDRV_PCM_HW_PARAM_PERIOD_SIZE)->min;
				if (*ret_rate == 0 || *ret_ch == 0 || *ret_period == 0)
					return -EINVAL;
				return 0;
			}
	return -EINVAL;
}

static int
pcm_open(int card, unsigned device, char dir)
{
	char path[48];
	int fd;

	snprintf(path, sizeof(path), "/dev/snd/pcmC%dD%u%c", card, device, dir);
	/* O_NONBLOCK: the open returns -EBUSY at once when another program has
	 * the device, and every wait below is a poll() with a deadline */
	fd = open(path, (dir == 'p' ? O_WRONLY : O_RDONLY) | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	return fd < 0 ? -errno : fd;
}

/* wait for @events until @deadline; 0 ready, -ETIMEDOUT time up, -errno */
static int
wait_fd(int fd, short events, uint64_t deadline)
{
	for (;;) {
		uint64_t now = now_ms();
		struct pollfd pf = {.fd = fd, .events = events};
		int n;

		if (now >= deadline)
			return -ETIMEDOUT;
		n = poll(&pf, 1, (int)(deadline - now > 100 ? 100 : deadline - now));
		if (n < 0 && errno != EINTR)
			return -errno;
		if (n > 0) /* POLLERR: an xrun, which the read or write says */
			return (pf.revents & POLLNVAL) ? -EBADF : 0;
	}
}

static int
pcm_state(int fd)
{
	struct snd_pcm_status st;

	memset(&st, 0, sizeof(st));
	if (ioctl(fd, SNDRV_PCM_IOCTL_STATUS, &st) < 0)
		return -errno;
	return (int)st.state;
}

int
cbd_hw_snd_tone(int card, unsigned device, enum cbd_hw_snd_side side, unsigned hz,
		unsigned ms, unsigned timeout_ms, struct cbd_hw_snd_play *out)
{
	static const unsigned rates[] = {48000, 44100};
	static const unsigned chans[] = {2};
	uint64_t t0 = now_ms(), deadline = t0 + timeout_ms;
	unsigned rate = 0, ch = 0;
	unsigned long period = 0, total, done = 0, fade;
	_cleanup_free_ int16_t *buf = NULL;
	double phase = 0, step;
	int fd, r;

	*out = (struct cbd_hw_snd_play){0};
	fd = pcm_open(card, device, 'p');
	if (fd < 0)
		return fd;
	r = pcm_setup(fd, rates, CBD_ARRAY_SIZE(rates), chans, CBD_ARRAY_SIZE(chans), &rate, &ch,
		      &period);
	if (r < 0)
		goto out;
	if (ch < 2 && side == CBD_HW_SND_RIGHT) {
		r = -EINVAL; /* a mono device has no right side */
		goto out;
	}
	if (ioctl(fd, SNDRV_PCM_IOCTL_PREPARE) < 0) {
		r = -errno;
		goto out;
	}
	out->rate = rate;
	out->channels = ch;
	total = (unsigned long)rate * ms / 1000;
	fade = rate / 100; /* 10 ms in and out: no click */
	step = 2 * M_PI * hz / rate;
	buf = cbd_zalloc(period * ch * sizeof(*buf));
	while (done < total) {
		unsigned long n = total - done < period ? total - done : period;
		struct snd_xferi x;

		if (now_ms() >= deadline) {
			r = -ETIMEDOUT;
			goto out;
		}

		memset(buf, 0, period * ch * sizeof(*buf));
		for (unsigned long f = 0; f < n; f++) {
			unsigned long at = done + f;
			double env = 1.0;

			if (at < fade)
				env = (double)at / fade;
			else if (total - at < fade)
				env = (double)(total - at) / fade;
			/* a quarter of full scale: clearly heard, never clipped */
			buf[f * ch + (side == CBD_HW_SND_RIGHT ? 1 : 0)] =
			    (int16_t)lrint(8192.0 * env * sin(phase));
			phase += step;
			if (phase > 2 * M_PI)
				phase -= 2 * M_PI;
		}
		x = (struct snd_xferi){.buf = buf, .frames = (snd_pcm_uframes_t)n};
		if (ioctl(fd, SNDRV_PCM_IOCTL_WRITEI_FRAMES, &x) == 0) {
			/* a short write: the rest of this chunk is made again */
			phase -= step * (double)(n - (unsigned long)x.result);
			done += (unsigned long)x.result;
			continue;
		}
		if (errno == EAGAIN) {
			phase -= step * (double)n;
			r = wait_fd(fd, POLLOUT, deadline);
			if (r < 0)
				goto out;
			continue;
		}
		if (errno == EPIPE) { /* underrun: start again where it was */
			phase -= step * (double)n;
			if (ioctl(fd, SNDRV_PCM_IOCTL_PREPARE) < 0) {
				r = -errno;
				goto out;
			}
			continue;
		}
		r = -errno;
		goto out;
	}
	out->frames_written = done;
	/* non-blocking: DRAIN starts the drain and returns; the state says when
	 * the last sample has gone */
	if (ioctl(fd, SNDRV_PCM_IOCTL_DRAIN) < 0 && errno != EAGAIN) {
		r = -errno;
		goto out;
	}
	r = 0;
	for (;;) {
		int st = pcm_state(fd);

		if (st < 0 || (st != SNDRV_PCM_STATE_DRAINING && st != SNDRV_PCM_STATE_RUNNING))
			break;
		if (now_ms() >= deadline) {
			r = -ETIMEDOUT;
			break;
		}
		(void)poll(NULL, 0, 10);
	}
out:
	if (r < 0)
		(void)ioctl(fd, SNDRV_PCM_IOCTL_DROP);
	close(fd);
	out->ms = (unsigned)(now_ms() - t0);
	return r;
}

static double
dbfs(double v)
{
	return v > 0 ? 20.0 * log10(v / 32768.0) : -INFINITY;
}

int
cbd_hw_snd_level(int card, unsigned device, unsigned ms, unsigned timeout_ms,
		 struct cbd_hw_snd_level *out)
{
	static const unsigned rates[] = {48000, 44100};
	static const unsigned chans[] = {2, 1};
	uint64_t t0 = now_ms(), deadline = t0 + timeout_ms;
	unsigned rate = 0, ch = 0;
	unsigned long period = 0, want, got = 0, win = 0, win_len;
	double sumsq = 0, win_sumsq = 0, loudest = 0;
	int peak = 0;
	bool any = false;
	_cleanup_free_ int16_t *buf = NULL;
	int fd, r;

	*out = (struct cbd_hw_snd_level){.peak_dbfs = -INFINITY, .rms_dbfs = -INFINITY,
					 .loudest_dbfs = -INFINITY, .all_zero = true};
	fd = pcm_open(card, device, 'c');
	if (fd < 0)
		return fd;
	r = pcm_setup(fd, rates, CBD_ARRAY_SIZE(rates), chans, CBD_ARRAY_SIZE(chans), &rate, &ch,
		      &period);
	if (r < 0)
		goto out;
	out->rate = rate;
	out->channels = ch;
	want = (unsigned long)rate * ms / 1000;
	win_len = rate / 10;
	buf = cbd_zalloc(period * ch * sizeof(*buf));
	if (ioctl(fd, SNDRV_PCM_IOCTL_PREPARE) < 0 || ioctl(fd, SNDRV_PCM_IOCTL_START) < 0) {
		r = -errno;
		goto out;
	}
	while (got < want) {
		struct snd_xferi x = {.buf = buf, .frames = (snd_pcm_uframes_t)period};

		if (now_ms() >= deadline) {
			r = -ETIMEDOUT;
			goto out;
		}

		if (ioctl(fd, SNDRV_PCM_IOCTL_READI_FRAMES, &x) < 0) {
			if (errno == EAGAIN) {
				r = wait_fd(fd, POLLIN, deadline);
				if (r < 0)
					goto out;
				continue;
			}
			if (errno == EPIPE) { /* overrun: go on from now */
				if (ioctl(fd, SNDRV_PCM_IOCTL_PREPARE) < 0 ||
				    ioctl(fd, SNDRV_PCM_IOCTL_START) < 0) {
					r = -errno;
					goto out;
				}
				continue;
			}
			r = -errno;
			goto out;
		}
		if (x.result <= 0)
			continue;
		if (got == 0)
			out->first_data_ms = (unsigned)(now_ms() - t0);
		for (long f = 0; f < x.result; f++) {
			double fs = 0;

			for (unsigned c = 0; c < ch; c++) {
				int s = buf[(unsigned long)f * ch + c];
				int a = s < 0 ? -s : s;

				if (s)
					any = true;
				if (a > peak)
					peak = a;
				fs += (double)s * s;
			}
			fs /= ch;
			sumsq += fs;
			win_sumsq += fs;
			if (++win == win_len) {
				if (win_sumsq / win_len > loudest)
					loudest = win_sumsq / win_len;
				win = 0;
				win_sumsq = 0;
			}
		}
		got += (unsigned long)x.result;
	}
	r = 0;
out:
	/* the figures of what came, whether or not all of it came; the samples
	 * themselves are gone with the buffer */
	if (buf)
		memset(buf, 0, period * ch * sizeof(*buf));
	out->frames = got;
	if (got) {
		if (win && win_sumsq / win > loudest && got < win_len)
			loudest = win_sumsq / win;
		out->all_zero = !any;
		out->peak_dbfs = dbfs(peak);
		out->rms_dbfs = dbfs(sqrt(sumsq / got));
		out->loudest_dbfs = dbfs(sqrt(loudest));
	}
	(void)ioctl(fd, SNDRV_PCM_IOCTL_DROP);
	close(fd);
	return r;
}
