/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The port-by-port plug test (--interactive). The intern plugs a reference
 * USB 3 stick into each external connector in turn; a USB monitor
 * (hw/usb-monitor.c: udevd's events, or the kernel's when no udevd runs)
 * says when and where it arrived and at what speed. A SuperSpeed connector
 * where the stick came up at 480 Mb/s or less has a damaged SuperSpeed pair
 * (or a USB 2 stick: the prompt asks for a USB 3 one). On a Type-C connector
 * the stick is also turned over, since each orientation uses other lanes.
 *
 * Once it is there, a short timed read from the stick (its disk, read-only,
 * as the storage read test opens disks) gives a throughput figure: a port
 * that negotiated 5 Gb/s but moves data at USB 2 rates shows there.
 *
 * The intern never has to press Enter after plugging: the arrival ends the
 * wait. "s" and Enter skips a port; a port where nothing arrives within
 * usb.port_timeout_seconds fails, and the report keeps the two apart.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cbd-i18n.h"
#include "usb.h"

bool
cbd_usb_root_port_of(const char *name, char *buf, size_t size)
{
	unsigned bus, port;
	int n = 0;

	/* "B-P" or "B-P.x.y"; interfaces ("1-2:1.0") and root hubs ("usb1") are not devices */
	if (sscanf(name, "%u-%u%n", &bus, &port, &n) != 2 || (name[n] != '\0' && name[n] != '.') ||
	    strchr(name, ':'))
		return false;
	snprintf(buf, size, "usb%u-port%u", bus, port);
	return true;
}

static const struct cbd_usb_port_raw *
port_named(const struct cbd_usb_raw *raw, const char *name)
{
	for (size_t i = 0; name[0] && i < raw->n_port; i++)
		if (streq(raw->port[i].name, name))
			return &raw->port[i];
	return NULL;
}

static bool
reachable(const struct cbd_usb_port_raw *p)
{
	return !p || (!streq(p->connect_type, "hardwired") && !streq(p->connect_type, "not used"));
}

static void
take_place(struct cbd_usb_connector *c, const struct cbd_usb_port_raw *p)
{
	/* the first side that says something: the firmware gives both or one */
	if (!c->panel[0] && p->panel[0])
		snprintf(c->panel, sizeof(c->panel), "%s", p->panel);
	if (!c->vpos[0] && p->vpos[0])
		snprintf(c->vpos, sizeof(c->vpos), "%s", p->vpos);
	if (!c->hpos[0] && p->hpos[0])
		snprintf(c->hpos, sizeof(c->hpos), "%s", p->hpos);
	c->dock = c->dock || streq(p->dock, "yes");
	c->lid = c->lid || streq(p->lid, "yes");
}

size_t
cbd_usb_connectors(const struct cbd_usb_raw *raw, const char *board,
		   struct cbd_usb_connector **ret)
{
	struct cbd_usb_connector *v = NULL;
	bool *taken = cbd_zalloc(raw->n_port + 1);
	size_t n = 0;
	bool links = false;

	/* USB-A is known only where the firmware links USB ports to Type-C
	 * ports at all: a Type-C class without any link (older firmware) would
	 * call every USB-C port USB-A */
	for (size_t i = 0; i < raw->n_port; i++)
		links = links || raw->port[i].connector[0];

