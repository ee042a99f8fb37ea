/*
 * submit.c — the pipelined send loop shared by every submitting command,
 * and what those commands check and print around it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "submit.h"
#include "uuid.h"
#include "validate.h"
#include "wire.h"

struct submit_batch {
	size_t	first;		/* index of the batch's first record */
	size_t	count;
};

/* Applies one submit reply to the batch it answers. */
static int
submit_apply(struct import_item **sent, struct submit_batch *b,
    const struct reply *rep, char *err, size_t errlen)
{
	size_t	 i;

	if (rep->kind == REPLY_ERROR) {
		snprintf(err, errlen, "le serveur a refusé la requête : %s",
		    rep->error_message ? rep->error_message : "?");
		return -1;
	}
	if (rep->kind != REPLY_SUBMIT || rep->nacks != b->count) {
		snprintf(err, errlen, "réponse du serveur inattendue");
		return -1;
	}
	for (i = 0; i < b->count; i++) {
		struct import_item *it = sent[b->first + i];

		it->status = rep->acks[i].status;
		if (rep->acks[i].reason != NULL)
			it->reason = strdup(rep->acks[i].reason);
	}
	return 0;
}

int
submit_items(struct client *cl, struct import_item *items, size_t n,
    const struct submit_options *o, char *err, size_t errlen)
{
	struct import_item	**sent;
	struct submit_batch	 *batches;
	struct record		 *recs;
	struct request		  req;
	struct reply		  rep;
	size_t			  i, nsent = 0, next = 0, nb, done = 0;
	uint64_t		  base = cl->next_seq;
	int			  rc = -1;

	sent = calloc(n + 1, sizeof(*sent));
	batches = calloc(n / o->batch + 2, sizeof(*batches));
	recs = calloc(o->batch, sizeof(*recs));
	if (sent == NULL || batches == NULL || recs == NULL) {
		snprintf(err, errlen, "mémoire insuffisante");
		goto out;
	}
	for (i = 0; i < n; i++)
		if (items[i].error == NULL)
			sent[nsent++] = &items[i];
	nb = (nsent + o->batch - 1) / o->batch;
	for (i = 0; i < nb; i++) {
		batches[i].first = i * o->batch;
		batches[i].count = nsent - batches[i].first < o->batch ?
		    nsent - batches[i].first : o->batch;
	}
	while (done < nb) {
		if (next < nb && next - done < o->window) {
			memset(&req, 0, sizeof(req));
			req.kind = REQUEST_SUBMIT;
			req.nrecords = batches[next].count;
			for (i = 0; i < req.nrecords; i++)
				recs[i] = sent[batches[next].first + i]->rec;
			req.records = recs;
			if (client_send(cl, &req, err, errlen) == -1)
				goto out;
			next++;
			continue;
		}
		if (client_recv(cl, &rep, err, errlen) == -1)
			goto out;
		if (rep.seq <= base || rep.seq - base > next) {
			snprintf(err, errlen, "réponse du serveur inattendue "
			    "(numéro %llu)", (unsigned long long)rep.seq);
			reply_free(&rep);
			goto out;
		}
		i = (size_t)(rep.seq - base - 1);
		if (submit_apply(sent, &batches[i], &rep, err, errlen) == -1) {
			reply_free(&rep);
			goto out;
		}
		if (o->answered != NULL)
			o->answered(o->arg, &sent[batches[i].first],
			    batches[i].count);
		reply_free(&rep);
		done++;
	}
	rc = 0;
out:
	free(sent);
	free(batches);
	free(recs);
	return rc;
}

size_t
submit_validate(struct import_item *items, size_t n,
    const struct catalogue *cat, int64_t today, struct arena *a)
{
	struct validate_ctx	 ctx;
	size_t			 i, bad = 0;

	validate_ctx_init(&ctx, cat, today);
	for (i = 0; i < n; i++) {
		if (items[i].error != NULL)
			continue;
		if (items[i].rec.id == NULL) {
			items[i].rec.id = items[i].id;
			items[i].rec.id_len = RECORD_ID_LEN;
		}
		if ((items[i].error = validate_record(&items[i].rec, &ctx,
		    a)) != NULL)
			bad++;
	}
	return bad;
}

/* Whether an indicator of scope all, filter f, counts record r. */
static int
submit_filter_selects(const struct catalogue *c, const struct cat_filter *f,
    const struct record *r)
{
	uint64_t	 cats = 0;
	size_t		 i;
	int		 w;

	for (i = 0; i < r->ngroups; i++)
		if ((w = catalogue_word(c, VOCAB_CATEGORY,
		    r->groups[i].category)) >= 0 && w < 64)
			cats |= (uint64_t)1 << w;
	return catalogue_filter_selects(f, catalogue_word(c, VOCAB_ACTIVITY,
	    r->activity), catalogue_word(c, VOCAB_STRUCTURE, r->structure),
	    cats);
}

