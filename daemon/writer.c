/*
 * writer.c — group commit on a thread of its own, so that the event loop
 * keeps reading and decoding while a commit waits for the disk.
 *
 * The thread takes every job queued (up to batch_max records), stores them
 * in one BEGIN IMMEDIATE ... COMMIT, and moves them to the done list; an
 * event wakes the loop, which delivers the acks. A lone record is committed
 * at once; under load, records pile up during a commit and share the next.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "log.h"
#include "stats.h"
#include "store.h"
#include "wire.h"
#include "view.h"
#include "writer.h"

struct writer_queue {
	struct writer_job	*head;
	struct writer_job	**tail;
};

struct writer {
	pthread_t		 thread;
	pthread_mutex_t		 lock;
	pthread_cond_t		 wake;
	struct writer_queue	 todo;
	struct writer_queue	 done;
	size_t			 pending;	/* pushed, not yet delivered */
	int			 stopping;
	int			 paused, busy;	/* writer_pause */
	pthread_cond_t		 idle;
	struct store		*store;
	struct agg_batch	*agg;		/* the batch's aggregate deltas */
	struct view		*view;		/* folded after each COMMIT */
	writer_query_cb		 query;
	size_t			 batch_max;
	struct event		*done_ev;
	writer_done_cb		 done_cb;
	void			*done_arg;
	const char		*hold;		/* $CTG_HOLD_COMMITS, for tests */
	_Atomic(const char *)	 refusal;	/* set: every write refused */
	/* A run of failed commits (a full disk, an I/O error), told twice. */
	uint64_t		 failed_commits, failed_records;
	int64_t			 failing_since;	/* s, 0: none */
	char			 failure[256];	/* why the last commit failed */
};

static const char writer_storage_failed[] =
    "erreur d'écriture dans la base : l'enregistrement n'est pas stocké, "
    "renvoyez-le plus tard";

static const char writer_conflict[] = "cet identifiant est déjà "
    "enregistré avec un autre contenu ; rien n'a été modifié (pour "
    "corriger un enregistrement, envoyez-en une révision)";

/*
 * What a submitter is told of an id outside its structures' records,
 * whether no record has it or another structure's does: the same words,
 * so that nothing is learnt of others' records.
 */
static const char writer_not_yours[] = "identifiant hors de vos "
    "enregistrements : aucun enregistrement de vos structures ne porte cet "
    "identifiant (pour un nouvel enregistrement, prenez un nouvel "
    "identifiant)";

static void
writer_queue_init(struct writer_queue *q)
{
	q->head = NULL;
	q->tail = &q->head;
}

static void
writer_queue_put(struct writer_queue *q, struct writer_job *j)
{
	j->next = NULL;
	*q->tail = j;
	q->tail = &j->next;
}

struct writer_job *
writer_job_new(struct request *req, void *owner)
{
	struct writer_job	*j;

	if ((j = calloc(1, sizeof(*j))) == NULL)
		return NULL;
	j->req = *req;
	j->owner = owner;
	j->acks = arena_alloc(&j->req.arena,
	    (req->nrecords + 1) * sizeof(*j->acks));
	/* acks[0] of an amend, void or evidence job names its id. */
	j->digests = arena_alloc(&j->req.arena,
	    (req->nrecords + 1) * sizeof(*j->digests));
	if (j->acks == NULL || j->digests == NULL) {
		*req = j->req;	/* the caller keeps the request */
		free(j);
		return NULL;
	}
	return j;
}

void
writer_job_free(struct writer_job *j)
{
	if (j == NULL)
		return;
	request_free(&j->req);
	free(j->document);
	free(j->error);
	free(j);
}

void
writer_pause(struct writer *w)
{
	pthread_mutex_lock(&w->lock);
	w->paused = 1;
	while (w->busy)
		pthread_cond_wait(&w->idle, &w->lock);
	pthread_mutex_unlock(&w->lock);
}

void
writer_resume(struct writer *w)
{
	pthread_mutex_lock(&w->lock);
	w->paused = 0;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
}

