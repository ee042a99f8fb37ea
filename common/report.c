/*
 * report.c — the month's bilan as a page to print (report.h): page 1 the
 * summary, then the sheets with activity, the silent ones in one table,
 * the revision's changes. Words through fr.h, pieces from report_page.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fr.h"
#include "jdoc.h"
#include "report.h"
#include "report_int.h"

#define REPORT_SUMMARY_ITEMS	12	/* lines of a list on page 1 */
#define REPORT_KEYS		8	/* keys of a breakdown in a cell */

static const char *const report_short_months[] = { "janv.", "févr.", "mars",
	"avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
	"déc." };

/* Bars of an object of counts, its keys named as fr_key says. */
static void
report_bars_object(struct buf *b, const struct catalogue *c, const char *id,
    const char *title, json_object *counts, enum fr_keys keys, int small)
{
	const char	*labels[64];
	long long	 values[64], total = 0;
	char		 months[12][16];
	size_t		 n = 0;

	json_object_object_foreach(counts, k, v) {
		if (n == 64)
			break;
		values[n] = json_object_get_int64(v);
		total += values[n];
		if (keys == FR_TEXT && strlen(k) == 7 && k[4] == '-' &&
		    atoi(k + 5) >= 1 && atoi(k + 5) <= 12) {
			snprintf(months[n % 12], sizeof(months[0]), "%s",
			    report_short_months[atoi(k + 5) - 1]);
			labels[n] = months[n % 12];
		} else
			labels[n] = fr_key(c, keys, k);
		n++;
	}
	if (total == 0)
		return;
	if (keys == FR_TEXT)
		report_columns(b, id, title, labels, values, n);
	else
		report_bars(b, id, title, labels, values, n, small);
}

/* An indicator's value in words, for a cell. */
static void
report_value(struct buf *b, const struct catalogue *c, json_object *io,
    int small)
{
	const char	*measure = jdoc_str(io, "measure");
	json_object	*v = jdoc_get(io, "value");
	char		 s[256], t[64];
	size_t		 k = 0, n;

	if (v == NULL) {
		buf_str(b, "—");
		return;
	}
	if (json_object_is_type(v, json_type_object)) {
		enum fr_keys	 keys = fr_measure_keys(measure);
		int		 sm = strcmp(measure, "by_residence") == 0 ?
				    small : 0;

		n = (size_t)json_object_object_length(v);
		json_object_object_foreach(v, key, x) {
			if (k == REPORT_KEYS)
				break;
			buf_str(b, k++ ? ", " : "");
			/* "Animation (matinée d'éveil, …)": its first words. */
			report_text(b, fr_short(fr_key(c, keys, key), s,
			    sizeof(s)));
			if (sm > 0 && json_object_get_int64(x) >= 1 &&
			    json_object_get_int64(x) < sm)
				buf_printf(b, " &lt; %d", sm);
			else
				buf_printf(b, " %s", fr_int(
				    json_object_get_int64(x), t, sizeof(t)));
		}
		if (n > REPORT_KEYS)
			buf_printf(b, " et %zu autres", n - REPORT_KEYS);
		if (n == 0)
			buf_str(b, "—");
		return;
	}
	fr_count(measure, (long long)json_object_get_int64(v), 0, s, sizeof(s));
	if (strcmp(measure, "trend") == 0) {
		buf_printf(b, "%s (", fr_int(json_object_get_int64(v), t,
		    sizeof(t)));
		buf_printf(b, "%s un an plus tôt", fr_int(jdoc_int(io,
		    "previous"), t, sizeof(t)));
		if (jdoc_get(io, "ratio") != NULL) {
			fr_change(json_object_get_double(jdoc_get(io, "ratio")),
			    t, sizeof(t));
			buf_printf(b, ", %s sur un an", t);
		}
		buf_str(b, ")");
		return;
	}
	if (json_object_is_type(v, json_type_double)) {
		fr_number(json_object_get_double(v), t, sizeof(t));
		buf_str(b, t);
		return;
	}
	report_text(b, s);
}

/* A window's activities and participants: "4 activités, 53 participants". */
static const char *
report_figures(json_object *window, char *out, size_t len)
{
	char	 a[48], p[48];

	fr_count("records", jdoc_int(window, "records"), 0, a, sizeof(a));
	fr_count("participants", jdoc_int(window, "participants"), 0, p,
	    sizeof(p));
	snprintf(out, len, "%s, %s", a, p);
	return out;
}

