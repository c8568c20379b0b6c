/* The core's event loop (docs/internals.md §4): drain the job queue, check for unhandled rejections,
   run one due timer, or halt until the next deadline; exit when nothing can happen any more. Fatal
   errors go to the runtime's error handler (or a plain fallback printer) and stop the VM with 1.
   Ring-3 code. */
#include <string.h>
#include "runtime.h"

void loop_track_rejection(JSContext *ctx, JSValueConst promise, JSValueConst reason, JS_BOOL is_handled, void *opaque) {
  struct core_js *js = opaque;
  if (!is_handled) {
    if (js->rejection_count == MAX_PENDING_REJECTIONS) return; /* the first ones already doom the run */
    js->rejected_promises[js->rejection_count] = JS_DupValue(ctx, promise);
    js->rejection_reasons[js->rejection_count] = JS_DupValue(ctx, reason);
    js->rejection_count++;
    return;
  }
  for (int i = 0; i < js->rejection_count; i++) {
    if (JS_VALUE_GET_PTR(js->rejected_promises[i]) == JS_VALUE_GET_PTR(promise)) {
      JS_FreeValue(ctx, js->rejected_promises[i]);
      JS_FreeValue(ctx, js->rejection_reasons[i]);
      js->rejection_count--;
      js->rejected_promises[i] = js->rejected_promises[js->rejection_count];
      js->rejection_reasons[i] = js->rejection_reasons[js->rejection_count];
      return;
    }
  }
}

static void print_value(JSContext *ctx, JSValueConst v) {
  const char *s = JS_ToCString(ctx, v);
  toro_puts(s ? s : "(unprintable value)");
  JS_FreeCString(ctx, s);
}

/* Used only when the runtime's own handler is missing or itself throws. */
static void fallback_print(JSContext *ctx, JSValueConst err, const char *kind) {
  toro_puts(strcmp(kind, "unhandledRejection") == 0 ? "Uncaught (in promise) " : "Uncaught ");
  print_value(ctx, err);
  toro_puts("\n");
  if (JS_IsObject(err)) {
    JSValue stack = JS_GetPropertyStr(ctx, err, "stack");
    if (JS_IsString(stack)) print_value(ctx, stack);
    JS_FreeValue(ctx, stack);
  }
}

void loop_fatal(struct core_js *js, JSValue err, const char *kind) {
  JSContext *ctx = js->ctx;
  if (JS_IsFunction(ctx, js->error_handler)) {
    JSValue args[2] = {err, JS_NewString(ctx, kind)};
    JSValue r = JS_Call(ctx, js->error_handler, JS_UNDEFINED, 2, args);
    JS_FreeValue(ctx, args[1]);
    if (JS_IsException(r)) {
      JSValue inner = JS_GetException(ctx);
      toro_puts("toro: the error handler itself failed:\n");
      fallback_print(ctx, inner, "uncaughtException");
      fallback_print(ctx, err, kind);
    }
  } else {
    fallback_print(ctx, err, kind);
  }
  toro_exit(1);
}

static void drain_jobs(struct core_js *js) {
  JSContext *job_ctx;
  for (;;) {
    int r = JS_ExecutePendingJob(js->rt, &job_ctx);
    if (r == 0) break;
    if (r < 0) loop_fatal(js, JS_GetException(job_ctx), "uncaughtException");
  }
  if (js->rejection_count > 0) loop_fatal(js, JS_DupValue(js->ctx, js->rejection_reasons[0]), "unhandledRejection");
}

static int natural_exit_code(JSContext *ctx) {
  /* Like Node: process.exitCode, when the runtime installed `process` and the app set it. */
  int code = 0;
  JSValue global = JS_GetGlobalObject(ctx);
  JSValue process = JS_GetPropertyStr(ctx, global, "process");
  if (JS_IsObject(process)) {
    JSValue v = JS_GetPropertyStr(ctx, process, "exitCode");
    if (JS_IsNumber(v)) JS_ToInt32(ctx, &code, v);
    JS_FreeValue(ctx, v);
  }
  JS_FreeValue(ctx, process);
  JS_FreeValue(ctx, global);
  return code & 0xff;
}

/* Runs the JS handler of every vector that fired since the last pass; returns how many ran. */
static int dispatch_irqs(struct core_js *js) {
  int ran = 0;
  for (int w = 0; w < 4; w++) {
    uint64_t bits = __atomic_exchange_n(&js->core->irq_pending[w], 0, __ATOMIC_SEQ_CST);
    while (bits) {
      int vector = w * 64 + __builtin_ctzll(bits);
      bits &= bits - 1;
      /* A handler may replace or remove itself: hold a reference across the call. */
      JSValue fn = JS_DupValue(js->ctx, js->irq_handlers[vector]);
      if (JS_IsFunction(js->ctx, fn)) {
        JSValue r = JS_Call(js->ctx, fn, JS_UNDEFINED, 0, NULL);
        JS_FreeValue(js->ctx, fn);
        if (JS_IsException(r)) loop_fatal(js, JS_GetException(js->ctx), "uncaughtException");
        JS_FreeValue(js->ctx, r);
        drain_jobs(js);
        ran++;
      } else {
        JS_FreeValue(js->ctx, fn);
      }
      /* Only a masked level-triggered line needs the core again; MSI and the doorbell do not (a trap
         per interrupt saved). */
      if (js->irq_level[vector]) toro_syscall1(TORO_SYS_IRQ_DONE, vector);
    }
  }
  return ran;
}

static int irq_pending(struct core_js *js) {
  for (int w = 0; w < 4; w++)
    if (__atomic_load_n(&js->core->irq_pending[w], __ATOMIC_SEQ_CST)) return 1;
  return 0;
}

/* Core 0 ends the VM when nothing is left to do (like Node's main thread); the other cores wait for
   work forever (a doorbell from another core wakes them). */
void loop_run(struct core_js *js) {
  JSContext *ctx = js->ctx;
  for (;;) {
    drain_jobs(js);
    if (dispatch_irqs(js)) continue;
    if (!JS_IsFunction(ctx, js->timer_handler)) {
      if (js->irq_handler_count == 0 && js->core->id == 0) break;
      toro_syscall1(TORO_SYS_WAIT, 0);
      continue;
    }
    JSValue now = JS_NewFloat64(ctx, toro_now_ms());
    JSValue r = JS_Call(ctx, js->timer_handler, JS_UNDEFINED, 1, &now);
    if (JS_IsException(r)) loop_fatal(js, JS_GetException(ctx), "uncaughtException");
    double next;
    JS_ToFloat64(ctx, &next, r);
    JS_FreeValue(ctx, r);
    if (next == 0) continue;
    if (irq_pending(js)) continue;
    if (next < 0) {
      if (js->irq_handler_count == 0 && js->core->id == 0) break;
      toro_syscall1(TORO_SYS_WAIT, 0); /* devices keep us alive: sleep until one interrupts */
      continue;
    }
    toro_syscall1(TORO_SYS_WAIT, (long)toro_ms_to_tsc(next));
  }
  toro_exit(natural_exit_code(ctx));
}
