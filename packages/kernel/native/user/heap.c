/* Two-level segregated fit (in the spirit of TLSF): the first level is the power of two of the size,
   the second splits it into 16 ranges; bitmaps find a fitting free block in O(1). Chunks carry their
   size and an in-use bit; a free chunk's size is repeated at the start of the next chunk (the
   "prev_size" word) so free() can merge backwards. Misuse (double free, foreign or interior pointer)
   is detected from the tags and reported, never silently corrupting the heap. Ring-3 code. */
#include "heap.h"
#include <string.h>

#define INUSE 1u
#define PREV_INUSE 2u
#define FLAGS 3u
#define ALIGN 16u
#define HEADER 16u      /* prev_size + size; the user pointer follows */
#define MIN_CHUNK 32u
#define SMALL_LIMIT 256u

struct heap_chunk {
  size_t prev_size;     /* size of the previous chunk, valid only while it is free */
  size_t size;          /* chunk size | INUSE | PREV_INUSE */
  struct heap_chunk *next_free, *prev_free;
};

void heap_report_misuse(const char *what, const void *p); /* main.c: prints and stops the VM */

static inline size_t csize(const struct heap_chunk *c) { return c->size & ~(size_t)FLAGS; }
static inline struct heap_chunk *next_chunk(struct heap_chunk *c) { return (struct heap_chunk *)((char *)c + csize(c)); }

static void mapping(size_t size, unsigned *fl, unsigned *sl) {
  if (size < SMALL_LIMIT) {
    *fl = 0;
    *sl = (unsigned)(size / ALIGN);
  } else {
    unsigned f = 63u - (unsigned)__builtin_clzll(size);
    *sl = (unsigned)(size >> (f - 4)) ^ HEAP_SL;
    *fl = f - 7;
  }
}

static void insert(struct heap *h, struct heap_chunk *c) {
  unsigned fl, sl;
  mapping(csize(c), &fl, &sl);
  struct heap_chunk *head = h->bins[fl][sl];
  c->next_free = head;
  c->prev_free = NULL;
  if (head) head->prev_free = c;
  h->bins[fl][sl] = c;
  h->fl_bitmap |= 1ull << fl;
  h->sl_bitmap[fl] |= 1u << sl;
  h->free_bytes += csize(c);
}

static void unlink_chunk(struct heap *h, struct heap_chunk *c) {
  unsigned fl, sl;
  mapping(csize(c), &fl, &sl);
  if (c->prev_free) c->prev_free->next_free = c->next_free;
  else h->bins[fl][sl] = c->next_free;
  if (c->next_free) c->next_free->prev_free = c->prev_free;
  if (!h->bins[fl][sl]) {
    h->sl_bitmap[fl] &= ~(1u << sl);
    if (!h->sl_bitmap[fl]) h->fl_bitmap &= ~(1ull << fl);
  }
  h->free_bytes -= csize(c);
}

void heap_init(struct heap *h, uintptr_t base, size_t size) {
  memset(h, 0, sizeof *h);
  uintptr_t start = (base + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1);
  uintptr_t end = (base + size) & ~(uintptr_t)(ALIGN - 1);
  h->base = start;
  h->end = end;
  struct heap_chunk *first = (struct heap_chunk *)start;
  struct heap_chunk *sentinel = (struct heap_chunk *)(end - HEADER);
  first->size = (end - HEADER - start) | PREV_INUSE;
  sentinel->prev_size = csize(first);
  sentinel->size = INUSE; /* size 0, in use: merging stops here */
  insert(h, first);
}

static size_t request_size(size_t n) {
  if (n > ((size_t)1 << 46)) return 0;
  size_t s = (n + 8 + ALIGN - 1) & ~(size_t)(ALIGN - 1);
  return s < MIN_CHUNK ? MIN_CHUNK : s;
}

static struct heap_chunk *find_fit(struct heap *h, size_t size) {
  unsigned fl, sl;
  /* Round up to the next range so any chunk in the found list fits. */
  if (size >= SMALL_LIMIT) size += ((size_t)1 << (63 - __builtin_clzll(size) - 4)) - 1;
  mapping(size, &fl, &sl);
  if (fl >= HEAP_FL) return NULL;
  uint32_t sl_map = h->sl_bitmap[fl] & (~0u << sl);
  if (!sl_map) {
    uint64_t fl_map = fl + 1 < 64 ? h->fl_bitmap & (~0ull << (fl + 1)) : 0;
    if (!fl_map) return NULL;
    fl = (unsigned)__builtin_ctzll(fl_map);
    sl_map = h->sl_bitmap[fl];
  }
  sl = (unsigned)__builtin_ctz(sl_map);
  return h->bins[fl][sl];
}

/* Shrinks an in-use chunk to `size`, freeing the tail if it is big enough to be a chunk. */
static void trim(struct heap *h, struct heap_chunk *c, size_t size) {
  size_t have = csize(c);
  if (have - size < MIN_CHUNK) return;
  struct heap_chunk *rest = (struct heap_chunk *)((char *)c + size);
  c->size = size | (c->size & FLAGS);
  rest->size = (have - size) | PREV_INUSE;
  struct heap_chunk *after = next_chunk(rest);
  if (!(after->size & INUSE)) { /* merge the tail with a free successor */
    unlink_chunk(h, after);
    rest->size += csize(after);
    after = next_chunk(rest);
  }
  after->prev_size = csize(rest);
  after->size &= ~(size_t)PREV_INUSE;
  insert(h, rest);
}

