/*
 * model_int.h — the read model's insides, shared by model.c (folding and
 * questions) and model_cells.c (cells as the store keeps them).
 */
#ifndef CTG_MODEL_INT_H
#define CTG_MODEL_INT_H

#include "arena.h"
#include "model.h"

#define MODEL_ID_BITS	28
#define MODEL_ID_MASK	((1u << MODEL_ID_BITS) - 1)

struct model_entry {
	uint64_t	 key;
	int64_t		 n;
};

struct model_cell {
	struct model_entry	*v;
	uint32_t		 n, cap;
};

/* What a scope's slot counts: its filter; the first indicator that asked. */
struct model_slot {
	int			 scope;		/* sheet index, or nsheets: all */
	int			 base;		/* no filter */
	struct cat_filter	 f;
	const char		*name;
	struct model_cell	*cells[MODEL_MONTHS];
};

struct model_word {
	const char	*s;
	uint64_t	 hash;
	int		 act, str, cat;	/* vocabulary indices, -1: none */
	uint64_t	 cats;		/* as a comma-joined categories list */
	int		 sheet;		/* as a sheet code: index, -1: none */
};

/* A member's months in one slot, ascending, with their counts. */
struct model_presence {
	uint16_t	 month;
	int32_t		 n;
};

struct model_member {
	uint64_t		 key;	/* slot << 32 | word, 0: free */
	struct model_presence	*v;
	uint16_t		 n, cap;
};

/* A cell's place: slot and month index. */
struct model_place {
	int		 slot, month;
};

struct model_scope {
	int		*slots;		/* base first */
	size_t		 n;
};

struct model_sheet_evidence {
	struct model_evidence	*v;
	size_t			 n, cap;
};

struct model {
	const struct catalogue		*cat;
	struct arena			 arena;		/* words, evidence */
	struct model_slot		*slots;
	size_t				 nslots;
	struct model_scope		*scopes;	/* nsheets + 1 */
	int				*indicator_slot;
	struct model_word		*words;
	size_t				 nwords, wcap;
	uint32_t			*wtable;	/* word id + 1, 0: free */
	size_t				 wtcap;
	struct model_member		*members;	/* open addressing */
	size_t				 mcap, nmembers;
	struct model_sheet_evidence	*evidence;	/* by sheet */
	size_t				 bytes;
	/* A delta (model_new_delta): cells only, and the cells made. */
	int				 delta;
	struct model_place		*touched;
	size_t				 ntouched, tcap;
};

/* What a key's two fields hold, by kind. */
enum model_field {
	MF_NONE,	/* 0 */
	MF_WORD,	/* a word id */
	MF_NUMBER,	/* a day of the month, a month index + 1 */
};

struct model_kind_spec {
	const char	*name;		/* for verify's report */
	enum model_field a, b;
};

extern const struct model_kind_spec	model_kinds[MK__COUNT];

static inline uint64_t
model_key(enum model_kind k, uint32_t a, uint32_t b)
{
	return (uint64_t)k << 56 | (uint64_t)(a & MODEL_ID_MASK) <<
	    MODEL_ID_BITS | (b & MODEL_ID_MASK);
}

/* A month index to YYYYMM. */
int		 model_yyyymm(int);
/* A word's id, interned on first sight; -1 when out of memory. */
long		 model_word(struct model *, const char *);
/* The first entry of a cell whose key is not below key. */
uint32_t	 model_lower(const struct model_cell *, uint64_t key);
/*
 * An empty cell for the slot and month (which has none), listed among a
 * delta's cells; NULL when out of memory.
 */
struct model_cell *model_cell_new(struct model *, int slot, int month);
/* Adds d to a cell's key; a sum that falls to 0 is removed. 0 or -1. */
int		 model_add(struct model *, int slot, int month, uint64_t key,
		    int64_t d);

#endif
