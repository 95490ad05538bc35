/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One name a connector, for the intern: where it is on the machine, USB-A or
 * USB-C. Pure: the reading half (usb-read.c) has put the firmware's words
 * into each connector. The kernel's port names stay in kernel_name, for staff.
 */
#include <stdio.h>
#include <strings.h>

#include "cbd-i18n.h"
#include "usb.h"

/* Boards whose firmware says nothing about where their ports are. Add a row
 * only after staff have plugged a stick into each port of that model and
 * seen which root-hub port it arrived on (the report's port_test.ports[]
 * keep the kernel_name); a guess here would send interns to the wrong port. */
const struct cbd_usb_board_port cbd_usb_board_ports[] = {
    {NULL, NULL, NULL}, /* none checked yet */
};
const size_t cbd_usb_n_board_ports = 0;

static bool
known(const char *s)
{
	return s[0] && !streq(s, "unknown");
}

static const char *
kind(const struct cbd_usb_connector *c)
{
	if (c->typec)
		return N_("USB-C port");
	return c->kind_known ? N_("USB-A port") : N_("USB port");
}

static const char *
from_board(const struct cbd_usb_connector *c, const char *board,
           const struct cbd_usb_board_port *table, size_t n_table)
{
	for (size_t i = 0; board && board[0] && i < n_table; i++)
		if (table[i].board && strcasecmp(table[i].board, board) == 0 &&
		    (streq(table[i].port, c->usb2) || streq(table[i].port, c->usb3)))
			return table[i].label;
	return NULL;
}

/* the firmware's panel ("back", "top"...) as the catalogue has it, so that
 * the name can be put into the intern's language (cbd_tr) */
static const char *
panel_word(const char *panel)
{
	static const char *const words[] = {N_("back"), N_("front"), N_("top"), N_("bottom")};

	for (size_t i = 0; i < CBD_ARRAY_SIZE(words); i++)
		if (streq(panel, words[i]))
			return words[i];
	return panel;
}

/* The firmware's place, when it gives one: true when @c was named */
static bool
from_firmware(struct cbd_usb_connector *c)
{
	const char *k = kind(c);

	if (c->dock)
		snprintf(c->label, sizeof(c->label), N_("%s on the dock"), k);
	else if (c->lid)
		snprintf(c->label, sizeof(c->label), N_("%s on the lid"), k);
	else if (streq(c->panel, "left"))
		snprintf(c->label, sizeof(c->label), N_("left %s"), k);
	else if (streq(c->panel, "right"))
		snprintf(c->label, sizeof(c->label), N_("right %s"), k);
	else if (known(c->panel))
		snprintf(c->label, sizeof(c->label), N_("%s on the %s"), k, panel_word(c->panel));
	else
		return false;
	return true;
}

static size_t
count_label(const struct cbd_usb_connector *v, size_t n, const char *label)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += streq(v[i].label, label);
	return k;
}

static void
append(struct cbd_usb_connector *c, const char *what)
{
	size_t len = strlen(c->label);

	snprintf(c->label + len, sizeof(c->label) - len, " (%s)", what);
}

/* Two or more with one name: the firmware's position on the panel, when it
 * tells them apart, else their order */
static void
tell_apart(struct cbd_usb_connector *v, size_t n)
{
	static const char *const nth[] = {"first", "second", "third", "fourth", "fifth"};
	bool *dup = cbd_zalloc(n + 1);
	char(*base)[sizeof(v->label)] = cbd_realloc_array(NULL, n + 1, sizeof(*base));

	for (size_t i = 0; i < n; i++) {
		dup[i] = count_label(v, n, v[i].label) > 1;
		snprintf(base[i], sizeof(base[i]), "%s", v[i].label);
	}
	for (size_t i = 0; i < n; i++) {
		bool by_v = true, by_h = true;

		if (!dup[i])
			continue;
		/* every connector of that name must have a distinct position */
		for (size_t j = 0; j < n; j++) {
			if (!streq(base[j], base[i]))
				continue;
			by_v = by_v && known(v[j].vpos);
			by_h = by_h && known(v[j].hpos);
			for (size_t k = 0; k < j; k++)
				if (streq(base[k], base[i])) {
					by_v = by_v && !streq(v[k].vpos, v[j].vpos);
					by_h = by_h && !streq(v[k].hpos, v[j].hpos);
				}
		}
		if (by_v)
			append(&v[i], streq(v[i].vpos, "upper")   ? "upper"
			              : streq(v[i].vpos, "lower") ? "lower"
			                                          : "middle");
		else if (by_h && !streq(v[i].panel, "left") && !streq(v[i].panel, "right"))
			/* left and right of a side panel depend on which way one
			 * faces it: only the front and back panels are told this way */
			append(&v[i], streq(v[i].hpos, "left")    ? N_("left side")
			              : streq(v[i].hpos, "right") ? N_("right side")
			                                          : "middle");
		else {
			size_t k = 0;
			char buf[24];

			for (size_t j = 0; j < i; j++)
				k += streq(base[j], base[i]);
			if (k < CBD_ARRAY_SIZE(nth))
				append(&v[i], nth[k]);
			else {
				snprintf(buf, sizeof(buf), "number %zu", k + 1);
				append(&v[i], buf);
			}
		}
	}
	free(base);
	free(dup);
}

void
cbd_usb_name_connectors(struct cbd_usb_connector *v, size_t n, const char *board,
                        const struct cbd_usb_board_port *table, size_t n_table)
{
	unsigned ordinal[3] = {0}; /* per kind: USB port, USB-A port, USB-C port */

	for (size_t i = 0; i < n; i++) {
		struct cbd_usb_connector *c = &v[i];
		const char *b = from_board(c, board, table, n_table);

		if (b) {
			snprintf(c->label, sizeof(c->label), "%s", b);
			c->named_by = "board profile";
		} else if (from_firmware(c)) {
			c->named_by = "firmware";
		} else if (c->typec && c->typec_port >= 0) {
			/* the EC's own numbering: port0 is "USB-C port 1" */
			snprintf(c->label, sizeof(c->label), N_("USB-C port %d"), c->typec_port + 1);
			c->named_by = "Type-C port number";
		} else {
			c->label[0] = '\0';
			c->named_by = "order";
		}
	}
	/* nothing known: numbered in the order the firmware lists them, per kind */
	for (size_t i = 0; i < n; i++) {
		struct cbd_usb_connector *c = &v[i];
		unsigned *k = c->typec ? &ordinal[2] : c->kind_known ? &ordinal[1] : &ordinal[0];

		if (c->label[0])
			continue;
		do
			snprintf(c->label, sizeof(c->label), "%s %u", kind(c), ++*k);
		while (count_label(v, n, c->label) > 1);
	}
	tell_apart(v, n);
}

const struct cbd_usb_connector *
cbd_usb_connector_of(const struct cbd_usb_connector *v, size_t n, const char *port)
{
	for (size_t i = 0; port && port[0] && i < n; i++)
		if (streq(v[i].usb2, port) || streq(v[i].usb3, port))
			return &v[i];
	return NULL;
}
