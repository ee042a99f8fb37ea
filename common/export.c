/* export.c — the daemon's JSON documents as French CSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "export.h"

#define EXPORT_BOM	"\xef\xbb\xbf"	/* UTF-8, for Excel */

/* A field, quoted when it holds ';', '"' or a line break. */
static void
ebuf_field(struct buf *b, const char *s, int last)
{
	const char	*p;

	if (s == NULL)
		s = "";
	if (strpbrk(s, ";\"\r\n") == NULL)
		buf_str(b, s);
	else {
		buf_str(b, "\"");
		for (p = s; *p != '\0'; p++) {
			if (*p == '"')
				buf_str(b, "\"\"");
			else
				buf_add(b, p, 1);
		}
		buf_str(b, "\"");
	}
	buf_str(b, last ? "\r\n" : ";");
}

/* 12.5 -> "12,5"; integers stay integers. */
static void
ebuf_number(char *out, size_t len, double d)
{
	char	*dot;

	if (d == (double)(long long)d)
		snprintf(out, len, "%lld", (long long)d);
	else {
		snprintf(out, len, "%.3f", d);
		while (strlen(out) > 0 && out[strlen(out) - 1] == '0')
			out[strlen(out) - 1] = '\0';
		if ((dot = strchr(out, '.')) != NULL)
			*dot = ',';
	}
}

/* A count as a cell; with small > 0, 1 to small - 1 as "< small". */
static void
ebuf_count(char *out, size_t len, long long n, int small)
{
	if (small > 0 && n >= 1 && n < small)
		snprintf(out, len, "< %d", small);
	else
		snprintf(out, len, "%lld", n);
}

/*
 * Any JSON value as one cell. With small > 0, counts of a commune between
 * 1 and small - 1 are published as "< small" (statistical secrecy).
 */
static void
ebuf_value(char *out, size_t len, json_object *v, int small)
{
	size_t	 o = 0, i, n;

	out[0] = '\0';
	if (v == NULL)
		return;
	switch (json_object_get_type(v)) {
	case json_type_int:
	case json_type_double:
		ebuf_number(out, len, json_object_get_double(v));
		return;
	case json_type_boolean:
		snprintf(out, len, "%s", json_object_get_boolean(v) ? "oui" :
		    "non");
		return;
	case json_type_object: {
		json_object_object_foreach(v, k, x) {
			char	 num[64];
			double	 d = json_object_get_double(x);

			if (small > 0 && d >= 1 && d < small)
				ebuf_count(num, sizeof(num), (long long)d,
				    small);
			else
				ebuf_number(num, sizeof(num), d);
			o += (size_t)snprintf(out + o, o < len ? len - o : 0,
			    "%s%s : %s", o ? " | " : "", k, num);
		}
		return;
	}
	case json_type_array:
		n = json_object_array_length(v);
		for (i = 0; i < n; i++)
			o += (size_t)snprintf(out + o, o < len ? len - o : 0,
			    "%s%s", i ? ", " : "", json_object_get_string(
			    json_object_array_get_idx(v, i)));
		return;
	default:
		snprintf(out, len, "%s", json_object_get_string(v));
	}
}

static const char *
jget(json_object *o, const char *key)
{
	json_object	*v;

	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return "";
	return json_object_get_string(v);
}

/* The first and last days of YYYY-MM, as JJ/MM/AAAA. */
static void
ebuf_month(char *out, size_t len, const char *ym, int last)
{
	static const int	 days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
				    31, 30, 31 };
	int			 y = atoi(ym), m = atoi(ym + 5), d = 1;

	if (last && m >= 1 && m <= 12)
		d = days[m - 1] - (m == 2 && !(y % 4 == 0 && (y % 100 != 0 ||
		    y % 400 == 0)));
	snprintf(out, len, "%02d/%02d/%04d", d, m % 100, y % 10000);
}

static const char *const kinds[][2] = {
	{ "real", "réalisation" }, { "res", "résultat" }, { "imp", "impact" },
};

/* The secrecy threshold a document carries (small_cells), 0 when none. */
int
export_small_cells(json_object *doc)
{
	json_object	*v;

	return json_object_object_get_ex(doc, "small_cells", &v) ?
	    json_object_get_int(v) : 0;
}