	for (size_t i = 0; i < raw->n_port; i++) {
		const struct cbd_usb_port_raw *a = &raw->port[i], *b = NULL;
		const struct cbd_usb_port_raw *two, *three;
		struct cbd_usb_connector *c;
		const char *tc;

		if (taken[i])
			continue;
		taken[i] = true;
		b = port_named(raw, a->peer);
		if (b)
			taken[b - raw->port] = true;
		if (!reachable(a) || !reachable(b))
			continue;
		two = !a->superspeed ? a : (b && !b->superspeed ? b : NULL);
		three = a->superspeed ? a : (b && b->superspeed ? b : NULL);
		v = cbd_realloc_array(v, n + 1, sizeof(*v));
		c = &v[n++];
		*c = (struct cbd_usb_connector){.superspeed = three != NULL, .typec_port = -1};
		if (two)
			snprintf(c->usb2, sizeof(c->usb2), "%s", two->name);
		if (three)
			snprintf(c->usb3, sizeof(c->usb3), "%s", three->name);
		snprintf(c->kernel_name, sizeof(c->kernel_name), "%s%s%s", c->usb2,
			 c->usb2[0] && c->usb3[0] ? "/" : "", c->usb3);
		tc = a->connector[0] ? a->connector : b ? b->connector : "";
		c->typec = tc[0] != '\0';
		c->kind_known = c->typec || (raw->n_typec > 0 && links);
		if (c->typec && strncmp(tc, "port", 4) == 0 && tc[4] >= '0' && tc[4] <= '9')
			c->typec_port = atoi(tc + 4);
		if (a->device[0])
			snprintf(c->in_use, sizeof(c->in_use), "%s", a->device);
		else if (b && b->device[0])
			snprintf(c->in_use, sizeof(c->in_use), "%s", b->device);
		take_place(c, a);
		if (b)
			take_place(c, b);
		/* the Type-C port's own _PLD, when the USB ports have none */
		for (size_t k = 0; c->typec && !c->panel[0] && k < raw->n_typec; k++)
			if (streq(raw->typec[k].name, tc) && raw->typec[k].panel[0])
				snprintf(c->panel, sizeof(c->panel), "%s", raw->typec[k].panel);
	}
	free(taken);
	cbd_usb_name_connectors(v, n, board, cbd_usb_board_ports, cbd_usb_n_board_ports);
	*ret = v;
	return n;
}

void
cbd_usb_port_test_clear(struct cbd_usb_port_test *pt)
{
	free(pt->conn);
	free(pt->outcome);
	*pt = (struct cbd_usb_port_test){0};
}

static bool
on_connector(const struct cbd_usb_connector *c, const char *device)
{
	char root[32];

	return cbd_usb_root_port_of(device, root, sizeof(root)) &&
	       (streq(root, c->usb2) || streq(root, c->usb3));
}

enum wait_result { ARRIVED, GONE, SKIPPED, TIMED_OUT, BROKEN };

/*
 * Wait for the stick: an "add" on connector @c (want_add) or the "remove"
 * of @o->device. Arrivals elsewhere are told to the intern and noted.
 */
