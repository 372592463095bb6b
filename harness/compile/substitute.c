/* substitute — see substitute.h. */
#include "substitute.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safetext.h"
#include "jsonio.h"

static bool global_function(const objcheck_info *o, const objcheck_symbol *s)
{
    return (s->bind == STB_GLOBAL || s->bind == STB_WEAK) && s->type == STT_FUNC && s->shndx != SHN_UNDEF &&
           s->shndx < o->nsections && s->name && s->name[0];
}

int subst_catalogue(const objcheck_info *o, cJSON **out, hr_error *err)
{
    cJSON *cat = cJSON_CreateObject();
    if (!cat)
        return hr_fail(err, "out of memory");
    size_t plen = strlen(SUBST_IMPL_PREFIX);
    for (size_t i = 1; i < o->nsymbols; i++) {
        const objcheck_symbol *f = &o->symbols[i];
        if (!global_function(o, f) || !strncmp(f->name, SUBST_IMPL_PREFIX, plen) || !safetext_is_identifier(f->name, 64))
            continue;
        size_t flen = strlen(f->name);
        cJSON *variants = NULL;
        for (size_t k = 1; k < o->nsymbols; k++) {
            const objcheck_symbol *v = &o->symbols[k];
            if (!global_function(o, v) || strncmp(v->name, SUBST_IMPL_PREFIX, plen) != 0 ||
                strncmp(v->name + plen, f->name, flen) != 0 || strncmp(v->name + plen + flen, "__", 2) != 0)
                continue;
            const char *variant = v->name + plen + flen + 2;
            if (!safetext_is_identifier(variant, 64) || !strcmp(variant, SUBST_OWN))
                continue;
            if (!variants)
                variants = cJSON_AddArrayToObject(cat, f->name);
            cJSON_AddItemToArray(variants, cJSON_CreateString(variant));
        }
    }
    *out = cat;
    return 0;
}

char *subst_objcopy_options(const objcheck_info *o, const char *const *functions, bool keep_global, hr_error *err)
{
    size_t cap = 1, len = 0;
    for (const char *const *f = functions; f && *f; f++)
        cap += 3 * strlen(*f) + 4 * sizeof SUBST_OWN_PREFIX + 4200;
    char *text = malloc(cap);
    if (!text) {
        hr_fail(err, "out of memory");
        return NULL;
    }
    text[0] = '\0';
    for (const char *const *f = functions; f && *f; f++) {
        if (!safetext_is_identifier(*f, 64)) {
            free(text);
            hr_fail(err, "'%s' cannot be substituted: not a C identifier", *f);
            return NULL;
        }
        for (size_t i = 1; i < o->nsymbols; i++) {
            const objcheck_symbol *s = &o->symbols[i];
            if (!global_function(o, s) || strcmp(s->name, *f) != 0)
                continue;
            const char *section = o->sections[s->shndx].name;
            if (!section || strlen(section) > 4096 || strpbrk(section, "'\"\\\n =,:")) {
                free(text);
                hr_fail(err, "the section of %s cannot be named to objcopy", *f);
                return NULL;
            }
            len += (size_t)snprintf(text + len, cap - len,
                                    "--weaken-symbol='%s'\n"
                                    "--add-symbol='" SUBST_OWN_PREFIX "%s=%s:0x%llx,global,function'\n",
                                    *f, *f, section, s->value);
            if (keep_global)
                len += (size_t)snprintf(text + len, cap - len, "--keep-global-symbol='" SUBST_OWN_PREFIX "%s'\n", *f);
            break;
        }
    }
    return text;
}

int subst_check_calls(const cJSON *calls, const cJSON *catalogue, const char *tested, hr_error *err)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, calls) {
        const cJSON *variants = jsonio_get(catalogue, c->string);
        if (!variants) {
            char names[512] = "";
            const cJSON *f;
            cJSON_ArrayForEach(f, catalogue)
                snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", names[0] ? ", " : "",
                         f->string);
            return hr_fail(err, "calls: '%s' cannot be substituted (the substitutes define: %s)", c->string,
                           names[0] ? names : "nothing");
        }
        if (!strcmp(c->string, tested))
            return hr_fail(err, "calls: '%s' is the function under test: it cannot be substituted", tested);
        const char *v = cJSON_GetStringValue(c);
        bool known = v && !strcmp(v, SUBST_OWN);
        const cJSON *k;
        cJSON_ArrayForEach(k, variants)
            known = known || (v && !strcmp(cJSON_GetStringValue(k), v));
        if (!known) {
            char names[1024] = SUBST_OWN;
            cJSON_ArrayForEach(k, variants)
                snprintf(names + strlen(names), sizeof names - strlen(names), ", %s", cJSON_GetStringValue(k));
            return hr_fail(err, "calls: unknown %s '%s' (the catalogue has: %s)", c->string, v ? v : "?", names);
        }
    }
    return 0;
}
