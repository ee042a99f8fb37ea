/* submit.c — the pipelined send loop shared by every submitting command. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "submit.h"
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
