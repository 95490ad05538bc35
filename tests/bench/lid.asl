/*
 * A lid for the virtual bench, as an x86 Chromebook's firmware describes it
 * (LID0: PNP0C0D), so that the guest's own "button" driver makes the "Lid
 * Switch" input device (SW_LID). Loaded after battery.asl (qemu -acpitable
 * twice): its state is word 11 of the battery's shared page (battery.asl,
 * battery-page.py lid_closed=0|1), which the host rewrites while the guest
 * runs.
 *
 * The button driver reads _LID only when told (Notify 0x80), on resume and
 * when the input device is opened; QEMU's q35 raises no GPE the host can
 * choose. So a thermal zone polled every 0.5 s (_TZP) compares the word with
 * what it saw last and sends the Notify when it changed: the kernel's ACPI
 * thermal driver does the polling (CONFIG_ACPI_THERMAL=y). Its one visible
 * side effect is a thermal zone at 30 degrees C in /sys/class/thermal.
 */
DefinitionBlock ("", "SSDT", 2, "CBDIAG", "BENCHLID", 0x00000001)
{
    External (\_SB.PCI0.SHMP.WORD, MethodObj)

    Scope (\_SB)
    {
        Device (LID0)
        {
            Name (_HID, EisaId ("PNP0C0D"))
            Method (_LID, 0, NotSerialized)
            {
                /* _LID: 1 open, 0 closed; the page's word: 1 closed */
                If (\_SB.PCI0.SHMP.WORD (11))
                {
                    Return (Zero)
                }
                Return (One)
            }
        }
    }

    Scope (\_TZ)
    {
        ThermalZone (TZLD)
        {
            Name (LAST, Zero)
            Name (_TZP, 5)  /* poll every 0.5 s */
            Method (_TMP, 0, Serialized)
            {
                Local0 = \_SB.PCI0.SHMP.WORD (11)
                If (Local0 != LAST)
                {
                    LAST = Local0
                    Notify (\_SB.LID0, 0x80)
                }
                Return (3032)  /* 30 degrees C, in tenths of a kelvin */
            }
            Method (_CRT, 0, NotSerialized)
            {
                Return (3732)  /* 100 degrees C */
            }
        }
    }
}
