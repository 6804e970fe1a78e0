/* lv_elfsym.c - see lv_elfsym.h. Files are mapped read-only once and kept:
 * the report runs at a check point and the tables are small. */
#include "lv_elfsym.h"

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define LV_ELF_MAX_FILES 64

typedef struct lv_elf_file {
  char *path;
  const unsigned char *map; /* NULL when the file could not be read */
  size_t len;
  int is_dyn;
  int is_elf;
  const ElfW(Sym) *syms[2]; /* .symtab, .dynsym */
  size_t nsyms[2];
  const char *strs[2];
  size_t strlen_[2];
} lv_elf_file;

static lv_elf_file files[LV_ELF_MAX_FILES];
static size_t nfiles;

static int in_file(const lv_elf_file *f, uint64_t off, uint64_t size) {
  return off <= f->len && size <= f->len - off;
}

/* Records the symbol table of section `sh` (and its string table) in slot k. */
static void take_table(lv_elf_file *f, const ElfW(Shdr) *shs, size_t nsh, size_t i, int k) {
  const ElfW(Shdr) *sh = &shs[i];
  if (sh->sh_link >= nsh || sh->sh_entsize != sizeof(ElfW(Sym))) return;
  const ElfW(Shdr) *st = &shs[sh->sh_link];
  if (!in_file(f, sh->sh_offset, sh->sh_size) || !in_file(f, st->sh_offset, st->sh_size)) return;
  f->syms[k] = (const ElfW(Sym) *)(f->map + sh->sh_offset);
  f->nsyms[k] = sh->sh_size / sizeof(ElfW(Sym));
  f->strs[k] = (const char *)(f->map + st->sh_offset);
  f->strlen_[k] = st->sh_size;
}

static void parse(lv_elf_file *f) {
  const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)f->map;
  if (f->len < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
      eh->e_ident[EI_CLASS] != (sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32))
    return;
  f->is_dyn = eh->e_type == ET_DYN;
  f->is_elf = 1;
  if (eh->e_shentsize != sizeof(ElfW(Shdr)) ||
      !in_file(f, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(ElfW(Shdr))))
    return;
  const ElfW(Shdr) *shs = (const ElfW(Shdr) *)(f->map + eh->e_shoff);
  for (size_t i = 0; i < eh->e_shnum; i++) {
    if (shs[i].sh_type == SHT_SYMTAB) take_table(f, shs, eh->e_shnum, i, 0);
    if (shs[i].sh_type == SHT_DYNSYM) take_table(f, shs, eh->e_shnum, i, 1);
  }
}

static lv_elf_file *open_file(const char *path) {
  for (size_t i = 0; i < nfiles; i++)
    if (strcmp(files[i].path, path) == 0) return &files[i];
  if (nfiles == LV_ELF_MAX_FILES) return NULL;
  lv_elf_file *f = &files[nfiles];
  memset(f, 0, sizeof *f);
  f->path = strdup(path);
  if (!f->path) return NULL;
  nfiles++;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0) return f;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (m != MAP_FAILED) {
      f->map = m;
      f->len = (size_t)st.st_size;
      parse(f);
    }
  }
  close(fd);
  return f;
}

/* Best function symbol containing vaddr in table k: the one with the highest
 * start <= vaddr whose size covers it (size 0 = assembly labels: accepted only
 * when nothing sized covers the address). */
static const char *lookup(const lv_elf_file *f, int k, uintptr_t vaddr) {
  const char *best = NULL, *loose = NULL;
  uintptr_t best_start = 0, loose_start = 0;
  for (size_t i = 0; i < f->nsyms[k]; i++) {
    const ElfW(Sym) *s = &f->syms[k][i];
    int type = ELF64_ST_TYPE(s->st_info);
    if ((type != STT_FUNC && type != STT_GNU_IFUNC) || s->st_shndx == SHN_UNDEF) continue;
    if (s->st_name >= f->strlen_[k] || s->st_value > vaddr) continue;
    const char *name = f->strs[k] + s->st_name;
    if (s->st_size && vaddr < s->st_value + s->st_size) {
      if (!best || s->st_value > best_start) best = name, best_start = s->st_value;
    } else if (!s->st_size && (!loose || s->st_value > loose_start)) {
      loose = name, loose_start = s->st_value;
    }
  }
  return best ? best : loose;
}

const char *lv_elf_function(const char *path, uintptr_t vaddr) {
  lv_elf_file *f = path && *path ? open_file(path) : NULL;
  if (!f || !f->map) return NULL;
  const char *n = lookup(f, 0, vaddr);
  return n ? n : lookup(f, 1, vaddr);
}

int lv_elf_is_dyn(const char *path) {
  lv_elf_file *f = path && *path ? open_file(path) : NULL;
  return f && f->map ? f->is_dyn : 0;
}

int lv_elf_readable(const char *path) {
  lv_elf_file *f = path && *path ? open_file(path) : NULL;
  return f && f->map ? f->is_elf : 0;
}
