/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The USB view: the device tree by port path, and the port test's outcome
 * per connector, by the connector's physical name ("left USB-C port"). */
#include "views.h"

static const char *
first_str(const cJSON *o, const char *a, const char *b)
{
	return cbd_json_member_str(o, a) ? cbd_json_member_str(o, a) : cbd_json_member_str(o, b);
}

static void
html(FILE *out, const cJSON *data, const struct cbd_view_ctx *ctx)
{
	const cJSON *d, *p, *pt = cbd_json_member(data, "port_test");
	const cJSON *ports = cJSON_IsArray(pt) ? pt : cbd_json_member(pt, "ports");

	if (cJSON_GetArraySize(cbd_json_member(data, "devices")) > 0) {
		fputs("<div class=\"panel\"><h3>USB devices</h3><ul class=\"tree\">", out);
		cJSON_ArrayForEach(d, cbd_json_member(data, "devices"))
		{
			double speed;
			const char *path = cbd_json_member_str(d, "port_path");
			int depth = 0;

			for (const char *c = path; c && *c && depth < 64; c++)
				depth += *c == '.';
			fprintf(out, "<li style=\"margin-left:%dpx\">", depth * 18);
			cbd_html_escape(out, path);
			fputs(" — ", out);
			cbd_html_escape(out, cbd_json_member_str(d, "vendor_id"));
			fputs(":", out);
			cbd_html_escape(out, cbd_json_member_str(d, "product_id"));
			fputs(" ", out);
			cbd_html_escape(out, cbd_json_member_str(d, "product"));
			if (cbd_view_num(d, "speed_mbps", &speed))
				fprintf(out, " <b>%g Mb/s</b>", speed);
			if (cJSON_IsTrue(cbd_json_member(d, "internal")))
				fputs(" (internal)", out);
			fputs("</li>", out);
		}
		fputs("</ul></div>\n", out);
	}
	/* the port test: an object with ports[] (each with its "result"), or, in
	 * reports of earlier versions, the array itself (each with a "verdict") */
	if (cJSON_GetArraySize(pt) > 0 || cJSON_IsObject(pt)) {
		fputs("<div class=\"panel\"><h3>Port test</h3><table>", out);
		cJSON_ArrayForEach(p, ports)
		{
			const char *label = first_str(p, "label", "port");
			double speed;

			fputs("<tr><th>", out);
			cbd_html_escape(out, label ? label : "port");
			fputs("</th><td>", out);
			cbd_html_badge(out, first_str(p, "result", "verdict"));
			if (cbd_view_num(p, "speed_mbps", &speed))
				fprintf(out, "%g Mb/s", speed);
			/* why it was not tested or failed, and for staff the kernel's
			 * names of the connector (reports since the port names) */
			if (cbd_json_member_str(p, "reason")) {
				fputs(" ", out);
				cbd_html_escape(out, cbd_json_member_str(p, "reason"));
			}
			if (cbd_json_member_str(p, "kernel_name")) {
				fputs(" <small>", out);
				cbd_html_escape(out, cbd_json_member_str(p, "kernel_name"));
				fputs("</small>", out);
			}
			fputs("</td></tr>", out);
		}
		fputs("</table></div>\n", out);
	}
}

static bool
usb_c_ports(const cJSON *data, char *out, size_t size)
{
	int n = cbd_view_count(data, "typec", NULL);

	if (n < 0)
		return false;
	snprintf(out, size, "%d", n);
	return true;
}

static const struct cbd_view_fact facts[] = {
    {"usb_c_ports", CBD_FACT_COUNT, usb_c_ports,
     N_("This model has %s USB-C ports, but only %s were found"),
     N_("Reseat the cable of the board that holds the USB-C ports and test again; staff if "
        "they are still missing")},
    {NULL},
};

const struct cbd_view cbd_view_usb = {
	.probe = "usb",
	.html = html,
	.facts = facts,
};
