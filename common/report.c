/*
 * report.c — HTML and CSV of a rollup. The HTML stands alone: styles
 * inline, charts as SVG, no external asset, A4 pages per axis.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "export.h"
#include "report.h"

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

static const char *
rj(json_object *o, const char *key)
{
	json_object	*v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) || v == NULL)
		return "";
	return json_object_get_string(v);
}

static json_object *
rget(json_object *o, const char *key)
{
	json_object	*v = NULL;

	if (o != NULL)
		json_object_object_get_ex(o, key, &v);
	return v;
}

static const char *const report_months[] = { "janvier", "février", "mars",
	"avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
	"novembre", "décembre" };

/* "2024-03" -> "mars 2024". */
static void
report_month_name(const char *ym, char *out, size_t len)
{
	int	 m = atoi(ym + 5);

	snprintf(out, len, "%s %.4s", m >= 1 && m <= 12 ?
	    report_months[m - 1] : "?", ym);
}

/* A value as text for a cell; small counts of communes hidden. */
static void
report_value(json_object *v, int small, char *out, size_t len)
{
	size_t	 o = 0;

	out[0] = '\0';
	if (v == NULL) {
		snprintf(out, len, "—");
		return;
	}
	if (json_object_is_type(v, json_type_object)) {
		json_object_object_foreach(v, k, x) {
			int64_t	 n = json_object_get_int64(x);

			if (small > 0 && n >= 1 && n < small)
				o += (size_t)snprintf(out + o, o < len ?
				    len - o : 0, "%s%s : &lt; %d", o ? ", " : "",
				    k, small);
			else
				o += (size_t)snprintf(out + o, o < len ?
				    len - o : 0, "%s%s : %lld", o ? ", " : "",
				    k, (long long)n);
		}
		if (o == 0)
			snprintf(out, len, "—");
		return;
	}
	if (json_object_is_type(v, json_type_array)) {
		snprintf(out, len, "%zu", json_object_array_length(v));
		return;
	}
	snprintf(out, len, "%s", json_object_get_string(v));
}

/* Vertical bars: one per key of an object of counts. */
static void
report_bars(struct buf *b, const char *title, json_object *counts,
    int small)
{
	int64_t	 max = 1, n;
	int	 count = 0, i = 0, w = 640, h = 150, bw;

	if (counts == NULL)
		return;
	json_object_object_foreach(counts, k0, v0) {
		(void)k0;
		n = json_object_get_int64(v0);
		max = n > max ? n : max;
		count++;
	}
	if (count == 0)
		return;
	if (max == 1 && json_object_object_length(counts) > 0) {
		int64_t	 total = 0;

		json_object_object_foreach(counts, k1, v1) {
			(void)k1;
			total += json_object_get_int64(v1);
		}
		if (total == 0) {
			buf_printf(b, "<p class=\"vide\">%s : aucune activité "
			    "sur la période.</p>\n", title);
			return;
		}
	}
	bw = (w - 40) / count;
	buf_printf(b, "<figure><figcaption>%s</figcaption><svg xmlns="
	    "\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
	    "role=\"img\">", title, w, h + 40);
	json_object_object_foreach(counts, k, v) {
		int	 bh;

		n = json_object_get_int64(v);
		bh = (int)(n * h / max);
		buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\""
		    " fill=\"#2b6cb0\"/>", 20 + i * bw + 2, 10 + h - bh,
		    bw > 6 ? bw - 4 : 2, bh);
		buf_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"10\" "
		    "text-anchor=\"middle\">", 20 + i * bw + bw / 2, h + 24);
		rb_text(b, k);
		buf_printf(b, "</text><text x=\"%d\" y=\"%d\" font-size=\"10\" "
		    "text-anchor=\"middle\">", 20 + i * bw + bw / 2,
		    8 + h - bh);
		if (small > 0 && n >= 1 && n < small)
			buf_printf(b, "&lt; %d", small);
		else
			buf_printf(b, "%lld", (long long)n);
		buf_printf(b, "</text>");
		i++;
	}
	buf_printf(b, "</svg></figure>\n");
}

