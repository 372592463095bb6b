# 1 "gradient_check.c"
# 1 "<built-in>"
# 1 "/usr/include/stdio.h" 1 3 4
extern int fscanf(void *, const char *, ...) __asm__ ("" "__isoc99_fscanf");
# 5 "gradient_check.c" 2
static int x __attribute__((section(".data.x"), aligned(8)));
[[gnu::alias("y")]] int z;
int f(void) { return x; }
