#!/usr/bin/env python3
"""Writes the keyboard test beds: NAME.umockdev (input devices with the
kernel's capability bits) and NAME--eventN.ioctl (what EVIOCGKEY answers for
/dev/input/eventN: the keys held down). Run again after changing; the outputs
are committed. umockdev wants hex in upper case."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
DMI_LAPTOP = """P: /devices/virtual/dmi/id
E: SUBSYSTEM=dmi
A: sys_vendor=Google\\n
A: product_name=Bobba\\n
A: chassis_type=9\\n

"""
KEY = {"ESC": 1, "LEFTSHIFT": 42, "A": 30, "SPACE": 57, "LEFTMETA": 125, "POWER": 116,
       "VOLUMEUP": 115, "VOLUMEDOWN": 114}


def caps(codes):
    """sysfs capabilities/key: 64-bit words, most significant first."""
    top = max(codes)
    words = [0] * (top // 64 + 1)
    for c in codes:
        words[c // 64] |= 1 << (c % 64)
    return " ".join("%x" % w for w in reversed(words))


KEYBOARD = list(range(1, 128)) + [KEY["LEFTMETA"], 183, 184, 185, 186, 187]  # atkbd-like
BUTTONS = [KEY["POWER"], KEY["VOLUMEUP"], KEY["VOLUMEDOWN"]]


def input_dev(path, name, phys, bustype, codes, event, vendor="0001", product="0001"):
    return f"""P: {path}
E: SUBSYSTEM=input
E: PRODUCT={bustype}/{vendor}/{product}/ab41
A: name={name}\\n
A: phys={phys}\\n
A: id/bustype={bustype}\\n
A: id/vendor={vendor}\\n
A: id/product={product}\\n
A: capabilities/key={caps(codes)}\\n
A: capabilities/ev=120013\\n

P: {path}/{event}
N: input/{event}
E: SUBSYSTEM=input
E: DEVNAME=/dev/input/{event}

"""


def held(*names):
    b = bytearray(96)
    for n in names:
        b[KEY[n] // 8] |= 1 << (KEY[n] % 8)
    return "EVIOCGKEY(0) 96 " + b.hex().upper() + "\n"


SERIO = "/devices/platform/i8042/serio0"
ATKBD = SERIO + """
E: SUBSYSTEM=serio
A: function_row_physmap=EA E9 E7 91 92 94 95 A0 AE B0\\n

""" + input_dev(SERIO + "/input/input3", "AT Translated Set 2 keyboard", "isa0060/serio0/input0",
                "0011", KEYBOARD, "event3")
POWER_BUTTON = input_dev("/devices/LNXSYSTM:00/LNXPWRBN:00/input/input1", "Power Button",
                         "LNXPWRBN/button/input0", "0019", BUTTONS, "event1", "0000", "0001")
USB_PORT = "/devices/pci0000:00/0000:00:14.0/usb1/1-2"
USB_KBD = USB_PORT + """
E: SUBSYSTEM=usb
E: DEVTYPE=usb_device
A: removable=removable\\n

""" + input_dev(USB_PORT + "/1-2:1.0/0003:046D:C31C.0001/input/input5", "Logitech USB Keyboard",
                "usb-0000:00:14.0-2/input0", "0003", KEYBOARD, "event5", "046d", "c31c")
HAMMER_PORT = "/devices/pci0000:00/0000:00:14.0/usb1/1-7"
HAMMER = HAMMER_PORT + """
E: SUBSYSTEM=usb
E: DEVTYPE=usb_device
A: removable=fixed\\n

P: /devices/pci0000:00/0000:00:14.0/usb1/1-7/1-7:1.0/0003:18D1:503C.0002
E: SUBSYSTEM=hid
A: function_row_physmap=EA E9 E7 91 92 94 95 A0 AE B0\\n

""" + input_dev(HAMMER_PORT + "/1-7:1.0/0003:18D1:503C.0002/input/input6", "Google Inc. Hammer",
                "usb-0000:00:14.0-7/input0", "0003", KEYBOARD, "event6", "18d1", "503c")
CROS_EC = "/devices/platform/soc/11012000.spi/spi_master/spi2/spi2.0/cros-ec-dev.0.auto/cros-ec-keyb.1.auto"
KUKUI = """P: /devices/platform/soc/11012000.spi/spi_master/spi2/spi2.0/cros-ec-dev.0.auto
E: SUBSYSTEM=platform

P: """ + CROS_EC + """
E: SUBSYSTEM=platform
A: function_row_physmap=02 32 22 12 34 24 14 29 19 04\\n

""" + input_dev(CROS_EC + "/input/input2", "cros_ec", "cros-ec-keyb/input0", "0006",
                KEYBOARD, "event2", "0000", "0000")

scenarios = {
    "octopus-atkbd-healthy": (DMI_LAPTOP + "P: " + ATKBD + POWER_BUTTON,
                              {"event3": held(), "event1": held()}),
    "octopus-stuck-shift": (DMI_LAPTOP + "P: " + ATKBD, {"event3": held("LEFTSHIFT")}),
    "kukui-cros-ec-keyb": (KUKUI, {"event2": held()}),
    # only a USB keyboard (with a key held: not the Chromebook's problem)
    "laptop-usb-keyboard-only": (DMI_LAPTOP + "P: " + USB_KBD, {"event5": held("SPACE")}),
    # a detachable's keyboard base on a fixed USB port is the internal keyboard
    "detachable-hammer-base": (DMI_LAPTOP + "P: " + HAMMER, {"event6": held()}),
}
for name, (text, ioctls) in scenarios.items():
    with open(os.path.join(HERE, f"{name}.umockdev"), "w") as f:
        f.write(text.rstrip("\n") + "\n")
    for ev, body in ioctls.items():
        with open(os.path.join(HERE, f"{name}--{ev}.ioctl"), "w") as f:
            f.write(body)
