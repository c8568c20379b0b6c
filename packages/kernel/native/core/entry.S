/* Interrupt and exception entry stubs, the way into ring 3, and the system-call trampoline.
   Ring-0 code: general registers only, so the user's SSE state needs no saving. */
#include "layout.h"

        .section .text.core, "ax"

.macro ISR n, has_err
isr_\n:
        .if \has_err == 0
        pushq $0
        .endif
        pushq $\n
        jmp isr_common
.endm

.irp n, 0,1,2,3,4,5,6,7,9,15,16,18,19,20,22,23,24,25,26,27,28,31
        ISR \n, 0
.endr
.irp n, 8,10,11,12,13,14,17,21,29,30
        ISR \n, 1
.endr
        ISR 32, 0
        ISR 255, 0

/* Device interrupt vectors 48..239: 16-byte stubs, so stub(v) = irq_stubs + (v - 48) * 16. */
        .balign 16
        .globl irq_stubs
irq_stubs:
        .set vec, 48
        .rept 192
        .balign 16
        pushq $0
        pushq $vec
        jmp isr_common
        .set vec, vec + 1
        .endr

isr_common:
        pushq %rax
        pushq %rbx
        pushq %rcx
        pushq %rdx
        pushq %rsi
        pushq %rdi
        pushq %rbp
        pushq %r8
        pushq %r9
        pushq %r10
        pushq %r11
        pushq %r12
        pushq %r13
        pushq %r14
        pushq %r15
        cld
        movq %rsp, %rdi
        call trap_dispatch
        popq %r15
        popq %r14
        popq %r13
        popq %r12
        popq %r11
        popq %r10
        popq %r9
        popq %r8
        popq %rbp
        popq %rdi
        popq %rsi
        popq %rdx
        popq %rcx
        popq %rbx
        popq %rax
        addq $16, %rsp
        iretq

/* enter_user(rip, rsp): the first and only switch to ring 3; interrupts on. */
        .globl enter_user
enter_user:
        pushq $USER_DS
        pushq %rsi
        pushq $0x202
        pushq $USER_CS
        pushq %rdi
        xorl %eax, %eax
        xorl %ebx, %ebx
        xorl %ecx, %ecx
        xorl %edx, %edx
        xorl %esi, %esi
        xorl %edi, %edi
        xorl %ebp, %ebp
        xorq %r8, %r8
        xorq %r9, %r9
        xorq %r10, %r10
        xorq %r11, %r11
        movl $USER_DS, %eax
        movl %eax, %ds
        movl %eax, %es
        xorl %eax, %eax
        iretq

/* SYSCALL lands here (LSTAR). On VT-x/AMD-V/TCG it arrives in ring 0 with the user's stack, under
   PVM it stays in ring 3: either way the ud2 raises #UD on its own IST stack, and the handler
   recognises this address and returns to %rcx with %r11 flags, in ring 3. */
        .section .text, "ax"             /* user pages: under PVM SYSCALL lands here in ring 3 */
        .globl syscall_trampoline
syscall_trampoline:
        ud2

        .section .rodata
        .balign 8
        .globl isr_table
/* isr_table[0..31] = the exception stubs, [32] = timer, [33] = spurious. */
isr_table:
.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,255
        .quad isr_\n
.endr

        .section .note.GNU-stack, "", @progbits
