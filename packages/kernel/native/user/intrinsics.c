/* The `__toro` object: the only door from JS to the machine (docs/internals.md §4). Everything above it
   (console, timers, TextEncoder, the hardware face) is TypeScript in @toro/kernel. Ring-3 code. */
#include <string.h>
#include "runtime.h"

static JSValue js_write(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  int fd = 1;
  if (argc < 2 || JS_ToInt32(ctx, &fd, argv[0])) return JS_ThrowTypeError(ctx, "write(fd, text)");
  size_t len;
  const char *s = JS_ToCStringLen(ctx, &len, argv[1]);
  if (!s) return JS_EXCEPTION;
  toro_write(fd == 2 ? 2 : 1, s, len);
  JS_FreeCString(ctx, s);
  return JS_UNDEFINED;
}

static JSValue js_now(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  return JS_NewFloat64(ctx, toro_now_ms());
}

static JSValue js_exit(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  int code = 0;
  if (argc > 0 && JS_ToInt32(ctx, &code, argv[0])) return JS_EXCEPTION;
  toro_exit(code & 0xff);
}

static int rdrand64(uint64_t *v) {
  unsigned char ok;
  for (int i = 0; i < 10; i++) {
    __asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
    if (ok) return 1;
  }
  return 0;
}

static int rdseed64(uint64_t *v) {
  unsigned char ok;
  for (int i = 0; i < 100; i++) {
    __asm__ volatile("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok));
    if (ok) return 1;
  }
  return 0;
}

static JSValue js_random_fill(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  size_t offset, length, bpe, size;
  if (argc < 1) return JS_ThrowTypeError(ctx, "randomFill(typedArray)");
  JSValue buf = JS_GetTypedArrayBuffer(ctx, argv[0], &offset, &length, &bpe);
  if (JS_IsException(buf)) return buf;
  uint8_t *p = JS_GetArrayBuffer(ctx, &size, buf);
  JS_FreeValue(ctx, buf);
  if (!p) return JS_EXCEPTION;
  if (!toro_boot.has_rdrand && !toro_boot.has_rdseed) return JS_FALSE;
  p += offset;
  for (size_t i = 0; i < length; i += 8) {
    uint64_t v;
    if (!(toro_boot.has_rdrand && rdrand64(&v)) && !(toro_boot.has_rdseed && rdseed64(&v)))
      return JS_ThrowInternalError(ctx, "the CPU's random number generator did not deliver (RDRAND/RDSEED kept failing)");
    size_t n = length - i < 8 ? length - i : 8;
    memcpy(p + i, &v, n);
  }
  return JS_TRUE;
}

static JSValue call_job(JSContext *ctx, int argc, JSValueConst *argv) {
  return JS_Call(ctx, argv[0], JS_UNDEFINED, 0, NULL);
}

static JSValue js_enqueue_job(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  if (argc < 1 || !JS_IsFunction(ctx, argv[0])) return JS_ThrowTypeError(ctx, "enqueueJob(fn): fn must be a function");
  if (JS_EnqueueJob(ctx, call_job, 1, argv)) return JS_EXCEPTION;
  return JS_UNDEFINED;
}

static JSValue set_handler(JSContext *ctx, int argc, JSValueConst *argv, JSValue *slot) {
  if (argc < 1 || !JS_IsFunction(ctx, argv[0])) return JS_ThrowTypeError(ctx, "the handler must be a function");
  JS_FreeValue(ctx, *slot);
  *slot = JS_DupValue(ctx, argv[0]);
  return JS_UNDEFINED;
}

static JSValue js_set_timer_handler(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  return set_handler(ctx, argc, argv, &this_js()->timer_handler);
}

static JSValue js_set_error_handler(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  return set_handler(ctx, argc, argv, &this_js()->error_handler);
}

static JSValue js_heap_stats(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  struct heap *h = &this_js()->heap;
  JSValue o = JS_NewObject(ctx);
  JS_SetPropertyStr(ctx, o, "used", JS_NewFloat64(ctx, (double)h->used));
  JS_SetPropertyStr(ctx, o, "free", JS_NewFloat64(ctx, (double)h->free_bytes));
  JS_SetPropertyStr(ctx, o, "peak", JS_NewFloat64(ctx, (double)h->peak));
  JS_SetPropertyStr(ctx, o, "largestFree", JS_NewFloat64(ctx, (double)heap_largest_free(h)));
  JS_SetPropertyStr(ctx, o, "size", JS_NewFloat64(ctx, (double)(h->end - h->base)));
  return o;
}


static JSValue memory_map(JSContext *ctx) {
  JSValue arr = JS_NewArray(ctx);
  for (uint32_t i = 0; i < toro_boot.memmap_count; i++) {
    JSValue e = JS_NewObject(ctx);
    JS_SetPropertyStr(ctx, e, "base", JS_NewFloat64(ctx, (double)toro_boot.memmap[i].base));
    JS_SetPropertyStr(ctx, e, "length", JS_NewFloat64(ctx, (double)toro_boot.memmap[i].length));
    JS_SetPropertyStr(ctx, e, "type", JS_NewInt32(ctx, (int32_t)toro_boot.memmap[i].type));
    JS_SetPropertyUint32(ctx, arr, i, e);
  }
  return arr;
}

static JSValue cpu_info(JSContext *ctx, struct core_js *js) {
  JSValue o = JS_NewObject(ctx);
  char vendor[13], hv[13];
  memcpy(vendor, toro_boot.cpu_vendor, 12);
  vendor[12] = 0;
  memcpy(hv, toro_boot.hypervisor, 12);
  hv[12] = 0;
  JS_SetPropertyStr(ctx, o, "id", JS_NewInt32(ctx, (int32_t)js->core->id));
  JS_SetPropertyStr(ctx, o, "count", JS_NewInt32(ctx, (int32_t)toro_boot.core_count));
  JS_SetPropertyStr(ctx, o, "vendor", JS_NewString(ctx, vendor));
  JS_SetPropertyStr(ctx, o, "hypervisor", JS_NewString(ctx, hv));
  return o;
}

/* Only with toro.selftest=js-fault: a CPU exception from inside a JS call, to test the crash report. */
static JSValue js_selftest_fault(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  *(volatile int *)0x7ff000000000ull = 1;
  return JS_UNDEFINED;
}

static const JSCFunctionListEntry intrinsic_funcs[] = {
    JS_CFUNC_DEF("write", 2, js_write),
    JS_CFUNC_DEF("now", 0, js_now),
    JS_CFUNC_DEF("exit", 1, js_exit),
    JS_CFUNC_DEF("randomFill", 1, js_random_fill),
    JS_CFUNC_DEF("enqueueJob", 1, js_enqueue_job),
    JS_CFUNC_DEF("setTimerHandler", 1, js_set_timer_handler),
    JS_CFUNC_DEF("setErrorHandler", 1, js_set_error_handler),
    JS_CFUNC_DEF("heapStats", 0, js_heap_stats),
};

extern uint64_t main_tsc, step_tsc[4];

static double tsc_ms(uint64_t t) { return (double)(t - toro_boot.tsc0) * 1000.0 / (double)toro_boot.tsc_hz; }

/* Where boot time went: ms from the first instruction to ring 3, to C main, and (set later) to the app. */
static JSValue boot_trace(JSContext *ctx, struct core_js *js) {
  JSValue o = JS_NewObject(ctx);
  JS_SetPropertyStr(ctx, o, "ring3Ms", JS_NewFloat64(ctx, tsc_ms(toro_boot.tsc_at_user)));
  JS_SetPropertyStr(ctx, o, "libcMainMs", JS_NewFloat64(ctx, tsc_ms(main_tsc)));
  JS_SetPropertyStr(ctx, o, "engineReadyMs", JS_NewFloat64(ctx, toro_now_ms()));
  JSValue steps = JS_NewArray(ctx);
  for (uint32_t i = 0; i < 8 && toro_boot.trace[i]; i++) JS_SetPropertyUint32(ctx, steps, i, JS_NewFloat64(ctx, tsc_ms(toro_boot.trace[i])));
  JS_SetPropertyStr(ctx, o, "coreStepsMs", steps);
  JS_SetPropertyStr(ctx, o, "runtimeMs", JS_NewFloat64(ctx, tsc_ms(step_tsc[0])));
  JS_SetPropertyStr(ctx, o, "contextMs", JS_NewFloat64(ctx, tsc_ms(step_tsc[1])));
  JS_SetPropertyStr(ctx, o, "syscalls", JS_NewFloat64(ctx, (double)js->core->syscalls));
  return o;
}

JSValue intrinsics_create(struct core_js *js) {
  JSContext *ctx = js->ctx;
  JSValue o = JS_NewObject(ctx);
  JS_SetPropertyFunctionList(ctx, o, intrinsic_funcs, sizeof intrinsic_funcs / sizeof intrinsic_funcs[0]);
  JS_SetPropertyStr(ctx, o, "cmdline", JS_NewString(ctx, toro_boot.cmdline ? toro_boot.cmdline : ""));
  JS_SetPropertyStr(ctx, o, "memoryMap", memory_map(ctx));
  JS_SetPropertyStr(ctx, o, "tscHz", JS_NewFloat64(ctx, (double)toro_boot.tsc_hz));
  JS_SetPropertyStr(ctx, o, "appStartMs", JS_NewFloat64(ctx, 0));
  JS_SetPropertyStr(ctx, o, "cpu", cpu_info(ctx, js));
  JS_SetPropertyStr(ctx, o, "bootTrace", boot_trace(ctx, js));
  JS_SetPropertyStr(ctx, o, "hw", hw_create(js));
  if (toro_boot.cmdline && strstr(toro_boot.cmdline, "toro.selftest=js-fault"))
    JS_SetPropertyStr(ctx, o, "selftestFault", JS_NewCFunction(ctx, js_selftest_fault, "selftestFault", 0));
  return o;
}
