/* Ring 3's way to the core: the SYSCALL instruction (trapped by the core as #UD), the TSC clock read
   directly (no trap), console output and exit. Ring-3 code. */
#include <string.h>
#include <unistd.h>
#include "runtime.h"

long toro_syscall1(long nr, long a0) {
  long ret;
  __asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a0) : "rcx", "r11", "memory");
  return ret;
}

long toro_syscall3(long nr, long a0, long a1, long a2) {
  long ret;
  __asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a0), "S"(a1), "d"(a2) : "rcx", "r11", "memory");
  return ret;
}

static inline uint64_t rdtsc(void) {
  uint32_t lo, hi;
  __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
  return ((uint64_t)hi << 32) | lo;
}

double toro_now_ms(void) { return (double)(rdtsc() - toro_boot.tsc0) * 1000.0 / (double)toro_boot.tsc_hz; }

uint64_t toro_ms_to_tsc(double ms) {
  if (ms < 0) ms = 0;
  return toro_boot.tsc0 + (uint64_t)(ms * (double)toro_boot.tsc_hz / 1000.0);
}

void toro_write(int fd, const char *s, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, s, n);
    if (w <= 0) return;
    s += w;
    n -= (size_t)w;
  }
}

void toro_puts(const char *s) { toro_write(2, s, strlen(s)); }

void toro_exit(int code) { _exit(code); }
