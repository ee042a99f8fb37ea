/*
 * report_page.c — what every printed report shares: the page's head and
 * A4 style, statuses in colour and word, targets and progress, charts as
 * titled SVG (report_int.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fr.h"
#include "jdoc.h"
#include "report_int.h"

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

/* Text into HTML: & < > " ' escaped. */
void
report_text(struct buf *b, const char *s)
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

void
report_status(struct buf *b, const char *status)
{
	buf_printf(b, "<span class=\"%s\">", report_status_class(status));
	report_text(b, *status ? status : "—");
	buf_str(b, "</span>");
}

void
report_head(struct buf *b, const char *title)
{
	buf_str(b, "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta "
	    "charset=\"utf-8\"><title>");
	report_text(b, title);
	buf_printf(b, "</title><style>%s</style></head><body>\n", report_style);
}

/*
 * Horizontal bars, one per label, titled for screen readers. A secret
 * count (1 to small - 1) is a short hatched bar marked "< small", never
 * drawn to scale.
 */
void
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
	report_text(b, title);
	buf_printf(b, "</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"%d\" height=\"%zu\" role=\"img\" aria-labelledby=\"%s\">"
	    "<title>", lw + bw + 40, n * (size_t)row + 4, id);
	report_text(b, title);
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
		report_text(b, labels[i]);
		buf_printf(b, "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" "
		    "height=\"8\" ", lw, y + 1, w > 0 ? w : 0);
		if (secret)
			buf_printf(b,
			    "fill=\"url(#h-%s)\" stroke=\"#718096\"/>", id);
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
void
report_columns(struct buf *b, const char *id, const char *title,
    const char *const *labels, const long long *values, size_t n)
{
	long long	 max = 1;
	size_t		 i;
	int		 w = 300, h = 60, cw = n > 0 ? w / (int)n : w;

	for (i = 0; i < n; i++)
		max = values[i] > max ? values[i] : max;
	buf_printf(b, "<figure><figcaption id=\"%s\">", id);
	report_text(b, title);
	buf_printf(b, "</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"%d\" height=\"%d\" role=\"img\" aria-labelledby=\"%s\">"
	    "<title>", w, h + 24, id);
	report_text(b, title);
	buf_str(b, "</title>");
	for (i = 0; i < n; i++) {
		int	 bh = (int)(values[i] * h / max), x = (int)i * cw;

		buf_printf(b,
		    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\""
		    " fill=\"#2b6cb0\"/><text x=\"%d\" y=\"%d\" "
		    "font-size=\"8\" text-anchor=\"middle\">%lld</text>"
		    "<text x=\"%d\" y=\"%d\" font-size=\"8\" "
		    "text-anchor=\"middle\">", x + 2, 10 + h - bh,
		    cw > 6 ? cw - 4 : 2, bh, x + cw / 2, 8 + h - bh, values[i],
		    x + cw / 2, h + 20);
		report_text(b, labels[i]);
		buf_str(b, "</text>");
	}
	buf_str(b, "</svg></figure>\n");
}

/* Bars per year, and the plan's baseline as a dashed line. */
void
report_years_chart(struct buf *b, const char *title, json_object *years,
    json_object *values, json_object *baseline)
{
	size_t	 n = jdoc_len(years), i;
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
	report_text(b, title);
	buf_str(b, "</title>");
	for (i = 0; i < n; i++) {
		json_object	*v = json_object_array_get_idx(values, i);
		double		 d = json_object_get_double(v);
		int		 bh = (int)(d * h / max);
		int		 x = 10 + (int)i * 40;
		char		 num[32];

		fr_number(json_object_get_double(v), num, sizeof(num));
		buf_printf(b,
		    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
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
		    "stroke=\"#c05621\" stroke-dasharray=\"4 2\"/>", w - 4, y,
		    y);
	}
	buf_str(b, "</svg>");
}

/* The target in words: "4 par an", "+10 % sur un an". */
void
report_target(struct buf *b, json_object *io)
{
	json_object	*t = jdoc_get(io, "target");
	char		 s[64];

	if (t == NULL) {
		buf_str(b, "—");
		return;
	}
	if (strcmp(jdoc_str(io, "measure"), "trend") == 0) {
		fr_change(json_object_get_double(t), s, sizeof(s));
		if (strcmp(s, "0 %") == 0)
			buf_str(b, "au moins autant qu'un an plus tôt");
		else
			buf_printf(b, "%s sur un an", s);
		return;
	}
	fr_number(json_object_get_double(t), s, sizeof(s));
	buf_printf(b, "%s%s", s, strcmp(jdoc_str(io, "target_per"), "an") == 0 ?
	    " par an" : strcmp(jdoc_str(io, "target_per"), "convention") == 0 ?
	    " sur la convention" : "");
}

/* A progress bar: value against target, coloured by status, titled. */
void
report_progress(struct buf *b, json_object *io)
{
	double	 v = json_object_get_double(jdoc_get(io, "value"));
	double	 t = json_object_get_double(jdoc_get(io, "target"));
	int	 pct = t > 0 ? (int)(v / t * 100 + 0.5) : 0;
	int	 w = pct > 100 ? 100 : pct < 0 ? 0 : pct;
	const char *st = jdoc_str(io, "status");

	if (jdoc_get(io, "target") == NULL || strcmp(jdoc_str(io, "measure"),
	    "trend") == 0 || strcmp(jdoc_str(io, "measure"), "cadence") == 0 ||
	    json_object_is_type(jdoc_get(io, "value"), json_type_object))
		return;
	buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" "
	    "height=\"9\" role=\"img\"><title>%d %% de la cible</title>"
	    "<rect width=\"100\" height=\"9\" fill=\"#e2e8f0\"/><rect width=\""
	    "%d\" height=\"9\" fill=\"%s\"/></svg> %d&#160;%%", pct, w,
	    strcmp(st, "atteint") == 0 ? "#2f855a" : strcmp(st, "en retard") ==
	    0 ? "#c53030" : "#d69e2e", pct);
}