char *
export_sheet_csv(json_object *sheet)
{
	struct buf	 b = { 0 };
	json_object	*inds, *io;
	char		 cell[4096], from[16], to[16];
	size_t		 i, k;

	buf_str(&b, EXPORT_BOM);
	buf_str(&b, "Fiche;Du;Au;Indicateur;Type;Libellé;Calcul;Valeur;"
	    "Cible;Par;Référence;État\r\n");
	ebuf_month(from, sizeof(from), jget(sheet, "from"), 0);
	ebuf_month(to, sizeof(to), jget(sheet, "to"), 1);
	if (!json_object_object_get_ex(sheet, "indicators", &inds))
		return b.p;
	for (i = 0; i < json_object_array_length(inds); i++) {
		io = json_object_array_get_idx(inds, i);
		ebuf_field(&b, jget(sheet, "code"), 0);
		ebuf_field(&b, from, 0);
		ebuf_field(&b, to, 0);
		ebuf_field(&b, jget(io, "id"), 0);
		for (k = 0; k < 3 && strcmp(kinds[k][0], jget(io, "kind")); k++)
			;
		ebuf_field(&b, k < 3 ? kinds[k][1] : jget(io, "kind"), 0);
		ebuf_field(&b, jget(io, "label"), 0);
		ebuf_field(&b, jget(io, "measure"), 0);
		ebuf_value(cell, sizeof(cell), json_object_object_get(io,
		    "value"), strcmp(jget(io, "measure"), "by_residence") == 0 ?
		    export_small_cells(sheet) : 0);
		ebuf_field(&b, cell, 0);
		ebuf_value(cell, sizeof(cell), json_object_object_get(io,
		    "target"), 0);
		ebuf_field(&b, cell, 0);
		ebuf_field(&b, strcmp(jget(io, "target_per"), "an") == 0 ?
		    "an" : strcmp(jget(io, "target_per"), "convention") == 0 ?
		    "convention" : "", 0);
		ebuf_value(cell, sizeof(cell), json_object_object_get(io,
		    "baseline"), 0);
		ebuf_field(&b, cell, 0);
		ebuf_field(&b, jget(io, "status"), 1);
	}
	return buf_done(&b);
}

char *
export_overview_csv(json_object *overview)
{
	struct buf	 b = { 0 };
	json_object	*axes, *ax, *sheets, *s;
	char		 cell[64], from[16], to[16];
	size_t		 i, j;

	buf_str(&b, EXPORT_BOM);
	buf_str(&b, "Axe;Fiche;Titre;Échéance;Du;Au;Activités;Participants;"
	    "État\r\n");
	ebuf_month(from, sizeof(from), jget(overview, "from"), 0);
	ebuf_month(to, sizeof(to), jget(overview, "to"), 1);
	if (!json_object_object_get_ex(overview, "axes", &axes))
		return b.p;
	for (i = 0; i < json_object_array_length(axes); i++) {
		ax = json_object_array_get_idx(axes, i);
		sheets = json_object_object_get(ax, "sheets");
		for (j = 0; j < json_object_array_length(sheets); j++) {
			s = json_object_array_get_idx(sheets, j);
			ebuf_field(&b, jget(ax, "code"), 0);
			ebuf_field(&b, jget(s, "code"), 0);
			ebuf_field(&b, jget(s, "title"), 0);
			ebuf_field(&b, jget(s, "deadline"), 0);
			ebuf_field(&b, from, 0);
			ebuf_field(&b, to, 0);
			ebuf_value(cell, sizeof(cell),
			    json_object_object_get(s, "records"), 0);
			ebuf_field(&b, cell, 0);
			ebuf_value(cell, sizeof(cell),
			    json_object_object_get(s, "participants"), 0);
			ebuf_field(&b, cell, 0);
			ebuf_field(&b, jget(s, "status"), 1);
		}
	}
	return buf_done(&b);
}

/* YYYY-MM-DD as JJ/MM/AAAA; anything else unchanged. */
static void
ebuf_date(char *out, size_t len, const char *s)
{
	if (strlen(s) == 10 && s[4] == '-' && s[7] == '-')
		snprintf(out, len, "%.2s/%.2s/%.4s", s + 8, s + 5, s);
	else
		snprintf(out, len, "%s", s);
}