/* A sheet with activity: its figures, two charts, its indicators. */
static void
report_sheet(struct buf *b, const struct catalogue *c, json_object *s,
    const char *month_words, int small)
{
	json_object	*m = jdoc_get(s, "month"), *y = jdoc_get(s,
	    "year_to_date");
	json_object	*mi = jdoc_get(m, "indicators"), *yi = jdoc_get(y,
	    "indicators");
	const struct cat_sheet *cs = catalogue_sheet(c, jdoc_str(s, "code"));
	char		 dl[256], id[64], mf[128], yf[128];
	size_t		 i, all = 0;

	fr_deadline(jdoc_str(m, "deadline"), dl, sizeof(dl));
	report_figures(m, mf, sizeof(mf));
	report_figures(y, yf, sizeof(yf));
	buf_str(b, "<article><div class=\"tete\"><h3>");
	report_text(b, jdoc_str(s, "code"));
	buf_str(b, " — ");
	report_text(b, jdoc_str(m, "title"));
	buf_str(b, "</h3><p>État depuis janvier : <strong>");
	report_status(b, jdoc_str(y, "status"));
	buf_str(b, "</strong>");
	if (*dl)
		buf_printf(b, " — échéance %s", dl);
	buf_printf(b, ". Activités de la fiche en %s : %s ; depuis janvier "
	    ": %s.</p></div>\n", month_words, mf, yf);
	snprintf(id, sizeof(id), "m-%s", jdoc_str(s, "code"));
	report_bars_object(b, c, id, "Activités par mois depuis janvier",
	    jdoc_get(y, "by_month"), FR_TEXT, 0);
	snprintf(id, sizeof(id), "r-%s", jdoc_str(s, "code"));
	report_bars_object(b, c, id, "Participants par commune de résidence "
	    "depuis janvier", jdoc_get(y, "by_residence"), FR_COMMUNE, small);
	buf_printf(b,
	    "<table class=\"ind\"><colgroup><col style=\"width:38%%\">"
	    "<col style=\"width:19%%\"><col style=\"width:23%%\"><col style=\""
	    "width:20%%\"></colgroup><thead><tr><th>Indicateur</th><th>En %s"
	    "</th><th>Depuis janvier</th><th>Cible et état</th></tr></thead>"
	    "<tbody>\n", month_words);
	for (i = 0; i < jdoc_len(yi); i++) {
		json_object	*yo = json_object_array_get_idx(yi, i);

		/* The plan lists réalisation, résultat, impact in turn. */
		if (i == 0 || strcmp(jdoc_str(yo, "kind"), jdoc_str(
		    json_object_array_get_idx(yi, i - 1), "kind")) != 0)
			buf_printf(b, "<tr><th colspan=\"4\" class=\"groupe\">"
			    "Indicateurs de %s</th></tr>\n",
			    fr_kind(jdoc_str(yo, "kind")));
		buf_str(b, "<tr><td>");
		report_text(b, jdoc_str(yo, "label"));
		if (cs != NULL && i < cs->count && c->indicators[cs->first +
		    i].all) {
			buf_str(b, "&#160;*");
			all++;
		}
		buf_str(b, "</td><td>");
		report_value(b, c, json_object_array_get_idx(mi, i), small);
		buf_str(b, "</td><td>");
		report_value(b, c, yo, small);
		buf_str(b, "</td><td>");
		if (jdoc_get(yo, "target") != NULL) {
			report_target(b, yo);
			buf_str(b, "<br>");
			report_progress(b, yo);
			buf_str(b, jdoc_get(yo, "status") != NULL ? " " : "");
		}
		if (jdoc_get(yo, "status") != NULL)
			report_status(b, jdoc_str(yo, "status"));
		else if (jdoc_get(yo, "target") == NULL)
			buf_str(b, "—");
		buf_str(b, "</td></tr>\n");
	}
	buf_str(b, "</tbody></table>");
	if (all > 0)
		buf_str(b, "<p class=\"note\">* compte les activités de toutes "
		    "les fiches qui répondent à sa définition, pas seulement "
		    "celles de cette fiche.</p>");
	buf_str(b, "</article>\n");
}

/* A change of a revision as a list item. */
static void
report_change_item(struct buf *b, json_object *ch)
{
	buf_str(b, "<li>");
	report_text(b, report_change_words(ch));
	buf_str(b, "</li>");
}

static int
report_active(json_object *s)
{
	return jdoc_int(jdoc_get(s, "year_to_date"), "records") > 0;
}

