/*
 * objcheck: small objects compiled the way the grader compiles a submission
 * (-ffunction-sections -fdata-sections, no unwind tables), each with one
 * thing the policy refuses, and the refusal must name it; then the cut: which
 * graded functions reach a forbidden symbol, directly or not.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "fsutil.h"
#include "objcheck.h"
#include "testutil.h"

static const char *const GRADED[] = {"graded_a", "graded_b", NULL};

/* Compiles code into an object; returns its path. */
static char *compile(const char *label, const char *code)
{
    char *dir = tu_tmpdir(label);
    char *src = tu_write(dir, "x.c", code, strlen(code));
    char *obj = fs_join(dir, "x.o");
    const char *const argv[] = {"/usr/bin/gcc", "-std=gnu11", "-O2", "-ffunction-sections", "-fdata-sections",
                                "-fno-asynchronous-unwind-tables", "-fno-unwind-tables", "-c", src, "-o", obj, NULL};
    tu_result r = tu_run(argv);
    cr_assert_eq(r.status, 0, "%s does not compile: %s", label, r.err);
    tu_result_free(&r);
    free(src);
    free(dir);
    return obj;
}

static void read_object(const char *label, const char *code, objcheck_info *info)
{
    char *obj = compile(label, code);
    hr_error err = {{0}};
    cr_assert_eq(objcheck_read(obj, info, &err), 0, "%s: %s", label, err.msg);
    *strrchr(obj, '/') = '\0';
    fs_remove_tree(obj, &err);
    free(obj);
}

/* The policy refuses code, and its message names each of what. */
static void refused(const char *label, const char *code, const char *const *what)
{
    objcheck_info info;
    read_object(label, code, &info);
    objcheck_rules rules = {.graded = GRADED, .allowed = BUILD_LIBC_ALLOWED};
    hr_error err = {{0}};
    cr_expect_eq(objcheck_policy(&info, &rules, &err), -1, "%s was not refused", label);
    for (; *what; what++)
        cr_expect(strstr(err.msg, *what) != NULL, "%s: the refusal does not name %s: %s", label, *what, err.msg);
    objcheck_free(&info);
}

Test(objcheck, constructor)
{
    const char *const what[] = {".init_array", "constructor", NULL};
    refused("ctor", "__attribute__((constructor)) static void early(void) { __builtin_printf(\"x\"); }\n"
                    "int graded_a(void) { return 1; }\n", what);
}

Test(objcheck, destructor)
{
    const char *const what[] = {".fini_array", NULL};
    refused("dtor", "__attribute__((destructor)) static void late(void) { __builtin_printf(\"x\"); }\n", what);
}

Test(objcheck, init_array_by_hand)
{
    const char *const what[] = {".init_array", NULL};
    refused("init-array", "static void early(void) { __builtin_printf(\"x\"); }\n"
                          "__attribute__((section(\".init_array\"), used)) static void (*hook)(void) = early;\n", what);
}

Test(objcheck, preinit_array)
{
    const char *const what[] = {".preinit_array", NULL};
    refused("preinit", "static void early(void) { __builtin_printf(\"x\"); }\n"
                       "__attribute__((section(\".preinit_array\"), used)) static void (*hook)(void) = early;\n", what);
}

Test(objcheck, main)
{
    const char *const what[] = {"defines main", NULL};
    refused("main", "int main(void) { return 0; }\n", what);
}

/* A file's own answers to the memory checks' questions would hide what they
 * find (leak_check.c asks the allocator and LeakSanitizer). */
Test(objcheck, sanitizer_runtime_names)
{
    const char *const what[] = {"defines __lsan_do_recoverable_leak_check", "defines __sanitizer_get_current_allocated_bytes",
                                "defines __asan_report_load8", "sanitizers' runtime", NULL};
    refused("sanitizer names",
            "int __lsan_do_recoverable_leak_check(void) { return 0; }\n"
            "unsigned long __sanitizer_get_current_allocated_bytes(void) { return 0; }\n"
            "void __asan_report_load8(unsigned long a) { (void)a; }\n", what);
}

Test(objcheck, criterion_section)
{
    const char *const what[] = {"cr_tst", "Criterion", NULL};
    refused("criterion", "__attribute__((section(\"cr_tst\"), used)) static int test_entry = 1;\n", what);
}

Test(objcheck, ifunc)
{
    const char *const what[] = {"graded_b", "ifunc", NULL};
    refused("ifunc", "static int impl(void) { return 1; }\n"
                     "static void *resolve(void) { return (void *)impl; }\n"
                     "int graded_b(void) __attribute__((ifunc(\"resolve\")));\n", what);
}

Test(objcheck, data_in_a_code_section)
{
    const char *const what[] = {"bytes", ".text.bytes", "data placed in a code section", NULL};
    refused("text-data", "__attribute__((section(\".text.bytes\"))) const unsigned char bytes[] = {0x0f, 0x05, 0xc3};\n",
            what);
}

Test(objcheck, unknown_section)
{
    const char *const what[] = {".mine", "a section a C compiler does not make", NULL};
    refused("unknown", "__attribute__((section(\".mine\"))) int stash = 1;\n", what);
}

Test(objcheck, malformed_object)
{
    char *dir = tu_tmpdir("not-elf");
    char *path = tu_write(dir, "x.o", "\177ELF but not really", 20);
    objcheck_info info;
    hr_error err = {{0}};
    cr_expect_eq(objcheck_read(path, &info, &err), -1);
    cr_expect(strstr(err.msg, "ELF") != NULL, "%s", err.msg);
    fs_remove_tree(dir, &err);
    free(path);
    free(dir);
}

