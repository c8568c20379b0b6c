/* Internal interface between the ring-0 core's files. Ring 3 never includes this. */
#ifndef TORO_CORE_H
#define TORO_CORE_H
#include <stdint.h>
#include <stddef.h>
#include "toro.h"

struct trap_frame {
  uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
  uint64_t vector, error;
  uint64_t rip, cs, rflags, rsp, ss;
};

/* console.c */
void console_init(void);
void console_write(const char *s, size_t n);
void kputs(const char *s);
void kputhex(uint64_t v);
void kputdec(uint64_t v);

/* time.c */
void time_init(void);
uint64_t time_tsc_to_ns(uint64_t ticks);
int64_t time_rtc_epoch_ns(void);
int64_t time_wall_at_tsc0_ns(void);

/* apic.c */
void apic_init(void);
void apic_eoi(void);
void apic_arm(uint64_t deadline_tsc);
void apic_disarm(void);
extern uint64_t apic_timer_hz;

/* trap.c */
void trap_init(void);
int64_t trap_irq_gate(uint64_t vector);
void trap_dispatch(struct trap_frame *f);
int64_t syscall_dispatch(struct trap_frame *f);

/* paging.c */
int64_t paging_map_device(uint64_t base, uint64_t length);

/* irq.c */
void irq_interrupt(uint64_t vector);
int64_t irq_route_ioapic(uint64_t ioapic, uint64_t pin, uint64_t config);
int64_t irq_done(uint64_t vector);

/* smp.c */
int64_t smp_prepare(uint64_t count, const uint32_t *apic_ids);
int64_t smp_start(void);
int64_t smp_doorbell(uint64_t core);
void apic_send_ipi(uint32_t apic_id, uint32_t low);

/* main.c */
__attribute__((noreturn)) void core_exit(int code);
struct toro_core *this_core(void);

/* entry.S */
extern uint64_t isr_table[];
extern char irq_stubs[];
extern char syscall_trampoline[];
__attribute__((noreturn)) void enter_user(uint64_t rip, uint64_t rsp);

#define VEC_TIMER 32
#define VEC_SPURIOUS 255

/* Ring 0 runs with interrupts off, so a plain test-and-set lock cannot deadlock against a handler. */
static inline void spin_lock(volatile uint32_t *l) {
  while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE)) __asm__ volatile("pause");
}
static inline void spin_unlock(volatile uint32_t *l) { __atomic_store_n(l, 0, __ATOMIC_RELEASE); }

static inline void *kmemset(void *d, int c, size_t n) {
  __asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
  return d;
}
static inline void kmemcpy(void *d, const void *s, size_t n) {
  __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n)::"memory");
}
#endif
