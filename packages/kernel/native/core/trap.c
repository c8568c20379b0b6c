/* Interrupts, exceptions and system calls. The IDT and each core's TSS live here. Ring 3 reaches ring 0
   only through #UD: either a SYSCALL instruction (which raises #UD because EFER.SCE is off) or the
   LSTAR trampoline (where PVM delivers SYSCALL). Any other exception prints the CPU state and stops
   the VM with status 3. Ring-0 code: no libc, no SSE. */
#include "core.h"
#include "cpu.h"
#include "layout.h"

struct idt_entry {
  uint16_t off_lo, sel;
  uint8_t ist, type;
  uint16_t off_mid;
  uint32_t off_hi, zero;
} __attribute__((packed));

struct tss {
  uint32_t reserved0;
  uint64_t rsp[3];
  uint64_t reserved1;
  uint64_t ist[7];
  uint64_t reserved2;
  uint16_t reserved3, iomap_base;
} __attribute__((packed));

struct gdt {
  uint64_t entries[5];
  uint64_t tss_lo, tss_hi;
} __attribute__((aligned(16)));

static struct idt_entry idt[256] __attribute__((aligned(16)));
static struct tss tss[TORO_MAX_CORES] __attribute__((aligned(16)));
static struct gdt gdt[TORO_MAX_CORES];
static uint8_t ist_stacks[TORO_MAX_CORES][2][IST_STACK_SIZE] __attribute__((aligned(16)));
static uint8_t kernel_stacks[TORO_MAX_CORES][IST_STACK_SIZE] __attribute__((aligned(16)));
extern uint64_t boot_gdt[];

static void set_gate(int v, uint64_t handler, int ist) {
  idt[v].off_lo = (uint16_t)handler;
  idt[v].sel = KERNEL_CS;
  idt[v].ist = (uint8_t)ist;
  idt[v].type = 0x8e; /* present, DPL 0, 64-bit interrupt gate: IF cleared on entry */
  idt[v].off_mid = (uint16_t)(handler >> 16);
  idt[v].off_hi = (uint32_t)(handler >> 32);
}

int64_t trap_irq_gate(uint64_t v) {
  if (v < IRQ_FIRST_VECTOR || v > DOORBELL_VECTOR) return -22;
  set_gate((int)v, (uint64_t)irq_stubs + (v - IRQ_FIRST_VECTOR) * 16, 0);
  return 0;
}

void trap_init(void) {
  struct toro_core *core = this_core();
  uint32_t id = core->id;
  if (id == 0) {
    for (int v = 0; v < 32; v++) set_gate(v, isr_table[v], v == 6 ? 1 : (v == 8 || v == 2 || v == 18) ? 2 : 0);
    set_gate(VEC_TIMER, isr_table[32], 0);
    set_gate(VEC_SPURIOUS, isr_table[33], 0);
    /* Device vectors get their gate when allocated (trap_irq_gate): 190 gates cost ~2 ms of emulated
       ring 0 under PVM at every boot. The doorbell is always there. */
    trap_irq_gate(DOORBELL_VECTOR);
  }
  struct tss *t = &tss[id];
  t->rsp[0] = (uint64_t)&kernel_stacks[id][IST_STACK_SIZE];
  t->ist[0] = (uint64_t)&ist_stacks[id][0][IST_STACK_SIZE];
  t->ist[1] = (uint64_t)&ist_stacks[id][1][IST_STACK_SIZE];
  t->iomap_base = sizeof(struct tss);
  struct gdt *g = &gdt[id];
  for (int i = 0; i < 5; i++) g->entries[i] = boot_gdt[i];
  uint64_t base = (uint64_t)t, limit = sizeof(struct tss) - 1;
  g->tss_lo = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) | (((limit >> 16) & 0xf) << 48) |
              (((base >> 24) & 0xff) << 56);
  g->tss_hi = base >> 32;
  struct __attribute__((packed)) { uint16_t limit; uint64_t base; } gp = {sizeof(*g) - 1, (uint64_t)g},
                                                                     ip = {sizeof(idt) - 1, (uint64_t)idt};
  __asm__ volatile("lgdt %0" ::"m"(gp));
  __asm__ volatile("lidt %0" ::"m"(ip));
  __asm__ volatile("ltr %w0" ::"r"(TSS_SEL));
  /* SYSCALL: leave EFER.SCE off (so it raises #UD), but point LSTAR at the trampoline for PVM. */
  wrmsr(0xc0000082, (uint64_t)syscall_trampoline);
  wrmsr(0xc0000081, ((uint64_t)KERNEL_CS << 32) | ((uint64_t)(USER_DS - 8) << 48));
  wrmsr(0xc0000084, 0x47700); /* SFMASK: IF, TF, DF, AC, NT cleared on entry */
}

