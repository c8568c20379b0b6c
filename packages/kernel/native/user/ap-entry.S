/* Ring-3 entry of every core but core 0 (core 0 enters at musl's _start): align the stack the way the
   ABI wants at a call and run ap_user_main, which never returns. */
        .text
        .globl toro_ap_entry
toro_ap_entry:
        andq $-16, %rsp
        xorl %ebp, %ebp
        call ap_user_main
        ud2

        .section .note.GNU-stack, "", @progbits