static void account_alloc(struct heap *h, size_t bytes) {
  h->used += bytes;
  h->allocs++;
  if (h->used > h->peak) h->peak = h->used;
}

void *heap_alloc(struct heap *h, size_t n) {
  size_t size = request_size(n);
  if (!size) return NULL;
  struct heap_chunk *c = find_fit(h, size);
  if (!c) return NULL;
  unlink_chunk(h, c);
  c->size |= INUSE;
  next_chunk(c)->size |= PREV_INUSE;
  trim(h, c, size);
  account_alloc(h, csize(c));
  return (char *)c + HEADER;
}

static struct heap_chunk *owned_chunk(struct heap *h, const void *p, const char *op) {
  uintptr_t a = (uintptr_t)p;
  struct heap_chunk *c = (struct heap_chunk *)(a - HEADER);
  if (a < h->base + HEADER || a >= h->end || (a & (ALIGN - 1))) {
    heap_report_misuse(op[0] == 'f' ? "free of a pointer this heap does not own" : "realloc of a pointer this heap does not own", p);
    return NULL;
  }
  if (!(c->size & INUSE) || (uintptr_t)next_chunk(c) > h->end - HEADER || csize(c) < MIN_CHUNK) {
    heap_report_misuse(op[0] == 'f' ? "double free or free of an interior pointer" : "realloc of a freed or interior pointer", p);
    return NULL;
  }
  return c;
}

void heap_free(struct heap *h, void *p) {
  if (!p) return;
  struct heap_chunk *c = owned_chunk(h, p, "free");
  if (!c) return;
  size_t size = csize(c);
  h->used -= size;
  h->frees++;
  struct heap_chunk *next = next_chunk(c);
  if (!(next->size & INUSE)) {
    unlink_chunk(h, next);
    size += csize(next);
  }
  if (!(c->size & PREV_INUSE)) {
    struct heap_chunk *prev = (struct heap_chunk *)((char *)c - c->prev_size);
    unlink_chunk(h, prev);
    size += csize(prev);
    c = prev;
  }
  c->size = size | PREV_INUSE; /* a free chunk's predecessor is always in use after merging */
  next = next_chunk(c);
  next->prev_size = size;
  next->size &= ~(size_t)PREV_INUSE;
  insert(h, c);
}

void *heap_realloc(struct heap *h, void *p, size_t n) {
  if (!p) return heap_alloc(h, n);
  struct heap_chunk *c = owned_chunk(h, p, "realloc");
  if (!c) return NULL;
  size_t size = request_size(n);
  if (!size) return NULL;
  size_t have = csize(c);
  if (size <= have) {
    trim(h, c, size);
    h->used -= have - csize(c);
    return p;
  }
  struct heap_chunk *next = next_chunk(c);
  if (!(next->size & INUSE) && have + csize(next) >= size) { /* grow in place */
    unlink_chunk(h, next);
    c->size += csize(next);
    next_chunk(c)->size |= PREV_INUSE;
    trim(h, c, size);
    account_alloc(h, csize(c) - have);
    h->allocs--;
    return p;
  }
  void *q = heap_alloc(h, n);
  if (!q) return NULL;
  memcpy(q, p, have - 8);
  heap_free(h, p);
  return q;
}

void *heap_alloc_aligned(struct heap *h, size_t align, size_t n) {
  if (align <= ALIGN) return heap_alloc(h, n);
  if (align & (align - 1)) return NULL;
  char *raw = heap_alloc(h, n + align + MIN_CHUNK);
  if (!raw) return NULL;
  uintptr_t a = ((uintptr_t)raw + MIN_CHUNK + align - 1) & ~(uintptr_t)(align - 1);
  struct heap_chunk *c = (struct heap_chunk *)(raw - HEADER);
  struct heap_chunk *aligned = (struct heap_chunk *)(a - HEADER);
  size_t lead = (size_t)((char *)aligned - (char *)c);
  /* Give the leading part back as its own chunk, keep the aligned rest. */
  size_t total = csize(c);
  aligned->size = (total - lead) | INUSE;
  c->size = lead | (c->size & PREV_INUSE) | INUSE;
  h->used -= total;
  h->allocs--;
  account_alloc(h, lead);
  account_alloc(h, total - lead);
  heap_free(h, raw);
  trim(h, aligned, request_size(n));
  h->used -= (total - lead) - csize(aligned);
  return (void *)a;
}

size_t heap_usable_size(const void *p) {
  if (!p) return 0;
  const struct heap_chunk *c = (const struct heap_chunk *)((const char *)p - HEADER);
  return csize(c) - 8;
}

size_t heap_largest_free(const struct heap *h) {
  if (!h->fl_bitmap) return 0;
  unsigned fl = 63u - (unsigned)__builtin_clzll(h->fl_bitmap);
  unsigned sl = 31u - (unsigned)__builtin_clz(h->sl_bitmap[fl]);
  size_t best = 0;
  for (const struct heap_chunk *c = h->bins[fl][sl]; c; c = c->next_free)
    if (csize(c) > best) best = csize(c);
  return best ? best - 8 : 0;
}