/* Page 1: the month in figures, what moved, what is late, what changed. */
static void
report_summary(struct buf *b, json_object *rollup, const char *mw)
{
	json_object	*sheets = jdoc_get(rollup, "sheets"), *s, *m, *y;
	json_object	*moved = jdoc_get(rollup, "status_changes");
	const char	*month = jdoc_str(rollup, "month");
	json_object	*changes = jdoc_get(rollup, "changes");
	long long	 t[3][2] = { { 0 } };
	char		 x[32], y2[32], active[64];
	const char	*figures[3] = { "Activités enregistrées",
			    "Participants (somme des effectifs)", active };
	size_t		 k;
	size_t		 i, n, late = 0;

	for (i = 0; i < jdoc_len(sheets); i++) {
		s = json_object_array_get_idx(sheets, i);
		m = jdoc_get(s, "month");
		y = jdoc_get(s, "year_to_date");
		t[0][0] += jdoc_int(m, "records");
		t[0][1] += jdoc_int(y, "records");
		t[1][0] += jdoc_int(m, "participants");
		t[1][1] += jdoc_int(y, "participants");
		t[2][0] += jdoc_int(m, "records") > 0;
		t[2][1] += jdoc_int(y, "records") > 0;
	}
	buf_printf(b, "<section><h2>Le mois en chiffres</h2><table class=\""
	    "chiffres\"><thead><tr><th></th><th class=\"n\">En %s</th>"
	    "<th class=\"n\">Depuis janvier</th></tr></thead><tbody>", mw);
	snprintf(active, sizeof(active), "Fiches actions avec activité (sur "
	    "%zu)", jdoc_len(sheets));
	for (k = 0; k < 3; k++) {
		buf_printf(b, "<tr><td>%s", figures[k]);
		buf_printf(b, "</td><td class=\"n\">%s</td><td class=\"n\">%s"
		    "</td></tr>", fr_int(t[k][0], x, sizeof(x)),
		    fr_int(t[k][1], y2, sizeof(y2)));
	}
	buf_str(b, "</tbody></table>\n");

	buf_printf(b, "<h3>Fiches avec activité en %s</h3>", mw);
	if (t[2][0] == 0)
		buf_str(b, "<p>Aucune activité enregistrée ce mois.</p>");
	else {
		/* Codes and figures: the titles are in the sheets' pages. */
		buf_str(b, "<ul class=\"cols\">");
		for (i = 0; i < jdoc_len(sheets); i++) {
			char	 f[128];

			s = json_object_array_get_idx(sheets, i);
			m = jdoc_get(s, "month");
			if (jdoc_int(m, "records") == 0)
				continue;
			buf_str(b, "<li><strong>");
			report_text(b, jdoc_str(s, "code"));
			buf_printf(b, "</strong> : %s</li>",
			    report_figures(m, f, sizeof(f)));
		}
		buf_str(b, "</ul>\n");
	}

	n = jdoc_len(moved);
	buf_printf(b, "<h3>États qui ont changé en %s</h3>", mw);
	if (moved == NULL)	/* a bilan stored before they were kept */
		buf_str(b, "<p>Non relevés pour ce bilan.</p>");
	else if (strlen(month) >= 7 && strcmp(month + 4, "-01") == 0)
		buf_str(b, "<p>Janvier ouvre l'année : les états partent de "
		    "zéro.</p>");
	else if (n == 0)
		buf_str(b, "<p>Aucun changement d'état ce mois.</p>");
	else {
		buf_str(b, "<ul>");
		for (i = 0; i < n && i < REPORT_SUMMARY_ITEMS; i++) {
			json_object *ch = json_object_array_get_idx(moved, i);

			buf_str(b, "<li>");
			report_text(b, jdoc_str(ch, "sheet"));
			buf_str(b, jdoc_get(ch, "indicator") != NULL ?
			    " — indicateur « " : " — la fiche « ");
			report_text(b, jdoc_str(ch, "label"));
			buf_str(b, " » : ");
			report_status(b, jdoc_str(ch, "before"));
			buf_str(b, " → ");
			report_status(b, jdoc_str(ch, "after"));
			buf_str(b, "</li>");
		}
		if (n > REPORT_SUMMARY_ITEMS)
			buf_printf(b,
			    "<li>et %zu autres (voir les tableaux des "
			    "fiches)</li>", n - REPORT_SUMMARY_ITEMS);
		buf_str(b, "</ul>\n");
	}

	buf_str(b, "<h3>Fiches en retard</h3>");
	for (i = 0; i < jdoc_len(sheets); i++) {
		char	 dl[256];

		s = json_object_array_get_idx(sheets, i);
		if (strcmp(jdoc_str(jdoc_get(s, "year_to_date"), "status"),
		    "en retard") != 0)
			continue;
		buf_str(b, late++ ? "" : "<ul class=\"cols\">");
		buf_str(b, "<li><strong>");
		report_text(b, jdoc_str(s, "code"));
		buf_str(b, "</strong>");
		fr_deadline(jdoc_str(jdoc_get(s, "month"), "deadline"), dl,
		    sizeof(dl));
		if (*dl)
			buf_printf(b, ", échéance %s", dl);
		buf_str(b, "</li>");
	}
	buf_str(b, late ? "</ul>\n" : "<p>Aucune fiche en retard.</p>\n");

	n = jdoc_len(changes);
	if (n > 0) {
		buf_printf(b,
		    "<div class=\"revise\"><strong>Bilan révisé</strong>"
		    " : des activités sont arrivées ou ont été corrigées "
		    "après la clôture du mois. Ce document remplace la "
		    "révision %lld. %zu changement%s",
		    jdoc_int(rollup, "revision") - 1, n,
		    n > 1 ? "s" : "");
		buf_str(b, n > 5 ? ", dont :" : " :");
		buf_str(b, "<ul>");
		for (i = 0; i < n && i < 5; i++) {
			report_change_item(b, json_object_array_get_idx(
			    changes, i));
		}
		buf_str(b, "</ul>");
		if (n > 5)
			buf_str(b, "La liste entière est en fin de document.");
		buf_str(b, "</div>\n");
	}
	buf_str(b, "</section>\n");
}

