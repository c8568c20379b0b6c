/* The monotonic clock: TSC frequency from the hypervisor's timing leaf or CPUID 0x15, else measured
   against the PIT over 2 ms; and the wall clock from the CMOS RTC. Ring-0 code: no libc, no SSE. */
#include "core.h"
#include "cpu.h"

#define PIT_HZ 1193182u
#define PIT_COUNT 2386u /* 2 ms */

uint64_t apic_timer_hz;

static uint16_t pit_read_ch0(void) {
  outb(0x43, 0x00); /* latch channel 0 */
  uint8_t lo = inb(0x40);
  return (uint16_t)(lo | (inb(0x40) << 8));
}

/* Counts TSC ticks over 2 ms of PIT channel 0 (mode 2, free running). Port 0x61 (channel 2's gate)
   is not there on microvm, so read the counter back instead. The PIC is masked first so the PIT's
   IRQ 0 never reaches us. Returns 0 when there is no PIT. */
static uint64_t calibrate_with_pit(void) {
  outb(0x21, 0xff);
  outb(0xa1, 0xff);
  outb(0x43, 0x34); /* channel 0, lo/hi byte, mode 2 */
  outb(0x40, 0xff);
  outb(0x40, 0xff);
  uint16_t c0 = pit_read_ch0();
  uint64_t t0 = rdtsc();
  for (uint32_t i = 0; i < 1000000u; i++) {
    uint16_t c = pit_read_ch0();
    uint64_t t1 = rdtsc();
    uint16_t elapsed = (uint16_t)(c0 - c);
    if (elapsed >= PIT_COUNT && elapsed < 0x8000) return (t1 - t0) * PIT_HZ / elapsed;
    if (i == 1000 && c == c0) return 0; /* the counter never moves: no PIT */
  }
  return 0;
}

/* KVM's paravirtual clock publishes the TSC-to-nanoseconds scale it uses: invert it. */
struct pvclock_time_info {
  uint32_t version, pad0;
  uint64_t tsc_timestamp, system_time;
  uint32_t tsc_to_system_mul;
  int8_t tsc_shift;
  uint8_t flags, pad[2];
} __attribute__((packed));

static int64_t wall_at_tsc0_ns;
static struct pvclock_time_info kvmclock __attribute__((aligned(64)));

static struct { uint32_t version, sec, nsec; } kvm_wall;

/* Reads kvmclock once: the TSC rate, and the wall clock at tsc0 (so no slow CMOS reads at boot). */
static uint64_t kvmclock_tsc_hz(void) {
  wrmsr(0x4b564d01, (uint64_t)&kvmclock | 1); /* MSR_KVM_SYSTEM_TIME_NEW, enable */
  wrmsr(0x4b564d00, (uint64_t)&kvm_wall);     /* MSR_KVM_WALL_CLOCK_NEW */
  uint32_t mul = kvmclock.tsc_to_system_mul;
  int shift = kvmclock.tsc_shift;
  wrmsr(0x4b564d01, 0);                       /* read once; the TSC is our clock */
  if (!mul) return 0;
  uint64_t hz = (1000000000ull << 32) / mul;
  hz = shift < 0 ? hz << -shift : hz >> shift;
  if (kvm_wall.sec) {
    /* wall(tsc0) = wall base + system_time at tsc_timestamp - (tsc_timestamp - tsc0) */
    int64_t since = (int64_t)(kvmclock.tsc_timestamp - toro_boot.tsc0); /* may be negative */
    uint64_t mag = since < 0 ? (uint64_t)-since : (uint64_t)since;
    int64_t since_ns = (int64_t)((mag / hz) * 1000000000ull + (mag % hz) * 1000000000ull / hz);
    if (since < 0) since_ns = -since_ns;
    wall_at_tsc0_ns = (int64_t)kvm_wall.sec * 1000000000ll + kvm_wall.nsec + (int64_t)kvmclock.system_time - since_ns;
  }
  return hz;
}

