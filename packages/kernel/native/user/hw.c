/* `__toro.hw`: the hardware intrinsics drivers are built on (docs/internals.md §6). Port I/O and
   IOAPIC programming trap to ring 0; MMIO and physical windows are plain ring-3 accesses to identity-
   mapped memory. Every address and size is checked before it is touched. Ring-3 code. */
#include <string.h>
#include "acpi.h"
#include "runtime.h"

static JSValue hw_io_in(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  uint32_t port, size;
  if (argc < 2 || JS_ToUint32(ctx, &port, argv[0]) || JS_ToUint32(ctx, &size, argv[1])) return JS_EXCEPTION;
  if (port > 0xffff || (size != 1 && size != 2 && size != 4)) return JS_ThrowRangeError(ctx, "ioIn(port 0..65535, size 1|2|4)");
  long v = toro_syscall3(TORO_SYS_IO_IN, port, size, 0);
  return JS_NewUint32(ctx, (uint32_t)v);
}

static JSValue hw_io_out(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  uint32_t port, size, value;
  if (argc < 3 || JS_ToUint32(ctx, &port, argv[0]) || JS_ToUint32(ctx, &size, argv[1]) || JS_ToUint32(ctx, &value, argv[2]))
    return JS_EXCEPTION;
  if (port > 0xffff || (size != 1 && size != 2 && size != 4)) return JS_ThrowRangeError(ctx, "ioOut(port 0..65535, size 1|2|4, value)");
  toro_syscall3(TORO_SYS_IO_OUT, port, size, value);
  return JS_UNDEFINED;
}

static uint64_t memory_top(void) {
  uint64_t top = 0;
  for (uint32_t i = 0; i < toro_boot.memmap_count; i++)
    if (toro_boot.memmap[i].type == 1 && toro_boot.memmap[i].base + toro_boot.memmap[i].length > top)
      top = toro_boot.memmap[i].base + toro_boot.memmap[i].length;
  return top;
}

static int overlaps_ram_above_1m(uint64_t base, uint64_t end) {
  for (uint32_t i = 0; i < toro_boot.memmap_count; i++) {
    const struct toro_memmap_entry *e = &toro_boot.memmap[i];
    uint64_t s = e->base < (1u << 20) ? (1u << 20) : e->base, t = e->base + e->length;
    if (e->type == 1 && s < t && base < t && s < end) return 1;
  }
  return 0;
}

/* Checks a physical range and makes sure it is mapped. Allowed: this core's DMA region, the legacy
   first MiB, and anything that is not RAM (device space, ACPI and reserved ranges). */
static int check_physical(JSContext *ctx, uint64_t base, uint64_t length) {
  uint64_t end = base + length;
  struct toro_core *core = this_js()->core;
  if (length == 0 || end < base || end > (512ull << 30)) {
    JS_ThrowRangeError(ctx, "physical range 0x%llx+0x%llx is empty or beyond 512 GiB", (unsigned long long)base, (unsigned long long)length);
    return -1;
  }
  int in_dma = base >= toro_boot.shared_base && end <= toro_boot.shared_base + TORO_SHARED_SIZE;
  /* Any core's DMA region: memory is per core, but a buffer may be freed by (or handed to) another
     core, which then writes that core's remote-free ring inside the owner's region. */
  for (uint32_t i = 0; i < toro_boot.core_count && !in_dma; i++)
    in_dma = base >= toro_cores[i].dma_base && end <= toro_cores[i].dma_base + toro_cores[i].dma_size;
  (void)core;
  if (!in_dma && end > (1u << 20) && overlaps_ram_above_1m(base, end)) {
    JS_ThrowRangeError(ctx, "physical range 0x%llx+0x%llx is kernel RAM, not device space or this core's DMA region",
                       (unsigned long long)base, (unsigned long long)length);
    return -1;
  }
  if (end > (4ull << 30) && toro_syscall3(TORO_SYS_MAP, (long)base, (long)length, 0) < 0) {
    JS_ThrowRangeError(ctx, "cannot map device memory at 0x%llx", (unsigned long long)base);
    return -1;
  }
  return 0;
}

static int get_addr_size(JSContext *ctx, JSValueConst *argv, uint64_t *addr, uint32_t *size) {
  int64_t a;
  if (JS_ToInt64(ctx, &a, argv[0]) || JS_ToUint32(ctx, size, argv[1])) return -1;
  if ((*size != 1 && *size != 2 && *size != 4 && *size != 8) || a < 0 || (a & (*size - 1))) {
    JS_ThrowRangeError(ctx, "MMIO access needs size 1|2|4|8 and an address aligned to it");
    return -1;
  }
  *addr = (uint64_t)a;
  return check_physical(ctx, *addr, *size);
}