static const char *const names[32] = {
    "divide error", "debug", "NMI", "breakpoint", "overflow", "bound range", "invalid opcode",
    "device not available", "double fault", "coprocessor overrun", "invalid TSS", "segment not present",
    "stack fault", "general protection", "page fault", "reserved", "x87 floating point", "alignment check",
    "machine check", "SIMD floating point", "virtualization", "control protection"};

static void reg(const char *name, uint64_t v) {
  kputs(name);
  kputhex(v);
}

static void print_exception(struct trap_frame *f) {
  const char *name = f->vector < 32 && names[f->vector] ? names[f->vector] : "exception";
  kputs("\ntoro: CPU exception ");
  kputdec(f->vector);
  kputs(" (");
  kputs(name);
  kputs((f->cs & 3) ? ") in ring 3 (engine/app)" : ") in ring 0 (core)");
  kputs(" on core ");
  kputdec(this_core()->id);
  kputs("\n");
  reg("  rip=", f->rip); reg(" err=", f->error); reg(" rflags=", f->rflags); kputs("\n");
  if (f->vector == 14) { reg("  faulting address (cr2)=", read_cr2()); kputs("\n"); }
  reg("  rax=", f->rax); reg(" rbx=", f->rbx); reg(" rcx=", f->rcx); reg(" rdx=", f->rdx); kputs("\n");
  reg("  rsi=", f->rsi); reg(" rdi=", f->rdi); reg(" rbp=", f->rbp); reg(" rsp=", f->rsp); kputs("\n");
  reg("  r8 =", f->r8); reg(" r9 =", f->r9); reg(" r10=", f->r10); reg(" r11=", f->r11); kputs("\n");
  reg("  r12=", f->r12); reg(" r13=", f->r13); reg(" r14=", f->r14); reg(" r15=", f->r15); kputs("\n");
  reg("  cs=", f->cs); reg(" ss=", f->ss); reg(" cr3=", read_cr3()); kputs("\n");
}

/* After a fault in ring 3, the core sends ring 3 once to toro_fault_report (user/fault.c), which
   prints the JS stack of the code that was running and exits with 3; a second fault there ends it. */
static void fatal_exception(struct trap_frame *f) {
  struct toro_core *core = this_core();
  print_exception(f);
  if ((f->cs & 3) != 3 || core->in_fault || !toro_boot.fault_report) core_exit(3);
  core->in_fault = 1;
  uint64_t sp = ((f->rsp - 512) & ~15ull) - 8; /* past the red zone; ABI alignment at a call */
  *(uint64_t *)sp = 0;
  f->rsp = sp;
  f->rip = toro_boot.fault_report;
  f->rdi = f->vector;
  f->rflags = 0x202;
}

static void handle_syscall(struct trap_frame *f, uint64_t return_rip) {
  this_core()->syscalls++;
  f->rax = (uint64_t)syscall_dispatch(f);
  f->rip = return_rip;
  /* Back to ring 3 with the caller's flags (SYSCALL saved them in r11), interrupts on. */
  f->rflags = (f->r11 & 0x3c7fd7) | 0x202;
  f->cs = USER_CS;
  f->ss = USER_DS;
}

void trap_dispatch(struct trap_frame *f) {
  uint64_t v = f->vector;
  if (v == VEC_TIMER) {
    struct toro_core *core = this_core();
    core->timer_irqs++;
    core->pending_events |= 1;
    apic_eoi();
    return;
  }
  if (v == VEC_SPURIOUS) return;
  if (v >= IRQ_FIRST_VECTOR && v <= DOORBELL_VECTOR) {
    irq_interrupt(v);
    return;
  }
  if (v == 6) {
    const uint8_t *ip = (const uint8_t *)f->rip;
    if (f->rip == (uint64_t)syscall_trampoline) {
      handle_syscall(f, f->rcx);
      return;
    }
    if ((f->cs & 3) == 3 && ip[0] == 0x0f && ip[1] == 0x05) { /* SYSCALL with EFER.SCE off */
      f->r11 = f->rflags;
      handle_syscall(f, f->rip + 2);
      return;
    }
  }
  fatal_exception(f);
}
