/* Serial console (16550 UART, COM1) for ring 0: the only output device of the skeleton. Every byte is
   an I/O exit to the hypervisor, so bytes go out 16 at a time with `rep outsb` once the FIFO is empty
   (one exit per burst on KVM). Ring-0 code: no libc, no SSE. */
#include "core.h"
#include "cpu.h"

#define COM1 0x3f8
#define UART_THR 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_THRE 0x20
#define FIFO_DEPTH 16

void console_init(void) {
  outb(COM1 + UART_IER, 0x00);   /* no UART interrupts */
  outb(COM1 + UART_FCR, 0x07);   /* enable and clear FIFOs */
}

static void wait_fifo_empty(void) {
  /* Bounded: a missing UART must not hang the kernel. */
  for (int i = 0; i < 100000; i++)
    if (inb(COM1 + UART_LSR) & LSR_THRE) return;
}

static volatile uint32_t console_lock;

/* One caller at a time, so lines from different cores do not interleave mid-write. */
void console_write(const char *s, size_t n) {
  spin_lock(&console_lock);
  while (n > 0) {
    size_t burst = n < FIFO_DEPTH ? n : FIFO_DEPTH;
    wait_fifo_empty();
    const char *p = s;
    size_t c = burst;
    __asm__ volatile("rep outsb" : "+S"(p), "+c"(c) : "d"((uint16_t)(COM1 + UART_THR)) : "memory");
    s += burst;
    n -= burst;
  }
  spin_unlock(&console_lock);
}

void kputs(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  console_write(s, n);
}

void kputhex(uint64_t v) {
  char buf[18];
  buf[0] = '0';
  buf[1] = 'x';
  for (int i = 0; i < 16; i++) buf[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 0xf];
  console_write(buf, 18);
}

void kputdec(uint64_t v) {
  char buf[20];
  int i = 20;
  do {
    buf[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v && i > 0);
  console_write(buf + i, (size_t)(20 - i));
}