void time_init(void) {
  uint32_t a, b, c, d;
  uint64_t hz = 0;
  cpuid(0x40000000, 0, &a, &b, &c, &d);
  uint32_t hv_max = a;
  /* Hypervisor signature: ebx, ecx, edx (12 chars). */
  uint32_t *sig = (uint32_t *)toro_boot.hypervisor;
  if (hv_max >= 0x40000000 && hv_max < 0x40010000) {
    sig[0] = b;
    sig[1] = c;
    sig[2] = d;
  }
  if (hv_max >= 0x40000010 && hv_max < 0x40010000) {
    cpuid(0x40000010, 0, &a, &b, &c, &d); /* KVM/VMware timing leaf: TSC and APIC bus in kHz */
    hz = (uint64_t)a * 1000;
    apic_timer_hz = (uint64_t)b * 1000;
  }
  if (!hz && hv_max >= 0x40000001 && hv_max < 0x40010000 && sig[0] == 0x4b4d564b /* "KVMK" */) {
    cpuid(0x40000001, 0, &a, &b, &c, &d);
    if (a & (1u << 3)) hz = kvmclock_tsc_hz();
  }
  if (!hz) {
    cpuid(0, 0, &a, &b, &c, &d);
    if (a >= 0x15) {
      uint32_t den, num, crystal, unused;
      cpuid(0x15, 0, &den, &num, &crystal, &unused);
      if (den && num && crystal) hz = (uint64_t)crystal * num / den;
    }
  }
  if (!hz) hz = calibrate_with_pit();
  if (!hz) {
    kputs("toro: warning: could not measure the TSC frequency (no PIT); assuming 2 GHz\n");
    hz = 2000000000ull;
  }
  toro_boot.tsc_hz = hz;
}

uint64_t time_tsc_to_ns(uint64_t ticks) {
  uint64_t hz = toro_boot.tsc_hz;
  return (ticks / hz) * 1000000000ull + (ticks % hz) * 1000000000ull / hz;
}

static uint8_t cmos(uint8_t reg) {
  outb(0x70, reg);
  return inb(0x71);
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  /* Days since 1970-01-01 in the proleptic Gregorian calendar. */
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);
  unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int64_t)doe - 719468;
}

/* Wall clock at tsc0: from kvmclock when it was read, else from the CMOS RTC (slow: each access is
   an exit to the VMM, which under PVM costs tens of microseconds). */
int64_t time_wall_at_tsc0_ns(void) {
  if (wall_at_tsc0_ns) return wall_at_tsc0_ns;
  int64_t rtc = time_rtc_epoch_ns();
  return rtc ? rtc - (int64_t)time_tsc_to_ns(rdtsc() - toro_boot.tsc0) : 0;
}

int64_t time_rtc_epoch_ns(void) {
  for (int i = 0; i < 20 && (cmos(0x0a) & 0x80); i++) {
  } /* an update is in progress for < 2 ms each second */
  uint8_t sec = cmos(0x00), min = cmos(0x02), hour = cmos(0x04);
  uint8_t day = cmos(0x07), mon = cmos(0x08), year = cmos(0x09), regb = cmos(0x0b);
  if (!(regb & 0x04)) {
#define BCD(x) ((uint8_t)(((x) & 0x0f) + ((x) >> 4) * 10))
    sec = BCD(sec);
    min = BCD(min);
    hour = (uint8_t)(BCD(hour & 0x7f) | (hour & 0x80));
    day = BCD(day);
    mon = BCD(mon);
    year = BCD(year);
  }
  if (!(regb & 0x02) && (hour & 0x80)) hour = (uint8_t)(((hour & 0x7f) + 12) % 24);
  if (mon < 1 || mon > 12 || day < 1 || day > 31) return 0;
  int64_t days = days_from_civil(2000 + year, mon, day);
  return ((days * 86400) + hour * 3600 + min * 60 + sec) * 1000000000ll;
}