size_t
submit_service(const struct catalogue *c, const struct record *r,
    const struct cat_indicator **out, size_t max)
{
	size_t	 i, n = 0;

	for (i = 0; i < c->nindicators; i++) {
		const struct cat_indicator *d = &c->indicators[i];

		/* scope=all always comes with a filter (MEASURES.md). */
		if (!d->all || !submit_filter_selects(c, &d->f, r))
			continue;
		if (n < max)
			out[n] = d;
		n++;
	}
	return n;
}

const char *
submit_status_label(enum ack_status s)
{
	static const char *const labels[] = {
		[ACK_ACCEPTED] = "accepté",
		[ACK_DUPLICATE] = "déjà enregistré",
		[ACK_CONFLICT] = "en conflit",
		[ACK_REFUSED] = "refusé",
	};

	return s >= ACK_ACCEPTED && s <= ACK_REFUSED ? labels[s] :
	    "sans réponse de ctgd, gardé dans la boîte d'envoi";
}

static int
submit_id_known(const uint8_t id[RECORD_ID_LEN])
{
	size_t	 i;

	for (i = 0; i < RECORD_ID_LEN; i++)
		if (id[i] != 0)
			return 1;
	return 0;
}

void
submit_line(char *buf, size_t len, const char *where,
    const struct import_item *it)
{
	const char	*label, *reason;
	char		 id[UUID_TEXT_LEN + 1];
	size_t		 wl = strlen(where);
	int		 n;

	if (it->error != NULL) {
		label = submit_status_label(ACK_REFUSED);
		reason = it->error;
		/* The import's reasons may name their line already. */
		if (strncmp(reason, where, wl) == 0 &&
		    strncmp(reason + wl, " : ", 3) == 0)
			reason += wl + 3;
		else if (strncmp(reason, where, wl) == 0 &&
		    strncmp(reason + wl, ", ", 2) == 0)
			reason += wl + 2;
	} else {
		label = submit_status_label(it->status);
		reason = it->status != 0 ? it->reason : NULL;
	}
	n = snprintf(buf, len, "%s : %s%s%s", where, label, reason ? " : " : "",
	    reason ? reason : "");
	if (n < 0 || (size_t)n >= len || !submit_id_known(it->id))
		return;
	uuid_format(it->id, id);
	snprintf(buf + n, len - (size_t)n, " — %s", id);
}

void
submit_count(const struct import_item *items, size_t n,
    struct submit_counts *c)
{
	size_t	 i;

	memset(c, 0, sizeof(*c));
	c->total = n;
	for (i = 0; i < n; i++) {
		if (items[i].error != NULL)
			c->n[ACK_REFUSED]++;
		else if (items[i].status >= ACK_ACCEPTED &&
		    items[i].status <= ACK_REFUSED)
			c->n[items[i].status]++;
		else
			c->unanswered++;
	}
}

int
submit_counts_bad(const struct submit_counts *c)
{
	return c->n[ACK_CONFLICT] + c->n[ACK_REFUSED] > 0;
}

/* French plurals: 0 and 1 are singular. */
static const char *
submit_s(size_t n)
{
	return n > 1 ? "s" : "";
}

void
submit_summary(char *buf, size_t len, const struct submit_counts *c)
{
	int	 n;

	n = snprintf(buf, len, "%zu enregistrement%s : %zu accepté%s, %zu déjà "
	    "enregistré%s, %zu en conflit, %zu refusé%s", c->total,
	    submit_s(c->total), c->n[ACK_ACCEPTED], submit_s(c->n[ACK_ACCEPTED]),
	    c->n[ACK_DUPLICATE], submit_s(c->n[ACK_DUPLICATE]),
	    c->n[ACK_CONFLICT], c->n[ACK_REFUSED], submit_s(c->n[ACK_REFUSED]));
	if (n >= 0 && (size_t)n < len && c->unanswered > 0)
		n += snprintf(buf + n, len - (size_t)n, ", %zu sans réponse "
		    "(gardé%s dans la boîte d'envoi)", c->unanswered,
		    submit_s(c->unanswered));
	if (n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, "\naccepted=%zu duplicate=%zu "
		    "conflict=%zu refused=%zu\n", c->n[ACK_ACCEPTED],
		    c->n[ACK_DUPLICATE], c->n[ACK_CONFLICT],
		    c->n[ACK_REFUSED]);
}
