/* Ring 3's entry (musl calls main): sets up this core's engine heap, runtime and context, hands JS the
   intrinsics, runs the payload and then the event loop. Ring-3 code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "acpi.h"
#include "runtime.h"

static struct core_js core_js_state[TORO_MAX_CORES];

struct core_js *this_js(void) { return &core_js_state[toro_this_core()->id]; }

void heap_report_misuse(const char *what, const void *p) {
  char buf[160];
  snprintf(buf, sizeof buf, "toro: engine heap misuse: %s (%p)\n", what, p);
  toro_puts(buf);
  toro_exit(4);
}

static void *js_heap_malloc(JSMallocState *s, size_t size) {
  if (s->malloc_size + size > s->malloc_limit) return NULL;
  void *p = heap_alloc(s->opaque, size);
  if (!p) return NULL;
  s->malloc_count++;
  s->malloc_size += heap_usable_size(p) + 8;
  return p;
}

static void js_heap_free(JSMallocState *s, void *p) {
  if (!p) return;
  s->malloc_count--;
  s->malloc_size -= heap_usable_size(p) + 8;
  heap_free(s->opaque, p);
}

static void *js_heap_realloc(JSMallocState *s, void *p, size_t size) {
  if (!p) return size ? js_heap_malloc(s, size) : NULL;
  size_t old = heap_usable_size(p) + 8;
  if (size == 0) {
    js_heap_free(s, p);
    return NULL;
  }
  if (s->malloc_size + size - old > s->malloc_limit) return NULL;
  void *q = heap_realloc(s->opaque, p, size);
  if (!q) return NULL;
  s->malloc_size += heap_usable_size(q) + 8 - old;
  return q;
}

static const JSMallocFunctions heap_functions = {
    js_heap_malloc, js_heap_free, js_heap_realloc, heap_usable_size,
};

static JSModuleDef *no_imports(JSContext *ctx, const char *name, void *opaque) {
  JS_ThrowReferenceError(ctx, "cannot import '%s': a Toro image holds one bundled module (link-image bundles every import)", name);
  return NULL;
}

uint64_t main_tsc, step_tsc[4];
static inline uint64_t tsc(void) { uint32_t lo, hi; __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi)); return ((uint64_t)hi << 32) | lo; }

/* This core's heap, engine runtime and context, with the intrinsics installed as `__toro`. */
static void runtime_init(struct core_js *js) {
  heap_init(&js->heap, js->core->heap_base, js->core->heap_size);
  js->rt = JS_NewRuntime2(&heap_functions, &js->heap);
  if (!js->rt) {
    toro_puts("toro: cannot create the JS runtime: out of memory\n");
    toro_exit(2);
  }
  step_tsc[0] = js->core->id == 0 ? tsc() : step_tsc[0];
  JS_SetMaxStackSize(js->rt, js->core->stack_size - (256u << 10));
  JS_SetModuleLoaderFunc(js->rt, NULL, no_imports, NULL);
  JS_SetHostPromiseRejectionTracker(js->rt, loop_track_rejection, js);
  js->ctx = JS_NewContext(js->rt);
  if (!js->ctx) {
    toro_puts("toro: cannot create the JS context: out of memory\n");
    toro_exit(2);
  }
  if (js->core->id == 0) step_tsc[1] = tsc();
  js->timer_handler = JS_UNDEFINED;
  js->error_handler = JS_UNDEFINED;
  js->intrinsics = intrinsics_create(js);
  JSValue global = JS_GetGlobalObject(js->ctx);
  JS_SetPropertyStr(js->ctx, global, "__toro", JS_DupValue(js->ctx, js->intrinsics));
  JS_FreeValue(js->ctx, global);
}

/* Core 0: finds the other cores, starts them, then runs the app like every core. */
int main(void) {
  __asm__ volatile("rdtsc; shl $32, %%rdx; or %%rdx, %%rax" : "=a"(main_tsc)::"rdx");
  struct core_js *js = this_js();
  js->core = toro_this_core();
  extern void toro_fault_report(uint64_t);
  toro_boot.fault_report = (uint64_t)toro_fault_report; /* user memory: ring 3 may set it */
  acpi_init();
  int started = 0;
  const char *limit = toro_boot.cmdline ? strstr(toro_boot.cmdline, "toro.cores=") : NULL;
  uint32_t want = acpi.cpu_count;
  if (limit) want = (uint32_t)atoi(limit + 11);
  if (want > acpi.cpu_count) want = acpi.cpu_count;
  if (want > 1 && toro_syscall3(TORO_SYS_SMP_PREPARE, want, (long)acpi.cpu_apic_ids, 0) > 1) started = 1;
  runtime_init(js);
  if (started) toro_syscall1(TORO_SYS_SMP_START, 0); /* the other cores boot while this one runs main */
  /* A deliberate CPU exception, so tests can check the core's crash report end to end. */
  if (toro_boot.cmdline && strstr(toro_boot.cmdline, "toro.selftest=page-fault")) *(volatile int *)0x7ff000000000ull = 1;
  /* ... and a write from ring 3 into the core's own pages, which must fault (supervisor-only). */
  extern uint64_t boot_pml4[];
  if (toro_boot.cmdline && strstr(toro_boot.cmdline, "toro.selftest=write-core")) boot_pml4[511] = 0;
  payload_run(js);
  loop_run(js);
}

/* musl keeps per-thread state (errno, the thread descriptor) at the thread pointer. Each core gets a
   copy of core 0's: the pages around it are copied whole (musl's static TLS block and descriptor are
   far smaller than the window) and the descriptor's self pointer is fixed. */
#define TLS_WINDOW (3 * 4096)
static uint8_t tls_copies[TORO_MAX_CORES][TLS_WINDOW] __attribute__((aligned(4096)));

static void own_thread_pointer(uint32_t core) {
  uintptr_t fs;
  __asm__ volatile("mov %%fs:0, %0" : "=r"(fs));
  uintptr_t window = (fs & ~(uintptr_t)4095) - 4096;
  memcpy(tls_copies[core], (const void *)window, TLS_WINDOW);
  uintptr_t copy = (uintptr_t)tls_copies[core] + (fs - window);
  *(uintptr_t *)copy = copy;
  toro_syscall3(158 /* arch_prctl */, 0x1002 /* ARCH_SET_FS */, (long)copy, 0);
}

/* Every other core, from toro_ap_entry: its own runtime over its own memory, the same payload. */
void ap_user_main(void) {
  own_thread_pointer(toro_this_core()->id);
  struct core_js *js = this_js();
  js->core = toro_this_core();
  runtime_init(js);
  payload_run(js);
  loop_run(js);
}