/* A progress bar: value against target, coloured by status. */
static void
report_progress(struct buf *b, json_object *ind)
{
	double	 v = json_object_get_double(rget(ind, "value"));
	double	 t = json_object_get_double(rget(ind, "target"));
	int	 w = t > 0 ? (int)(v / t * 200) : 0;
	const char *st = rj(ind, "status");

	w = w > 200 ? 200 : w < 0 ? 0 : w;
	buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" "
	    "height=\"10\"><rect width=\"200\" height=\"10\" fill=\"#e2e8f0\"/>"
	    "<rect width=\"%d\" height=\"10\" fill=\"%s\"/></svg>", w,
	    strcmp(st, "atteint") == 0 ? "#2f855a" :
	    strcmp(st, "en retard") == 0 ? "#c53030" : "#d69e2e");
}

static const char report_style[] =
    "body{font-family:'DejaVu Sans',Arial,sans-serif;font-size:11pt;"
    "color:#1a202c;margin:0 auto;max-width:190mm}"
    "h1{font-size:18pt;margin:0 0 4pt}h2{font-size:15pt;border-bottom:2px "
    "solid #2b6cb0;margin-top:0}h3{font-size:12pt;margin:12pt 0 4pt}"
    "section{page-break-after:always;padding-top:8pt}"
    "table{border-collapse:collapse;width:100%;font-size:9pt}"
    "td,th{border:1px solid #cbd5e0;padding:2pt 4pt;text-align:left;"
    "vertical-align:top}th{background:#edf2f7}"
    ".atteint{color:#2f855a}.en-retard{color:#c53030}"
    ".en-bonne-voie{color:#b7791f}.non-commence{color:#718096}"
    ".revise{background:#fefcbf;padding:4pt;border:1px solid #d69e2e}"
    "figure{margin:4pt 0}figcaption{font-size:9pt;color:#4a5568}"
    ".vide{font-size:9pt;color:#718096}"
    "@page{size:A4;margin:15mm}";

static const char *
report_status_class(const char *s)
{
	if (strcmp(s, "atteint") == 0)
		return "atteint";
	if (strcmp(s, "en retard") == 0)
		return "en-retard";
	if (strcmp(s, "en bonne voie") == 0)
		return "en-bonne-voie";
	return "non-commence";
}

static const char *const report_kinds[][2] = {
	{ "real", "réalisation" }, { "res", "résultat" }, { "imp", "impact" },
};

