/* The ring-3 half of a CPU exception report: the core has printed the registers and sent this core
   here on a fresh part of its stack. Print the JS stack of whatever JS was running (QuickJS records
   it when an error is created), then stop the VM with 3. The engine may be in any state: this is
   best effort, and a second fault ends the VM from ring 0. Ring-3 code. */
#include "runtime.h"

__attribute__((noreturn)) void toro_fault_report(uint64_t vector) {
  (void)vector;
  struct core_js *js = this_js();
  if (js->ctx) {
    JS_ThrowInternalError(js->ctx, "CPU exception");
    JSValue err = JS_GetException(js->ctx);
    JSValue stack = JS_GetPropertyStr(js->ctx, err, "stack");
    const char *s = JS_IsString(stack) ? JS_ToCString(js->ctx, stack) : NULL;
    if (s && s[0]) {
      toro_puts("  JS stack at the fault:\n");
      toro_puts(s);
    } else {
      toro_puts("  (no JS was running: the fault is in the kernel's ring-3 start-up code)\n");
    }
  }
  toro_exit(3);
}
