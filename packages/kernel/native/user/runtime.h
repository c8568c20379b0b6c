/* The ring-3 side of a core: its engine runtime, context, heap and the JS callbacks the event loop
   drives. One `struct core_js` per core; nothing here is shared between cores. */
#ifndef TORO_RUNTIME_H
#define TORO_RUNTIME_H
#include "quickjs.h"
#include "heap.h"
#include "toro.h"

#define MAX_PENDING_REJECTIONS 64

struct core_js {
  struct toro_core *core;
  struct heap heap;
  JSRuntime *rt;
  JSContext *ctx;
  JSValue intrinsics;
  JSValue timer_handler;   /* (nowMs) => 0 | deadline | -1 */
  JSValue error_handler;   /* (err, kind) => void */
  JSValue irq_handlers[256];
  int irq_handler_count;
  uint8_t irq_level[256];  /* vectors routed to a level-triggered IOAPIC input: only they need IRQ_DONE */
  int rejection_count;
  JSValue rejected_promises[MAX_PENDING_REJECTIONS];
  JSValue rejection_reasons[MAX_PENDING_REJECTIONS];
};

struct core_js *this_js(void);

/* sys.c */
long toro_syscall1(long nr, long a0);
long toro_syscall3(long nr, long a0, long a1, long a2);
double toro_now_ms(void);
uint64_t toro_ms_to_tsc(double ms);
__attribute__((noreturn)) void toro_exit(int code);
void toro_write(int fd, const char *s, size_t n);
void toro_puts(const char *s);

/* intrinsics.c */
JSValue intrinsics_create(struct core_js *js);

/* hw.c */
JSValue hw_create(struct core_js *js);

/* loop.c */
void loop_track_rejection(JSContext *ctx, JSValueConst promise, JSValueConst reason, JS_BOOL is_handled, void *opaque);
__attribute__((noreturn)) void loop_fatal(struct core_js *js, JSValue err, const char *kind);
__attribute__((noreturn)) void loop_run(struct core_js *js);

/* payload.c */
void payload_run(struct core_js *js);

#endif