static enum wait_result
wait_for(const struct cbd_ctx *ctx, struct cbd_hw_usb_monitor *mon,
	 const struct cbd_usb_connector *all, size_t n_all, const struct cbd_usb_connector *c,
	 bool want_add, unsigned timeout_s, struct cbd_usb_port_outcome *o, double *ret_speed)
{
	const struct cbd_ui *ui = ctx->ui;
	uint64_t t0 = cbd_now_mono_ms();
	int fd = cbd_hw_usb_monitor_fd(mon);

	for (;;) {
		uint64_t waited = cbd_now_mono_ms() - t0;
		struct cbd_hw_usb_event ev;
		char line[256];
		int r;

		if (waited >= (uint64_t)timeout_s * 1000) {
			ui->status(ui, "");
			return TIMED_OUT;
		}
		snprintf(line, sizeof(line), _("  Waiting for the stick to be %s: %llu seconds left"),
			 want_add ? _("plugged in") : _("unplugged"),
			 (unsigned long long)(timeout_s - waited / 1000));
		ui->status(ui, line);
		r = ui->wait(ui, fd, 500);
		if (r == CBD_UI_SKIP || r == CBD_UI_NO) {
			ui->status(ui, "");
			return SKIPPED;
		}
		if (r < 0 && r != -EPIPE) {
			ui->status(ui, "");
			return BROKEN;
		}
		if (r != CBD_UI_READY)
			continue; /* Enter alone, time passing: keep waiting */
		while (cbd_hw_usb_monitor_next(mon, &ev) > 0) {
			if (want_add && streq(ev.action, "add")) {
				if (!on_connector(c, ev.name)) {
					char root[32] = "";
					const struct cbd_usb_connector *other;

					cbd_usb_root_port_of(ev.name, root, sizeof(root));
					snprintf(o->elsewhere, sizeof(o->elsewhere), "%s",
						 root[0] ? root : ev.name);
					other = cbd_usb_connector_of(all, n_all, root);
					snprintf(o->elsewhere_label, sizeof(o->elsewhere_label), "%s",
						 other ? other->label : "");
					if (other)
						snprintf(line, sizeof(line),
							 _("  That went into the %s. Take it out and use "
							 "the %s."),
							 cbd_tr(other->label), cbd_tr(c->label));
					else
						snprintf(line, sizeof(line),
							 _("  That went into another port. Take it out "
							 "and use the %s."),
							 cbd_tr(c->label));
					ui->status(ui, "");
					ui->say(ui, line);
					continue;
				}
				snprintf(o->device, sizeof(o->device), "%s", ev.name);
				snprintf(o->vid, sizeof(o->vid), "%s", ev.vid);
				snprintf(o->pid, sizeof(o->pid), "%s", ev.pid);
				snprintf(o->product, sizeof(o->product), "%s", ev.product);
				*ret_speed = ev.speed_mbps;
				ui->status(ui, "");
				return ARRIVED;
			}
			if (!want_add && streq(ev.action, "remove") && streq(ev.name, o->device)) {
				ui->status(ui, "");
				return GONE;
			}
		}
	}
}

#define READ_WAIT_MS 10000        /* for usb-storage and the SCSI scan to make the disk */
#define READ_MAX_BYTES (16u << 20) /* a short read: enough for a figure */
#define READ_MAX_MS 3000           /* and never long, even at 12 Mb/s */
#define READ_CHUNK (1u << 20)

/* Time a short sequential read from the disk of the stick that just arrived. */
static void
time_read(const struct cbd_ctx *ctx, struct cbd_usb_port_outcome *o)
{
	const struct cbd_ui *ui = ctx->ui;
	uint64_t t0 = cbd_now_mono_ms(), t1, t2;
	struct cbd_hw_block b;
	uint64_t done = 0;
	char disk[32];
	void *buf = NULL;
	int r;

	ui->status(ui, _("  reading from the stick..."));
	while ((r = cbd_hw_usb_disk_of(o->device, disk, sizeof(disk))) < 0) {
		r = cbd_hw_usb_has_storage(o->device);
		if (r == 0 || r == -ENODEV) {
			snprintf(o->read_note, sizeof(o->read_note), "%s",
				 r == 0 ? N_("not a storage device: nothing to read")
					: N_("unplugged before it could be read"));
			ui->status(ui, "");
			return;
		}
		if (cbd_now_mono_ms() - t0 >= READ_WAIT_MS) {
			snprintf(o->read_note, sizeof(o->read_note), N_("no disk appeared in %u s"),
				 READ_WAIT_MS / 1000);
			ui->status(ui, "");
			return;
		}
		usleep(100 * 1000);
	}
	/* the disk's name shows in sysfs a moment before its node can be opened
	 * (ENXIO while the SCSI disk is still being set up; longer on a slow
	 * machine): keep trying within the same wait */
	while ((r = cbd_hw_block_open(disk, &b)) == -ENXIO || r == -ENOENT || r == -ENOMEDIUM) {
		if (cbd_now_mono_ms() - t0 >= READ_WAIT_MS)
			break;
		usleep(100 * 1000);
	}
	if (r < 0) {
		snprintf(o->read_note, sizeof(o->read_note), N_("%s could not be opened: %s"), disk,
			 strerror(-r));
		ui->status(ui, "");
		return;
	}
	if (posix_memalign(&buf, 4096, READ_CHUNK) != 0)
		abort();
	t1 = cbd_now_mono_us();
	t2 = t1;
	while (done < READ_MAX_BYTES && done < b.size_bytes && t2 - t1 < READ_MAX_MS * 1000u) {
		ssize_t n = cbd_hw_block_read(&b, buf, READ_CHUNK, done);

		t2 = cbd_now_mono_us();
		if (n <= 0) {
			if (n < 0)
				snprintf(o->read_note, sizeof(o->read_note), N_("reading %s failed: %s"),
					 disk, strerror((int)-n));
			break;
		}
		done += (uint64_t)n;
	}
	cbd_hw_block_close(&b);
	free(buf);
	ui->status(ui, "");
	if (o->read_note[0] || done == 0 || t2 <= t1) {
		if (!o->read_note[0])
			snprintf(o->read_note, sizeof(o->read_note), N_("nothing could be read from %s"),
				 disk);
		return;
	}
	o->read_mb_s = (double)done / (double)(t2 - t1); /* bytes per microsecond = MB/s */
	o->read_mib = (unsigned)(done >> 20);
	/* the figure is for staff: the report has it */
	ui->say(ui, _("  The stick could be read."));
}

