/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The audited host's identity (table host_identity) as the model holds it, and the time of the audit. */
#ifndef IA_IDENTITY_MODEL_H
#define IA_IDENTITY_MODEL_H

#include <stdbool.h>
#include <time.h>

#include "decode/identity.h"

struct sqlite3;

/** Who the audited host is: every string is the captured host's, NULL when not known. */
struct ia_identity {
	bool collected;                       /* the facts hold a host_identity row */
	char *hostname;                       /* proc/sys/kernel/hostname */
	char *machine_id;                     /* etc/machine-id (32 hex digits) */
	bool dmi_present;                     /* sys/class/dmi/id existed */
	char *dmi[IA_IDENTITY_N_DMI];         /* by enum ia_identity_dmi (ia_identity_dmi_attrs[]) */
	char *cpu_model;                      /* proc/cpuinfo's model(s) */
	char *cpu_arch;                       /* the architecture proc/cpuinfo's layout shows */
	char audited_at[32];                  /* this audit's time, RFC 3339 UTC ("2026-12-06T19:50:11Z"); ""
						 until ia_identity_stamp() (a model built by hand) */
};

/**
 * ia_identity_load() - the host_identity row of @db into @id (zeroed by the caller); a database
 * without the row leaves @id->collected false and every field NULL.
 * Return: 0; -IA_E_SQLITE; -ENOMEM.
 */
int ia_identity_load(struct sqlite3 *db, struct ia_identity *id);

/**
 * ia_identity_stamp() - set @id->audited_at to @t (seconds since 1970, UTC) in RFC 3339 form,
 * "YYYY-MM-DDTHH:MM:SSZ". The CLI stamps the time of its run (SOURCE_DATE_EPOCH when set), never
 * the time the facts were collected.
 */
void ia_identity_stamp(struct ia_identity *id, time_t t);

/**
 * ia_identity_board_line() - the text report's header line about the board and BIOS, without
 * indentation or newline, into @buf (@cap bytes): "board: VENDOR NAME (system VENDOR PRODUCT
 * VERSION); BIOS VENDOR VERSION DATE" with the parts that are known, "board and BIOS: not recorded
 * (no sys/class/dmi/id in the facts)" when DMI was absent, "... not readable" when it was present
 * but nothing could be read. Return: @buf.
 */
const char *ia_identity_board_line(const struct ia_identity *id, char *buf, size_t cap);

/** ia_identity_free() - release the strings of @id (accepts a zeroed one) and zero it. */
void ia_identity_free(struct ia_identity *id);

#endif
