/* A core's engine heap: a two-level segregated-fit allocator with boundary tags over one region of the
   core's own memory. Freed blocks merge with free neighbours at once. Not thread-safe by design: only
   its core touches it (remote frees arrive by message in a later issue). Ring-3 code. */
#ifndef TORO_HEAP_H
#define TORO_HEAP_H
#include <stddef.h>
#include <stdint.h>

#define HEAP_FL 40
#define HEAP_SL 16

struct heap_chunk;

struct heap {
  uintptr_t base, end;
  size_t used, peak, free_bytes;
  uint64_t allocs, frees;
  uint64_t fl_bitmap;
  uint32_t sl_bitmap[HEAP_FL];
  struct heap_chunk *bins[HEAP_FL][HEAP_SL];
};

void heap_init(struct heap *h, uintptr_t base, size_t size);
void *heap_alloc(struct heap *h, size_t n);
void *heap_alloc_aligned(struct heap *h, size_t align, size_t n);
void heap_free(struct heap *h, void *p);
void *heap_realloc(struct heap *h, void *p, size_t n);
size_t heap_usable_size(const void *p);
size_t heap_largest_free(const struct heap *h);

#endif
