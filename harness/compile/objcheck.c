/*
 * objcheck — see objcheck.h.
 *
 * The ELF reading is deliberately small: section headers, their names, the one
 * symbol table of a relocatable object and its relocation sections. Anything
 * out of bounds or of another shape (not ELF64, not little-endian x86-64, not
 * ET_REL, extended section numbering) is an error: the grader's own compiler
 * produced the file, so a strange one is refused.
 *
 * The policy names sections by what a C compiler makes of C: code in .text*,
 * data in .data*, .bss*, .rodata*, .tdata*, .tbss*, and a few notes. A name
 * outside that list, or a name that does not match the section's flags (data
 * in an executable section, code in a data section), can only come from an
 * attribute or from assembly slipped past the compiler, and is refused.
 */
#include "objcheck.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"

#define OBJCHECK_MAX_FILE (32u << 20)
/* Bounds on what the grader analyses (it runs outside the sandbox): far
 * beyond any honest file, small enough that the reference graph stays cheap. */
#define OBJCHECK_MAX_SECTIONS 8192
#define OBJCHECK_MAX_LEAVES 256

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
    size_t max = strtab->sh_size - off, left = im->len - (strtab->sh_offset + off);
    return memchr(s, '\0', max < left ? max : left) ? s : NULL;
}

static int read_symbols(const image *im, const Elf64_Shdr *sh, size_t shnum, size_t symtab,
                        objcheck_info *out, hr_error *err)
{
    if (sh[symtab].sh_entsize != sizeof(Elf64_Sym) || sh[symtab].sh_link >= shnum)
        return hr_fail(err, "malformed symbol table");
    const Elf64_Shdr *strtab = &sh[sh[symtab].sh_link];
    size_t count = sh[symtab].sh_size / sizeof(Elf64_Sym);
    const Elf64_Sym *syms = at(im, sh[symtab].sh_offset, count * sizeof(Elf64_Sym));
    if (!syms)
        return hr_fail(err, "symbol table out of bounds");
    out->symbols = calloc(count ? count : 1, sizeof *out->symbols);
    if (!out->symbols)
        return hr_fail(err, "out of memory");
    out->nsymbols = count;
    for (size_t k = 1; k < count; k++) {
        const char *name = name_at(im, strtab, syms[k].st_name);
        if (!name)
            return hr_fail(err, "symbol name out of bounds");
        if (syms[k].st_shndx == SHN_XINDEX)
            return hr_fail(err, "too many sections");
        objcheck_symbol *s = &out->symbols[k];
        if (!(s->name = strdup(name)))
            return hr_fail(err, "out of memory");
        s->bind = ELF64_ST_BIND(syms[k].st_info);
        s->type = ELF64_ST_TYPE(syms[k].st_info);
        s->shndx = syms[k].st_shndx;
        s->size = syms[k].st_size;
        s->value = syms[k].st_value;
    }
    return 0;
}

