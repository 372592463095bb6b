/*
 * objcheck — see objcheck.h.
 *
 * The ELF reading is deliberately small: section headers, their names, and the
 * one symbol table of a relocatable object. Anything out of bounds or of
 * another shape (not ELF64, not little-endian x86-64, not ET_REL) is an error:
 * the grader's own compiler produced the file, so a strange one is refused.
 */
#include "objcheck.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"

#define OBJCHECK_MAX_FILE (32u << 20)

typedef struct {
    const unsigned char *data;
    size_t len;
} image;

static const void *at(const image *im, size_t off, size_t size)
{
    return off <= im->len && size <= im->len - off ? im->data + off : NULL;
}

static const char *name_at(const image *im, const Elf64_Shdr *strtab, size_t off)
{
    if (!strtab || off >= strtab->sh_size)
        return NULL;
    const char *s = at(im, strtab->sh_offset + off, 1);
    if (!s)
        return NULL;
    size_t max = strtab->sh_size - off;
    return memchr(s, '\0', max < im->len - (strtab->sh_offset + off) ? max : im->len - (strtab->sh_offset + off)) ? s : NULL;
}

static int push(char ***list, size_t *n, const char *s)
{
    char **bigger = realloc(*list, (*n + 2) * sizeof **list);
    if (!bigger)
        return -1;
    *list = bigger;
    if (!(bigger[*n] = strdup(s)))
        return -1;
    bigger[++*n] = NULL;
    return 0;
}

static int read_symbols(const image *im, const Elf64_Shdr *sh, size_t shnum, objcheck_info *out,
                        hr_error *err)
{
    for (size_t i = 0; i < shnum; i++) {
        if (sh[i].sh_type != SHT_SYMTAB)
            continue;
        if (sh[i].sh_entsize != sizeof(Elf64_Sym) || sh[i].sh_link >= shnum)
            return hr_fail(err, "malformed symbol table");
        const Elf64_Shdr *strtab = &sh[sh[i].sh_link];
        size_t count = sh[i].sh_size / sizeof(Elf64_Sym);
        const Elf64_Sym *syms = at(im, sh[i].sh_offset, count * sizeof(Elf64_Sym));
        if (!syms)
            return hr_fail(err, "symbol table out of bounds");
        for (size_t k = 1; k < count; k++) {
            const Elf64_Sym *s = &syms[k];
            int bind = ELF64_ST_BIND(s->st_info), type = ELF64_ST_TYPE(s->st_info);
            const char *name = name_at(im, strtab, s->st_name);
            if (!name)
                return hr_fail(err, "symbol name out of bounds");
            if (type == STT_GNU_IFUNC && push(&out->ifuncs, &out->nifuncs, name))
                return hr_fail(err, "out of memory");
            if (bind != STB_GLOBAL && bind != STB_WEAK && bind != STB_GNU_UNIQUE)
                continue;
            if (s->st_shndx == SHN_UNDEF) {
                if (push(&out->undefined, &out->nundefined, name))
                    return hr_fail(err, "out of memory");
            } else {
                if (push(&out->defined, &out->ndefined, name))
                    return hr_fail(err, "out of memory");
                bool *b = realloc(out->defined_is_func, out->ndefined * sizeof *b);
                if (!b)
                    return hr_fail(err, "out of memory");
                out->defined_is_func = b;
                b[out->ndefined - 1] = type == STT_FUNC;
            }
        }
    }
    return 0;
}

