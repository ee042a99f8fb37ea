/*
 * report.c — the bilan and the COPIL report as pages to print (report.h).
 * Everything a person reads goes through fr.h: names, dates, units.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "export.h"
#include "fr.h"
#include "report.h"

#define REPORT_SUMMARY_ITEMS	12	/* lines of a list on page 1 */
#define REPORT_KEYS		8	/* keys of a breakdown in a cell */

/* Text into HTML: & < > " ' escaped. */
static void
rb_text(struct buf *b, const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		switch (*s) {
		case '&': buf_add(b, "&amp;", 5); break;
		case '<': buf_add(b, "&lt;", 4); break;
		case '>': buf_add(b, "&gt;", 4); break;
		case '"': buf_add(b, "&quot;", 6); break;
		case '\'': buf_add(b, "&#39;", 5); break;
		default: buf_add(b, s, 1);
		}
}

static json_object *
rget(json_object *o, const char *key)
{
	json_object	*v = NULL;

	if (o != NULL)
		json_object_object_get_ex(o, key, &v);
	return v;
}

static const char *
rj(json_object *o, const char *key)
{
	json_object	*v = rget(o, key);

	return v != NULL ? json_object_get_string(v) : "";
}

/* The length of an array; 0 for anything else, NULL included. */
static size_t
rlen(json_object *a)
{
	return json_object_is_type(a, json_type_array) ?
	    json_object_array_length(a) : 0;
}

static long long
rn(json_object *o, const char *key)
{
	return (long long)json_object_get_int64(rget(o, key));
}

static const char *const report_short_months[] = { "janv.", "févr.", "mars",
	"avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
	"déc." };

static const char report_style[] =
    "body{font-family:'DejaVu Sans',Arial,sans-serif;font-size:10pt;"
    "color:#1a202c;margin:0 auto;max-width:190mm}"
    "h1{font-size:18pt;margin:0 0 4pt}h2{font-size:14pt;border-bottom:2px "
    "solid #2b6cb0;margin:10pt 0 6pt}h3{font-size:11pt;margin:10pt 0 3pt}"
    "section{break-after:page;padding-top:4pt}"
    "section:last-of-type{break-after:auto}"
    "table{border-collapse:collapse;width:100%;font-size:8.5pt;"
    "margin:3pt 0}thead{display:table-header-group}"
    "tr{break-inside:avoid}"
    "td,th{border:1px solid #cbd5e0;padding:1.5pt 3pt;text-align:left;"
    "vertical-align:top}th{background:#edf2f7}td.n,th.n{text-align:right}"
    "th.groupe{background:#f7fafc;font-weight:normal;font-style:italic}"
    "table.ind{table-layout:fixed}"
    "ul.cols{columns:3;font-size:8.5pt;padding-left:12pt;margin:3pt 0}"
    ".atteint{color:#276749}.en-retard{color:#c53030}"
    ".en-bonne-voie{color:#975a16}.non-commence{color:#4a5568}"
    ".revise{background:#fefcbf;padding:4pt;border:1px solid #d69e2e}"
    ".chiffres td{font-size:11pt}.chiffres td.n{font-weight:bold}"
    "figure{display:inline-block;vertical-align:top;margin:2pt 8pt 2pt 0;"
    "break-inside:avoid}figcaption{font-size:8.5pt;color:#4a5568}"
    "article{margin-bottom:6pt}.tete{break-after:avoid}"
    ".note{font-size:8.5pt;color:#4a5568}"
    "@page{size:A4;margin:12mm}";

static const char *
report_status_class(const char *s)
{
	static const char *const classes[][2] = {
		{ "atteint", "atteint" }, { "en retard", "en-retard" },
		{ "en bonne voie", "en-bonne-voie" } };
	size_t	 i;

	for (i = 0; s != NULL && i < 3; i++)
		if (strcmp(s, classes[i][0]) == 0)
			return classes[i][1];
	return "non-commence";
}

static void
report_status(struct buf *b, const char *status)
{
	buf_printf(b, "<span class=\"%s\">", report_status_class(status));
	rb_text(b, *status ? status : "—");
	buf_str(b, "</span>");
}

static void
report_head(struct buf *b, const char *title)
{
	buf_str(b, "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta "
	    "charset=\"utf-8\"><title>");
	rb_text(b, title);
	buf_printf(b, "</title><style>%s</style></head><body>\n", report_style);
}

/*
 * Horizontal bars, one per label, titled for screen readers. A secret
 * count (1 to small - 1) is a short hatched bar marked "< small", never
 * drawn to scale.
 */