Test(objcheck, clean_object_passes)
{
    objcheck_info info;
    read_object("clean", "#include <math.h>\n#include <stdio.h>\n"
                         "static double sq(double x) { return x * x; }\n"
                         "double graded_a(double x) { printf(\"%g\\n\", x); return sqrt(sq(x)); }\n"
                         "double graded_b(double x) { return graded_a(x) + 1; }\n", &info);
    objcheck_rules rules = {.graded = GRADED, .allowed = BUILD_LIBC_ALLOWED};
    hr_error err = {{0}};
    cr_expect_eq(objcheck_policy(&info, &rules, &err), 0, "%s", err.msg);
    objcheck_cut cut;
    cr_assert_eq(objcheck_reach(&info, &rules, &cut, &err), 0, "%s", err.msg);
    cr_expect_null(cut.why[0]);
    cr_expect_null(cut.why[1]);
    cr_expect_null(cut.drop[0]);
    cr_expect(objcheck_defines_function(&info, "graded_a") && objcheck_defines_function(&info, "graded_b"));
    objcheck_cut_free(&cut);
    objcheck_free(&info);
}

/* Static data that outgrows the tests' memory: .bss, .data and a common
 * symbol all count; under the bound, or with no bound, the object passes. */
Test(objcheck, static_data_beyond_the_memory_limit)
{
    objcheck_info info;
    read_object("big-static", "static char big[300u << 20];\n"
                              "static double table[1u << 20] = {1.0};\n"
                              "__attribute__((common)) char shared[50u << 20];\n"
                              "int graded_a(int i) { big[i] = 1; shared[i] = 2; return big[i + 1] + (int)table[i]; }\n",
                &info);
    unsigned long long mib = 1ull << 20, bytes = objcheck_static_bytes(&info);
    cr_expect_geq(bytes, 358 * mib, "300 MB + 8 MB + 50 MB counted as %llu bytes", bytes);
    cr_expect_lt(bytes, 359 * mib, "%llu bytes", bytes);
    hr_error err = {{0}};
    objcheck_rules rules = {GRADED, BUILD_LIBC_ALLOWED, 256 * mib, false};
    cr_expect_eq(objcheck_policy(&info, &rules, &err), -1, "358 MB of static data in 256 MB");
    cr_expect(strstr(err.msg, "take 359 MB, more than the 256 MB of memory a test may use") != NULL, "%s",
              err.msg);
    rules.max_static_bytes = 512 * mib;
    cr_expect_eq(objcheck_policy(&info, &rules, &err), 0, "%s", err.msg);
    rules.max_static_bytes = 0;
    cr_expect_eq(objcheck_policy(&info, &rules, &err), 0, "%s", err.msg);
    objcheck_free(&info);
}

/* system() through a static helper and a table of function pointers costs
 * graded_a; graded_b, clean, keeps its place; dead code is named apart. */
Test(objcheck, forbidden_call_costs_only_who_reaches_it)
{
    objcheck_info info;
    read_object("system", "#include <stdlib.h>\n"
                          "static int helper(void) { return system(\"cat /etc/passwd\"); }\n"
                          "int (*const table[])(void) = {helper};\n"
                          "int graded_a(int i) { return table[i](); }\n"
                          "int graded_b(int x) { return x * 2; }\n"
                          "int unused(void) { return (int)(long)getenv(\"HOME\"); }\n", &info);
    objcheck_rules rules = {.graded = GRADED, .allowed = BUILD_LIBC_ALLOWED};
    hr_error err = {{0}};
    cr_expect_eq(objcheck_policy(&info, &rules, &err), 0, "%s", err.msg);
    objcheck_cut cut;
    cr_assert_eq(objcheck_reach(&info, &rules, &cut, &err), 0, "%s", err.msg);
    cr_assert_not_null(cut.why[0], "graded_a reaches system() through a table");
    cr_expect(strstr(cut.why[0], "system") && strstr(cut.why[0], "may not use"), "%s", cut.why[0]);
    cr_expect_null(cut.why[1], "graded_b is clean: %s", cut.why[1]);
    bool dropped_a = false, dropped_b = false;
    for (size_t i = 0; cut.drop[i]; i++) {
        dropped_a |= !strcmp(cut.drop[i], ".text.graded_a");
        dropped_b |= !strcmp(cut.drop[i], ".text.graded_b");
    }
    cr_expect(dropped_a && !dropped_b);
    cr_expect(cut.unreachable[0] && !strcmp(cut.unreachable[0], "getenv") && !cut.unreachable[1],
              "dead code's getenv is named apart");
    objcheck_cut_free(&cut);
    objcheck_free(&info);
}

/* A graded function calling another the file does not define is cut, with a
 * message that says so, not refused with the whole file. */
Test(objcheck, call_to_an_undefined_graded_function)
{
    objcheck_info info;
    read_object("undefined", "int graded_a(int x);\nint graded_b(int x) { return graded_a(x) + 1; }\n", &info);
    objcheck_rules rules = {.graded = GRADED, .allowed = BUILD_LIBC_ALLOWED};
    hr_error err = {{0}};
    objcheck_cut cut;
    cr_assert_eq(objcheck_reach(&info, &rules, &cut, &err), 0, "%s", err.msg);
    cr_assert_not_null(cut.why[1]);
    cr_expect(strstr(cut.why[1], "graded_a, which your file does not define") != NULL, "%s", cut.why[1]);
    objcheck_cut_free(&cut);
    objcheck_free(&info);
}