/* Every relocation section that applies to a section through our symbol table. */
static int read_refs(const image *im, const Elf64_Shdr *sh, size_t shnum, size_t symtab,
                     objcheck_info *out, hr_error *err)
{
    for (size_t i = 0; i < shnum; i++) {
        if (sh[i].sh_type != SHT_RELA && sh[i].sh_type != SHT_REL)
            continue;
        size_t entsize = sh[i].sh_type == SHT_RELA ? sizeof(Elf64_Rela) : sizeof(Elf64_Rel);
        if (sh[i].sh_entsize != entsize || sh[i].sh_link != symtab || sh[i].sh_info >= shnum)
            return hr_fail(err, "malformed relocation section %zu", i);
        size_t count = sh[i].sh_size / entsize;
        const unsigned char *rel = at(im, sh[i].sh_offset, count * entsize);
        if (!rel)
            return hr_fail(err, "relocations out of bounds");
        objcheck_ref *bigger = realloc(out->refs, (out->nrefs + count + 1) * sizeof *bigger);
        if (!bigger)
            return hr_fail(err, "out of memory");
        out->refs = bigger;
        for (size_t k = 0; k < count; k++) {
            Elf64_Xword info;
            memcpy(&info, rel + k * entsize + sizeof(Elf64_Addr), sizeof info);
            size_t sym = ELF64_R_SYM(info);
            if (sym >= out->nsymbols)
                return hr_fail(err, "relocation to a missing symbol");
            out->refs[out->nrefs++] = (objcheck_ref){(unsigned)sh[i].sh_info, (unsigned)sym};
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
    if (eh->e_shnum == 0 || eh->e_shstrndx == SHN_XINDEX || eh->e_shnum > OBJCHECK_MAX_SECTIONS)
        return hr_fail(err, "too many sections (more than %d functions and variables?)", OBJCHECK_MAX_SECTIONS);
    if (eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shstrndx >= eh->e_shnum)
        return hr_fail(err, "malformed section headers");
    const Elf64_Shdr *sh = at(im, eh->e_shoff, (size_t)eh->e_shnum * sizeof *sh);
    if (!sh)
        return hr_fail(err, "section headers out of bounds");
    out->sections = calloc(eh->e_shnum, sizeof *out->sections);
    if (!out->sections)
        return hr_fail(err, "out of memory");
    out->nsections = eh->e_shnum;
    size_t symtab = 0;
    for (size_t i = 0; i < eh->e_shnum; i++) {
        if (sh[i].sh_type != SHT_NOBITS && sh[i].sh_type != SHT_NULL &&
            !at(im, sh[i].sh_offset, sh[i].sh_size))
            return hr_fail(err, "section %zu out of bounds", i);
        const char *name = name_at(im, &sh[eh->e_shstrndx], sh[i].sh_name);
        if (!name)
            return hr_fail(err, "section name out of bounds");
        if (!(out->sections[i].name = strdup(name)))
            return hr_fail(err, "out of memory");
        out->sections[i].type = sh[i].sh_type;
        out->sections[i].flags = sh[i].sh_flags;
        out->sections[i].size = sh[i].sh_size;
        if (sh[i].sh_type == SHT_SYMTAB) {
            if (symtab)
                return hr_fail(err, "two symbol tables");
            symtab = i;
        }
    }
    if (!symtab)
        return hr_fail(err, "no symbol table");
    if (read_symbols(im, sh, eh->e_shnum, symtab, out, err) != 0)
        return -1;
    return read_refs(im, sh, eh->e_shnum, symtab, out, err);
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
    if (rc != 0)
        objcheck_free(out);
    return rc;
}

void objcheck_free(objcheck_info *info)
{
    for (size_t i = 0; info->sections && i < info->nsections; i++)
        free(info->sections[i].name);
    for (size_t i = 0; info->symbols && i < info->nsymbols; i++)
        free(info->symbols[i].name);
    free(info->sections);
    free(info->symbols);
    free(info->refs);
    memset(info, 0, sizeof *info);
}

/* ---- policy --------------------------------------------------------------- */

/* The sanitizer runtimes' names (the sanitizer build refers to them; no file defines them). */
static const char *const SANITIZER_NAMES[] = {"__asan_*", "__lsan_*", "__ubsan_*", "__sanitizer_*", NULL};

/* An entry ending in '*' names every symbol that starts with what comes before it. */
static bool in_list(const char *const *list, const char *s)
{
    for (; list && *list; list++) {
        size_t n = strlen(*list);
        if (n && (*list)[n - 1] == '*' ? !strncmp(*list, s, n - 1) : !strcmp(*list, s))
            return true;
    }
    return false;
}

/* name is prefix itself or prefix followed by '.' and more. */
static bool named(const char *name, const char *prefix)
{
    size_t n = strlen(prefix);
    return !strncmp(name, prefix, n) && (name[n] == '\0' || name[n] == '.');
}

static bool code_name(const char *name)
{
    return named(name, ".text");
}

static bool data_name(const char *name)
{
    static const char *const data[] = {".data", ".bss", ".rodata", ".tdata", ".tbss", NULL};
    for (const char *const *d = data; *d; d++)
        if (named(name, *d))
            return true;
    return !strcmp(name, ".note.gnu.property");
}

/* Why a section is refused, or NULL. */
static const char *refused_section(const objcheck_section *s)
{
    static const char *const early[] = {".init_array", ".fini_array", ".preinit_array", ".ctors",
                                        ".dtors", ".init", ".fini", NULL};
    for (const char *const *p = early; *p; p++)
        if (named(s->name, *p))
            return "code that runs before or after main (a constructor or destructor)";
    if (!strncmp(s->name, "cr_", 3) || !strncmp(s->name, ".cr_", 4) || !strncmp(s->name, ".criterion", 10))
        return "a section of the Criterion test framework";
    bool exec = s->flags & SHF_EXECINSTR;
    if (s->flags & SHF_ALLOC) {
        if (code_name(s->name) && !exec)
            return "data placed in a code section";
        if (code_name(s->name) && (s->flags & SHF_WRITE))
            return "writable code";
        if (exec && !code_name(s->name))
            return "code placed outside the code sections";
        if (!code_name(s->name) && !data_name(s->name))
            return "a section a C compiler does not make (an attribute or assembly?)";
        return NULL;
    }
    if (s->type == SHT_NULL || s->type == SHT_SYMTAB || s->type == SHT_STRTAB ||
        s->type == SHT_RELA || s->type == SHT_REL || !strcmp(s->name, ".comment"))
        return NULL;
    if (!strcmp(s->name, ".note.GNU-stack"))
        return exec ? "an executable stack (nested functions?)" : NULL;
    return "a section a C compiler does not make (an attribute or assembly?)";
}

static void append(char *buf, size_t len, const char *fmt, const char *a, const char *b)
{
    size_t used = strlen(buf);
    if (used < len)
        snprintf(buf + used, len - used, fmt, a, b);
}

unsigned long long objcheck_static_bytes(const objcheck_info *info)
{
    unsigned long long total = 0;
    for (size_t i = 1; i < info->nsections; i++)
        if (info->sections[i].flags & SHF_ALLOC)
            total += info->sections[i].size;
    for (size_t i = 1; i < info->nsymbols; i++)
        if (info->symbols[i].shndx == SHN_COMMON)
            total += info->symbols[i].size;
    return total;
}

/* Does section k name only sanitizer runtime calls and data of its own?
 * (refs from it: undefined __asan_/__ubsan_/__sanitizer_ symbols, or
 * non-code sections whose own refs reach no code) */
static bool sanitizer_only(const objcheck_info *info, size_t k, int depth)
{
    for (size_t r = 0; r < info->nrefs; r++) {
        if (info->refs[r].section != k)
            continue;
        if (info->refs[r].symbol >= info->nsymbols)
            return false;
        const objcheck_symbol *s = &info->symbols[info->refs[r].symbol];
        if (s->shndx == SHN_UNDEF) {
            if (!s->name || !in_list(SANITIZER_NAMES, s->name))
                return false;
            continue;
        }
        if (s->shndx >= info->nsections || s->shndx == k)
            continue;
        const objcheck_section *t = &info->sections[s->shndx];
        if (t->flags & SHF_EXECINSTR)
            return false;   /* no code of the file's own */
        /* the constructor passes the runtime its descriptors of the globals
         * (.LASAN data, in .data.rel once a global is not static), which name
         * only data */
        if (depth == 0 && (!t->name || (strncmp(t->name, ".data.rel.local..LASAN", 22) != 0 &&
                                        strncmp(t->name, ".data.rel..LASAN", 16) != 0) ||
                           !sanitizer_only(info, s->shndx, 1)))
            return false;
    }
    return true;
}

/* Is section i GCC's sanitizer module constructor or destructor table? */
static bool sanitizer_ctor_table(const objcheck_info *info, size_t i)
{
    const char *name = info->sections[i].name, *want;
    if (name && !strcmp(name, ".init_array.00099"))
        want = ".text._sub_I_00099_";
    else if (name && !strcmp(name, ".fini_array.00099"))
        want = ".text._sub_D_00099_";
    else
        return false;
    size_t n = 0;
    for (size_t r = 0; r < info->nrefs; r++) {
        if (info->refs[r].section != i)
            continue;
        if (info->refs[r].symbol >= info->nsymbols)
            return false;
        const objcheck_symbol *s = &info->symbols[info->refs[r].symbol];
        if (s->shndx == SHN_UNDEF || s->shndx >= info->nsections)
            return false;
        const objcheck_section *t = &info->sections[s->shndx];
        if (!t->name || strncmp(t->name, want, strlen(want)) != 0 || !sanitizer_only(info, s->shndx, 0))
            return false;
        n++;
    }
    return n == 1;
}

int objcheck_policy(const objcheck_info *info, const objcheck_rules *rules, hr_error *err)
{
    char why[sizeof err->msg - 64] = "";
    /* A program bigger than its address-space limit cannot even start: every
     * test would crash. Say why once, instead. */
    unsigned long long bytes = objcheck_static_bytes(info), mib = 1ull << 20;
    if (rules->max_static_bytes && bytes > rules->max_static_bytes) {
        char took[32], limit[32];
        snprintf(took, sizeof took, "%llu", (bytes + mib - 1) / mib);
        snprintf(limit, sizeof limit, "%llu", rules->max_static_bytes / mib);
        append(why, sizeof why, "\n  - its arrays and variables outside functions take %s MB, more than "
               "the %s MB of memory a test may use: no test could start", took, limit);
    }
    for (size_t i = 1; i < info->nsections; i++) {
        const char *r = refused_section(&info->sections[i]);
        /* the sanitizer build (-g1, unwind tables for its stacks): its debug
         * sections and unwind table, and its module constructor */
        const objcheck_section *s = &info->sections[i];
        if (r && rules->sanitizer_module_ctor &&
            (sanitizer_ctor_table(info, i) || (s->name && !(s->flags & (SHF_EXECINSTR | SHF_WRITE)) &&
                                               (!strncmp(s->name, ".debug_", 7) || !strcmp(s->name, ".eh_frame")))))
            r = NULL;
        if (r)
            append(why, sizeof why, "\n  - section %s: %s", info->sections[i].name, r);
    }
    for (size_t i = 1; i < info->nsymbols; i++) {
        const objcheck_symbol *s = &info->symbols[i];
        bool defined = s->shndx != SHN_UNDEF && s->shndx < info->nsections;
        if (s->type == STT_GNU_IFUNC)
            append(why, sizeof why, "\n  - %s is an ifunc%s: its resolver runs before main", s->name, "");
        else if (defined && s->bind != STB_LOCAL && !strcmp(s->name, "main"))
            append(why, sizeof why, "\n  - it defines %s%s: the grader provides the program around your functions",
                   "main", "");
        /* the memory checks ask the runtimes what they found: a file of its
         * own answers would hide its findings (they count under memory_checks: score) */
        else if (defined && s->bind != STB_LOCAL && s->name && in_list(SANITIZER_NAMES, s->name))
            append(why, sizeof why, "\n  - it defines %s%s: a name of the sanitizers' runtime, which the memory "
                   "checks use", s->name, "");
        else if (defined && (s->type == STT_OBJECT || s->type == STT_TLS || s->type == STT_COMMON) &&
                 (info->sections[s->shndx].flags & SHF_EXECINSTR))
            append(why, sizeof why, "\n  - %s: data placed in a code section (%s)", s->name,
                   info->sections[s->shndx].name);
    }
    if (why[0])
        return hr_fail(err, "Your file was refused:%s", why);
    return 0;
}

bool objcheck_defines_function(const objcheck_info *info, const char *name)
{
    for (size_t i = 1; i < info->nsymbols; i++) {
        const objcheck_symbol *s = &info->symbols[i];
        if (s->bind != STB_LOCAL && s->shndx != SHN_UNDEF && s->shndx < info->nsections &&
            !strcmp(s->name, name))
            return s->type == STT_FUNC;
    }
    return false;
}

/* ---- reachability --------------------------------------------------------- */

/* The reference graph: one node per section name (sections sharing a name are
 * cut together), forbidden symbols as numbered leaves, reach[node] the set of
 * leaves a node can get to, as a row of bools. */
typedef struct {
    size_t *node;          /* section index -> node (the first section of that name) */
    char **leaf;           /* forbidden names */
    bool *leaf_undefined_graded;
    size_t nleaves;
    bool *reach;           /* nsections x nleaves */
    size_t *first, *edge;  /* references, backwards (see reverse_edges) */
} graph;

static size_t leaf_of(const graph *g, const char *name)
{
    for (size_t i = 0; i < g->nleaves; i++)
        if (!strcmp(g->leaf[i], name))
            return i;
    return (size_t)-1;
}

static int collect_leaves(const objcheck_info *info, const objcheck_rules *rules, graph *g)
{
    g->leaf = calloc(info->nsymbols + 1, sizeof *g->leaf);
    g->leaf_undefined_graded = calloc(info->nsymbols + 1, sizeof *g->leaf_undefined_graded);
    if (!g->leaf || !g->leaf_undefined_graded)
        return -1;
    for (size_t i = 1; i < info->nsymbols; i++) {
        const objcheck_symbol *s = &info->symbols[i];
        if (s->shndx != SHN_UNDEF || !s->name[0] || leaf_of(g, s->name) != (size_t)-1)
            continue;
        bool graded = in_list(rules->graded, s->name);
        if (in_list(rules->allowed, s->name) || (graded && objcheck_defines_function(info, s->name)))
            continue;
        if (g->nleaves == OBJCHECK_MAX_LEAVES)
            return -1;
        g->leaf_undefined_graded[g->nleaves] = graded;
        g->leaf[g->nleaves++] = s->name;
    }
    return 0;
}

static int by_name(const void *a, const void *b, void *sections)
{
    const objcheck_section *s = sections;
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int c = strcmp(s[i].name, s[j].name);
    return c ? c : (i > j) - (i < j);
}

/* node[i]: the first section with section i's name. */
static int name_nodes(const objcheck_info *info, graph *g)
{
    size_t n = info->nsections, *order = malloc(n * sizeof *order);
    if (!order)
        return -1;
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    qsort_r(order, n, sizeof *order, by_name, info->sections);
    for (size_t k = 0; k < n; k++)
        g->node[order[k]] = k > 0 && !strcmp(info->sections[order[k]].name, info->sections[order[k - 1]].name)
                            ? g->node[order[k - 1]] : order[k];
    free(order);
    return 0;
}

/* Marks every node that can reach leaf l, walking the references backwards
 * from the sections that use it directly (a breadth-first search, so that a
 * long chain of calls costs its length, not its square). */
static void mark_users(const objcheck_info *info, graph *g, size_t l, size_t *queue)
{
    size_t head = 0, tail = 0;
    for (size_t r = 0; r < info->nrefs; r++) {
        const objcheck_symbol *s = &info->symbols[info->refs[r].symbol];
        size_t from = g->node[info->refs[r].section];
        if (s->shndx == SHN_UNDEF && s->name && !strcmp(s->name, g->leaf[l]) && !g->reach[from * g->nleaves + l]) {
            g->reach[from * g->nleaves + l] = true;
            queue[tail++] = from;
        }
    }
    while (head < tail) {
        size_t to = queue[head++];
        for (size_t e = g->first[to]; e < g->first[to + 1]; e++) {
            size_t from = g->edge[e];
            if (!g->reach[from * g->nleaves + l]) {
                g->reach[from * g->nleaves + l] = true;
                queue[tail++] = from;
            }
        }
    }
}

/* The references between sections, backwards: edge[first[to] .. first[to+1]) are
 * the nodes that refer to node `to`. */
static int reverse_edges(const objcheck_info *info, graph *g)
{
    size_t n = info->nsections;
    g->first = calloc(n + 2, sizeof *g->first);
    g->edge = malloc((info->nrefs + 1) * sizeof *g->edge);
    if (!g->first || !g->edge)
        return -1;
    for (size_t r = 0; r < info->nrefs; r++) {
        const objcheck_symbol *s = &info->symbols[info->refs[r].symbol];
        if (s->shndx != SHN_UNDEF && s->shndx < n)
            g->first[g->node[s->shndx] + 2]++;
    }
    for (size_t i = 2; i < n + 2; i++)
        g->first[i] += g->first[i - 1];
    for (size_t r = 0; r < info->nrefs; r++) {
        const objcheck_symbol *s = &info->symbols[info->refs[r].symbol];
        if (s->shndx != SHN_UNDEF && s->shndx < n)
            g->edge[g->first[g->node[s->shndx] + 1]++] = g->node[info->refs[r].section];
    }
    return 0;
}

static int build_graph(const objcheck_info *info, const objcheck_rules *rules, graph *g)
{
    memset(g, 0, sizeof *g);
    size_t n = info->nsections;
    g->node = calloc(n, sizeof *g->node);
    if (!g->node || collect_leaves(info, rules, g) != 0 || name_nodes(info, g) != 0 ||
        reverse_edges(info, g) != 0)
        return -1;
    g->reach = calloc(n * (g->nleaves ? g->nleaves : 1), sizeof *g->reach);
    size_t *queue = malloc((n + 1) * sizeof *queue);
    if (!g->reach || !queue) {
        free(queue);
        return -1;
    }
    for (size_t l = 0; l < g->nleaves; l++)
        mark_users(info, g, l, queue);
    free(queue);
    return 0;
}

static void free_graph(graph *g)
{
    free(g->first);
    free(g->edge);
    free(g->node);
    free(g->leaf);
    free(g->leaf_undefined_graded);
    free(g->reach);
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

/* "uses fork, kill, which graded code may not use" (and the undefined graded ones). */
static char *describe(const graph *g, const bool *reach)
{
    char forbidden[512] = "", missing[512] = "";
    for (size_t l = 0; l < g->nleaves; l++) {
        if (!reach[l])
            continue;
        char *list = g->leaf_undefined_graded[l] ? missing : forbidden;
        size_t used = strlen(list);
        snprintf(list + used, 512 - used, "%s%s", used ? ", " : "", g->leaf[l]);
    }
    char text[1200];
    snprintf(text, sizeof text, "%s%s%s%s%s%s", forbidden[0] ? "uses " : "", forbidden,
             forbidden[0] ? ", which graded code may not use" : "", forbidden[0] && missing[0] ? "; it " : "",
             missing[0] ? "calls " : "", missing);
    if (missing[0])
        snprintf(text + strlen(text), sizeof text - strlen(text), ", which your file does not define");
    return strdup(text);
}

static const bool *reach_of_function(const objcheck_info *info, const graph *g, const char *name)
{
    for (size_t i = 1; i < info->nsymbols; i++) {
        const objcheck_symbol *s = &info->symbols[i];
        if (s->bind != STB_LOCAL && s->type == STT_FUNC && s->shndx != SHN_UNDEF &&
            s->shndx < info->nsections && !strcmp(s->name, name))
            return &g->reach[g->node[s->shndx] * g->nleaves];
    }
    return NULL;
}

static bool any(const bool *row, size_t n)
{
    for (size_t i = 0; row && i < n; i++)
        if (row[i])
            return true;
    return false;
}

int objcheck_reach(const objcheck_info *info, const objcheck_rules *rules, objcheck_cut *out,
                   hr_error *err)
{
    memset(out, 0, sizeof *out);
    while (rules->graded[out->ngraded])
        out->ngraded++;
    graph g;
    size_t ndrop = 0, nunreach = 0, nstrip = 0;
    bool ok = build_graph(info, rules, &g) == 0 &&
              (out->why = calloc(out->ngraded + 1, sizeof *out->why)) != NULL &&
              (out->drop = calloc(1, sizeof *out->drop)) != NULL &&
              (out->unreachable = calloc(1, sizeof *out->unreachable)) != NULL &&
              (out->strip = calloc(1, sizeof *out->strip)) != NULL;
    bool *used = ok ? calloc(g.nleaves + 1, sizeof *used) : NULL;
    ok = ok && used;
    for (size_t k = 0; ok && k < out->ngraded; k++) {
        const bool *reach = reach_of_function(info, &g, rules->graded[k]);
        if (!any(reach, g.nleaves))
            continue;
        ok = (out->why[k] = describe(&g, reach)) != NULL;
        for (size_t l = 0; l < g.nleaves; l++)
            used[l] |= reach[l];
    }
    for (size_t i = 1; ok && i < info->nsections; i++)
        if (g.node[i] == i && any(&g.reach[i * g.nleaves], g.nleaves))
            ok = push(&out->drop, &ndrop, info->sections[i].name) == 0;
    for (size_t l = 0; ok && l < g.nleaves; l++) {
        ok = push(&out->strip, &nstrip, g.leaf[l]) == 0;
        if (ok && !used[l] && !g.leaf_undefined_graded[l])
            ok = push(&out->unreachable, &nunreach, g.leaf[l]) == 0;
    }
    free(used);
    free_graph(&g);
    if (!ok) {
        objcheck_cut_free(out);
        return hr_fail(err, "out of memory");
    }
    return 0;
}

static void free_list(char **l)
{
    for (size_t i = 0; l && l[i]; i++)
        free(l[i]);
    free(l);
}

void objcheck_cut_free(objcheck_cut *cut)
{
    for (size_t i = 0; cut->why && i < cut->ngraded; i++)
        free(cut->why[i]);
    free(cut->why);
    free_list(cut->drop);
    free_list(cut->unreachable);
    free_list(cut->strip);
    memset(cut, 0, sizeof *cut);
}
