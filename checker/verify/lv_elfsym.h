/* lv_elfsym.h - function names from an ELF file's symbol tables, for the
 * preload library's own report (libleaklint-verify.so).
 *
 * dladdr() only sees the dynamic symbol table, so the static functions of a
 * test program (a worker's body, the function that started it) have no name
 * there unless the program was linked with -rdynamic. This reads .symtab
 * (falling back to .dynsym) of the mapped file instead. Only the checker thread
 * calls it, never a signal handler. Not thread-safe: callers serialise. */
#ifndef LV_ELFSYM_H
#define LV_ELFSYM_H

#include <stdint.h>

/* Name of the function of `path` containing the link-time address `vaddr`
 * (an offset from the load base for ET_DYN files, see lv_elf_is_dyn), or
 * NULL. The string lives as long as the process (the file stays mapped). */
const char *lv_elf_function(const char *path, uintptr_t vaddr);
/* 1 when path is ET_DYN (a PIE or a shared library: addresses are relative
 * to the load base), 0 when ET_EXEC or unreadable. */
int lv_elf_is_dyn(const char *path);

/* 1 when path could be read as an ELF file of this process's class. */
int lv_elf_readable(const char *path);

#endif
