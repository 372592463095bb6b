/*
 * srccheck: the text checks between the compile steps, on small texts shaped
 * like what GCC writes, and on what it really writes for every standard
 * header (glibc's asm labels must pass).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "srccheck.h"
#include "testutil.h"

static const char *const DIRS[] = {"/usr/include", "/usr/lib/gcc", "/work/pub/include", NULL};
static const srccheck_rules RULES = {"gradient_check.c", DIRS};

static int scan(const char *text, char *why)
{
    return srccheck_preprocessed(text, strlen(text), &RULES, why, 512);
}

static void passes(const char *text)
{
    char why[512] = "";
    cr_expect_eq(scan(text, why), 0, "refused: %s\n%s", why, text);
}

static void refused(const char *text, const char *says)
{
    char why[512] = "";
    cr_expect_eq(scan(text, why), 1, "passed: %s", text);
    cr_expect(strstr(why, says) != NULL, "\"%s\" not in: %s", says, why);
}

Test(srccheck, asm_labels_with_plain_names_pass)
{
    passes("# 1 \"gradient_check.c\"\nextern int fscanf(void *, const char *, ...) __asm__ (\"\" \"__isoc99_fscanf\");\n");
    passes("int f(void) asm(\"g\");\n");
}

Test(srccheck, inline_assembly_is_refused)
{
    refused("int f(void) { asm(\"nop\"); return 0; }\n", "inline assembly");
    refused("int x;\nasm(\"syscall\");\n", "inline assembly");
    refused("void f(int x) { if (x) asm(\"ud2\"); }\n", "inline assembly");
    refused("void f(void) { __asm__ __volatile__(\"syscall\" ::: \"memory\"); }\n", "inline assembly");
    refused("__asm__(\".incbin \\\"/etc/passwd\\\"\");\n", "inline assembly");
    refused("int f(void) asm(\"g\\n.incbin \\\"/etc/passwd\\\"\");\n", "inline assembly");
    refused("int x __attribute__((aligned(sizeof(struct { int a; }) + 0))) = ({ asm(\"\"); 1; });\n", "inline assembly");
}

Test(srccheck, verbatim_attributes_need_plain_names)
{
    passes("__attribute__((section(\".data.ok\"), aligned(8))) int x;\n");
    passes("[[gnu::section(\".rodata.fine\")]] const int y = 1;\n");
    refused("__attribute__((section(\".text.x\\n.incbin \\\"/etc/passwd\\\"\\n#\"))) int x;\n", "section attribute");
    refused("__attribute__((__section__(\".a,\\\"ax\\\"\"))) int x;\n", "__section__ attribute");
    refused("[[gnu::section(\".x\\n\")]] int y;\n", "section attribute");
    /* digraphs: <:<: is [[ */
    refused("<:<:gnu::section(\".rodata.x\\n.incbin \\\"/etc/hostname\\\"\\n#\"):>:> const char s[1];\n",
            "section attribute");
    /* an attribute list nested in another's operand */
    refused("int x __attribute__((aligned(sizeof(struct { int a __attribute__((section(\"x\\n\"))); })))) = 1;\n",
            "section attribute");
    refused("int g(void) __attribute__((weakref(\"h\\n.incbin \\\"x\\\"\")));\n", "weakref attribute");
    refused("int h(void) __attribute__((symver(\"h@V1 \\n.incbin\")));\n", "symver attribute");
}

Test(srccheck, line_directives_name_allowed_files_only)
{
    passes("# 1 \"/usr/include/stdio.h\" 1 3 4\nint x;\n# 2 \"gradient_check.c\" 2\n");
    refused("# 7 \"/work/reference/gradient_check.c\"\nint x = ;\n", "#line");
    refused("# 7 \"/usr/include/../../etc/passwd\"\n", "#line");
    refused("# 7 \"\\057etc\\057passwd\"\n", "/etc/passwd");
}

Test(srccheck, directives_that_reach_files)
{
    refused("#pragma GCC pch_preprocess \"/etc/passwd.gch\"\n", "pch_preprocess");
    refused("#ident \"x\"\n", "#ident");
    refused(" # include \"/etc/passwd\"\n", "#include");
    refused("%:ident \"x\"\n", "#ident");
    passes("#pragma GCC diagnostic ignored \"-Wunused\"\nint x;\n");
}

/* Every standard header, as GCC really preprocesses it, passes. */
Test(srccheck, standard_headers_pass)
{
    static const char *const headers[] = {"assert", "complex", "ctype", "errno", "fenv", "float", "inttypes",
                                          "iso646", "limits", "locale", "math", "setjmp", "signal", "stdalign",
                                          "stdarg", "stdatomic", "stdbool", "stddef", "stdint", "stdio", "stdlib",
                                          "stdnoreturn", "string", "tgmath", "threads", "time", "uchar", "wchar",
                                          "wctype", "unistd", "pthread", "sys/types", "sys/stat", NULL};
    char code[4096] = "";
    for (const char *const *h = headers; *h; h++)
        snprintf(code + strlen(code), sizeof code - strlen(code), "#include <%s.h>\n", *h);
    char *dir = tu_tmpdir("headers");
    char *src = tu_write(dir, "gradient_check.c", code, strlen(code));
    const char *const argv[] = {"/usr/bin/gcc", "-std=gnu11", "-E", "-fno-working-directory", src, NULL};
    tu_result r = tu_run(argv);
    cr_assert_eq(r.status, 0, "%s", r.err);
    static const char *const dirs[] = {"/usr/include", "/usr/lib/gcc", NULL};
    srccheck_rules rules = {src, dirs};
    char why[512] = "";
    cr_expect_eq(srccheck_preprocessed(r.out, strlen(r.out), &rules, why, sizeof why), 0, "%s", why);
    tu_result_free(&r);
    hr_error err;
    fs_remove_tree(dir, &err);
    free(src);
    free(dir);
}