static void
report_sheet(struct buf *b, json_object *s, int small)
{
	json_object	*m = rget(s, "month"), *y = rget(s, "year_to_date");
	json_object	*inds = rget(m, "indicators"), *yinds;
	char		 cell[2048], ycell[2048];
	size_t		 i, k;

	yinds = rget(y, "indicators");
	buf_printf(b, "<article><h3>");
	rb_text(b, rj(m, "code"));
	buf_printf(b, " — ");
	rb_text(b, rj(m, "title"));
	buf_printf(b, "</h3><p>État depuis janvier : <strong class=\"%s\">",
	    report_status_class(rj(y, "status")));
	rb_text(b, rj(y, "status"));
	buf_printf(b, "</strong> — échéance ");
	rb_text(b, rj(m, "deadline"));
	buf_printf(b, " — ce mois : %s activité(s), %s participant(s) ; depuis "
	    "janvier : %s activité(s), %s participant(s)</p>\n",
	    rj(m, "records"), rj(m, "participants"), rj(y, "records"),
	    rj(y, "participants"));
	report_bars(b, "Activités par mois", rget(y, "by_month"), 0);
	report_bars(b, "Participants par commune de résidence (depuis janvier)",
	    rget(y, "by_residence"), small);
	buf_printf(b, "<table><tr><th>Type</th><th>Indicateur</th><th>Ce mois"
	    "</th><th>Depuis janvier</th><th>Cible</th><th>Progression</th>"
	    "<th>État</th></tr>\n");
	for (i = 0; i < json_object_array_length(inds); i++) {
		json_object	*d = json_object_array_get_idx(inds, i);
		json_object	*yd = json_object_array_get_idx(yinds, i);
		int		 sm = strcmp(rj(d, "measure"),
				    "by_residence") == 0 ? small : 0;

		for (k = 0; k < 3 && strcmp(report_kinds[k][0], rj(d, "kind"));
		    k++)
			;
		buf_printf(b, "<tr><td>%s</td><td>", k < 3 ?
		    report_kinds[k][1] : "");
		rb_text(b, rj(d, "label"));
		report_value(rget(d, "value"), sm, cell, sizeof(cell));
		report_value(rget(yd, "value"), sm, ycell, sizeof(ycell));
		buf_printf(b, "</td><td>%s</td><td>%s</td><td>%s%s</td><td>",
		    cell, ycell, rj(d, "target"),
		    strcmp(rj(d, "target_per"), "an") == 0 ? " par an" : "");
		if (rget(yd, "target") != NULL &&
		    !json_object_is_type(rget(yd, "value"), json_type_object))
			report_progress(b, yd);
		buf_printf(b, "</td><td class=\"%s\">",
		    report_status_class(rj(yd, "status")));
		rb_text(b, rj(yd, "status"));
		buf_printf(b, "</td></tr>\n");
	}
	buf_printf(b, "</table></article>\n");
}

char *
report_html(const struct catalogue *c, json_object *rollup)
{
	struct buf	 b = { 0 };
	json_object	*sheets = rget(rollup, "sheets"), *changes;
	char		 name[64];
	size_t		 a, i;
	int		 small = json_object_get_int(rget(rollup, "small_cells"));

	report_month_name(rj(rollup, "month"), name, sizeof(name));
	buf_printf(&b, "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta "
	    "charset=\"utf-8\"><title>CTG Quercy Blanc — bilan de %s</title>"
	    "<style>%s</style></head><body>\n", name, report_style);
	buf_printf(&b, "<header><h1>Convention Territoriale Globale — CC du "
	    "Quercy Blanc</h1><p>Bilan de %s, révision %s, établi le ", name,
	    rj(rollup, "revision"));
	rb_text(&b, rj(rollup, "generated"));
	buf_printf(&b, ". Effectifs de 1 à %d par commune affichés « &lt; %d »."
	    "</p>", small - 1, small);
	if ((changes = rget(rollup, "changes")) != NULL &&
	    json_object_array_length(changes) > 0) {
		buf_printf(&b, "<p class=\"revise\"><strong>Révisé</strong> : des "
		    "enregistrements sont arrivés ou ont été corrigés après la "
		    "clôture. Changements :</p><ul>");
		for (i = 0; i < json_object_array_length(changes) && i < 50;
		    i++) {
			json_object *ch = json_object_array_get_idx(changes, i);

			buf_printf(&b, "<li>");
			rb_text(&b, rj(ch, "what"));
			buf_printf(&b, " : ");
			rb_text(&b, rj(ch, "before"));
			buf_printf(&b, " → ");
			rb_text(&b, rj(ch, "after"));
			buf_printf(&b, "</li>");
		}
		buf_printf(&b, "</ul>");
	}
	buf_printf(&b, "</header>\n");
	for (a = 0; a < c->naxes; a++) {
		buf_printf(&b, "<section><h2>Axe %s : ", c->axes[a].code);
		rb_text(&b, c->axes[a].title);
		buf_printf(&b, "</h2>\n");
		for (i = 0; i < json_object_array_length(sheets); i++) {
			json_object *s = json_object_array_get_idx(sheets, i);

			if (strcmp(rj(rget(s, "month"), "axis"),
			    c->axes[a].code) == 0)
				report_sheet(&b, s, small);
		}
		buf_printf(&b, "</section>\n");
	}
	buf_printf(&b, "</body></html>\n");
	return buf_done(&b);
}