static void
report_bars(struct buf *b, const char *id, const char *title,
    const char *const *labels, const long long *values, size_t n, int small)
{
	long long	 max = 1;
	size_t		 i;
	int		 lw = 140, bw = 120, row = 12;

	for (i = 0; i < n; i++)
		if (values[i] > max && !(small > 0 && values[i] < small))
			max = values[i];
	buf_printf(b, "<figure><figcaption id=\"%s\">", id);
	rb_text(b, title);
	buf_printf(b, "</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"%d\" height=\"%zu\" role=\"img\" aria-labelledby=\"%s\">"
	    "<title>", lw + bw + 40, n * (size_t)row + 4, id);
	rb_text(b, title);
	buf_str(b, "</title><defs><pattern id=\"h-");
	buf_printf(b, "%s\" width=\"4\" height=\"4\" patternUnits=\"userSpaceOn"
	    "Use\"><path d=\"M0 4L4 0\" stroke=\"#718096\"/></pattern></defs>",
	    id);
	for (i = 0; i < n; i++) {
		int	 y = (int)i * row + 2, secret = small > 0 &&
			    values[i] >= 1 && values[i] < small;
		int	 w = secret ? 6 : (int)(values[i] * bw / max);

		buf_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"9\" "
		    "text-anchor=\"end\">", lw - 4, y + 9);
		rb_text(b, labels[i]);
		buf_printf(b, "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" "
		    "height=\"8\" ", lw, y + 1, w > 0 ? w : 0);
		if (secret)
			buf_printf(b, "fill=\"url(#h-%s)\" stroke=\"#718096\"/>",
			    id);
		else
			buf_str(b, "fill=\"#2b6cb0\"/>");
		buf_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"9\">",
		    lw + (w > 0 ? w : 0) + 3, y + 9);
		if (secret)
			buf_printf(b, "&lt; %d", small);
		else
			buf_printf(b, "%lld", values[i]);
		buf_str(b, "</text>");
	}
	buf_str(b, "</svg></figure>\n");
}

/* Columns, one per month, titled for screen readers. */
static void
report_columns(struct buf *b, const char *id, const char *title,
    const char *const *labels, const long long *values, size_t n)
{
	long long	 max = 1;
	size_t		 i;
	int		 w = 300, h = 60, cw = n > 0 ? w / (int)n : w;

	for (i = 0; i < n; i++)
		max = values[i] > max ? values[i] : max;
	buf_printf(b, "<figure><figcaption id=\"%s\">", id);
	rb_text(b, title);
	buf_printf(b, "</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"%d\" height=\"%d\" role=\"img\" aria-labelledby=\"%s\">"
	    "<title>", w, h + 24, id);
	rb_text(b, title);
	buf_str(b, "</title>");
	for (i = 0; i < n; i++) {
		int	 bh = (int)(values[i] * h / max), x = (int)i * cw;

		buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\""
		    " fill=\"#2b6cb0\"/><text x=\"%d\" y=\"%d\" font-size=\"8\" "
		    "text-anchor=\"middle\">%lld</text><text x=\"%d\" y=\"%d\" "
		    "font-size=\"8\" text-anchor=\"middle\">", x + 2, 10 + h - bh,
		    cw > 6 ? cw - 4 : 2, bh, x + cw / 2, 8 + h - bh, values[i],
		    x + cw / 2, h + 20);
		rb_text(b, labels[i]);
		buf_str(b, "</text>");
	}
	buf_str(b, "</svg></figure>\n");
}

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
	const char	*measure = rj(io, "measure");
	json_object	*v = rget(io, "value");
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
			rb_text(b, fr_short(fr_key(c, keys, key), s, sizeof(s)));
			if (sm > 0 && json_object_get_int64(x) >= 1 &&
			    json_object_get_int64(x) < sm)
				buf_printf(b, " &lt; %d", sm);
			else
				buf_printf(b, " %lld", (long long)
				    json_object_get_int64(x));
		}
		if (n > REPORT_KEYS)
			buf_printf(b, " et %zu autres", n - REPORT_KEYS);
		if (n == 0)
			buf_str(b, "—");
		return;
	}
	fr_count(measure, (long long)json_object_get_int64(v), 0, s, sizeof(s));
	if (strcmp(measure, "trend") == 0) {
		buf_printf(b, "%lld (%lld un an plus tôt", (long long)
		    json_object_get_int64(v), rn(io, "previous"));
		if (rget(io, "ratio") != NULL) {
			fr_change(json_object_get_double(rget(io, "ratio")), t,
			    sizeof(t));
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
	rb_text(b, s);
}

/* The target in words: "4 par an", "+10 % sur un an". */
static void
report_target(struct buf *b, json_object *io)
{
	json_object	*t = rget(io, "target");
	char		 s[64];

	if (t == NULL) {
		buf_str(b, "—");
		return;
	}
	if (strcmp(rj(io, "measure"), "trend") == 0) {
		fr_change(json_object_get_double(t), s, sizeof(s));
		if (strcmp(s, "0 %") == 0)
			buf_str(b, "au moins autant qu'un an plus tôt");
		else
			buf_printf(b, "%s sur un an", s);
		return;
	}
	fr_number(json_object_get_double(t), s, sizeof(s));
	buf_printf(b, "%s%s", s, strcmp(rj(io, "target_per"), "an") == 0 ?
	    " par an" : strcmp(rj(io, "target_per"), "convention") == 0 ?
	    " sur la convention" : "");
}

/* A progress bar: value against target, coloured by status, titled. */
static void
report_progress(struct buf *b, json_object *io)
{
	double	 v = json_object_get_double(rget(io, "value"));
	double	 t = json_object_get_double(rget(io, "target"));
	int	 pct = t > 0 ? (int)(v / t * 100 + 0.5) : 0;
	int	 w = pct > 100 ? 100 : pct < 0 ? 0 : pct;
	const char *st = rj(io, "status");

	if (rget(io, "target") == NULL || strcmp(rj(io, "measure"),
	    "trend") == 0 || strcmp(rj(io, "measure"), "cadence") == 0 ||
	    json_object_is_type(rget(io, "value"), json_type_object))
		return;
	buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" "
	    "height=\"9\" role=\"img\"><title>%d %% de la cible</title>"
	    "<rect width=\"100\" height=\"9\" fill=\"#e2e8f0\"/><rect width=\""
	    "%d\" height=\"9\" fill=\"%s\"/></svg> %d&#160;%%", pct, w,
	    strcmp(st, "atteint") == 0 ? "#2f855a" : strcmp(st, "en retard") ==
	    0 ? "#c53030" : "#d69e2e", pct);
}

