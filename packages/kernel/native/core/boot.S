/* PVH entry: the loader jumps here in 32-bit protected mode, paging off, %ebx = hvm_start_info.
   Ring 0 is emulated instruction by instruction under PVM nested KVM, so boot does as little as it can:
   page tables and the GDT are prebuilt data, not loops. Must not use SSE (see core/Makefile flags). */
#include "layout.h"

        .section .note.pvh, "a"
        .balign 4
        .long 4                      /* namesz: "Xen\0" */
        .long 8                      /* descsz: QEMU reads 8 bytes */
        .long 18                     /* XEN_ELFNOTE_PHYS32_ENTRY */
        .asciz "Xen"
        .balign 4
        .quad pvh_entry

        .section .text.boot, "ax"
        .code32
        .globl pvh_entry
pvh_entry:
        rdtsc                        /* the guest's first instruction: t0 for "time to main" */
        movl %eax, boot_tsc0
        movl %edx, boot_tsc0 + 4
        movl %ebx, boot_start_info

        movl $boot_pml4, %eax
        movl %eax, %cr3
        movl %cr4, %eax
        orl $(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
        movl %eax, %cr4
        movl $MSR_EFER, %ecx
        rdmsr
        orl $EFER_LME, %eax
        wrmsr
        movl %cr0, %eax
        andl $~CR0_EM, %eax
        orl $(CR0_PG | CR0_PE | CR0_MP | CR0_NE | CR0_WP), %eax
        movl %eax, %cr0
        lgdt boot_gdt_ptr
        ljmp $KERNEL_CS, $long_mode

        .code64
long_mode:
        movl $KERNEL_DS, %eax
        movl %eax, %ds
        movl %eax, %es
        movl %eax, %ss
        xorl %eax, %eax
        movl %eax, %fs
        movl %eax, %gs
        movabsq $boot_stack_top, %rsp
        xorl %ebp, %ebp
        call core_main
1:      cli
        hlt
        jmp 1b

/* Identity map of the first 4 GiB with 2 MiB pages, built at assembly time. The top GiB holds the
   LAPIC, IOAPIC and virtio-mmio windows: map it uncached. Pages are user-accessible for now. */
        .section .data.pagetables, "aw"
        .balign 4096
        .globl boot_pml4
boot_pml4:
        .quad boot_pdpt + PTE_P + PTE_W + PTE_U
        .fill 511, 8, 0
boot_pdpt:
        .quad boot_pd + 0x0000 + PTE_P + PTE_W + PTE_U
        .quad boot_pd + 0x1000 + PTE_P + PTE_W + PTE_U
        .quad boot_pd + 0x2000 + PTE_P + PTE_W + PTE_U
        .quad boot_pd + 0x3000 + PTE_P + PTE_W + PTE_U
        .fill 508, 8, 0
boot_pd:
        .set i, 0
        .rept 1536
        .quad (i << 21) + PTE_P + PTE_W + PTE_U + PTE_PS
        .set i, i + 1
        .endr
        .rept 512
        .quad (i << 21) + PTE_P + PTE_W + PTE_U + PTE_PS + PTE_PWT + PTE_PCD
        .set i, i + 1
        .endr

/* Boot GDT shared by every core until it loads its own (which adds its TSS). The order of the user
   entries (data, then code) is what SYSRET expects, should a later core use it. */
        .section .data, "aw"
        .balign 16
        .globl boot_gdt
boot_gdt:
        .quad 0
        .quad 0x00af9a000000ffff     /* 0x08 kernel code, 64-bit */
        .quad 0x00cf92000000ffff     /* 0x10 kernel data */
        .quad 0x00cff2000000ffff     /* 0x18 user data (DPL 3) */
        .quad 0x00affa000000ffff     /* 0x20 user code, 64-bit (DPL 3) */
boot_gdt_end:
boot_gdt_ptr:
        .word boot_gdt_end - boot_gdt - 1
        .long boot_gdt

        .globl boot_tsc0, boot_start_info
        .balign 8
boot_tsc0:      .quad 0
boot_start_info: .quad 0

        .section .bss
        .balign 16
        .globl boot_stack_top
boot_stack:
        .skip BOOT_STACK_SIZE
boot_stack_top:

        .section .note.GNU-stack, "", @progbits
