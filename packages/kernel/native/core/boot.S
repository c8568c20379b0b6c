/* PVH entry: the loader jumps here in 32-bit protected mode, paging off, %ebx = hvm_start_info.
   Ring 0 is emulated instruction by instruction under PVM nested KVM, so boot does as little as it can:
   page tables and the GDT are prebuilt data, not loops. Must not use SSE (see core/Makefile flags). */
#include "layout.h"

/* From 32-bit protected mode: boot page tables, PAE + SSE state bits, EFER.LME, then paging on.
   The caller's far jump to KERNEL_CS finishes the switch to long mode. */
.macro ENABLE_LONG_MODE
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
.endm

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

        ENABLE_LONG_MODE
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

/* Application processors start here (SIPI vector -> 0x8000, real mode). smp.c copies
   [ap_trampoline, ap_trampoline_end) to TRAMPOLINE_BASE, so addresses inside it are computed
   relative to that base. Real mode -> protected mode (boot GDT, 32-bit code at 0x38) -> long mode with
   the boot page tables -> ap_long in the kernel proper. */
        .section .rodata.trampoline, "a"
        .code16
        .globl ap_trampoline, ap_trampoline_end
ap_trampoline:
        cli
        cld
        xorw %ax, %ax
        movw %ax, %ds
        lgdtl TRAMPOLINE_BASE + (ap_gdt_ptr - ap_trampoline)
        movl %cr0, %eax
        orl $CR0_PE, %eax
        movl %eax, %cr0
        ljmpl $0x38, $(TRAMPOLINE_BASE + (ap_prot - ap_trampoline))
        .code32
ap_prot:
        movl $KERNEL_DS, %eax
        movl %eax, %ds
        movl %eax, %es
        movl %eax, %ss
        ENABLE_LONG_MODE
        ljmpl $KERNEL_CS, $ap_long
        .balign 8
ap_gdt_ptr:
        .word boot_gdt_end - boot_gdt - 1
        .long boot_gdt
ap_trampoline_end:

        .section .text.core, "ax"
        .code64
/* Finds this AP's index from its initial APIC id (CPUID 1) in smp_apic_ids, takes its stack. */
ap_long:
        movl $KERNEL_DS, %eax
        movl %eax, %ds
        movl %eax, %es
        movl %eax, %ss
        movl $1, %eax
        cpuid
        shrl $24, %ebx
        xorl %ecx, %ecx
1:      cmpl smp_apic_ids(,%rcx,4), %ebx
        je 2f
        incl %ecx
        cmpl $TORO_MAX_CORES_ASM, %ecx
        jb 1b
3:      cli
        hlt
        jmp 3b
2:      movq smp_stack_tops(,%rcx,8), %rsp
        testq %rsp, %rsp
        jz 3b
        movl %ecx, %edi
        xorl %ebp, %ebp
        call ap_main
        jmp 3b

/* Identity map of the first 4 GiB with 2 MiB pages, built at assembly time. The top GiB holds the
   LAPIC, IOAPIC and virtio-mmio windows: map it uncached. Every page is user-accessible except the
   core's own, [2 MiB, 4 MiB) (linker.ld). */
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
        .quad (0 << 21) + PTE_P + PTE_W + PTE_U + PTE_PS
        .quad (1 << 21) + PTE_P + PTE_W + PTE_PS      /* the core's page: supervisor-only */
        .set i, 2
        .rept 1534
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
        .quad 0                      /* 0x28 the TSS slot in each core's own GDT */
        .quad 0
        .quad 0x00cf9a000000ffff     /* 0x38 32-bit code, for the AP trampoline only */
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
