/* intake.c — the checks every write goes through before the writer. */
#include <stdio.h>
#include <string.h>

#include "catalogue.h"
#include "intake.h"
#include "lookup.h"
#include "record.h"
#include "stats.h"
#include "validate.h"
#include "writer.h"

static const char intake_not_yours[] = "accès refusé : la structure de cet "
    "enregistrement n'est pas l'une de celles de votre jeton";

static void
intake_ack_id(struct ack *a, const uint8_t *id, size_t len)
{
	if (id != NULL && len == RECORD_ID_LEN) {
		memcpy(a->id, id, RECORD_ID_LEN);
		a->has_id = 1;
	}
}

const char intake_not_yours_read[] = "accès refusé : ce jeton ne lit que "
    "les enregistrements de ses propres structures";

int
intake_reads_own(const struct catalogue *cat, const struct query *qu,
    uint64_t allowed)
{
	char	 word[128], err[512];
	int	 w;

	snprintf(word, sizeof(word), "%s", qu->key != NULL ? qu->key : "");
	word[strcspn(word, "/")] = '\0';
	w = lookup_word(cat, VOCAB_STRUCTURE, word, err, sizeof(err));
	return w >= 0 && w < 64 && (allowed >> w & 1);
}

/* A submitter writes only for its structures (allowed 0: any). */
static int
intake_structure_ok(const struct catalogue *cat, const char *structure,
    uint64_t allowed)
{
	int	 w;

	if (allowed == 0)
		return 1;
	w = catalogue_word(cat, VOCAB_STRUCTURE, structure);
	return w >= 0 && w < 64 && (allowed & ((uint64_t)1 << w)) != 0;
}

size_t
intake_check(struct writer_job *j, const struct catalogue *cat,
    uint64_t allowed)
{
	struct validate_ctx	 ctx;
	struct ack		*a = j->acks;
	const char		*bad = NULL;
	size_t			 i, todo = 0;

	validate_ctx_init(&ctx, cat, date_today());
	/* A string outside the records not as sent: all of it is refused. */
	if (j->req.bad_field != NULL)
		bad = validate_bad_text(j->req.bad_field, j->req.bad_text,
		    &j->req.arena);
	j->allowed = allowed;
	switch (j->req.kind) {
	case REQUEST_SUBMIT:
	case REQUEST_AMEND:
		for (i = 0; i < j->req.nrecords; i++) {
			struct record *r = &j->req.records[i];

			intake_ack_id(&a[i], r->id, r->id_len);
			if ((a[i].reason = bad) != NULL ||
			    (a[i].reason = validate_record(r, &ctx,
			    &j->req.arena)) != NULL) {
				a[i].status = ACK_REFUSED;
				continue;
			}
			if (!intake_structure_ok(cat, r->structure, allowed)) {
				a[i].status = ACK_REFUSED;
				a[i].reason = intake_not_yours;
				continue;
			}
			record_digest(r, j->digests[i]);
			todo++;
		}
		return todo;
	case REQUEST_VOID:
		intake_ack_id(&a[0], j->req.void_id, j->req.void_id_len);
		a[0].reason = bad != NULL ? bad : validate_void(j->req.void_id,
		    j->req.void_id_len, j->req.reason, &j->req.arena);
		break;
	case REQUEST_EVIDENCE:
		intake_ack_id(&a[0], j->req.evidence.id,
		    j->req.evidence.id_len);
		a[0].reason = bad != NULL ? bad : validate_evidence(
		    &j->req.evidence, &ctx, &j->req.arena);
		break;
	default:
		return 0;
	}
	if (a[0].reason != NULL) {
		a[0].status = ACK_REFUSED;
		return 0;
	}
	return 1;
}

void
intake_count(const struct ack *acks, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		switch (acks[i].status) {
		case ACK_ACCEPTED:
			STATS_ADD(records_accepted, 1);
			break;
		case ACK_DUPLICATE:
			STATS_ADD(records_duplicate, 1);
			break;
		case ACK_CONFLICT:
			STATS_ADD(records_conflict, 1);
			break;
		default:
			STATS_ADD(records_refused, 1);
			break;
		}
}
