/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The intern's language (docs/languages.md).
 *
 * Text an intern reads goes through gettext, in two ways:
 *  - said now (a prompt, a line of the final screen): _("...") at the call;
 *  - kept in the report (a headline, a finding's message and next step):
 *    marked N_("...") where it is written, so that the report stays in
 *    English whatever the language, and put in the intern's language where
 *    it is shown, by cbd_tr().
 */
#pragma once

#include <stdbool.h>

#define CBD_GETTEXT_DOMAIN "cbdiag"

const char *cbd_gettext(const char *msgid) __attribute__((format_arg(1)));
#define _(s) cbd_gettext(s)
#define N_(s) s

/**
 * cbd_i18n_init:
 * @lang: a language ("es", "en", "es_MX"), or NULL to take it from the
 *   environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG)
 *
 * Chooses the language of what the intern reads. Works without the
 * language's locale installed (the repair stick has none): the messages'
 * language is told to gettext through LANGUAGE over the built-in C.UTF-8
 * locale. Numbers and the report are never affected (LC_NUMERIC stays "C").
 * CBD_LOCALEDIR overrides where the catalogues are (the build tree's po/).
 * Returns 0, or -EINVAL for a language name that is not one (letters, _ and
 * at most 15 characters).
 */
int cbd_i18n_init(const char *lang);

/** The language chosen ("en" when nothing is translated). */
const char *cbd_i18n_lang(void);

/**
 * cbd_tr:
 * @english: a headline, message or next step as the report keeps it
 *
 * The same text in the intern's language: looked up whole, or, when it was
 * made from a format ("The touchscreen did not respond in 3 of 9 places"),
 * matched against the catalogue's formats and rebuilt from the translated
 * one with the same values. Text no catalogue knows (a device's name, an
 * older report's wording) comes back as it is. The result lives until
 * cbd_tr_reset() (what one report's rendering needs is kept, and each
 * sentence is matched once); NULL stays NULL.
 */
const char *cbd_tr(const char *english);

/** Forget what cbd_tr() has put into the language (a program that renders
 * many reports, the fuzz targets): earlier results are freed. */
void cbd_tr_reset(void);

/* for tests: match @s against the printf format @fmt; on success the values
 * of its conversions, in order, are in @args (each freed by the caller) */
bool cbd_i18n_match(const char *fmt, const char *s, char **args, int max_args, int *n_args);
char *cbd_i18n_rebuild(const char *translated, char *const *args, int n_args);
