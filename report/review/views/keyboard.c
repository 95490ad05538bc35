/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The keyboard's view: the keyboards found, the key test drawn on the
 * Chromebook layout, a swapped keyboard in the diff. */
#include "views.h"

/* The Chromebook layout (US, search key in place of caps lock), by evdev names. */
static const char *const KB_ROWS[][16] = {
	{"ESC", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10", "POWER", NULL},
	{"GRAVE", "1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "MINUS", "EQUAL", "BACKSPACE",
	 NULL},
	{"TAB", "Q", "W", "E", "R", "T", "Y", "U", "I", "O", "P", "LEFTBRACE", "RIGHTBRACE",
	 "BACKSLASH", NULL},
	{"LEFTMETA", "A", "S", "D", "F", "G", "H", "J", "K", "L", "SEMICOLON", "APOSTROPHE",
	 "ENTER", NULL},
	{"LEFTSHIFT", "Z", "X", "C", "V", "B", "N", "M", "COMMA", "DOT", "SLASH", "RIGHTSHIFT",
	 NULL},
	{"LEFTCTRL", "LEFTALT", "SPACE", "RIGHTALT", "RIGHTCTRL", "LEFT", "UP", "DOWN", "RIGHT",
	 NULL},
};

static bool
in_list(const cJSON *arr, const char *name)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, arr) if (cJSON_IsString(v) && streq(v->valuestring, name)) return true;
	return false;
}

static void
html(FILE *out, const cJSON *data, const struct cbd_view_ctx *ctx)
{
	const cJSON *kt = cbd_json_member(data, "key_test"), *k;

	cJSON_ArrayForEach(k, cbd_json_member(data, "keyboards"))
	{
		fputs("<div class=\"panel\"><table>", out);
		cbd_html_row(out, "Keyboard", cbd_json_member_str(k, "name"));
		cbd_html_row(out, "Bus", cbd_json_member_str(k, "bus"));
		cbd_html_row(out, "Internal", cJSON_IsTrue(cbd_json_member(k, "internal")) ? "yes" : "no");
		fputs("</table></div>\n", out);
	}
	if (!cJSON_IsObject(kt) && cJSON_GetArraySize(cbd_json_member(data, "stuck_keys")) == 0)
		return;
	fputs("<div class=\"panel\"><h3>Key test</h3><div class=\"legend\">"
	      "<span class=\"k k-ok\">tested</span><span class=\"k k-un\">untested</span>"
	      "<span class=\"k k-bad\">stuck</span><span class=\"k k-chat\">chatter</span></div>"
	      "<div class=\"kb\">",
	      out);
	for (size_t r = 0; r < CBD_ARRAY_SIZE(KB_ROWS); r++) {
		fputs("<div class=\"kr\">", out);
		for (size_t i = 0; KB_ROWS[r][i]; i++) {
			const char *name = KB_ROWS[r][i];
			const char *cls = "k";

			if (in_list(cbd_json_member(kt, "stuck"), name) ||
			    in_list(cbd_json_member(data, "stuck_keys"), name))
				cls = "k k-bad";
			else if (in_list(cbd_json_member(kt, "chatter"), name))
				cls = "k k-chat";
			else if (in_list(cbd_json_member(kt, "tested"), name))
				cls = "k k-ok";
			else if (in_list(cbd_json_member(kt, "untested"), name))
				cls = "k k-un";
			cbd_html_el(out, "span", cls, name);
		}
		fputs("</div>", out);
	}
	fputs("</div></div>\n", out);
}

static const struct cbd_view_part diff = {
	"keyboards", "device", "keyboard", {"name", NULL}, {NULL},
};

const struct cbd_view cbd_view_keyboard = {
	.probe = "keyboard",
	.html = html,
	.diff = &diff,
};
