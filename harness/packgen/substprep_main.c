/*
 * substprep — prepare a trusted object (the reference's) for a runner with
 * substitutes, as build.c prepares a student's: the definitions of the
 * functions the substitutes object stands for become weak and get their
 * second name __subst_own_F (substitute.h). Run by make.
 *
 *   substprep SUBSTITUTES.o IN.o OUT.o
 *
 * The options go through OUT.o.args (objcopy's @file), which stays beside
 * the output for inspection. Exit 1 with the reason when anything fails.
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "fsutil.h"
#include "objcheck.h"
#include "substitute.h"

extern char **environ;

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: substprep SUBSTITUTES.o IN.o OUT.o\n");
        return 2;
    }
    hr_error err = {{0}};
    objcheck_info subs, in;
    cJSON *cat = NULL;
    if (objcheck_read(argv[1], &subs, &err) != 0 || subst_catalogue(&subs, &cat, &err) != 0 ||
        objcheck_read(argv[2], &in, &err) != 0) {
        fprintf(stderr, "substprep: %s\n", err.msg);
        return 1;
    }
    const char **functions = pack_substitutable(cat);
    char *options = functions ? subst_objcopy_options(&in, functions, false, &err) : NULL;
    char args[4200], at[4300];
    snprintf(args, sizeof args, "%s.args", argv[3]);
    snprintf(at, sizeof at, "@%s", args);
    int rc = options && fs_write_atomic(args, options, strlen(options), &err) == 0 ? 0 : 1;
    if (rc == 0) {
        char *const cmd[] = {"/usr/bin/objcopy", at, argv[2], argv[3], NULL};
        pid_t pid;
        int status = 0;
        rc = posix_spawn(&pid, cmd[0], NULL, NULL, cmd, environ) != 0 || waitpid(pid, &status, 0) < 0 ||
             !WIFEXITED(status) || WEXITSTATUS(status) != 0;
        if (rc)
            snprintf(err.msg, sizeof err.msg, "objcopy failed on %s", argv[2]);
    }
    if (rc)
        fprintf(stderr, "substprep: %s\n", err.msg);
    free(options);
    free(functions);
    cJSON_Delete(cat);
    objcheck_free(&subs);
    objcheck_free(&in);
    return rc;
}
