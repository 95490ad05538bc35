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

# ---- key test streams (NAME--event3.evemu), for the interactive key test ----
# keycodes from the kernel's header on the build machine
CODES = {}
for line in open("/usr/include/linux/input-event-codes.h"):
    p = line.split()
    if len(p) >= 3 and p[0] == "#define" and p[1].startswith("KEY_"):
        try:
            CODES[p[1][4:]] = int(p[2], 0)
        except ValueError:
            pass
LAYOUT = ["ESC", "GRAVE", "1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "MINUS", "EQUAL",
          "BACKSPACE", "TAB", "Q", "W", "E", "R", "T", "Y", "U", "I", "O", "P", "LEFTBRACE",
          "RIGHTBRACE", "BACKSLASH", "LEFTMETA", "A", "S", "D", "F", "G", "H", "J", "K", "L",
          "SEMICOLON", "APOSTROPHE", "ENTER", "LEFTSHIFT", "Z", "X", "C", "V", "B", "N", "M",
          "COMMA", "DOT", "SLASH", "RIGHTSHIFT", "LEFTCTRL", "LEFTALT", "SPACE", "RIGHTALT",
          "RIGHTCTRL", "LEFT", "UP", "DOWN", "RIGHT"]
TOP = [(0xEA, "BACK"), (0xE9, "FORWARD"), (0xE7, "REFRESH"), (0x91, "FULL_SCREEN"),
       (0x92, "SCALE"), (0x94, "BRIGHTNESSDOWN"), (0x95, "BRIGHTNESSUP"), (0xA0, "MUTE"),
       (0xAE, "VOLUMEDOWN"), (0xB0, "VOLUMEUP")]


def ev(t, typ, code, value):
    return "E: %d.%06d %04x %04x %d\n" % (int(t), round((t % 1) * 1e6), typ, code, value)


def tap(t, code, scan, hold=0.02):
    return (ev(t, 4, 4, scan) + ev(t, 1, code, 1) + ev(t, 0, 0, 0)
            + ev(t + hold, 4, 4, scan) + ev(t + hold, 1, code, 0) + ev(t + hold, 0, 0, 0))


def stream_all_keys():
    t, out = 0.5, ""
    out += tap(t, CODES["ESC"], 1)
    for scan, name in TOP:
        t += 0.04
        out += tap(t, CODES[name], scan)
    for name in LAYOUT[1:]:
        t += 0.04
        out += tap(t, CODES[name], 0x80 | (CODES[name] & 0x7f) if name == "LEFTMETA" else CODES[name] & 0x7f)
        if name == "E":  # a bouncing switch: a second press 12 ms after the first
            out += tap(t + 0.012, CODES[name], CODES[name] & 0x7f, 0.005)
    return out


def stream_give_up():
    return (tap(0.3, CODES["A"], 0x1e)
            + ev(0.6, 4, 4, 1) + ev(0.6, 1, CODES["ESC"], 1) + ev(0.6, 0, 0, 0)
            + ev(3.2, 4, 4, 1) + ev(3.2, 1, CODES["ESC"], 0) + ev(3.2, 0, 0, 0))


for name, stream in {"octopus-keytest-all-keys": stream_all_keys(),
                     "octopus-keytest-give-up": stream_give_up()}.items():
    with open(os.path.join(HERE, f"{name}.umockdev"), "w") as f:
        f.write((DMI_LAPTOP + "P: " + ATKBD).rstrip("\n") + "\n")
    with open(os.path.join(HERE, f"{name}--event3.ioctl"), "w") as f:
        f.write(held())
    with open(os.path.join(HERE, f"{name}--event3.evemu"), "w") as f:
        f.write(stream)
