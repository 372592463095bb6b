#include <stdio.h>
#include "../reference/x.c"
#if __has_include(</etc/passwd>)
#endif
int main(void) { asm("nop"); }