void
writer_hold(const char *path)
{
	struct timespec	 ts = { 0, 10 * 1000 * 1000 };	/* 10 ms */

	while (path != NULL && access(path, F_OK) == 0)
		nanosleep(&ts, NULL);
}

static int64_t
writer_now_ms(void)
{
	struct timeval	 tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* One job's writes inside the batch's transaction; -1 on a database error. */
static int
writer_store_job(struct writer *w, struct writer_job *j, int64_t now,
    size_t *n)
{
	struct ack	*a = j->acks;
	const char	*why = NULL;
	size_t		 i;
	int		 st;

	if (j->req.kind != REQUEST_SUBMIT && a[0].status != 0)
		return 0;	/* refused before the writer */
	/* A submitter amends or voids only its structures' records. */
	if (j->allowed != 0 && (j->req.kind == REQUEST_AMEND ||
	    j->req.kind == REQUEST_VOID)) {
		st = store_structure_in(w->store, j->req.kind == REQUEST_VOID ?
		    j->req.void_id : j->req.records[0].id, j->allowed);
		if (st == -1)
			return -1;
		if (st != STORE_IN) {
			a[0].status = ACK_REFUSED;
			a[0].reason = writer_not_yours;
			return 0;
		}
	}
	switch (j->req.kind) {
	case REQUEST_SUBMIT:
		for (i = 0; i < j->req.nrecords; i++) {
			if (a[i].status != 0)
				continue;
			st = store_put(w->store, &j->req.records[i],
			    j->digests[i], now, w->agg);
			if (st == -1)
				return -1;
			a[i].status = (enum ack_status)st;
			if (st == ACK_CONFLICT)
				a[i].reason = writer_conflict;
			/* Another structure's id: told as any id not its own. */
			if (st == ACK_CONFLICT && j->allowed != 0) {
				if ((st = store_structure_in(w->store,
				    j->req.records[i].id, j->allowed)) == -1)
					return -1;
				if (st != STORE_IN) {
					a[i].status = ACK_REFUSED;
					a[i].reason = writer_not_yours;
				}
			}
			(*n)++;
		}
		return 0;
	case REQUEST_AMEND:
		st = store_amend(w->store, &j->req.records[0], j->digests[0],
		    now, w->agg, &why);
		break;
	case REQUEST_VOID:
		st = store_void(w->store, j->req.void_id, j->req.reason, now,
		    w->agg, &why);
		break;
	case REQUEST_EVIDENCE:
		st = store_evidence(w->store, &j->req.evidence, now);
		why = st == ACK_CONFLICT ? writer_conflict : NULL;
		break;
	default:
		return 0;
	}
	if (st == -1)
		return -1;
	a[0].status = (enum ack_status)st;
	a[0].reason = why;
	(*n)++;
	return 0;
}

/*
 * After COMMIT: the batch's deltas and its accepted evidence entries into
 * the model, in one fold.
 */
static void
writer_publish(struct writer *w, struct writer_job *batch)
{
	struct model_evidence	*e = NULL;
	char			(*hex)[2 * RECORD_ID_LEN + 1] = NULL;
	struct writer_job	*j;
	size_t			 n = 0;

	for (j = batch; j != NULL; j = j->next)
		n += j->req.kind == REQUEST_EVIDENCE &&
		    j->acks[0].status == ACK_ACCEPTED;
	if (n > 0 && ((e = calloc(n, sizeof(*e))) == NULL ||
	    (hex = calloc(n, sizeof(*hex))) == NULL))
		log_warn("event=model_evidence_lost reason=\"mémoire "
		    "insuffisante : la preuve est stockée, elle apparaîtra au "
		    "redémarrage\"");
	for (j = batch, n = 0; e != NULL && hex != NULL && j != NULL;
	    j = j->next) {
		const struct evidence *v = &j->req.evidence;

		if (j->req.kind != REQUEST_EVIDENCE ||
		    j->acks[0].status != ACK_ACCEPTED)
			continue;
		agg_hex(v->id, v->id_len < RECORD_ID_LEN ? v->id_len :
		    RECORD_ID_LEN, hex[n]);
		e[n] = (struct model_evidence){ v->indicator, v->date,
		    v->state, v->text, v->reference, hex[n] };
		n++;
	}
	view_publish(w->view, store_delta(w->store), w->agg, e, n);
	free(e);
	free(hex);
}

/* Stores every undecided job of the batch; -1 when the transaction failed. */
static int
writer_store_batch(struct writer *w, struct writer_job *batch, size_t *n)
{
	struct writer_job	*j;
	int64_t			 now = writer_now_ms();

	*n = 0;
	agg_batch_clear(w->agg);
	if (store_begin(w->store) == -1)
		goto fail;
	for (j = batch; j != NULL; j = j->next)
		if (writer_store_job(w, j, now, n) == -1)
			goto fail;
	if (store_apply(w->store, w->agg) == -1)
		goto fail;
	writer_hold(w->hold);
	view_begin(w->view);
	if (store_commit(w->store) == -1) {
		view_publish(w->view, NULL, NULL, NULL, 0);
		goto fail;
	}
	writer_publish(w, batch);
	return 0;
fail:
	/* SQLite's words, before the rollback replaces them. */
	snprintf(w->failure, sizeof(w->failure), "%s", store_errmsg(w->store));
	store_rollback(w->store);
	return -1;
}

/* After a failed transaction nothing of the batch is stored: say so. */
static void
writer_refuse_batch(struct writer_job *batch, const char *reason)
{
	struct writer_job	*j;
	size_t			 i;

	for (j = batch; j != NULL; j = j->next)
		for (i = 0; i < j->req.nrecords || i == 0; i++)
			if (j->acks[i].reason == NULL ||
			    j->acks[i].status != ACK_REFUSED) {
				j->acks[i].status = ACK_REFUSED;
				j->acks[i].reason = reason;
			}
}

static int
writer_is_query(const struct writer_job *j)
{
	return j->req.kind == REQUEST_QUERY;
}

/*
 * Takes queued jobs up to batch_max records (at least one job); a query
 * job is taken alone.
 */
static struct writer_job *
writer_take(struct writer *w)
{
	struct writer_job	*batch = w->todo.head, *j = batch, *last = NULL;
	size_t			 n = 0;

	while (j != NULL && (last == NULL || (n + j->req.nrecords <=
	    w->batch_max && !writer_is_query(j) && !writer_is_query(last)))) {
		n += j->req.nrecords;
		last = j;
		j = j->next;
	}
	w->todo.head = j;
	if (j == NULL)
		w->todo.tail = &w->todo.head;
	last->next = NULL;
	return batch;
}

/*
 * A commit failed: said once when a run of failures begins (SQLite's
 * words), counted meanwhile. What the failed transaction left in the WAL
 * is given back at once, so that freed space serves records again.
 */
static void
writer_failed(struct writer *w, const struct writer_job *batch)
{
	const struct writer_job	*j;
	struct timeval		 tv;

	for (j = batch; j != NULL; j = j->next)
		w->failed_records += j->req.nrecords ? j->req.nrecords : 1;
	if (w->failed_commits++ == 0) {
		gettimeofday(&tv, NULL);
		w->failing_since = tv.tv_sec;
		STATS_ADD(store_failing, 1);
		log_warn("event=store_error state=begin reason=\"%s\"",
		    w->failure);
	}
	store_checkpoint(w->store);
}

/* A commit went through after failures: said once, with the counts. */
static void
writer_recovered(struct writer *w)
{
	struct timeval	 tv;

	if (w->failed_commits == 0)
		return;
	gettimeofday(&tv, NULL);
	log_info("event=store_error state=end failed_commits=%llu "
	    "refused_records=%llu seconds=%lld",
	    (unsigned long long)w->failed_commits,
	    (unsigned long long)w->failed_records,
	    (long long)(tv.tv_sec - w->failing_since));
	STATS_SUB(store_failing, 1);
	w->failed_commits = w->failed_records = 0;
	w->failing_since = 0;
}

static void *
writer_main(void *arg)
{
	struct writer		*w = arg;
	struct writer_job	*batch, *j, *next;
	const char		*refusal;
	size_t			 n;

	/* The model first: writes wait for it, pings and the loop do not. */
	if (w->view != NULL && w->store != NULL) {
		char err[512];

		if (view_fill(w->view, w->store, err, sizeof(err)) == -1)
			log_warn("event=model_failed reason=\"%s\"", err);
	}
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while ((w->todo.head == NULL || w->paused) && !w->stopping)
			pthread_cond_wait(&w->wake, &w->lock);
		if (w->todo.head == NULL)
			break;
		batch = writer_take(w);
		w->busy = 1;
		pthread_mutex_unlock(&w->lock);

		if (writer_is_query(batch))
			w->query(w->store, batch, w->done_arg);
		else if ((refusal = atomic_load(&w->refusal)) != NULL)
			writer_refuse_batch(batch, refusal);
		else if (writer_store_batch(w, batch, &n) == -1) {
			STATS_ADD(commit_errors, 1);
			writer_failed(w, batch);
			writer_refuse_batch(batch, writer_storage_failed);
		} else {
			STATS_ADD(commits, 1);
			STATS_ADD(commit_records, n);
			writer_recovered(w);
		}

		pthread_mutex_lock(&w->lock);
		w->busy = 0;
		pthread_cond_broadcast(&w->idle);
		for (j = batch; j != NULL; j = next) {
			next = j->next;
			writer_queue_put(&w->done, j);
		}
		event_active(w->done_ev, EV_READ, 0);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/* On the loop's thread: hand each finished job to its owner, in order. */
static void
writer_deliver(evutil_socket_t fd, short what, void *arg)
{
	struct writer		*w = arg;
	struct writer_job	*j, *next;
	size_t			 n = 0;

	(void)fd;
	(void)what;
	pthread_mutex_lock(&w->lock);
	j = w->done.head;
	writer_queue_init(&w->done);
	pthread_mutex_unlock(&w->lock);
	for (; j != NULL; j = next) {
		next = j->next;
		n++;
		(j->done != NULL ? j->done : w->done_cb)(j, w->done_arg);
	}
	pthread_mutex_lock(&w->lock);
	w->pending -= n;
	pthread_mutex_unlock(&w->lock);
}

struct writer *
writer_start(struct event_base *base, struct store *store, struct view *view,
    size_t batch_max, writer_done_cb done, writer_query_cb query, void *arg)
{
	struct writer	*w;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	if ((w->agg = agg_batch_new()) == NULL) {
		free(w);
		return NULL;
	}
	w->query = query;
	w->hold = getenv("CTG_HOLD_COMMITS");
	atomic_init(&w->refusal, NULL);
	writer_queue_init(&w->todo);
	writer_queue_init(&w->done);
	w->store = store;
	w->view = view;
	w->batch_max = batch_max;
	w->done_cb = done;
	w->done_arg = arg;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	pthread_cond_init(&w->idle, NULL);
	if ((w->done_ev = event_new(base, -1, 0, writer_deliver, w)) == NULL)
		goto fail;
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0)
		goto fail;
	return w;
fail:
	if (w->done_ev != NULL)
		event_free(w->done_ev);
	agg_batch_free(w->agg);
	pthread_cond_destroy(&w->wake);
	pthread_cond_destroy(&w->idle);
	pthread_mutex_destroy(&w->lock);
	free(w);
	return NULL;
}

void
writer_push(struct writer *w, struct writer_job *j)
{
	pthread_mutex_lock(&w->lock);
	writer_queue_put(&w->todo, j);
	w->pending++;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
}

void
writer_refuse_all(struct writer *w, const char *reason)
{
	atomic_store(&w->refusal, reason);
}

size_t
writer_pending(struct writer *w)
{
	size_t	 n;

	pthread_mutex_lock(&w->lock);
	n = w->pending;
	pthread_mutex_unlock(&w->lock);
	return n;
}

void
writer_stop(struct writer *w)
{
	struct writer_job	*j, *next;

	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = 1;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	for (j = w->done.head; j != NULL; j = next) {
		next = j->next;
		writer_job_free(j);
	}
	event_free(w->done_ev);
	agg_batch_free(w->agg);
	pthread_cond_destroy(&w->wake);
	pthread_cond_destroy(&w->idle);
	pthread_mutex_destroy(&w->lock);
	free(w);
}
