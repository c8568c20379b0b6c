/* Constants shared by the assembly and the ring-0 C core: segment selectors, control-register bits,
   page-table bits, stack sizes. No code. */
#ifndef TORO_LAYOUT_H
#define TORO_LAYOUT_H

#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define USER_DS   0x1b   /* 0x18 | RPL 3 */
#define USER_CS   0x23   /* 0x20 | RPL 3 */
#define TSS_SEL   0x28

#define CR0_PE (1 << 0)
#define CR0_MP (1 << 1)
#define CR0_EM (1 << 2)
#define CR0_NE (1 << 5)
#define CR0_WP (1 << 16)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define CR4_OSFXSR (1 << 9)
#define CR4_OSXMMEXCPT (1 << 10)

#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)

#define PTE_P   0x1
#define PTE_W   0x2
#define PTE_U   0x4
#define PTE_PWT 0x8
#define PTE_PCD 0x10
#define PTE_PS  0x80

#define BOOT_STACK_SIZE 16384
#define TRAMPOLINE_BASE 0x8000
#define TORO_MAX_CORES_ASM 16   /* keep equal to TORO_MAX_CORES */
#define IST_STACK_SIZE 16384

#endif
