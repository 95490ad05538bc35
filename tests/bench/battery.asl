/*
 * An ACPI battery and AC adapter for the virtual bench, as an x86
 * Chromebook's firmware describes them (BAT0: PNP0C0A, AC: ACPI0003), so
 * that the guest's own "battery" and "ac" drivers make
 * /sys/class/power_supply/BAT0 and AC. QEMU has no battery; this SSDT
 * (qemu -acpitable file=battery.aml) reads every value from a page of
 * memory the host shares with the guest: an ivshmem-plain PCI device at
 * slot 0x10 whose BAR2 is a host file (tests/bench/battery-page.py writes
 * it, also while the guest runs).
 *
 * The page, little-endian 32-bit words:
 *   0 signature 0x50544142 ("BATP")    1 battery present (0/1)
 *   2 state (_BST: 1 discharging, 2 charging, 4 critical)
 *   3 rate (mA)   4 remaining (mAh)   5 voltage (mV)
 *   6 last full charge (mAh)   7 design capacity (mAh)   8 design voltage (mV)
 *   9 AC online (0/1)   10 cycle count   11 lid closed (0/1: lid.asl)
 * Without the signature the battery is absent and the AC offline.
 */
DefinitionBlock ("", "SSDT", 2, "CBDIAG", "BENCHBAT", 0x00000001)
{
    External (\_SB.PCI0, DeviceObj)

    Scope (\_SB.PCI0)
    {
        Device (SHMP)
        {
            Name (_ADR, 0x00100000)  /* slot 0x10, function 0 */
            OperationRegion (CFG, PCI_Config, Zero, 0x28)
            Field (CFG, DWordAcc, NoLock, Preserve)
            {
                IDS, 32,
                Offset (0x18),
                B2LO, 32,
                B2HI, 32
            }

            /* the page's physical address (BAR2), 0 when the device is not there */
            Method (ADDR, 0, Serialized)
            {
                If (IDS != 0x11101AF4)  /* Red Hat, Inc. Inter-VM shared memory */
                {
                    Return (Zero)
                }
                Local0 = B2HI << 32
                Local0 |= B2LO & 0xFFFFFFF0
                Return (Local0)
            }

            /* word Arg0 of the page, 0 without a signed page */
            Method (WORD, 1, Serialized)
            {
                Local0 = ADDR ()
                If (Local0 == Zero)
                {
                    Return (Zero)
                }
                OperationRegion (PAGE, SystemMemory, Local0, 0x40)
                Field (PAGE, DWordAcc, NoLock, Preserve)
                {
                    SIG, 32,
                    WRDS, 480
                }
                If (SIG != 0x50544142)
                {
                    Return (Zero)
                }
                If (Arg0 == Zero)
                {
                    Return (SIG)
                }
                Local1 = WRDS  /* the words after the signature, as a buffer */
                CreateDWordField (Local1, (Arg0 - 1) * 4, VAL)
                Return (VAL)
            }
        }
    }

    Scope (\_SB)
    {
        Device (BAT0)
        {
            Name (_HID, EisaId ("PNP0C0A"))
            Name (_UID, One)
            Method (_STA, 0, NotSerialized)
            {
                If (\_SB.PCI0.SHMP.WORD (1))
                {
                    Return (0x1F)
                }
                Return (0x0F)
            }

            /* extended information: revision 0, with the cycle count */
            Method (_BIX, 0, Serialized)
            {
                Name (PKG, Package (0x14)
                {
                    Zero,                          /* revision */
                    One,                           /* power unit: mA, mAh */
                    Zero,                          /* design capacity */
                    Zero,                          /* last full charge */
                    One,                           /* rechargeable */
                    Zero,                          /* design voltage */
                    Zero,                          /* warning level */
                    Zero,                          /* low level */
                    Zero,                          /* cycle count */
                    100000,                        /* accuracy: 100 % */
                    0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF,
                    One, One,                      /* granularity */
                    "BENCH-BAT",                   /* model */
                    "0001",                        /* serial */
                    "LION",                        /* type */
                    "CBDIAG"                       /* OEM */
                })
                Local0 = \_SB.PCI0.SHMP.WORD (7)
                PKG [2] = Local0
                PKG [3] = \_SB.PCI0.SHMP.WORD (6)
                PKG [5] = \_SB.PCI0.SHMP.WORD (8)
                PKG [6] = Local0 / 10
                PKG [7] = Local0 / 20
                PKG [8] = \_SB.PCI0.SHMP.WORD (10)
                Return (PKG)
            }

            Method (_BST, 0, Serialized)
            {
                Name (PKG, Package (0x04) { Zero, Zero, Zero, Zero })
                PKG [0] = \_SB.PCI0.SHMP.WORD (2)
                PKG [1] = \_SB.PCI0.SHMP.WORD (3)
                PKG [2] = \_SB.PCI0.SHMP.WORD (4)
                PKG [3] = \_SB.PCI0.SHMP.WORD (5)
                Return (PKG)
            }
        }

        Device (AC)
        {
            Name (_HID, "ACPI0003")
            Name (_PCL, Package (0x01) { \_SB })
            Method (_PSR, 0, NotSerialized)
            {
                Return (\_SB.PCI0.SHMP.WORD (9))
            }
            Method (_STA, 0, NotSerialized)
            {
                Return (0x0F)
            }
        }
    }
}