static JSValue hw_mmio_read(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  uint64_t a;
  uint32_t size;
  if (argc < 2 || get_addr_size(ctx, argv, &a, &size)) return JS_EXCEPTION;
  switch (size) {
  case 1: return JS_NewUint32(ctx, *(volatile uint8_t *)a);
  case 2: return JS_NewUint32(ctx, *(volatile uint16_t *)a);
  case 4: return JS_NewUint32(ctx, *(volatile uint32_t *)a);
  default: return JS_NewBigUint64(ctx, *(volatile uint64_t *)a);
  }
}

static JSValue hw_mmio_write(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  uint64_t a;
  uint32_t size;
  if (argc < 3 || get_addr_size(ctx, argv, &a, &size)) return JS_EXCEPTION;
  if (size == 8) {
    int64_t v;
    if (JS_IsBigInt(ctx, argv[2]) ? JS_ToBigInt64(ctx, &v, argv[2]) : JS_ToInt64(ctx, &v, argv[2])) return JS_EXCEPTION;
    *(volatile uint64_t *)a = (uint64_t)v;
    return JS_UNDEFINED;
  }
  uint32_t v;
  if (JS_ToUint32(ctx, &v, argv[2])) return JS_EXCEPTION;
  if (size == 1) *(volatile uint8_t *)a = (uint8_t)v;
  else if (size == 2) *(volatile uint16_t *)a = (uint16_t)v;
  else *(volatile uint32_t *)a = v;
  return JS_UNDEFINED;
}

static JSValue hw_map_physical(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  int64_t base, length;
  if (argc < 2 || JS_ToInt64(ctx, &base, argv[0]) || JS_ToInt64(ctx, &length, argv[1])) return JS_EXCEPTION;
  if (base < 0 || length <= 0 || length > (1ll << 31)) return JS_ThrowRangeError(ctx, "mapPhysical(base, length): length 1..2^31");
  if (check_physical(ctx, (uint64_t)base, (uint64_t)length)) return JS_EXCEPTION;
  /* External memory: the engine never frees it (no free function). */
  return JS_NewArrayBuffer(ctx, (uint8_t *)(uintptr_t)base, (size_t)length, NULL, NULL, 0);
}

static JSValue hw_allocate_vector(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  static uint8_t used[256];
  for (int v = IRQ_FIRST_VECTOR; v <= IRQ_LAST_VECTOR; v++) {
    if (!used[v]) {
      used[v] = 1;
      toro_syscall1(TORO_SYS_IRQ_GATE, v);
      return JS_NewInt32(ctx, v);
    }
  }
  return JS_ThrowRangeError(ctx, "no free interrupt vector left on this core (%d in use)", IRQ_LAST_VECTOR - IRQ_FIRST_VECTOR + 1);
}

static int get_vector(JSContext *ctx, JSValueConst v, uint32_t *vector) {
  if (JS_ToUint32(ctx, vector, v)) return -1;
  if (*vector < IRQ_FIRST_VECTOR || *vector > IRQ_LAST_VECTOR) {
    JS_ThrowRangeError(ctx, "interrupt vector %u is outside %d..%d", *vector, IRQ_FIRST_VECTOR, IRQ_LAST_VECTOR);
    return -1;
  }
  return 0;
}

static JSValue hw_route_ioapic(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  uint32_t gsi, vector, pin;
  uint64_t address;
  if (argc < 4 || JS_ToUint32(ctx, &gsi, argv[0]) || get_vector(ctx, argv[1], &vector)) return JS_EXCEPTION;
  if (acpi_gsi_to_ioapic(gsi, &address, &pin)) return JS_ThrowRangeError(ctx, "no IOAPIC serves GSI %u", gsi);
  uint32_t config = vector | (JS_ToBool(ctx, argv[2]) ? IRQ_LEVEL : 0) | (JS_ToBool(ctx, argv[3]) ? IRQ_ACTIVE_LOW : 0);
  if (toro_syscall3(TORO_SYS_IOAPIC_ROUTE, (long)address, pin, config) < 0)
    return JS_ThrowRangeError(ctx, "the IOAPIC at 0x%llx refused GSI %u", (unsigned long long)address, gsi);
  this_js()->irq_level[vector] = (config & IRQ_LEVEL) != 0;
  return JS_UNDEFINED;
}

static JSValue hw_msi_message(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  uint32_t vector;
  if (argc < 1 || get_vector(ctx, argv[0], &vector)) return JS_EXCEPTION;
  JSValue o = JS_NewObject(ctx);
  JS_SetPropertyStr(ctx, o, "address", JS_NewUint32(ctx, 0xfee00000u | (this_js()->core->apic_id << 12)));
  JS_SetPropertyStr(ctx, o, "data", JS_NewUint32(ctx, vector)); /* fixed delivery, edge */
  return o;
}