char *
export_records_csv(json_object *doc)
{
	struct buf	 b = { 0 };
	json_object	*list = json_object_object_get(doc, "records"), *r;
	char		 date[32];
	size_t		 i;

	buf_str(&b, EXPORT_BOM "Indicateur;Identifiant;Date;Activité;"
	    "Commune;Structure;Intitulé;Participants\r\n");
	for (i = 0; i < json_object_array_length(list); i++) {
		r = json_object_array_get_idx(list, i);
		ebuf_field(&b, jget(doc, "indicator"), 0);
		ebuf_field(&b, jget(r, "id"), 0);
		ebuf_date(date, sizeof(date), jget(r, "date"));
		ebuf_field(&b, date, 0);
		ebuf_field(&b, jget(r, "activity"), 0);
		ebuf_field(&b, jget(r, "commune"), 0);
		ebuf_field(&b, jget(r, "structure"), 0);
		ebuf_field(&b, jget(r, "title"), 0);
		ebuf_field(&b, jget(r, "participants"), 1);
	}
	return buf_done(&b);
}

char *
export_commune_csv(json_object *doc)
{
	static const char *const sides[][2] = {
		{ "hosted", "activités accueillies" },
		{ "residents", "participants résidents" } };
	static const char *const dims[][2] = {
		{ "by_sheet", "fiche" }, { "by_activity", "activité" },
		{ "by_structure", "structure" }, { "by_category", "catégorie" } };
	struct buf	 b = { 0 };
	json_object	*side, *by;
	size_t		 i, k;
	int		 small = export_small_cells(doc);
	char		 cell[64];

	buf_str(&b, EXPORT_BOM "Commune;Nom;Côté;Par;Clé;Valeur\r\n");
	for (i = 0; i < 2; i++) {
		side = json_object_object_get(doc, sides[i][0]);
		for (k = 0; k < 4; k++) {
			if (!json_object_object_get_ex(side, dims[k][0], &by))
				continue;
			json_object_object_foreach(by, key, v) {
				ebuf_field(&b, jget(doc, "code"), 0);
				ebuf_field(&b, jget(doc, "name"), 0);
				ebuf_field(&b, sides[i][1], 0);
				ebuf_field(&b, dims[k][1], 0);
				ebuf_field(&b, key, 0);
				/* Residents are persons: few of them, « < 5 ». */
				ebuf_count(cell, sizeof(cell),
				    json_object_get_int64(v), i == 1 ? small : 0);
				ebuf_field(&b, cell, 1);
			}
		}
	}
	return buf_done(&b);
}

char *
export_completeness_csv(json_object *doc)
{
	struct buf	 b = { 0 };
	json_object	*list, *e;
	char		 date[32];
	size_t		 i;

	buf_str(&b, EXPORT_BOM "Type;Clé;Libellé;Dernier enregistrement;"
	    "Semaines sans enregistrement\r\n");
	list = json_object_object_get(doc, "silent_structures");
	for (i = 0; i < json_object_array_length(list); i++) {
		e = json_object_array_get_idx(list, i);
		ebuf_field(&b, "structure muette", 0);
		ebuf_field(&b, jget(e, "structure"), 0);
		ebuf_field(&b, jget(e, "label"), 0);
		ebuf_date(date, sizeof(date), jget(e, "last"));
		ebuf_field(&b, date, 0);
		ebuf_field(&b, jget(e, "silent_weeks"), 1);
	}
	list = json_object_object_get(doc, "silent_sheets");
	for (i = 0; i < json_object_array_length(list); i++) {
		e = json_object_array_get_idx(list, i);
		ebuf_field(&b, "fiche muette", 0);
		ebuf_field(&b, jget(e, "sheet"), 0);
		ebuf_field(&b, jget(e, "label"), 0);
		ebuf_date(date, sizeof(date), jget(e, "last"));
		ebuf_field(&b, date, 0);
		ebuf_field(&b, jget(e, "silent_weeks"), 1);
	}
	list = json_object_object_get(doc, "sheets_without_activity");
	for (i = 0; i < json_object_array_length(list); i++) {
		ebuf_field(&b, "fiche sans activité", 0);
		ebuf_field(&b, json_object_get_string(
		    json_object_array_get_idx(list, i)), 0);
		ebuf_field(&b, "", 0);
		ebuf_field(&b, "", 0);
		ebuf_field(&b, "", 1);
	}
	return buf_done(&b);
}