/* In words: the figure is in the report for staff */
static void
say_speed(const struct cbd_ui *ui, const struct cbd_usb_connector *c, bool turned, double speed)
{
	char line[160];

	if (c->superspeed && speed <= 480)
		snprintf(line, sizeof(line),
			 _("  %s%s: works, but only slowly. Its fast connection is broken."), cbd_tr(c->label),
			 turned ? _(", turned over") : "");
	else
		snprintf(line, sizeof(line), _("  %s%s: works%s."), cbd_tr(c->label),
			 turned ? _(", turned over") : "", c->superspeed ? _(" at full speed") : "");
	ui->say(ui, line);
}

void
cbd_usb_port_test_run(const struct cbd_ctx *ctx, const struct cbd_usb_raw *raw,
		      struct cbd_usb_port_test *pt)
{
	const struct cbd_ui *ui = ctx->ui;
	struct cbd_hw_usb_monitor *mon = NULL;
	struct cbd_hw_usb_event ev;
	size_t todo = 0, k = 0;
	char line[256];
	int r;

	*pt = (struct cbd_usb_port_test){0};
	pt->timeout_s = (unsigned)ctx->thresholds->v[CBD_T_USB_PORT_TIMEOUT_SECONDS];
	pt->n = cbd_usb_connectors(raw, ctx->device ? ctx->device->board : NULL, &pt->conn);
	pt->outcome = cbd_realloc_array(NULL, pt->n + 1, sizeof(*pt->outcome));
	for (size_t i = 0; i < pt->n; i++)
		pt->outcome[i] = (struct cbd_usb_port_outcome){.flip_speed_mbps = -1,
								  .read_mb_s = -1};
	if (pt->n == 0)
		return;
	r = cbd_hw_usb_monitor_open(&mon);
	if (r < 0) {
		snprintf(pt->error, sizeof(pt->error), "cannot watch USB arrivals: %s",
			 strerror(-r));
		return;
	}
	pt->source = cbd_hw_usb_monitor_source(mon);
	while (cbd_hw_usb_monitor_next(mon, &ev) > 0)
		; /* what happened before the test is not part of it */

