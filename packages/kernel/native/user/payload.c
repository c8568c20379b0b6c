/* Reads the app payload that @toro/linker appended to the image (docs/internals.md §2) and evaluates
   its entries in order: source or bytecode, classic script or ES module. A malformed payload is a
   clear error, never a wild read. Ring-3 code. */
#include <string.h>
#include <stdio.h>
#include "runtime.h"

#define KIND_SCRIPT 1
#define KIND_MODULE 2
#define ENC_SOURCE 1
#define ENC_BYTECODE 2

struct payload_header {
  char magic[8];
  uint32_t entry_count, total_length;
  char engine_id[16];
};

struct payload_entry {
  uint32_t kind, encoding, name_offset, name_length, body_offset, body_length;
};

__attribute__((noreturn)) static void bad_payload(const char *why) {
  toro_puts("toro: the app payload in this image is damaged (");
  toro_puts(why);
  toro_puts("); link the image again with `link-image`\n");
  toro_exit(2);
}

static JSValue eval_entry(struct core_js *js, const struct payload_entry *e, const uint8_t *base, const char *name) {
  JSContext *ctx = js->ctx;
  const uint8_t *body = base + e->body_offset;
  if (e->encoding == ENC_BYTECODE) {
    JSValue obj = JS_ReadObject(ctx, body, e->body_length, JS_READ_OBJ_BYTECODE);
    if (JS_IsException(obj)) return obj;
    if (e->kind == KIND_MODULE && JS_ResolveModule(ctx, obj) < 0) {
      JS_FreeValue(ctx, obj);
      return JS_EXCEPTION;
    }
    return JS_EvalFunction(ctx, obj);
  }
  /* JS_Eval wants a NUL after the source. */
  char *src = js_malloc(ctx, e->body_length + 1);
  if (!src) return JS_EXCEPTION;
  memcpy(src, body, e->body_length);
  src[e->body_length] = 0;
  int flags = e->kind == KIND_MODULE ? JS_EVAL_TYPE_MODULE : JS_EVAL_TYPE_GLOBAL;
  JSValue r = JS_Eval(ctx, src, e->body_length, name, flags);
  js_free(ctx, src);
  return r;
}

void payload_run(struct core_js *js) {
  if (!toro_boot.payload_length) {
    toro_puts("toro: this kernel image carries no app. Link one: `pnpm link-image` in your app's folder, then `pnpm run-image`.\n");
    toro_exit(2);
  }
  const uint8_t *base = (const uint8_t *)toro_boot.payload_base;
  const struct payload_header *h = (const struct payload_header *)base;
  uint64_t total = h->total_length;
  if (total < sizeof *h || h->entry_count == 0 || h->entry_count > 64 ||
      sizeof *h + (uint64_t)h->entry_count * sizeof(struct payload_entry) > total)
    bad_payload("bad header");
  const struct payload_entry *entries = (const struct payload_entry *)(base + sizeof *h);
  for (uint32_t i = 0; i < h->entry_count; i++) {
    const struct payload_entry *e = &entries[i];
    if ((uint64_t)e->name_offset + e->name_length > total || (uint64_t)e->body_offset + e->body_length > total ||
        e->name_length == 0 || e->name_length > 255 || (e->kind != KIND_SCRIPT && e->kind != KIND_MODULE) ||
        (e->encoding != ENC_SOURCE && e->encoding != ENC_BYTECODE))
      bad_payload("bad entry");
    if (e->encoding == ENC_BYTECODE && memcmp(h->engine_id, TORO_ENGINE_ID, 16) != 0) {
      toro_puts("toro: this image's bytecode was compiled for another engine build (engine id ");
      toro_write(2, h->engine_id, 16);
      toro_puts(", this kernel has " TORO_ENGINE_ID "); link it again with the @toro/linker that matches this @toro/kernel\n");
      toro_exit(2);
    }
    char name[256];
    memcpy(name, base + e->name_offset, e->name_length);
    name[e->name_length] = 0;
    if (i == h->entry_count - 1)
      JS_SetPropertyStr(js->ctx, js->intrinsics, "appStartMs", JS_NewFloat64(js->ctx, toro_now_ms()));
    JSValue r = eval_entry(js, e, base, name);
    if (JS_IsException(r)) loop_fatal(js, JS_GetException(js->ctx), "uncaughtException");
    JS_FreeValue(js->ctx, r);
  }
}
