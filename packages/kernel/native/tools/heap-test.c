/* Host test of the engine heap (user/heap.c): random allocate/free/realloc/aligned sequences against a
   model — blocks never overlap, contents survive, freed memory merges back to one block, and misuse
   (double free, interior and foreign pointers) is reported. Run by packages/kernel/src/native-heap.test.ts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../user/heap.h"

static int misuse_count;
void heap_report_misuse(const char *what, const void *p) { misuse_count++; }

#define SLOTS 512
static struct { unsigned char *p; size_t n; unsigned char tag; } slot[SLOTS];
static uint64_t rng = 88172645463325252ull;
static uint64_t next(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }

static size_t random_size(void) {
  switch (next() % 4) {
  case 0: return next() % 64 + 1;
  case 1: return next() % 1024 + 1;
  case 2: return next() % 16384 + 1;
  default: return next() % 300000 + 1;
  }
}

static int check(int i) {
  for (size_t k = 0; k < slot[i].n; k++)
    if (slot[i].p[k] != (unsigned char)(slot[i].tag + k)) return 0;
  return 1;
}

static void fill(int i) { for (size_t k = 0; k < slot[i].n; k++) slot[i].p[k] = (unsigned char)(slot[i].tag + k); }

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  size_t size = 64u << 20;
  unsigned long seed = argc > 1 ? strtoul(argv[1], NULL, 10) : 1;
  rng ^= seed * 0x9e3779b97f4a7c15ull;
  void *mem = aligned_alloc(4096, size);
  struct heap h;
  heap_init(&h, (uintptr_t)mem, size);
  size_t initial_free = h.free_bytes;
  for (int step = 0; step < 200000; step++) {
    int i = (int)(next() % SLOTS);
    int op = (int)(next() % 4);
    if (slot[i].p && !check(i)) { printf("FAIL corrupted block at step %d\n", step); return 1; }
    if (op == 0 && !slot[i].p) {
      slot[i].n = random_size();
      slot[i].p = heap_alloc(&h, slot[i].n);
      if (!slot[i].p) continue;
      if ((uintptr_t)slot[i].p % 16) { printf("FAIL misaligned\n"); return 1; }
      if (heap_usable_size(slot[i].p) < slot[i].n) { printf("FAIL usable size\n"); return 1; }
      slot[i].tag = (unsigned char)next();
      fill(i);
    } else if (op == 1 && !slot[i].p) {
      size_t align = (size_t)16 << (next() % 9);
      slot[i].n = random_size();
      slot[i].p = heap_alloc_aligned(&h, align, slot[i].n);
      if (!slot[i].p) continue;
      if ((uintptr_t)slot[i].p % align) { printf("FAIL aligned %zu\n", align); return 1; }
      slot[i].tag = (unsigned char)next();
      fill(i);
    } else if (op == 2 && slot[i].p) {
      size_t n = random_size();
      unsigned char *q = heap_realloc(&h, slot[i].p, n);
      if (!q) continue;
      size_t keep = n < slot[i].n ? n : slot[i].n;
      slot[i].p = q;
      slot[i].n = keep;
      if (!check(i)) { printf("FAIL realloc lost data\n"); return 1; }
      slot[i].n = n;
      fill(i);
    } else if (slot[i].p) {
      heap_free(&h, slot[i].p);
      slot[i].p = NULL;
    }
    if (h.used > h.peak) { printf("FAIL stats\n"); return 1; }
  }
  /* Overlap check: sort-free pairwise over live blocks. */
  for (int a = 0; a < SLOTS; a++)
    for (int b = a + 1; b < SLOTS; b++)
      if (slot[a].p && slot[b].p && slot[a].p < slot[b].p + slot[b].n && slot[b].p < slot[a].p + slot[a].n) {
        printf("FAIL overlap\n");
        return 1;
      }
  for (int i = 0; i < SLOTS; i++) if (slot[i].p) { heap_free(&h, slot[i].p); slot[i].p = NULL; }
  if (h.used != 0 || h.free_bytes != initial_free || heap_largest_free(&h) + 8 != initial_free) {
    printf("FAIL not merged back: used=%zu free=%zu initial=%zu largest=%zu\n", h.used, h.free_bytes, initial_free, heap_largest_free(&h));
    return 1;
  }
  /* Misuse is reported, not obeyed. */
  void *p = heap_alloc(&h, 100);
  heap_free(&h, p);
  heap_free(&h, p);                      /* double free */
  void *q = heap_alloc(&h, 100);
  heap_free(&h, (char *)q + 16);          /* interior pointer */
  int local;
  heap_free(&h, &local);                  /* foreign pointer */
  if (misuse_count != 3) { printf("FAIL misuse reported %d times, expected 3\n", misuse_count); return 1; }
  if (heap_alloc(&h, (size_t)1 << 50) != NULL) { printf("FAIL absurd size\n"); return 1; }
  if (heap_alloc(&h, size) != NULL) { printf("FAIL larger than the heap\n"); return 1; }
  printf("OK peak=%zu allocs=%llu\n", h.peak, (unsigned long long)h.allocs);
  free(mem);
  return 0;
}
