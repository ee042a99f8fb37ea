/*
 * report_copil.c — the year's COPIL report as a page to print (report.h):
 * page 1 the axes' sheets by status and their activity year over year,
 * then a page per axis, its indicators against baselines and targets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fr.h"
#include "jdoc.h"
#include "report.h"
#include "report_int.h"

/* A sheet's activities in the k-th year of the document. */
static long long
copil_records(json_object *sheet, size_t k)
{
	return jdoc_int(json_object_array_get_idx(jdoc_get(sheet, "per_year"),
	    k), "records");
}

static const char *const report_statuses[] = { "atteint", "en bonne voie",
	"en retard", "non commencé" };

char *
report_copil_html(const struct catalogue *c, json_object *copil)
{
	struct buf	 b = { 0 };
	json_object	*years = jdoc_get(copil, "years"), *sheets =
	    jdoc_get(copil,
			    "sheets"), *s, *io;
	int		 year = (int)jdoc_int(copil, "year");
	size_t		 ny = jdoc_len(years), a, i, j, k;
	char		 title[96], dl[256], num[32];
	long long	 counts[64][4];

	snprintf(title, sizeof(title), "CTG Quercy Blanc — COPIL %d", year);
	report_head(&b, title);
	buf_printf(&b, "<header><h1>Comité de pilotage %d</h1><p>Convention "
	    "Territoriale Globale — Communauté de communes du Quercy Blanc. "
	    "Où en est chaque fiche action", year);
	if (ny > 0)
		buf_printf(&b, ", année par année de %d à %d",
		    json_object_get_int(
		    json_object_array_get_idx(years, 0)), year);
	buf_str(&b, ", face aux références du diagnostic et aux cibles du plan."
	    "</p></header>\n");
	/* Page 1: each axis's sheets by status. */
	memset(counts, 0, sizeof(counts));
	for (i = 0; i < jdoc_len(sheets); i++) {
		s = json_object_array_get_idx(sheets, i);
		for (a = 0; a < c->naxes && a < 64; a++)
			if (strcmp(c->axes[a].code, jdoc_str(s, "axis")) == 0)
				for (k = 0; k < 4; k++)
					counts[a][k] += strcmp(jdoc_str(s,
					    "status"), report_statuses[k]) == 0;
	}
	buf_printf(&b, "<section><h2>Synthèse %d</h2><table><thead><tr><th>Axe"
	    "</th>", year);
	for (k = 0; k < 4; k++)
		buf_printf(&b, "<th class=\"n\">%s</th>", report_statuses[k]);
	buf_str(&b, "</tr></thead><tbody>");
	for (a = 0; a < c->naxes && a < 64; a++) {
		buf_printf(&b, "<tr><td>%s — ", c->axes[a].code);
		report_text(&b, c->axes[a].title);
		buf_str(&b, "</td>");
		for (k = 0; k < 4; k++)
			buf_printf(&b, "<td class=\"n\">%lld</td>",
			    counts[a][k]);
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

			for (i = 0; i < jdoc_len(sheets); i++) {
				s = json_object_array_get_idx(sheets, i);
				if (strcmp(jdoc_str(s, "axis"),
				    c->axes[a].code) == 0)
					sum += copil_records(s, k);
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
		report_text(&b, c->axes[a].title);
		buf_str(&b, "</h2><table><thead><tr><th>Fiche</th><th>Intitulé"
		    "</th><th>Échéance</th>");
		for (k = 0; k < ny; k++)
			buf_printf(&b, "<th class=\"n\">Activités %d</th>",
			    json_object_get_int(json_object_array_get_idx(years,
			    k)));
		buf_printf(&b, "<th>État %d</th></tr></thead><tbody>\n", year);
		for (i = 0; i < jdoc_len(sheets); i++) {
			s = json_object_array_get_idx(sheets, i);
			if (strcmp(jdoc_str(s, "axis"), c->axes[a].code) != 0)
				continue;
			buf_str(&b, "<tr><td>");
			report_text(&b, jdoc_str(s, "code"));
			buf_str(&b, "</td><td>");
			report_text(&b, jdoc_str(s, "title"));
			fr_deadline(jdoc_str(s, "deadline"), dl, sizeof(dl));
			buf_printf(&b, "</td><td>%s</td>", *dl ? dl : "—");
			for (k = 0; k < ny; k++)
				buf_printf(&b, "<td class=\"n\">%s</td>",
				    fr_int(copil_records(s, k), num,
				    sizeof(num)));
			buf_str(&b, "<td>");
			report_status(&b, jdoc_str(s, "status"));
			buf_str(&b, "</td></tr>\n");
		}
		buf_str(&b,
		    "</tbody></table>\n<h3>Indicateurs avec une référence "
		    "ou une cible</h3><p class=\"note\">La référence du "
		    "diagnostic est la ligne en tirets du graphique ; la "
		    "progression compare la dernière année à la cible.</p>"
		    "<table><thead><tr><th>Fiche</th><th>"
		    "Indicateur</th><th>Année par année</th><th>Référence</th>"
		    "<th>Cible</th><th>Progression</th><th>État</th></tr>"
		    "</thead><tbody>\n");
		for (i = 0; i < jdoc_len(sheets); i++) {
			s = json_object_array_get_idx(sheets, i);
			if (strcmp(jdoc_str(s, "axis"), c->axes[a].code) != 0)
				continue;
			for (j = 0; j < jdoc_len(jdoc_get(s,
			    "indicators")); j++) {
				json_object	*vals, *last;

				io = json_object_array_get_idx(jdoc_get(s,
				    "indicators"), j);
				vals = jdoc_get(io, "values");
				if ((jdoc_get(io, "target") == NULL &&
				    jdoc_get(io, "baseline") == NULL) ||
				    json_object_array_get_idx(vals, 0) == NULL)
					continue;
				buf_str(&b, "<tr><td>");
				report_text(&b, jdoc_str(s, "code"));
				buf_str(&b, "</td><td>");
				report_text(&b, jdoc_str(io, "label"));
				buf_str(&b, "</td><td>");
				snprintf(title, sizeof(title), "Valeur par "
				    "année, %s", jdoc_str(io, "id"));
				report_years_chart(&b, title, years, vals,
				    jdoc_get(io, "baseline"));
				buf_str(&b, "</td><td>");
				if (jdoc_get(io, "baseline") != NULL) {
					const char *by = jdoc_str(io,
					    "baseline_year");

					fr_number(json_object_get_double(
					    jdoc_get(io, "baseline")), num,
					    sizeof(num));
					buf_printf(&b, "%s%s%s", num, *by ?
					    " en " : "", by);
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
				    json_object_get(jdoc_get(io, "target")));
				json_object_object_add(last, "measure",
				    json_object_get(jdoc_get(io, "measure")));
				json_object_object_add(last, "status",
				    json_object_get(jdoc_get(io, "status")));
				report_progress(&b, last);
				json_object_put(last);
				buf_str(&b, "</td><td>");
				report_status(&b, jdoc_str(io, "status"));
				buf_str(&b, "</td></tr>\n");
			}
		}
		buf_str(&b, "</tbody></table></section>\n");
	}
	buf_str(&b, "</body></html>\n");
	return buf_done(&b);
}
