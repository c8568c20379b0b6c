/* toro-qjsc: the host-side bytecode compiler of @toro/linker (docs/internals.md §3). Built from the same
   QuickJS source with the same flags as the engine inside the kernel, so the bytecode it writes is
   exactly what the guest's JS_ReadObject expects; --engine-id lets the linker check that. Host code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "quickjs.h"

static int usage(void) {
  fprintf(stderr, "usage: toro-qjsc --engine-id\n       toro-qjsc (--script|--module) --name NAME -o OUT IN\n");
  return 2;
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
    fclose(f);
    free(buf);
    return NULL;
  }
  fclose(f);
  buf[n] = 0;
  *len = (size_t)n;
  return buf;
}

/* Prints "NAME:LINE: SyntaxError: message" from the exception's stack ("    at NAME:LINE"). */
static void print_error(JSContext *ctx, const char *name) {
  JSValue err = JS_GetException(ctx);
  const char *msg = JS_ToCString(ctx, err);
  long line = 0;
  JSValue stack = JS_GetPropertyStr(ctx, err, "stack");
  const char *st = JS_IsString(stack) ? JS_ToCString(ctx, stack) : NULL;
  if (st) {
    const char *p = strstr(st, name);
    if (p && p[strlen(name)] == ':') line = strtol(p + strlen(name) + 1, NULL, 10);
  }
  fprintf(stderr, "%s:%ld: %s\n", name, line, msg ? msg : "error");
  if (st) fputs(st, stderr);
  JS_FreeCString(ctx, st);
  JS_FreeCString(ctx, msg);
  JS_FreeValue(ctx, stack);
  JS_FreeValue(ctx, err);
}

int main(int argc, char **argv) {
  const char *name = NULL, *out = NULL, *in = NULL;
  int module = -1;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--engine-id")) {
      puts(TORO_ENGINE_ID);
      return 0;
    } else if (!strcmp(argv[i], "--script")) module = 0;
    else if (!strcmp(argv[i], "--module")) module = 1;
    else if (!strcmp(argv[i], "--name") && i + 1 < argc) name = argv[++i];
    else if (!strcmp(argv[i], "-o") && i + 1 < argc) out = argv[++i];
    else if (argv[i][0] != '-' && !in) in = argv[i];
    else return usage();
  }
  if (module < 0 || !name || !out || !in) return usage();
  size_t len;
  char *src = read_file(in, &len);
  if (!src) {
    fprintf(stderr, "toro-qjsc: cannot read %s\n", in);
    return 2;
  }
  JSRuntime *rt = JS_NewRuntime();
  JSContext *ctx = JS_NewContext(rt);
  int flags = JS_EVAL_FLAG_COMPILE_ONLY | (module ? JS_EVAL_TYPE_MODULE : JS_EVAL_TYPE_GLOBAL);
  JSValue obj = JS_Eval(ctx, src, len, name, flags);
  if (JS_IsException(obj)) {
    print_error(ctx, name);
    return 1;
  }
  size_t size;
  uint8_t *bc = JS_WriteObject(ctx, &size, obj, JS_WRITE_OBJ_BYTECODE);
  if (!bc) {
    print_error(ctx, name);
    return 1;
  }
  FILE *f = fopen(out, "wb");
  if (!f || fwrite(bc, 1, size, f) != size || fclose(f) != 0) {
    fprintf(stderr, "toro-qjsc: cannot write %s\n", out);
    return 2;
  }
  return 0;
}