	/* a mouse or a phone left in a port would keep it from the test */
	r = ui->ask(ui, _("USB port test next. First unplug everything from the USB ports except "
			"the charger and this repair stick. Then press Enter (or s and Enter to "
			"skip the port test)."));
	if (r < 0)
		/* nobody to plug the stick in (stdin closed): no test, and why */
		snprintf(pt->error, sizeof(pt->error), N_("nobody answered: %s"),
			 r == -EPIPE ? N_("no keyboard input") : strerror(-r));
	if (r < 0 || r == CBD_UI_SKIP || r == CBD_UI_NO) {
		pt->declined = r >= 0;
		for (size_t i = 0; i < pt->n; i++)
			pt->outcome[i].result = CBD_PORT_SKIPPED;
		cbd_hw_usb_monitor_close(mon);
		return;
	}
	/* what was unplugged meanwhile frees its connector; what came in takes one */
	while (cbd_hw_usb_monitor_next(mon, &ev) > 0) {
		char root[32];

		for (size_t i = 0; i < pt->n; i++) {
			struct cbd_usb_connector *c = &pt->conn[i];

			if (streq(ev.action, "remove") && streq(ev.name, c->in_use))
				c->in_use[0] = '\0';
			else if (streq(ev.action, "add") && !c->in_use[0] &&
				 cbd_usb_root_port_of(ev.name, root, sizeof(root)) &&
				 !strchr(ev.name, '.') && on_connector(c, ev.name))
				snprintf(c->in_use, sizeof(c->in_use), "%s", ev.name);
		}
	}
	for (size_t i = 0; i < pt->n; i++) {
		if (pt->conn[i].in_use[0])
			pt->outcome[i].result = CBD_PORT_IN_USE;
		else
			todo++;
	}
	if (todo == 0) {
		cbd_hw_usb_monitor_close(mon);
		return;
	}

	ui->say(ui, _("Plug the blue USB 3 test stick into each port in turn. Ports with "
		    "something in them are not tested."));
	for (size_t i = 0; i < pt->n; i++) {
		const struct cbd_usb_connector *c = &pt->conn[i];
		struct cbd_usb_port_outcome *o = &pt->outcome[i];
		enum wait_result w;
		double speed = 0;

		if (o->result == CBD_PORT_IN_USE)
			continue;
		k++;
		/* the connector's name only: the kernel's stays in the report for staff */
		snprintf(line, sizeof(line),
			 _("Port %zu of %zu: plug the stick into the %s (s and Enter to skip this "
			 "port)."),
			 k, todo, cbd_tr(c->label));
		ui->say(ui, line);
		w = wait_for(ctx, mon, pt->conn, pt->n, c, true, pt->timeout_s, o, &speed);
		if (w == BROKEN) {
			snprintf(pt->error, sizeof(pt->error), N_("reading the intern's answers failed"));
			o->result = CBD_PORT_SKIPPED;
			break;
		}
		if (w == SKIPPED) {
			o->result = CBD_PORT_SKIPPED;
			ui->say(ui, _("  skipped"));
			continue;
		}
		if (w == TIMED_OUT) {
			o->result = CBD_PORT_NOTHING;
			snprintf(line, sizeof(line), _("  Nothing came from the %s in %u seconds."),
				 cbd_tr(c->label), pt->timeout_s);
			ui->say(ui, line);
			continue;
		}
		o->speed_mbps = speed;
		o->result = c->superspeed && speed <= 480 ? CBD_PORT_SLOW : CBD_PORT_PASS;
		say_speed(ui, c, false, speed);
		time_read(ctx, o);

		if (c->typec) {
			ui->say(ui, _("  Now unplug the stick, turn it over, and plug it into the "
				    "same port again (s and Enter to skip)."));
			w = wait_for(ctx, mon, pt->conn, pt->n, c, false, pt->timeout_s, o, &speed);
			if (w == GONE)
				w = wait_for(ctx, mon, pt->conn, pt->n, c, true, pt->timeout_s, o, &speed);
			if (w == ARRIVED) {
				o->flip_speed_mbps = speed;
				say_speed(ui, c, true, speed);
			} else if (w == TIMED_OUT) {
				o->flip_speed_mbps = 0;
			}
		}
		ui->say(ui, _("  Unplug the stick."));
		(void)wait_for(ctx, mon, pt->conn, pt->n, c, false, pt->timeout_s, o, &speed);
	}
	cbd_hw_usb_monitor_close(mon);
}
