/*
 * yamlio — reading YAML documents with libyaml, every error with its line.
 *
 * The rubric and the mistake catalogue are YAML written by instructors. libyaml
 * loads a file as a node graph (yaml_parser_load); these typed getters walk it
 * and know each node's line, so that a mistake in the file is always refused
 * as "path:LINE: what is wrong". Scalars keep YAML 1.2's plain meanings where
 * a number is asked for (1e-7 is a number, which YAML 1.1 would leave a string).
 */
#ifndef YAMLIO_H
#define YAMLIO_H

#include <stdbool.h>

#include <yaml.h>

#include "error.h"

typedef struct {
    yaml_document_t *doc;
    const char *path;
    hr_error *err;
} yamlio;

/* Reads the document's root node into out. */
typedef int (*yamlio_reader)(yamlio *y, yaml_node_t *root, void *out);

/* Parses path (a "what", e.g. "rubric", for messages) and calls reader on its
 * root. An unreadable file, invalid YAML or an empty file is an error with its
 * line; so is whatever reader refuses. */
int yamlio_read_file(const char *path, const char *what, yamlio_reader reader, void *out, hr_error *err);

/* Sets err to "path:LINE: message" (the line of n) and returns -1. */
int yamlio_fail(yamlio *y, const yaml_node_t *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int yamlio_line(const yaml_node_t *n);
/* The text of a scalar node, NULL for anything else. */
const char *yamlio_scalar(const yaml_node_t *n);
/* Written without quotes (so true, 3 and null keep their meaning)? */
bool yamlio_is_plain(const yaml_node_t *n);

/* Refuses a mapping with a key not in known (NULL-terminated) or a repeated key. */
int yamlio_check_keys(yamlio *y, const yaml_node_t *map, const char *where, const char *const *known);
/* The value of key in map, or NULL. */
yaml_node_t *yamlio_get(yamlio *y, const yaml_node_t *map, const char *key);

/* Typed values of map's keys. Absent and not required: 0, *out untouched. */
int yamlio_string(yamlio *y, const yaml_node_t *map, const char *key, bool required, char **out);
int yamlio_number(yamlio *y, const yaml_node_t *map, const char *key, bool required, double *out);
int yamlio_bool(yamlio *y, const yaml_node_t *map, const char *key, bool *out);
/* A list of plain names as a new NULL-terminated array. */
int yamlio_strings(yamlio *y, const yaml_node_t *n, const char *what, char ***out);

#endif
