/*
 * batch_merge — one gradebook and one class report from the reports of a
 * class graded in shards (grade.sh --merge OUT REPORTS...).
 *
 * The merge reads each shard's manifest (batch_shard.h) and reports and
 * writes exactly what one machine grading the whole class writes: the same
 * rows, in the same order (by id), through the same writers, so the files are
 * the same byte for byte (the class page's "Generated" time aside, which
 * SOURCE_DATE_EPOCH fixes). It refuses, naming the folder and what to do,
 * rather than write a gradebook that is short or mixed: a shard missing or
 * given twice, shards of different splits (K/3 beside K/4), reports of another
 * assignment or another build of it, a shard not finished (a student of its
 * share without a complete report of the submission it listed).
 */
#ifndef BATCH_MERGE_H
#define BATCH_MERGE_H

#include "batch.h"

/* Merges ctx->cli->merge_dirs into ctx->cli->merge (or --csv, --class-report). */
int batch_merge(const batch_context *ctx, hr_error *err);

#endif
