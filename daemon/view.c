/*
 * view.c — the shared read model behind a reader-writer lock.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "log.h"
#include "store.h"
#include "view.h"

struct view {
	pthread_rwlock_t	 lock;
	struct model		*model;
	const char		*lost;	/* why there is no model: a French
					   sentence for the readers */
	pthread_mutex_t		 ready_lock;
	pthread_cond_t		 ready_cond;
	atomic_int		 ready;	/* filled from the base */
	atomic_ulong		 begun, published;	/* commits */
	long			*map;	/* store word id to model word id */
	size_t			 nmap;
};

static double
view_ms(const struct timespec *t0)
{
	struct timespec	 t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) * 1e3 +
	    (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

struct view *
view_new(const struct catalogue *cat)
{
	struct view	*v = calloc(1, sizeof(*v));

	if (v == NULL || (v->model = model_new(cat)) == NULL) {
		free(v);
		return NULL;
	}
	pthread_rwlock_init(&v->lock, NULL);
	pthread_mutex_init(&v->ready_lock, NULL);
	pthread_cond_init(&v->ready_cond, NULL);
	return v;
}

int
view_fill(struct view *v, struct store *s, char *err, size_t errlen)
{
	struct timespec	 t0;
	long		 rows;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pthread_rwlock_wrlock(&v->lock);
	if ((rows = store_model_load(s, v->model)) < 0) {
		if (rows == -2)
			snprintf(err, errlen, "agrégats endommagés : une cellule "
			    "stockée est illisible");
		else
			snprintf(err, errlen, "lecture des agrégats impossible : "
			    "%s", store_errmsg(s));
		v->lost = "les chiffres enregistrés sont illisibles ; "
		    "l'administrateur doit restaurer la dernière sauvegarde";
	}
	pthread_rwlock_unlock(&v->lock);
	pthread_mutex_lock(&v->ready_lock);
	atomic_store(&v->ready, 1);
	pthread_cond_broadcast(&v->ready_cond);
	pthread_mutex_unlock(&v->ready_lock);
	if (rows < 0)
		return -1;
	log_info("event=model_loaded rows=%ld bytes=%zu ms=%.0f", rows,
	    model_bytes(v->model), view_ms(&t0));
	return 0;
}

struct view *
view_load(const struct catalogue *cat, struct store *s, char *err,
    size_t errlen)
{
	struct view	*v = view_new(cat);

	if (v == NULL) {
		snprintf(err, errlen, "mémoire insuffisante pour les indicateurs");
		return NULL;
	}
	if (view_fill(v, s, err, errlen) == -1) {
		view_free(v);
		return NULL;
	}
	return v;
}

void
view_free(struct view *v)
{
	if (v == NULL)
		return;
	pthread_rwlock_destroy(&v->lock);
	pthread_mutex_destroy(&v->ready_lock);
	pthread_cond_destroy(&v->ready_cond);
	model_free(v->model);
	free(v->map);
	free(v);
}

const struct model *
view_read(struct view *v)
{
	if (!atomic_load(&v->ready)) {	/* the start: wait for the fill */
		pthread_mutex_lock(&v->ready_lock);
		while (!atomic_load(&v->ready))
			pthread_cond_wait(&v->ready_cond, &v->ready_lock);
		pthread_mutex_unlock(&v->ready_lock);
	}
	pthread_rwlock_rdlock(&v->lock);
	return v->lost != NULL ? NULL : v->model;
}

void
view_done(struct view *v)
{
	pthread_rwlock_unlock(&v->lock);
}

const char *
view_lost(struct view *v)
{
	return v->lost;
}

unsigned long
view_version(struct view *v)
{
	return atomic_load(&v->published);
}

void
view_begin(struct view *v)
{
	if (v != NULL)
		atomic_fetch_add(&v->begun, 1);
}

void
view_sync(struct view *v)
{
	struct timespec	 ts = { 0, 1000 * 1000 };	/* 1 ms */
	unsigned long	 want = atomic_load(&v->begun);

	while (atomic_load(&v->published) < want)
		nanosleep(&ts, NULL);
}

void
view_publish(struct view *v, const struct model *delta,
    const struct agg_batch *b, const struct model_evidence *ev, size_t nev)
{
	size_t	 i;
	int	 failed;

	if (v == NULL)
		return;
	pthread_rwlock_wrlock(&v->lock);
	failed = (delta != NULL && model_merge_delta(v->model, delta, &v->map,
	    &v->nmap) == -1) || (b != NULL && model_fold_batch(v->model, b) ==
	    -1);
	for (i = 0; i < nev; i++)
		failed |= model_add_evidence(v->model, &ev[i]) == -1;
	if (failed && v->lost == NULL) {
		v->lost = "mémoire insuffisante : redémarrez ctgd";
		log_warn("event=model_lost reason=\"mémoire insuffisante : "
		    "les indicateurs ne sont plus à jour, redémarrez ctgd\"");
	}
	atomic_fetch_add(&v->published, 1);
	pthread_rwlock_unlock(&v->lock);
}