static int parse(const image *im, objcheck_info *out, hr_error *err)
{
    const Elf64_Ehdr *eh = at(im, 0, sizeof *eh);
    if (!eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
        eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_type != ET_REL || eh->e_machine != EM_X86_64)
        return hr_fail(err, "not an x86-64 ELF object");
    if (eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shnum == 0 || eh->e_shstrndx >= eh->e_shnum)
        return hr_fail(err, "malformed section headers");
    const Elf64_Shdr *sh = at(im, eh->e_shoff, (size_t)eh->e_shnum * sizeof *sh);
    if (!sh)
        return hr_fail(err, "section headers out of bounds");
    const Elf64_Shdr *names = &sh[eh->e_shstrndx];
    for (size_t i = 0; i < eh->e_shnum; i++) {
        if (sh[i].sh_type != SHT_NOBITS && sh[i].sh_type != SHT_NULL &&
            !at(im, sh[i].sh_offset, sh[i].sh_size))
            return hr_fail(err, "section %zu out of bounds", i);
        const char *name = name_at(im, names, sh[i].sh_name);
        if (!name)
            return hr_fail(err, "section name out of bounds");
        if (push(&out->sections, &out->nsections, name))
            return hr_fail(err, "out of memory");
    }
    return read_symbols(im, sh, eh->e_shnum, out, err);
}

int objcheck_read(const char *path, objcheck_info *out, hr_error *err)
{
    memset(out, 0, sizeof *out);
    size_t len;
    char *data = fs_slurp(path, OBJCHECK_MAX_FILE, &len, err);
    if (!data)
        return -1;
    image im = {(const unsigned char *)data, len};
    int rc = parse(&im, out, err);
    free(data);
    if (rc != 0) {
        hr_wrap(err, "%s", path);
        objcheck_free(out);
    }
    return rc;
}

static void free_list(char **l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(l[i]);
    free(l);
}

void objcheck_free(objcheck_info *info)
{
    free_list(info->sections, info->nsections);
    free_list(info->defined, info->ndefined);
    free_list(info->undefined, info->nundefined);
    free_list(info->ifuncs, info->nifuncs);
    free(info->defined_is_func);
    memset(info, 0, sizeof *info);
}

/* ---- policy --------------------------------------------------------------- */

static bool in_list(const char *const *list, const char *s)
{
    for (; list && *list; list++)
        if (!strcmp(*list, s))
            return true;
    return false;
}

/* Sections whose code runs before or after main, or that a test framework reads. */
static const char *refused_section(const char *name)
{
    static const char *const exact[] = {".init_array", ".fini_array", ".preinit_array", ".ctors",
                                        ".dtors", ".init", ".fini", NULL};
    for (const char *const *p = exact; *p; p++) {
        size_t n = strlen(*p);
        if (!strncmp(name, *p, n) && (name[n] == '\0' || name[n] == '.'))
            return "code that runs before or after main (a constructor or destructor)";
    }
    if (!strncmp(name, "cr_", 3) || !strncmp(name, ".cr_", 4) || !strncmp(name, ".criterion", 10))
        return "a section of the Criterion test framework";
    return NULL;
}

static void append(char *buf, size_t len, const char *fmt, const char *a, const char *b)
{
    size_t used = strlen(buf);
    if (used < len)
        snprintf(buf + used, len - used, fmt, a, b);
}

int objcheck_policy(const objcheck_info *info, const objcheck_rules *rules, hr_error *err)
{
    char why[sizeof err->msg - 64] = "";
    for (size_t i = 0; i < info->nsections; i++) {
        const char *r = refused_section(info->sections[i]);
        if (r)
            append(why, sizeof why, "\n  - section %s: %s", info->sections[i], r);
    }
    for (size_t i = 0; i < info->nifuncs; i++)
        append(why, sizeof why, "\n  - %s is an ifunc%s: its resolver runs before main", info->ifuncs[i], "");
    for (size_t i = 0; i < info->ndefined; i++)
        if (!strcmp(info->defined[i], "main"))
            append(why, sizeof why, "\n  - it defines %s%s: the grader provides the program around your functions",
                   "main", "");
    for (size_t i = 0; i < info->nundefined; i++) {
        const char *u = info->undefined[i];
        if (!in_list(rules->allowed, u) && !in_list(rules->graded, u))
            append(why, sizeof why, "\n  - it calls %s%s, which graded code may not use", u, "");
    }
    if (why[0])
        return hr_fail(err, "your file was refused:%s", why);
    return 0;
}

bool objcheck_defines_function(const objcheck_info *info, const char *name)
{
    for (size_t i = 0; i < info->ndefined; i++)
        if (!strcmp(info->defined[i], name))
            return info->defined_is_func[i];
    return false;
}