Test(srccheck, preprocessor_log)
{
    char why[1024] = "", *shown = NULL;
    const char *ok = ". /usr/include/stdio.h\n.. /usr/include/x86_64-linux-gnu/bits/types.h\n"
                     "gradient_check.c:3:2: warning: #warning hi [-Wcpp]\n"
                     "Multiple include guards may be useful for:\n/usr/include/x86_64-linux-gnu/gnu/stubs.h\n";
    cr_assert_eq(srccheck_preprocessor_log(ok, &RULES, &shown, why, sizeof why), 0, "%s", why);
    cr_expect_str_eq(shown, "gradient_check.c:3:2: warning: #warning hi [-Wcpp]\n");
    free(shown);
    const char *bad = ". /usr/include/stdio.h\n. /work/reference/gradient_check.c\n"
                      "... /usr/include/../../etc/passwd\ngradient_check.c:9: error: x\n";
    cr_expect_eq(srccheck_preprocessor_log(bad, &RULES, &shown, why, sizeof why), 1);
    cr_expect(strstr(why, "/work/reference/gradient_check.c") && strstr(why, "/etc/passwd"), "%s", why);
    cr_expect_null(shown, "a refused log is not shown");
    const char *fatal = "gradient_check.c:1:10: fatal error: /dev/zero: Permission denied\ncompilation terminated.\n";
    cr_expect_eq(srccheck_preprocessor_log(fatal, &RULES, &shown, why, sizeof why), 1);
    cr_expect(strstr(why, "/dev/zero") != NULL, "%s", why);
    const char *missing = "gradient_check.c:1:10: fatal error: nope.h: No such file or directory\n";
    cr_expect_eq(srccheck_preprocessor_log(missing, &RULES, &shown, why, sizeof why), 0);
    cr_expect(shown && strstr(shown, "nope.h"), "an ordinary missing header is a compile error");
    free(shown);
}

Test(srccheck, source_includes)
{
    char why[1024] = "";
    const char *ok = "#include <stdio.h>\n#include \"gradient_check.h\"\n#if __has_include(<math.h>)\n#endif\n";
    cr_expect_eq(srccheck_source(ok, strlen(ok), why, sizeof why), 0, "%s", why);
    const char *bad = "  #  include \"/etc/passwd\"\n#include <../secret.h>\n#if __has_include(\"/work/pack.json\")\n#endif\n";
    cr_expect_eq(srccheck_source(bad, strlen(bad), why, sizeof why), 1);
    cr_expect(strstr(why, "/etc/passwd") && strstr(why, "../secret.h") && strstr(why, "/work/pack.json"), "%s", why);
}

Test(srccheck, assembly_backstop)
{
    char why[512];
    const char *ok = "\t.text\n\t.globl\tf\nf:\n\tmovl\t$1, %eax\n\tret\n\t.section\t.rodata.str1.1,\"aMS\",@progbits,1\n"
                     ".LC0:\n\t.string\t\"incbin\"\n";
    cr_expect_eq(srccheck_assembly(ok, strlen(ok), why, sizeof why), 0, "%s", why);
    const char *app = "f:\n#APP\n\tnop\n#NO_APP\n";
    cr_expect_eq(srccheck_assembly(app, strlen(app), why, sizeof why), 1);
    const char *incbin = "\t.section .rodata\nsecret: .INCBIN \"/etc/passwd\"\n";
    cr_expect_eq(srccheck_assembly(incbin, strlen(incbin), why, sizeof why), 1);
    cr_expect(strstr(why, ".incbin") != NULL, "%s", why);
    const char *macro = "\t.irp d,incbin\n\t.\\d \"/etc/passwd\"\n\t.endr\n";
    cr_expect_eq(srccheck_assembly(macro, strlen(macro), why, sizeof why), 1);
}

/* Nesting deeper than the checks follow is refused, not a crash (issue 10):
 * 50 KB of '[' and 30,000 nested __attribute__((, and just under the bound
 * passes. */
static char *repeated(const char *piece, size_t count, const char *tail)
{
    size_t n = strlen(piece);
    char *text = malloc(n * count + strlen(tail) + 1);
    cr_assert_not_null(text);
    for (size_t i = 0; i < count; i++)
        memcpy(text + i * n, piece, n);
    strcpy(text + n * count, tail);
    return text;
}

Test(srccheck, deep_nesting_is_refused_not_followed)
{
    char *brackets = repeated("[", 50 << 10, "\n");
    refused(brackets, "nested more than 64 deep");
    free(brackets);
    char *attrs = repeated("__attribute__((", 30000, "\n");
    refused(attrs, "nested more than 64 deep");
    free(attrs);
    /* 63 lists inside the first: within the bound */
    char *ok = repeated("__attribute__((", SRCCHECK_MAX_NESTING, "");
    char *text = repeated("))", SRCCHECK_MAX_NESTING, " int x;\n");
    char *both;
    cr_assert_gt(asprintf(&both, "%s%s", ok, text), 0);
    passes(both);
    free(both);
    free(ok);
    free(text);
}

/* Many __has_include probes on one line with no closing quote: linear time
 * (a quadratic scan would not end within the test's timeout). */
Test(srccheck, many_include_probes_on_one_line, .timeout = 20)
{
    char *text = repeated("__has_include(<", 60000, "\n");
    char why[512] = "";
    cr_expect_eq(srccheck_source(text, strlen(text), why, sizeof why), 0, "%s", why);
    free(text);
}
