/* The few Linux system calls that musl and QuickJS make, answered by the ring-0 core, plus Toro's
   own wait call. musl believes it is a single-threaded Linux process; each core's ring-3 world is one
   such process. Ring-0 code: no libc, no SSE. */
#include "core.h"
#include "cpu.h"

#define ENOENT 2
#define ENOMEM 12
#define EINVAL 22
#define ENOTTY 25
#define ENOSYS 38

#define MAP_ANONYMOUS 0x20
#define ARCH_SET_FS 0x1002
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1

struct iovec { const char *base; uint64_t len; };
struct timespec { int64_t sec, nsec; };
struct timeval { int64_t sec, usec; };

static int64_t sys_mmap(uint64_t addr, uint64_t len, uint64_t flags) {
  (void)addr;
  if (!(flags & MAP_ANONYMOUS)) return -ENOSYS;
  struct toro_core *c = this_core();
  len = (len + 4095) & ~4095ull;
  /* A bump region: fresh guest RAM is zero, which musl requires of anonymous maps. Only libc's own
     small needs land here; the engine heap has its own allocator. */
  if (len == 0 || c->mmap_used + len > c->mmap_size) return -ENOMEM;
  uint64_t p = c->mmap_base + c->mmap_used;
  c->mmap_used += len;
  return (int64_t)p;
}

static void now_ns(int clock, int64_t *sec, int64_t *nsec) {
  uint64_t ns = time_tsc_to_ns(rdtsc() - toro_boot.tsc0);
  if (clock == CLOCK_REALTIME) ns += (uint64_t)toro_boot.rtc_epoch_ns;
  *sec = (int64_t)(ns / 1000000000ull);
  *nsec = (int64_t)(ns % 1000000000ull);
}

static int64_t sys_wait(uint64_t deadline) {
  struct toro_core *c = this_core();
  /* Interrupts are off here (#UD is an interrupt gate). An event that arrived before this point is in
     pending_events; `sti; hlt` is atomic (the STI shadow), so one arriving after cannot be missed. */
  for (;;) {
    if (c->pending_events) { /* any event: let ring 3 look (a stale timer tick costs one extra pass) */
      c->pending_events = 0;
      return 1;
    }
    if (deadline && rdtsc() >= deadline) return 0;
    if (deadline) apic_arm(deadline);
    __asm__ volatile("sti; hlt; cli" ::: "memory");
  }
}

__attribute__((noreturn)) static void sys_exit(uint64_t code) { core_exit((int)(code & 0xff)); }

int64_t syscall_dispatch(struct trap_frame *f) {
  uint64_t a0 = f->rdi, a1 = f->rsi, a2 = f->rdx, a3 = f->r10;
  (void)a3;
  switch (f->rax) {
  case 1: /* write */
    if (a0 != 1 && a0 != 2) return -EINVAL;
    console_write((const char *)a1, a2);
    return (int64_t)a2;
  case 20: { /* writev */
    if (a0 != 1 && a0 != 2) return -EINVAL;
    const struct iovec *iov = (const struct iovec *)a1;
    int64_t total = 0;
    for (uint64_t i = 0; i < a2; i++) {
      console_write(iov[i].base, iov[i].len);
      total += (int64_t)iov[i].len;
    }
    return total;
  }
  case 9: return sys_mmap(a0, a1, f->r10);
  case 10: case 11: case 28: return 0;   /* mprotect, munmap, madvise: the bump region keeps pages */
  case 12: return 0;                     /* brk: refuse growth so musl uses mmap */
  case 13: case 14: return 0;            /* rt_sigaction, rt_sigprocmask: no signals here */
  case 16: return -ENOTTY;               /* ioctl: the console is not a terminal */
  case 39: case 186: return 1;           /* getpid, gettid */
  case 158:                              /* arch_prctl */
    if (a0 != ARCH_SET_FS) return -EINVAL;
    wrmsr(MSR_FS_BASE, a1);
    if (this_core()->id == 0) toro_boot.user_fs_base = a1; /* the other cores share musl's thread pointer */
    return 0;
  case 218: return 1;                    /* set_tid_address */
  case 228: {                            /* clock_gettime */
    struct timespec *ts = (struct timespec *)a1;
    if (a0 != CLOCK_REALTIME && a0 != CLOCK_MONOTONIC && a0 != 4 /* MONOTONIC_RAW */) return -EINVAL;
    now_ns((int)a0, &ts->sec, &ts->nsec);
    return 0;
  }
  case 96: {                             /* gettimeofday */
    struct timeval *tv = (struct timeval *)a0;
    int64_t s, ns;
    now_ns(CLOCK_REALTIME, &s, &ns);
    if (tv) { tv->sec = s; tv->usec = ns / 1000; }
    return 0;
  }
  case 60: case 231: sys_exit(a0);       /* exit, exit_group */
  case 200: case 234:                    /* tkill, tgkill: musl's abort() raising SIGABRT */
    if ((f->rax == 200 ? a1 : a2) == 6) {
      kputs("toro: abort() in ring 3 (an engine or libc assertion failed, see above)\n");
      core_exit(134);
    }
    return 0;
  case TORO_SYS_WAIT: return sys_wait(a0);
  case TORO_SYS_IO_IN:
    if (a1 == 1) return inb((uint16_t)a0);
    if (a1 == 2) { uint16_t v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"((uint16_t)a0)); return v; }
    if (a1 == 4) { uint32_t v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"((uint16_t)a0)); return v; }
    return -EINVAL;
  case TORO_SYS_IO_OUT:
    if (a1 == 1) outb((uint16_t)a0, (uint8_t)a2);
    else if (a1 == 2) __asm__ volatile("outw %0, %1" ::"a"((uint16_t)a2), "Nd"((uint16_t)a0));
    else if (a1 == 4) outl((uint16_t)a0, (uint32_t)a2);
    else return -EINVAL;
    return 0;
  case TORO_SYS_MAP: return paging_map_device(a0, a1);
  case TORO_SYS_IOAPIC_ROUTE: return irq_route_ioapic(a0, a1, a2);
  case TORO_SYS_SMP_PREPARE: return smp_prepare(a0, (const uint32_t *)a1);
  case TORO_SYS_SMP_START: return smp_start();
  case TORO_SYS_DOORBELL: return smp_doorbell(a0);
  case TORO_SYS_IRQ_GATE: return trap_irq_gate(a0);
  case TORO_SYS_IRQ_DONE: return irq_done(a0);
  default:
    kputs("toro: unsupported system call ");
    kputdec(f->rax);
    kputs("\n");
    return -ENOSYS;
  }
}
