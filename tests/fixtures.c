/* fixtures.c — test data shared by the unit tests. */
#include <string.h>

#include "fixtures.h"

void
fixture_record_init(struct fixture_record *f, uint8_t idbyte)
{
	memset(f, 0, sizeof(*f));
	memset(f->id, idbyte, sizeof(f->id));
	f->id[6] = 0x70;
	memset(f->person, 0xab, sizeof(f->person));
	f->sheets[0] = "III.A.17";
	f->sheets[1] = "III.A.19";
	f->groups[0] = (struct group){ "jeune", "46201", 5, 1, NULL, 0 };
	f->groups[1] = (struct group){ "jeune", "", 2, 1, NULL, 0 };
	f->groups[2] = (struct group){ "jeune", "46217", 1, 1, f->person,
	    sizeof(f->person) };
	f->partners[0] = "Mairie de Montcuq";
	f->partners[1] = "Association Lézard de la rue";
	f->rec = (struct record){
		.id = f->id, .id_len = sizeof(f->id),
		.sheets = f->sheets, .nsheets = 2,
		.activity = "chantier", .date = "2024-07-10",
		.commune = "46201", .structure = "alsh-jeunes",
		.groups = f->groups, .ngroups = 3,
		.partners = f->partners, .npartners = 2,
		.title = "Chantier jeunes : rénovation du lavoir",
	};
}
