/* leak_check — see leak_check.h. */
#include "leak_check.h"

#include <dlfcn.h>
#include <link.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Defined only when the runner is linked with -fsanitize=address. */
extern void __lsan_register_root_region(const void *begin, size_t size) __attribute__((weak));
extern int __lsan_do_recoverable_leak_check(void) __attribute__((weak));
extern size_t __sanitizer_get_current_allocated_bytes(void) __attribute__((weak));

/* What the allocator held as the test began. */
static size_t held_at_mark;

/* Read by LeakSanitizer as it starts (an environment's LSAN_OPTIONS still
 * win). Only correct with the regions below registered. */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
    return "use_globals=0";
}

/* Does the module hold address in one of its loaded segments? */
static bool module_holds(const struct dl_phdr_info *info, const void *address)
{
    uintptr_t a = (uintptr_t)address;
    for (size_t i = 0; address && i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t begin = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && a >= begin && a - begin < ph->p_memsz)
            return true;
    }
    return false;
}

typedef struct {
    const void *in_runtime[2];   /* a function of libasan's, one of libubsan's */
} runtimes;

static int register_module(struct dl_phdr_info *info, size_t size, void *arg)
{
    (void)size;
    const runtimes *r = arg;
    if (module_holds(info, r->in_runtime[0]) || module_holds(info, r->in_runtime[1]))
        return 0;
    for (size_t i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_W) && ph->p_memsz)
            __lsan_register_root_region((const void *)(info->dlpi_addr + ph->p_vaddr), ph->p_memsz);
    }
    return 0;
}

bool leak_check_built_in(void)
{
    return __lsan_do_recoverable_leak_check && __lsan_register_root_region &&
           __sanitizer_get_current_allocated_bytes;
}

void leak_check_prepare(void)
{
    if (!leak_check_built_in())
        return;
    /* dlsym, not &function: in the executable that is its PLT entry */
    runtimes r = {{dlsym(RTLD_DEFAULT, "__lsan_register_root_region"),
                   dlsym(RTLD_DEFAULT, "__ubsan_handle_add_overflow")}};
    dl_iterate_phdr(register_module, &r);
}

void leak_check_mark(void)
{
    if (leak_check_built_in())
        held_at_mark = __sanitizer_get_current_allocated_bytes();
}

void leak_check_run(void)
{
    if (leak_check_built_in() && __sanitizer_get_current_allocated_bytes() != held_at_mark)
        __lsan_do_recoverable_leak_check();
}