char *
report_csv(json_object *rollup)
{
	struct buf	 b = { 0 };
	json_object	*sheets = rget(rollup, "sheets");
	size_t		 i;
	char		*part;

	for (i = 0; i < json_object_array_length(sheets); i++) {
		json_object	*s = json_object_array_get_idx(sheets, i);
		json_object	*y = rget(s, "year_to_date");

		json_object_object_add(y, "small_cells", json_object_get(
		    rget(rollup, "small_cells")));
		if ((part = export_sheet_csv(y)) == NULL) {
			free(b.p);
			return NULL;
		}
		/* One header: the first table keeps its BOM and header row. */
		buf_add(&b, i == 0 ? part : strstr(part, "\r\n") + 2,
		    strlen(i == 0 ? part : strstr(part, "\r\n") + 2));
		free(part);
	}
	return buf_done(&b);
}

char *
report_copil_html(const struct catalogue *c, json_object *overview, int year)
{
	static const int	 years[] = { 2022, 2023, 2024 };
	struct buf		 b = { 0 };
	json_object		*axes = rget(overview, "axes");
	size_t			 a, i, k;

	buf_printf(&b, "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta "
	    "charset=\"utf-8\"><title>CTG Quercy Blanc — COPIL %d</title>"
	    "<style>%s</style></head><body>\n", year, report_style);
	buf_printf(&b, "<header><h1>Convention Territoriale Globale — COPIL "
	    "%d</h1><p>CC du Quercy Blanc — où en est chaque fiche action de ",
	    year);
	rb_text(&b, rj(overview, "from"));
	buf_printf(&b, " à ");
	rb_text(&b, rj(overview, "to"));
	buf_printf(&b, ", et son échéance dans le calendrier de la "
	    "convention.</p></header>\n");
	for (a = 0; a < json_object_array_length(axes); a++) {
		json_object	*ax = json_object_array_get_idx(axes, a);
		json_object	*sheets = rget(ax, "sheets");

		buf_printf(&b, "<section><h2>Axe ");
		rb_text(&b, rj(ax, "code"));
		buf_printf(&b, " : ");
		rb_text(&b, rj(ax, "title"));
		buf_printf(&b, "</h2><table><tr><th>Fiche</th><th>Intitulé</th>");
		for (k = 0; k < 3; k++)
			buf_printf(&b, "<th>%d</th>", years[k]);
		buf_printf(&b, "<th>Activités</th><th>Participants</th>"
		    "<th>État</th></tr>\n");
		for (i = 0; i < json_object_array_length(sheets); i++) {
			json_object	*s = json_object_array_get_idx(sheets, i);
			const char	*dl = rj(s, "deadline");

			buf_printf(&b, "<tr><td>");
			rb_text(&b, rj(s, "code"));
			buf_printf(&b, "</td><td>");
			rb_text(&b, rj(s, "title"));
			buf_printf(&b, "</td>");
			/* The deadline's year(s) marked on the schedule. */
			for (k = 0; k < 3; k++) {
				char	 y[8];

				snprintf(y, sizeof(y), "%d", years[k]);
				buf_printf(&b, "<td>%s</td>", strstr(dl, y) ?
				    "● échéance" : "");
			}
			buf_printf(&b, "<td>%s</td><td>%s</td><td class=\"%s\">",
			    rj(s, "records"), rj(s, "participants"),
			    report_status_class(rj(s, "status")));
			rb_text(&b, rj(s, "status"));
			buf_printf(&b, "</td></tr>\n");
		}
		buf_printf(&b, "</table></section>\n");
	}
	(void)c;
	buf_printf(&b, "</body></html>\n");
	return buf_done(&b);
}