static JSValue hw_set_irq_handler(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  uint32_t vector;
  struct core_js *js = this_js();
  if (argc < 2) return JS_ThrowTypeError(ctx, "setIrqHandler(vector, fn | null)");
  if (JS_ToUint32(ctx, &vector, argv[0])) return JS_EXCEPTION;
  if (vector != DOORBELL_VECTOR && get_vector(ctx, argv[0], &vector)) return JS_EXCEPTION;
  if (!JS_IsNull(argv[1]) && !JS_IsUndefined(argv[1]) && !JS_IsFunction(ctx, argv[1]))
    return JS_ThrowTypeError(ctx, "setIrqHandler(vector, fn | null)");
  JSValue *slot = &js->irq_handlers[vector];
  if (JS_IsFunction(ctx, *slot)) js->irq_handler_count--;
  JS_FreeValue(ctx, *slot);
  *slot = JS_IsFunction(ctx, argv[1]) ? JS_DupValue(ctx, argv[1]) : JS_UNDEFINED;
  if (JS_IsFunction(ctx, *slot)) js->irq_handler_count++;
  return JS_UNDEFINED;
}

static JSValue hw_doorbell(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  uint32_t core;
  if (argc < 1 || JS_ToUint32(ctx, &core, argv[0])) return JS_EXCEPTION;
  if (core >= toro_boot.core_count) return JS_ThrowRangeError(ctx, "doorbell(core): core %u does not exist (%u cores)", core, toro_boot.core_count);
  if (toro_syscall1(TORO_SYS_DOORBELL, core) < 0) return JS_ThrowRangeError(ctx, "core %u is not online", core);
  return JS_UNDEFINED;
}

static JSValue hw_online(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  uint32_t core;
  if (argc < 1 || JS_ToUint32(ctx, &core, argv[0])) return JS_EXCEPTION;
  return JS_NewBool(ctx, core == 0 || (core < toro_boot.core_count && toro_cores[core].online));
}

static const JSCFunctionListEntry hw_funcs[] = {
    JS_CFUNC_DEF("doorbell", 1, hw_doorbell),
    JS_CFUNC_DEF("coreOnline", 1, hw_online),
    JS_CFUNC_DEF("ioIn", 2, hw_io_in),
    JS_CFUNC_DEF("ioOut", 3, hw_io_out),
    JS_CFUNC_DEF("mmioRead", 2, hw_mmio_read),
    JS_CFUNC_DEF("mmioWrite", 3, hw_mmio_write),
    JS_CFUNC_DEF("mapPhysical", 2, hw_map_physical),
    JS_CFUNC_DEF("allocateVector", 0, hw_allocate_vector),
    JS_CFUNC_DEF("routeIoapic", 4, hw_route_ioapic),
    JS_CFUNC_DEF("msiMessage", 1, hw_msi_message),
    JS_CFUNC_DEF("setIrqHandler", 2, hw_set_irq_handler),
};

JSValue hw_create(struct core_js *js) {
  JSContext *ctx = js->ctx;
  for (int i = 0; i < 256; i++) js->irq_handlers[i] = JS_UNDEFINED;
  JSValue o = JS_NewObject(ctx);
  JS_SetPropertyFunctionList(ctx, o, hw_funcs, sizeof hw_funcs / sizeof hw_funcs[0]);
  JSValue dma = JS_NewObject(ctx);
  JS_SetPropertyStr(ctx, dma, "base", JS_NewFloat64(ctx, (double)js->core->dma_base));
  JS_SetPropertyStr(ctx, dma, "length", JS_NewFloat64(ctx, (double)js->core->dma_size));
  JS_SetPropertyStr(ctx, o, "dmaRegion", dma);
  JS_SetPropertyStr(ctx, o, "acpiRsdp", JS_NewFloat64(ctx, (double)toro_boot.rsdp));
  JSValue machine = JS_NewObject(ctx);
  JS_SetPropertyStr(ctx, machine, "memoryTop", JS_NewFloat64(ctx, (double)memory_top()));
  JS_SetPropertyStr(ctx, o, "machine", machine);
  JSValue shared = JS_NewObject(ctx);
  JS_SetPropertyStr(ctx, shared, "base", JS_NewFloat64(ctx, (double)toro_boot.shared_base));
  JS_SetPropertyStr(ctx, shared, "length", JS_NewFloat64(ctx, (double)TORO_SHARED_SIZE));
  JS_SetPropertyStr(ctx, o, "sharedRegion", shared);
  JS_SetPropertyStr(ctx, o, "doorbellVector", JS_NewInt32(ctx, DOORBELL_VECTOR));
  JSValue regions = JS_NewArray(ctx);
  for (uint32_t i = 0; i < toro_boot.core_count; i++) {
    JSValue r = JS_NewObject(ctx);
    JS_SetPropertyStr(ctx, r, "core", JS_NewInt32(ctx, (int32_t)i));
    JS_SetPropertyStr(ctx, r, "base", JS_NewFloat64(ctx, (double)toro_cores[i].dma_base));
    JS_SetPropertyStr(ctx, r, "length", JS_NewFloat64(ctx, (double)toro_cores[i].dma_size));
    JS_SetPropertyUint32(ctx, regions, i, r);
  }
  JS_SetPropertyStr(ctx, o, "dmaRegions", regions);
  return o;
}
