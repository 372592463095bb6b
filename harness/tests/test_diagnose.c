/*
 * Memory checks (issue "Feedback that teaches"): the sanitizer build run on the
 * visible tests reports a planted out-of-bounds read, a leak and undefined
 * behaviour with the student's file and line; the reference gets nothing;
 * feedback does not change the score unless the rubric says so.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "diagnose.h"
#include "testutil.h"

/* The line number of the first line of file holding text. */
static int line_of(const char *dir, const char *text)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/gradient_check.c", dir);
    char *src = tu_read(path, NULL);
    cr_assert_not_null(src);
    char *at = strstr(src, text);
    cr_assert_not_null(at, "%s is not in the submission", text);
    int line = 1;
    for (char *p = src; p < at; p++)
        line += *p == '\n';
    free(src);
    return line;
}

static const cJSON *findings(const cJSON *report)
{
    const cJSON *mem = cJSON_GetObjectItem(report, "memory_checks");
    cr_assert_not_null(mem);
    cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(mem, "ran")), "the memory checks did not run: %s",
              cJSON_GetStringValue(cJSON_GetObjectItem(mem, "note")));
    return cJSON_GetObjectItem(mem, "findings");
}

/* Is there a finding at file:line whose text holds what? */
static bool found(const cJSON *list, int line, const char *what)
{
    char where[64];
    snprintf(where, sizeof where, "gradient_check.c:%d", line);
    const cJSON *f;
    cJSON_ArrayForEach(f, list)
        if (!strcmp(cJSON_GetObjectItem(f, "where")->valuestring, where) &&
            strstr(cJSON_GetObjectItem(f, "what")->valuestring, what))
            return true;
    return false;
}

/* The reference with edits, graded; *line is the line holding marker. */
static cJSON *graded_edit(const char *label, const char *const (*edits)[2], const char *marker, int *line)
{
    char *dir = tu_submission_from_reference(label, edits);
    *line = line_of(dir, marker);
    cJSON *r = tu_grade(dir, NULL);
    free(dir);
    return r;
}

/* r has a finding at line whose text holds what. */
static void expect_finding(const cJSON *r, int line, const char *what)
{
    cr_expect(found(findings(r), line, what), "no \"%s\" at line %d: %s", what, line,
              cJSON_PrintUnformatted(findings(r)));
}

Test(memory, reference_is_clean)
{
    cJSON *r = tu_grade("reference/gradient_check", NULL);
    cr_expect_eq(cJSON_GetArraySize(findings(r)), 0, "%s", cJSON_PrintUnformatted(findings(r)));
    cJSON_Delete(r);
}

Test(memory, out_of_bounds_read_is_reported_with_its_line)
{
    static const char *const edits[][2] = {
        {"    gc_matrix diff = gc_matrix_copy(&grad);",
         "    volatile double past_the_end = grad.data[num_parameters];\n"
         "    (void)past_the_end;\n"
         "    gc_matrix diff = gc_matrix_copy(&grad);"},
        {NULL, NULL}};
    int line;
    cJSON *r = graded_edit("oob", edits, "past_the_end = grad.data", &line);
    expect_finding(r, line, "read of 8 bytes just past");
    /* feedback only: the values are still right, the points stay */
    cr_expect_eq(tu_score(r, ""), 50);
    cr_expect(strstr(tu_message(r, "gradient_check_n/1"), "memory check: gradient_check.c:") != NULL, "%s",
              tu_message(r, "gradient_check_n/1"));
    cJSON_Delete(r);
}

Test(memory, leak_is_reported_with_its_line)
{
    static const char *const edits[][2] = {
        {"        gc_matrix_free(&theta_minus);\n", ""},
        {NULL, NULL}};
    int line;
    cJSON *r = graded_edit("leak", edits, "gc_matrix theta_minus = gc_matrix_copy(&parameters_values);", &line);
    expect_finding(r, line, "never freed");
    cJSON_Delete(r);
}

/* A block a global still points to is no leak, wherever the global is (the
 * leak check reads the runner's and the student's globals, not the
 * sanitizers' own: leak_check.h); a block nothing points to is one. A global
 * that is not static moves AddressSanitizer's descriptors of the globals to
 * .data.rel: the sanitizer build's object checks accept them there too (they
 * refused the file, and the checks did not run, before). */