char *
report_html(const struct catalogue *c, json_object *rollup)
{
	struct buf	 b = { 0 };
	json_object	*sheets = jdoc_get(rollup, "sheets"), *s, *changes;
	char		 mw[64], of[72], when[96], title[128], dl[256];
	size_t		 a, i, n, silent = 0;
	int		 small = (int)jdoc_int(rollup, "small_cells"), any;

	fr_month(jdoc_str(rollup, "month"), mw, sizeof(mw));
	fr_of_month(jdoc_str(rollup, "month"), of, sizeof(of));
	snprintf(title, sizeof(title), "CTG Quercy Blanc — bilan %s", of);
	report_head(&b, title);
	buf_printf(&b, "<header><h1>Bilan %s</h1><p>Convention Territoriale "
	    "Globale — Communauté de communes du Quercy Blanc. ", of);
	if (json_object_get_boolean(jdoc_get(rollup, "provisional")))
		buf_str(&b, "<strong>Chiffres provisoires</strong> : le mois "
		    "n'est pas encore clos. ");
	else {
		fr_stamp(jdoc_str(rollup, "generated"), when, sizeof(when));
		buf_printf(&b, "Révision %lld, établie le %s. ",
		    jdoc_int(rollup, "revision"), when);
	}
	if (small > 0)
		buf_printf(&b, "Par commune, les effectifs de 1 à %d sont "
		    "affichés « &lt; %d » (secret statistique).", small - 1,
		    small);
	buf_str(&b, "</p></header>\n");
	report_summary(&b, rollup, mw);
	for (a = 0; a < c->naxes; a++) {
		for (i = any = 0; i < jdoc_len(sheets); i++) {
			s = json_object_array_get_idx(sheets, i);
			if (!report_active(s) || strcmp(jdoc_str(jdoc_get(s,
			    "month"), "axis"), c->axes[a].code) != 0)
				continue;
			if (!any++) {
				buf_printf(&b, "<section><h2>Axe %s : ",
				    c->axes[a].code);
				report_text(&b, c->axes[a].title);
				buf_str(&b, "</h2>\n");
			}
			report_sheet(&b, c, s, mw, small);
		}
		if (any)
			buf_str(&b, "</section>\n");
	}
	for (i = 0; i < jdoc_len(sheets); i++) {
		s = json_object_array_get_idx(sheets, i);
		if (report_active(s))
			continue;
		if (!silent++)
			buf_str(&b, "<section><h2>Fiches sans activité depuis "
			    "janvier</h2><table><thead><tr><th>Fiche</th><th>"
			    "Intitulé</th><th>Échéance</th><th>État</th></tr>"
			    "</thead><tbody>\n");
		buf_str(&b, "<tr><td>");
		report_text(&b, jdoc_str(s, "code"));
		buf_str(&b, "</td><td>");
		report_text(&b, jdoc_str(jdoc_get(s, "month"), "title"));
		fr_deadline(jdoc_str(jdoc_get(s, "month"), "deadline"), dl,
		    sizeof(dl));
		buf_printf(&b, "</td><td>%s</td><td>", *dl ? dl : "—");
		report_status(&b, jdoc_str(jdoc_get(s, "year_to_date"),
		    "status"));
		buf_str(&b, "</td></tr>\n");
	}
	if (silent)
		buf_str(&b, "</tbody></table></section>\n");
	changes = jdoc_get(rollup, "changes");
	if ((n = jdoc_len(changes)) > 5) {
		buf_str(&b, "<section><h2>Changements depuis la révision "
		    "précédente</h2><ul>");
		for (i = 0; i < n; i++) {
			report_change_item(&b, json_object_array_get_idx(
			    changes, i));
		}
		buf_str(&b, "</ul></section>\n");
	}
	buf_str(&b, "</body></html>\n");
	return buf_done(&b);
}