/* A sheet with activity: its figures, two charts, its indicators. */
static void
report_sheet(struct buf *b, const struct catalogue *c, json_object *s,
    const char *month_words, int small)
{
	json_object	*m = rget(s, "month"), *y = rget(s, "year_to_date");
	json_object	*mi = rget(m, "indicators"), *yi = rget(y, "indicators");
	const struct cat_sheet *cs = catalogue_sheet(c, rj(s, "code"));
	char		 dl[256], id[64], a[64], p[64], ya[64], yp[64];
	size_t		 i, all = 0;

	fr_deadline(rj(m, "deadline"), dl, sizeof(dl));
	fr_count("records", rn(m, "records"), 0, a, sizeof(a));
	fr_count("participants", rn(m, "participants"), 0, p, sizeof(p));
	fr_count("records", rn(y, "records"), 0, ya, sizeof(ya));
	fr_count("participants", rn(y, "participants"), 0, yp, sizeof(yp));
	buf_str(b, "<article><div class=\"tete\"><h3>");
	rb_text(b, rj(s, "code"));
	buf_str(b, " — ");
	rb_text(b, rj(m, "title"));
	buf_str(b, "</h3><p>État depuis janvier : <strong>");
	report_status(b, rj(y, "status"));
	buf_str(b, "</strong>");
	if (*dl)
		buf_printf(b, " — échéance %s", dl);
	buf_printf(b, ". Activités de la fiche en %s : %s, %s ; depuis janvier "
	    ": %s, %s.</p></div>\n", month_words, a, p, ya, yp);
	snprintf(id, sizeof(id), "m-%s", rj(s, "code"));
	report_bars_object(b, c, id, "Activités par mois depuis janvier",
	    rget(y, "by_month"), FR_TEXT, 0);
	snprintf(id, sizeof(id), "r-%s", rj(s, "code"));
	report_bars_object(b, c, id, "Participants par commune de résidence "
	    "depuis janvier", rget(y, "by_residence"), FR_COMMUNE, small);
	buf_printf(b, "<table class=\"ind\"><colgroup><col style=\"width:38%%\">"
	    "<col style=\"width:19%%\"><col style=\"width:23%%\"><col style=\""
	    "width:20%%\"></colgroup><thead><tr><th>Indicateur</th><th>En %s"
	    "</th><th>Depuis janvier</th><th>Cible et état</th></tr></thead>"
	    "<tbody>\n", month_words);
	for (i = 0; i < rlen(yi); i++) {
		json_object	*yo = json_object_array_get_idx(yi, i);

		/* The plan lists réalisation, résultat, impact in turn. */
		if (i == 0 || strcmp(rj(yo, "kind"), rj(
		    json_object_array_get_idx(yi, i - 1), "kind")) != 0)
			buf_printf(b, "<tr><th colspan=\"4\" class=\"groupe\">"
			    "Indicateurs de %s</th></tr>\n",
			    fr_kind(rj(yo, "kind")));
		buf_str(b, "<tr><td>");
		rb_text(b, rj(yo, "label"));
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
		if (rget(yo, "target") != NULL) {
			report_target(b, yo);
			buf_str(b, "<br>");
			report_progress(b, yo);
			buf_str(b, rget(yo, "status") != NULL ? " " : "");
		}
		if (rget(yo, "status") != NULL)
			report_status(b, rj(yo, "status"));
		else if (rget(yo, "target") == NULL)
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

static int
report_active(json_object *s)
{
	return rn(rget(s, "year_to_date"), "records") > 0;
}

/* Page 1: the month in figures, what moved, what is late, what changed. */
static void
report_summary(struct buf *b, json_object *rollup, const char *mw)
{
	json_object	*sheets = rget(rollup, "sheets"), *s, *m, *y;
	json_object	*moved = rget(rollup, "status_changes");
	json_object	*changes = rget(rollup, "changes");
	long long	 t[3][2] = { { 0 } };
	size_t		 i, n, late = 0;

	for (i = 0; i < rlen(sheets); i++) {
		s = json_object_array_get_idx(sheets, i);
		m = rget(s, "month");
		y = rget(s, "year_to_date");
		t[0][0] += rn(m, "records");
		t[0][1] += rn(y, "records");
		t[1][0] += rn(m, "participants");
		t[1][1] += rn(y, "participants");
		t[2][0] += rn(m, "records") > 0;
		t[2][1] += rn(y, "records") > 0;
	}
	buf_printf(b, "<section><h2>Le mois en chiffres</h2><table class=\""
	    "chiffres\"><thead><tr><th></th><th class=\"n\">En %s</th>"
	    "<th class=\"n\">Depuis janvier</th></tr></thead><tbody>", mw);
	buf_printf(b, "<tr><td>Activités enregistrées</td><td class=\"n\">%lld"
	    "</td><td class=\"n\">%lld</td></tr>", t[0][0], t[0][1]);
	buf_printf(b, "<tr><td>Participants (somme des effectifs)</td><td "
	    "class=\"n\">%lld</td><td class=\"n\">%lld</td></tr>", t[1][0],
	    t[1][1]);
	buf_printf(b, "<tr><td>Fiches actions avec activité (sur %zu)</td><td "
	    "class=\"n\">%lld</td><td class=\"n\">%lld</td></tr></tbody>"
	    "</table>\n", rlen(sheets), t[2][0], t[2][1]);

	buf_printf(b, "<h3>Fiches avec activité en %s</h3>", mw);
	if (t[2][0] == 0)
		buf_str(b, "<p>Aucune activité enregistrée ce mois.</p>");
	else {
		/* Codes and figures: the titles are in the sheets' pages. */
		buf_str(b, "<ul class=\"cols\">");
		for (i = 0; i < rlen(sheets); i++) {
			char	 a[64], p[64];

			s = json_object_array_get_idx(sheets, i);
			m = rget(s, "month");
			if (rn(m, "records") == 0)
				continue;
			fr_count("records", rn(m, "records"), 0, a, sizeof(a));
			fr_count("participants", rn(m, "participants"), 0, p,
			    sizeof(p));
			buf_str(b, "<li><strong>");
			rb_text(b, rj(s, "code"));
			buf_printf(b, "</strong> : %s, %s</li>", a, p);
		}
		buf_str(b, "</ul>\n");
	}

	n = rlen(moved);
	buf_printf(b, "<h3>États qui ont changé en %s</h3>", mw);
	if (strcmp(rj(rollup, "month") + 4, "-01") == 0)
		buf_str(b, "<p>Janvier ouvre l'année : les états partent de "
		    "zéro.</p>");
	else if (n == 0)
		buf_str(b, "<p>Aucun changement d'état ce mois.</p>");
	else {
		buf_str(b, "<ul>");
		for (i = 0; i < n && i < REPORT_SUMMARY_ITEMS; i++) {
			json_object *ch = json_object_array_get_idx(moved, i);

			buf_str(b, "<li>");
			rb_text(b, rj(ch, "sheet"));
			buf_str(b, rget(ch, "indicator") != NULL ?
			    " — indicateur « " : " — la fiche « ");
			rb_text(b, rj(ch, "label"));
			buf_str(b, " » : ");
			report_status(b, rj(ch, "before"));
			buf_str(b, " → ");
			report_status(b, rj(ch, "after"));
			buf_str(b, "</li>");
		}
		if (n > REPORT_SUMMARY_ITEMS)
			buf_printf(b, "<li>et %zu autres (voir les tableaux des "
			    "fiches)</li>", n - REPORT_SUMMARY_ITEMS);
		buf_str(b, "</ul>\n");
	}

	buf_str(b, "<h3>Fiches en retard</h3>");
	for (i = 0; i < rlen(sheets); i++) {
		char	 dl[256];

		s = json_object_array_get_idx(sheets, i);
		if (strcmp(rj(rget(s, "year_to_date"), "status"),
		    "en retard") != 0)
			continue;
		buf_str(b, late++ ? "" : "<ul class=\"cols\">");
		buf_str(b, "<li><strong>");
		rb_text(b, rj(s, "code"));
		buf_str(b, "</strong>");
		fr_deadline(rj(rget(s, "month"), "deadline"), dl, sizeof(dl));
		if (*dl)
			buf_printf(b, ", échéance %s", dl);
		buf_str(b, "</li>");
	}
	buf_str(b, late ? "</ul>\n" : "<p>Aucune fiche en retard.</p>\n");

	n = rlen(changes);
	if (n > 0) {
		buf_printf(b, "<div class=\"revise\"><strong>Bilan révisé</strong>"
		    " : des activités sont arrivées ou ont été corrigées après "
		    "la clôture du mois. Ce document remplace la révision %lld. "
		    "%zu changement%s", rn(rollup, "revision") - 1, n,
		    n > 1 ? "s" : "");
		buf_str(b, n > 5 ? ", dont :" : " :");
		buf_str(b, "<ul>");
		for (i = 0; i < n && i < 5; i++) {
			buf_str(b, "<li>");
			rb_text(b, rj(json_object_array_get_idx(changes, i),
			    "text"));
			buf_str(b, "</li>");
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
	json_object	*sheets = rget(rollup, "sheets"), *s, *changes;
	char		 mw[64], when[96], title[128], dl[256];
	size_t		 a, i, n, silent = 0;
	int		 small = (int)rn(rollup, "small_cells"), any;

	fr_month(rj(rollup, "month"), mw, sizeof(mw));
	snprintf(title, sizeof(title), "CTG Quercy Blanc — bilan de %s", mw);
	report_head(&b, title);
	buf_printf(&b, "<header><h1>Bilan de %s</h1><p>Convention Territoriale "
	    "Globale — Communauté de communes du Quercy Blanc. ", mw);
	if (json_object_get_boolean(rget(rollup, "provisional")))
		buf_str(&b, "<strong>Chiffres provisoires</strong> : le mois "
		    "n'est pas encore clos. ");
	else {
		fr_stamp(rj(rollup, "generated"), when, sizeof(when));
		buf_printf(&b, "Révision %lld, établie le %s. ",
		    rn(rollup, "revision"), when);
	}
	if (small > 0)
		buf_printf(&b, "Par commune, les effectifs de 1 à %d sont "
		    "affichés « &lt; %d » (secret statistique).", small - 1,
		    small);
	buf_str(&b, "</p></header>\n");
	report_summary(&b, rollup, mw);
	for (a = 0; a < c->naxes; a++) {
		for (i = any = 0; i < rlen(sheets); i++) {
			s = json_object_array_get_idx(sheets, i);
			if (!report_active(s) || strcmp(rj(rget(s, "month"),
			    "axis"), c->axes[a].code) != 0)
				continue;
			if (!any++) {
				buf_printf(&b, "<section><h2>Axe %s : ",
				    c->axes[a].code);
				rb_text(&b, c->axes[a].title);
				buf_str(&b, "</h2>\n");
			}
			report_sheet(&b, c, s, mw, small);
		}
		if (any)
			buf_str(&b, "</section>\n");
	}
	for (i = 0; i < rlen(sheets); i++) {
		s = json_object_array_get_idx(sheets, i);
		if (report_active(s))
			continue;
		if (!silent++)
			buf_str(&b, "<section><h2>Fiches sans activité depuis "
			    "janvier</h2><table><thead><tr><th>Fiche</th><th>"
			    "Intitulé</th><th>Échéance</th><th>État</th></tr>"
			    "</thead><tbody>\n");
		buf_str(&b, "<tr><td>");
		rb_text(&b, rj(s, "code"));
		buf_str(&b, "</td><td>");
		rb_text(&b, rj(rget(s, "month"), "title"));
		fr_deadline(rj(rget(s, "month"), "deadline"), dl, sizeof(dl));
		buf_printf(&b, "</td><td>%s</td><td>", *dl ? dl : "—");
		report_status(&b, rj(rget(s, "year_to_date"), "status"));
		buf_str(&b, "</td></tr>\n");
	}
	if (silent)
		buf_str(&b, "</tbody></table></section>\n");
	changes = rget(rollup, "changes");
	if ((n = rlen(changes)) > 5) {
		buf_str(&b, "<section><h2>Changements depuis la révision "
		    "précédente</h2><ul>");
		for (i = 0; i < n; i++) {
			buf_str(&b, "<li>");
			rb_text(&b, rj(json_object_array_get_idx(changes, i),
			    "text"));
			buf_str(&b, "</li>");
		}
		buf_str(&b, "</ul></section>\n");
	}
	buf_str(&b, "</body></html>\n");
	return buf_done(&b);
}

/* What a figure of a window is called in a change sentence. */
static const struct {
	const char	*key, *words;
} report_figures[] = {
	{ "records", "activités" }, { "participants", "participants" },
	{ "status", "état" },
};

/* A count in a sentence: a commune's small count kept secret. */
static void
report_change_count(char *out, size_t len, json_object *v, int secret,
    int small)
{
	long long	 n = (long long)json_object_get_int64(v);

	if (v == NULL)
		snprintf(out, len, "0");
	else if (!json_object_is_type(v, json_type_int) &&
	    !json_object_is_type(v, json_type_double))
		snprintf(out, len, "%s", json_object_get_string(v));
	else if (secret && small > 0 && n >= 1 && n < small)
		snprintf(out, len, "< %d", small);
	else
		fr_number(json_object_get_double(v), out, len);
}

/* One change, if before and after differ, as data and as a sentence. */
static void
report_change(json_object *list, size_t max, const char *sheet,
    const char *what, const char *window, json_object *before,
    json_object *after, int secret, int small)
{
	char		 x[64], y[64], text[1024];
	json_object	*c;

	report_change_count(x, sizeof(x), before, secret, small);
	report_change_count(y, sizeof(y), after, secret, small);
	if (rlen(list) >= max || json_object_equal(before,
	    after) || (before == NULL && json_object_get_int64(after) == 0 &&
	    json_object_is_type(after, json_type_int)))
		return;
	snprintf(text, sizeof(text), "%s — %s (%s) : %s → %s", sheet, what,
	    window, x, y);
	c = json_object_new_object();
	json_object_object_add(c, "sheet", json_object_new_string(sheet));
	json_object_object_add(c, "what", json_object_new_string(what));
	json_object_object_add(c, "window", json_object_new_string(window));
	json_object_object_add(c, "before", json_object_get(before));
	json_object_object_add(c, "after", json_object_get(after));
	json_object_object_add(c, "text", json_object_new_string(text));
	json_object_array_add(list, c);
}

/* The changes of one indicator: its value, or each key of a breakdown. */
static void
report_change_indicator(const struct catalogue *c, json_object *list,
    size_t max, const char *sheet, const char *window, json_object *o,
    json_object *n, int small)
{
	json_object	*ov = rget(o, "value"), *nv = rget(n, "value");
	const char	*measure = rj(n, "measure");
	enum fr_keys	 keys = fr_measure_keys(measure);
	int		 secret = strcmp(measure, "by_residence") == 0;
	char		 what[1024];
	json_object	*zero;

	if (!json_object_is_type(nv, json_type_object)) {
		snprintf(what, sizeof(what), "« %s »", rj(n, "label"));
		report_change(list, max, sheet, what, window, ov, nv, 0, small);
		return;
	}
	json_object_object_foreach(nv, k, v) {
		snprintf(what, sizeof(what), "« %s », %s", rj(n, "label"),
		    fr_key(c, keys, k));
		report_change(list, max, sheet, what, window, rget(ov, k), v,
		    secret, small);
	}
	zero = json_object_new_int(0);
	json_object_object_foreach(ov, k2, v2) {
		if (rget(nv, k2) != NULL)
			continue;
		snprintf(what, sizeof(what), "« %s », %s", rj(n, "label"),
		    fr_key(c, keys, k2));
		report_change(list, max, sheet, what, window, v2, zero, secret,
		    small);
	}
	json_object_put(zero);
}

json_object *
report_changes(const struct catalogue *c, json_object *old, json_object *new,
    size_t max)
{
	json_object	*list = json_object_new_array();
	json_object	*os = rget(old, "sheets"), *ns = rget(new, "sheets");
	const char	*month = rj(new, "month");
	char		 windows[2][96], mw[64];
	int		 small = (int)rn(new, "small_cells");
	size_t		 i, w, f, k;
	static const char *const keys[2] = { "month", "year_to_date" };

	fr_month(month, mw, sizeof(mw));
	snprintf(windows[0], sizeof(windows[0]), "%s", mw);
	snprintf(windows[1], sizeof(windows[1]), "janvier à %s", mw);
	for (i = 0; i < rlen(ns); i++) {
		json_object *o1 = json_object_array_get_idx(os, i);
		json_object *n1 = json_object_array_get_idx(ns, i);
		const char *sheet = rj(n1, "code");

		/* January's year to date is its month: said once. */
		for (w = 0; w < (strcmp(month + 4, "-01") == 0 ? 1u : 2u); w++) {
			json_object *ow = rget(o1, keys[w]);
			json_object *nw = rget(n1, keys[w]);

			for (f = 0; f < 3; f++)
				report_change(list, max, sheet,
				    report_figures[f].words, windows[w],
				    rget(ow, report_figures[f].key), rget(nw,
				    report_figures[f].key), 0, small);
			for (k = 0; k < rlen(rget(nw,
			    "indicators")); k++)
				report_change_indicator(c, list, max, sheet,
				    windows[w], json_object_array_get_idx(
				    rget(ow, "indicators"), k),
				    json_object_array_get_idx(rget(nw,
				    "indicators"), k), small);
		}
	}
	return list;
}

/* Bars per year, and the plan's baseline as a dashed line. */
static void
report_years_chart(struct buf *b, const char *title, json_object *years,
    json_object *values, json_object *baseline)
{
	size_t	 n = rlen(years), i;
	double	 max = 1, base = baseline != NULL ?
		    json_object_get_double(baseline) : -1;
	int	 w = 40 * (int)n + 20, h = 60, bw = 24;

	for (i = 0; i < n; i++)
		if (json_object_get_double(json_object_array_get_idx(values,
		    i)) > max)
			max = json_object_get_double(json_object_array_get_idx(
			    values, i));
	max = base > max ? base : max;
	buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%d\" role=\"img\"><title>", w, h + 26);
	rb_text(b, title);
	buf_str(b, "</title>");
	for (i = 0; i < n; i++) {
		json_object	*v = json_object_array_get_idx(values, i);
		int		 bh = (int)(json_object_get_double(v) * h / max);
		int		 x = 10 + (int)i * 40;
		char		 num[32];

		fr_number(json_object_get_double(v), num, sizeof(num));
		buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
		    "fill=\"#2b6cb0\"/><text x=\"%d\" y=\"%d\" font-size=\"9\" "
		    "text-anchor=\"middle\">%s</text><text x=\"%d\" y=\"%d\" "
		    "font-size=\"9\" text-anchor=\"middle\">%d</text>", x,
		    12 + h - bh, bw, bh, x + bw / 2, 10 + h - bh,
		    v != NULL ? num : "—", x + bw / 2, h + 24,
		    json_object_get_int(json_object_array_get_idx(years, i)));
	}
	if (base >= 0) {
		int	 y = 12 + h - (int)(base * h / max);

		buf_printf(b, "<line x1=\"4\" x2=\"%d\" y1=\"%d\" y2=\"%d\" "
		    "stroke=\"#c05621\" stroke-dasharray=\"4 2\"/>", w - 4, y, y);
	}
	buf_str(b, "</svg>");
}

static const char *const report_statuses[] = { "atteint", "en bonne voie",
	"en retard", "non commencé" };

char *
report_copil_html(const struct catalogue *c, json_object *copil)
{
	struct buf	 b = { 0 };
	json_object	*years = rget(copil, "years"), *sheets = rget(copil,
			    "sheets"), *s, *io;
	int		 year = (int)rn(copil, "year");
	size_t		 ny = rlen(years), a, i, j, k;
	char		 title[96], dl[256], num[32];
	long long	 counts[64][4];

	snprintf(title, sizeof(title), "CTG Quercy Blanc — COPIL %d", year);
	report_head(&b, title);
	buf_printf(&b, "<header><h1>Comité de pilotage %d</h1><p>Convention "
	    "Territoriale Globale — Communauté de communes du Quercy Blanc. "
	    "Où en est chaque fiche action", year);
	if (ny > 0)
		buf_printf(&b, ", année par année de %d à %d", json_object_get_int(
		    json_object_array_get_idx(years, 0)), year);
	buf_str(&b, ", face aux références du diagnostic et aux cibles du plan."
	    "</p></header>\n");
	/* Page 1: each axis's sheets by status. */
	memset(counts, 0, sizeof(counts));
	for (i = 0; i < rlen(sheets); i++) {
		s = json_object_array_get_idx(sheets, i);
		for (a = 0; a < c->naxes && a < 64; a++)
			if (strcmp(c->axes[a].code, rj(s, "axis")) == 0)
				for (k = 0; k < 4; k++)
					counts[a][k] += strcmp(rj(s, "status"),
					    report_statuses[k]) == 0;
	}
	buf_printf(&b, "<section><h2>Synthèse %d</h2><table><thead><tr><th>Axe"
	    "</th>", year);
	for (k = 0; k < 4; k++)
		buf_printf(&b, "<th class=\"n\">%s</th>", report_statuses[k]);
	buf_str(&b, "</tr></thead><tbody>");
	for (a = 0; a < c->naxes && a < 64; a++) {
		buf_printf(&b, "<tr><td>%s — ", c->axes[a].code);
		rb_text(&b, c->axes[a].title);
		buf_str(&b, "</td>");
		for (k = 0; k < 4; k++)
			buf_printf(&b, "<td class=\"n\">%lld</td>", counts[a][k]);
		buf_str(&b, "</tr>");
	}
	buf_str(&b, "</tbody></table><p class=\"note\">Nombre de fiches "
	    "actions de chaque axe selon leur état sur l'année.</p>");
	/* Each axis's activities, year over year. */
	buf_str(&b, "<h3>Activités enregistrées, année par année</h3>");
	for (a = 0; a < c->naxes; a++) {
		json_object	*tot = json_object_new_array();

		for (k = 0; k < ny; k++) {
			long long	 sum = 0;

			for (i = 0; i < rlen(sheets); i++) {
				s = json_object_array_get_idx(sheets, i);
				if (strcmp(rj(s, "axis"), c->axes[a].code) == 0)
					sum += rn(json_object_array_get_idx(
					    rget(s, "per_year"), k), "records");
			}
			json_object_array_add(tot, json_object_new_int64(sum));
		}
		snprintf(title, sizeof(title), "Axe %s : activités par année",
		    c->axes[a].code);
		buf_printf(&b, "<figure><figcaption>Axe %s</figcaption>",
		    c->axes[a].code);
		report_years_chart(&b, title, years, tot, NULL);
		buf_str(&b, "</figure>");
		json_object_put(tot);
	}
	buf_str(&b, "</section>\n");
	for (a = 0; a < c->naxes; a++) {
		buf_printf(&b, "<section><h2>Axe %s : ", c->axes[a].code);
		rb_text(&b, c->axes[a].title);
		buf_str(&b, "</h2><table><thead><tr><th>Fiche</th><th>Intitulé"
		    "</th><th>Échéance</th>");
		for (k = 0; k < ny; k++)
			buf_printf(&b, "<th class=\"n\">Activités %d</th>",
			    json_object_get_int(json_object_array_get_idx(years,
			    k)));
		buf_printf(&b, "<th>État %d</th></tr></thead><tbody>\n", year);
		for (i = 0; i < rlen(sheets); i++) {
			s = json_object_array_get_idx(sheets, i);
			if (strcmp(rj(s, "axis"), c->axes[a].code) != 0)
				continue;
			buf_str(&b, "<tr><td>");
			rb_text(&b, rj(s, "code"));
			buf_str(&b, "</td><td>");
			rb_text(&b, rj(s, "title"));
			fr_deadline(rj(s, "deadline"), dl, sizeof(dl));
			buf_printf(&b, "</td><td>%s</td>", *dl ? dl : "—");
			for (k = 0; k < ny; k++)
				buf_printf(&b, "<td class=\"n\">%lld</td>",
				    rn(json_object_array_get_idx(rget(s,
				    "per_year"), k), "records"));
			buf_str(&b, "<td>");
			report_status(&b, rj(s, "status"));
			buf_str(&b, "</td></tr>\n");
		}
		buf_str(&b, "</tbody></table>\n<h3>Indicateurs avec une référence "
		    "ou une cible</h3><table><thead><tr><th>Fiche</th><th>"
		    "Indicateur</th><th>Année par année</th><th>Référence</th>"
		    "<th>Cible</th><th>Progression</th><th>État</th></tr>"
		    "</thead><tbody>\n");
		for (i = 0; i < rlen(sheets); i++) {
			s = json_object_array_get_idx(sheets, i);
			if (strcmp(rj(s, "axis"), c->axes[a].code) != 0)
				continue;
			for (j = 0; j < rlen(rget(s,
			    "indicators")); j++) {
				json_object	*vals, *last;

				io = json_object_array_get_idx(rget(s,
				    "indicators"), j);
				vals = rget(io, "values");
				if ((rget(io, "target") == NULL &&
				    rget(io, "baseline") == NULL) ||
				    json_object_array_get_idx(vals, 0) == NULL)
					continue;
				buf_str(&b, "<tr><td>");
				rb_text(&b, rj(s, "code"));
				buf_str(&b, "</td><td>");
				rb_text(&b, rj(io, "label"));
				buf_str(&b, "</td><td>");
				snprintf(title, sizeof(title), "Valeur par "
				    "année, %s", rj(io, "id"));
				report_years_chart(&b, title, years, vals,
				    rget(io, "baseline"));
				buf_str(&b, "</td><td>");
				if (rget(io, "baseline") != NULL) {
					fr_number(json_object_get_double(rget(
					    io, "baseline")), num, sizeof(num));
					buf_printf(&b, "%s%s%s (ligne en tirets)", num,
					    *rj(io, "baseline_year") ? " en " :
					    "", rj(io, "baseline_year"));
				} else
					buf_str(&b, "—");
				buf_str(&b, "</td><td>");
				report_target(&b, io);
				buf_str(&b, "</td><td>");
				last = json_object_new_object();
				json_object_object_add(last, "value",
				    json_object_get(json_object_array_get_idx(
				    vals, ny - 1)));
				json_object_object_add(last, "target",
				    json_object_get(rget(io, "target")));
				json_object_object_add(last, "measure",
				    json_object_get(rget(io, "measure")));
				json_object_object_add(last, "status",
				    json_object_get(rget(io, "status")));
				report_progress(&b, last);
				json_object_put(last);
				buf_str(&b, "</td><td>");
				report_status(&b, rj(io, "status"));
				buf_str(&b, "</td></tr>\n");
			}
		}
		buf_str(&b, "</tbody></table></section>\n");
	}
	buf_str(&b, "</body></html>\n");
	return buf_done(&b);
}