Test(memory, block_kept_in_a_global_is_no_leak)
{
    static const char *const edits[][2] = {
        {"#include <stdio.h>", "#include <stdio.h>\n#include <stdlib.h>\nstatic double *kept_for_later;\n"
                               "double *also_kept = NULL;"},
        {"    double J = theta * x;",
         "    static double *kept_here;\n"
         "    kept_here = malloc(40);\n    kept_for_later = malloc(48);\n    also_kept = malloc(56);\n"
         "    double *lost = malloc(72);\n    lost[0] = x;\n"
         "    double J = theta * x;"},
        {NULL, NULL}};
    int line;
    cJSON *r = graded_edit("kept", edits, "double *lost = malloc(72);", &line);
    expect_finding(r, line, "never freed");
    /* the reference is clean: the lost block is the only finding there may be */
    char lost_at[64];
    snprintf(lost_at, sizeof lost_at, "gradient_check.c:%d", line);
    const cJSON *f;
    cJSON_ArrayForEach(f, findings(r))
        cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(f, "where")), lost_at,
                         "a finding for a block still kept: %s", cJSON_PrintUnformatted(f));
    cJSON_Delete(r);
}

Test(memory, undefined_behaviour_is_reported_with_its_line)
{
    static const char *const edits[][2] = {
        {"    double J = theta * x;",
         "    volatile int big = 2147483647;\n    volatile int wrapped = big + (x > 0);\n    (void)wrapped;\n"
         "    double J = theta * x;"},
        {NULL, NULL}};
    int line;
    cJSON *r = graded_edit("ub", edits, "volatile int wrapped = big + (x > 0);", &line);
    expect_finding(r, line, "signed integer overflow");
    cJSON_Delete(r);
}

/* The parser keeps only what passes through the student's file. */
Test(memory, parser_keeps_the_students_frames)
{
    const char *out =
        "==2==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x1 at pc 0x2 bp 0x3 sp 0x4\n"
        "READ of size 8 at 0x613000000378 thread T0\n"
        "    #0 0x5622af50969a  (/w/out/diag-runner+0x100)\n"
        "    #1 0x5622af50969a  (/w/out/diag-runner+0x200)\n"
        "0x613000000378 is located 0 bytes to the right of 376-byte region [0x1,0x2)\n"
        "SUMMARY: AddressSanitizer: heap-buffer-overflow\n"
        "Direct leak of 64 byte(s) in 2 object(s) allocated from:\n"
        "    #0 0x7f  (/lib/libasan.so.8+0xb83b7)\n"
        "    #1 0x55  (/w/out/diag-runner+0x300)\n"
        "Direct leak of 99 byte(s) in 1 object(s) allocated from:\n"
        "    #0 0x7f  (/lib/libasan.so.8+0xb83b7)\n"
        "    #1 0x55  (/w/out/diag-runner+0x400)\n"
        "/w/src/gradient_check.c:7:5: runtime error: division by zero\n"
        "/w/src/gc_utils.c:9:5: runtime error: load of misaligned address\n";
    size_t n;
    char **addrs = diagnose_addresses(out, "/w/out/diag-runner", &n);
    cr_assert_eq(n, 4);
    cr_expect_str_eq(addrs[0], "0x100");   /* frame 0: the pc itself */
    cr_expect_str_eq(addrs[1], "0x1ff");   /* later frames: their call */
    const char *a2l = "0x100\ngc_matrix_zeros\n/w/student_template/gc_utils.c:30\n"
                      "0x1ff\ngradient_check_n\n/w/src/gradient_check.c:81\n"
                      "0x2ff\ngradient_check_n\n/w/src/gradient_check.c:90\n"
                      "0x3ff\ngcd_matrix_read\n/w/testcases/gradient_check_data.c:12\n";
    diag_symbols syms;
    diagnose_read_symbols(a2l, &syms);
    cr_assert_eq(syms.count, 4);
    diag_report r = {0};
    diagnose_parse(out, "gradient_check.c", "/w/out/diag-runner", &syms, "t/1", &r);
    cr_assert_eq(r.nfindings, 3, "%zu findings", r.nfindings);
    cr_expect_str_eq(r.findings[0].where, "gradient_check.c:81");
    cr_expect_str_eq(r.findings[0].function, "gradient_check_n");
    cr_expect_str_eq(r.findings[0].what, "a read of 8 bytes just past a 376-byte block (heap-buffer-overflow)");
    cr_expect_str_eq(r.findings[1].where, "gradient_check.c:90");
    cr_expect(strstr(r.findings[1].what, "64 bytes allocated here (2 blocks) are never freed") != NULL);
    cr_expect_str_eq(r.findings[2].where, "gradient_check.c:7");
    cr_expect(strstr(r.findings[2].what, "division by zero") != NULL);
    diag_report_free(&r);
    diag_symbols_free(&syms);
    for (size_t i = 0; i < n; i++)
        free(addrs[i]);
    free(addrs);
}
