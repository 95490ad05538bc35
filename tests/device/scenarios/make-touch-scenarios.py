#!/usr/bin/env python3
"""Writes the touch test beds: NAME.umockdev (input devices with the kernel's
capability bits and input properties), NAME--eventN.ioctl (what EVIOCGABS
answers for /dev/input/eventN: each axis's value, minimum, maximum, fuzz,
flat and resolution) and NAME--eventN.evemu (the events it plays: a finger
tracing the pad's edges and diagonal, clicks, a two-finger scroll, a drawing
over the whole screen, a pen). Run again after changing; the outputs are
committed."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
DMI_LAPTOP = """P: /devices/virtual/dmi/id
E: SUBSYSTEM=dmi
A: sys_vendor=Google\\n
A: product_name=Bobba\\n
A: chassis_type=9\\n

"""
EV_SYN, EV_KEY, EV_ABS = 0, 1, 3
SYN_REPORT = 0
BTN_LEFT, BTN_RIGHT = 0x110, 0x111
BTN_TOOL_PEN, BTN_TOOL_FINGER, BTN_TOUCH = 0x140, 0x145, 0x14A
BTN_TOOL_DOUBLETAP, BTN_TOOL_TRIPLETAP = 0x14D, 0x14E
ABS_X, ABS_Y, ABS_PRESSURE = 0x00, 0x01, 0x18
ABS_MT_SLOT, ABS_MT_POSITION_X, ABS_MT_POSITION_Y, ABS_MT_TRACKING_ID = 0x2F, 0x35, 0x36, 0x39
ABS_MT_PRESSURE = 0x3A
PROP_POINTER, PROP_DIRECT, PROP_BUTTONPAD = 0, 1, 2


def caps(codes):
    """sysfs capabilities: 64-bit words, most significant first."""
    if not codes:
        return "0"
    words = [0] * (max(codes) // 64 + 1)
    for c in codes:
        words[c // 64] |= 1 << (c % 64)
    return " ".join("%x" % w for w in reversed(words))


def input_dev(path, name, phys, bustype, keys, absaxes, props, event):
    return f"""P: {path}
E: SUBSYSTEM=input
E: PRODUCT={bustype}/04f3/0001/100
A: name={name}\\n
A: phys={phys}\\n
A: id/bustype={bustype}\\n
A: id/vendor=04f3\\n
A: id/product=0001\\n
A: properties={caps(props)}\\n
A: capabilities/ev={caps([EV_SYN, EV_KEY, EV_ABS])}\\n
A: capabilities/key={caps(keys)}\\n
A: capabilities/abs={caps(absaxes)}\\n

P: {path}/{event}
N: input/{event}
E: SUBSYSTEM=input
E: DEVNAME=/dev/input/{event}

"""


def ioctls(axes):
    """EVIOCGABS(code) 0 <struct input_absinfo, little-endian hex>"""
    out = []
    for code, (lo, hi, res) in axes.items():
        raw = struct.pack("<6i", 0, lo, hi, 0, 0, res)
        out.append("EVIOCGABS(%d) 0 %s" % (code, raw.hex().upper()))
    return "\n".join(out) + "\n"


class Events:
    def __init__(self, t=0.3):
        self.t, self.lines = t, []

    def ev(self, typ, code, value):
        self.lines.append("E: %.6f %04x %04x %d" % (self.t, typ, code, value))

    def syn(self, dt=0.002):
        self.ev(EV_SYN, SYN_REPORT, 0)
        self.t += dt

    def text(self):
        return "\n".join(self.lines) + "\n"


# An Elan clickpad on I2C, as elan_i2c registers it: 3124 x 1807 at 31 units/mm, 5 slots
PAD_W, PAD_H = 3124, 1807
PAD_AXES = {ABS_X: (0, PAD_W, 31), ABS_Y: (0, PAD_H, 31), ABS_MT_SLOT: (0, 4, 0),
            ABS_MT_POSITION_X: (0, PAD_W, 31), ABS_MT_POSITION_Y: (0, PAD_H, 31),
            ABS_MT_TRACKING_ID: (0, 65535, 0)}
PAD_KEYS = [BTN_LEFT, BTN_TOOL_FINGER, BTN_TOUCH, BTN_TOOL_DOUBLETAP, BTN_TOOL_TRIPLETAP]
ELAN = ("/devices/pci0000:00/0000:00:15.0/i2c_designware.0/i2c-0/i2c-ELAN0000:00/input/input7",
        "Elan Touchpad", "i2c-ELAN0000:00", "0018", PAD_KEYS, list(PAD_AXES),
        [PROP_POINTER, PROP_BUTTONPAD], "event7")


def pad_trace(e, dead_corner=False, x0=0, y0=0, w=PAD_W, h=PAD_H):
    """One finger around the edge, then corner to corner; nothing is reported
    inside the bottom-right cell of the 8 x 5 grid when @dead_corner. A pad
    whose range starts at @x0, @y0 and spans @w x @h gets the same trace."""
    def at(x, y):
        if dead_corner and x >= 2735 and y >= 1447:
            return
        e.ev(EV_ABS, ABS_MT_POSITION_X, x0 + x * w // PAD_W)
        e.ev(EV_ABS, ABS_MT_POSITION_Y, y0 + y * h // PAD_H)
        e.syn()
    e.ev(EV_ABS, ABS_MT_SLOT, 0)
    e.ev(EV_ABS, ABS_MT_TRACKING_ID, 11)
    e.ev(EV_KEY, BTN_TOUCH, 1)
    e.ev(EV_KEY, BTN_TOOL_FINGER, 1)
    at(20, 20)
    for x in range(20, PAD_W - 19, 60):
        at(x, 20)
    for y in range(20, PAD_H - 19, 60):
        at(PAD_W - 20, y)
    for x in range(PAD_W - 20, 19, -60):
        at(x, PAD_H - 20)
    for y in range(PAD_H - 20, 19, -60):
        at(20, y)
    for i in range(0, 61):
        at(20 + (PAD_W - 40) * i // 60, 20 + (PAD_H - 40) * i // 60)
    e.ev(EV_ABS, ABS_MT_TRACKING_ID, -1)
    e.ev(EV_KEY, BTN_TOUCH, 0)
    e.ev(EV_KEY, BTN_TOOL_FINGER, 0)
    e.syn()


def pad_clicks(e, x0=0, y0=0, after=1.5):
    """@after: seconds from the trace's end, so that the clicks come once the
    click step has the device (umockdev plays one stream, timed from the
    first open; the trace step reads what comes while it waits)"""
    e.t += after
    # one finger, a click
    e.ev(EV_ABS, ABS_MT_SLOT, 0)
    e.ev(EV_ABS, ABS_MT_TRACKING_ID, 12)
    e.ev(EV_ABS, ABS_MT_POSITION_X, x0 + 1500)
    e.ev(EV_ABS, ABS_MT_POSITION_Y, y0 + 1200)
    e.ev(EV_KEY, BTN_TOUCH, 1)
    e.ev(EV_KEY, BTN_TOOL_FINGER, 1)
    e.syn(0.05)
    e.ev(EV_KEY, BTN_LEFT, 1)
    e.syn(0.08)
    e.ev(EV_KEY, BTN_LEFT, 0)
    e.syn(0.05)
    # a second finger beside it, and the click with both
    e.ev(EV_ABS, ABS_MT_SLOT, 1)
    e.ev(EV_ABS, ABS_MT_TRACKING_ID, 13)
    e.ev(EV_ABS, ABS_MT_POSITION_X, x0 + 1900)
    e.ev(EV_ABS, ABS_MT_POSITION_Y, y0 + 1200)
    e.ev(EV_KEY, BTN_TOOL_FINGER, 0)
    e.ev(EV_KEY, BTN_TOOL_DOUBLETAP, 1)
    e.syn(0.05)
    e.ev(EV_KEY, BTN_LEFT, 1)
    e.syn(0.08)
    e.ev(EV_KEY, BTN_LEFT, 0)
    e.syn(0.05)
    # both move up together: a scroll
    for y in range(1200, 500, -50):
        e.ev(EV_ABS, ABS_MT_SLOT, 0)
        e.ev(EV_ABS, ABS_MT_POSITION_Y, y0 + y)
        e.ev(EV_ABS, ABS_MT_SLOT, 1)
        e.ev(EV_ABS, ABS_MT_POSITION_Y, y0 + y)
        e.syn(0.01)
    e.ev(EV_ABS, ABS_MT_SLOT, 0)
    e.ev(EV_ABS, ABS_MT_TRACKING_ID, -1)
    e.ev(EV_ABS, ABS_MT_SLOT, 1)
    e.ev(EV_ABS, ABS_MT_TRACKING_ID, -1)
    e.ev(EV_KEY, BTN_TOOL_DOUBLETAP, 0)
    e.ev(EV_KEY, BTN_TOUCH, 0)
    e.syn()


# A convertible: a PS/2 Synaptics clickpad (two slots, no resolution), an I2C touchscreen
# with ten slots and its pen as a device of its own
SYN_AXES = {ABS_X: (1472, 5472, 0), ABS_Y: (1408, 4448, 0), ABS_PRESSURE: (0, 255, 0),
            ABS_MT_SLOT: (0, 1, 0), ABS_MT_POSITION_X: (1472, 5472, 0),
            ABS_MT_POSITION_Y: (1408, 4448, 0), ABS_MT_TRACKING_ID: (0, 65535, 0)}
SYNAPTICS = ("/devices/platform/i8042/serio1/input/input8", "SynPS/2 Synaptics TouchPad",
             "isa0060/serio1/input0", "0011", PAD_KEYS, list(SYN_AXES),
             [PROP_POINTER, PROP_BUTTONPAD], "event8")
TS_W, TS_H = 2560, 1440
TS_AXES = {ABS_X: (0, TS_W, 10), ABS_Y: (0, TS_H, 10), ABS_MT_SLOT: (0, 9, 0),
           ABS_MT_POSITION_X: (0, TS_W, 10), ABS_MT_POSITION_Y: (0, TS_H, 10),
           ABS_MT_TRACKING_ID: (0, 65535, 0)}
TS_PATH = "/devices/pci0000:00/0000:00:15.1/i2c_designware.1/i2c-1/i2c-ELAN9008:00/0018:04F3:2C82.0001/input"
SCREEN = (TS_PATH + "/input9", "ELAN9008:00 04F3:2C82", "i2c-ELAN9008:00", "0018",
          [BTN_TOUCH], list(TS_AXES), [PROP_DIRECT], "event9")
PEN_AXES = {ABS_X: (0, TS_W, 10), ABS_Y: (0, TS_H, 10), ABS_PRESSURE: (0, 4095, 0)}
PEN = (TS_PATH + "/input10", "ELAN9008:00 04F3:2C82 Stylus", "i2c-ELAN9008:00", "0018",
       [BTN_TOOL_PEN, BTN_TOUCH, 0x14B], list(PEN_AXES), [PROP_DIRECT], "event10")


def screen_draw(e):
    """One finger zigzags over all 8 x 5 cells."""
    e.ev(EV_ABS, ABS_MT_SLOT, 0)
    e.ev(EV_ABS, ABS_MT_TRACKING_ID, 21)
    e.ev(EV_KEY, BTN_TOUCH, 1)
    for row in range(5):
        y = TS_H * row // 5 + TS_H // 10
        xs = range(20, TS_W - 19, 80)
        for x in (xs if row % 2 == 0 else reversed(xs)):
            e.ev(EV_ABS, ABS_MT_POSITION_X, x)
            e.ev(EV_ABS, ABS_MT_POSITION_Y, y)
            e.syn()
    e.ev(EV_ABS, ABS_MT_TRACKING_ID, -1)
    e.ev(EV_KEY, BTN_TOUCH, 0)
    e.syn()


def pen_line(e):
    e.ev(EV_KEY, BTN_TOOL_PEN, 1)
    e.ev(EV_ABS, ABS_X, 300)
    e.ev(EV_ABS, ABS_Y, 300)
    e.syn(0.02)
    e.ev(EV_KEY, BTN_TOUCH, 1)
    for i, x in enumerate(range(300, 1500, 60)):
        e.ev(EV_ABS, ABS_X, x)
        e.ev(EV_ABS, ABS_PRESSURE, 200 + 100 * i)
        e.syn(0.005)
    e.ev(EV_KEY, BTN_TOUCH, 0)
    e.ev(EV_ABS, ABS_PRESSURE, 0)
    e.ev(EV_KEY, BTN_TOOL_PEN, 0)
    e.syn()


def write(name, text):
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        f.write(text)


def main():
    write("octopus-touchpad.umockdev", DMI_LAPTOP + input_dev(*ELAN))
    write("octopus-touchpad--event7.ioctl", ioctls(PAD_AXES))
    e = Events()
    pad_trace(e)
    pad_clicks(e)
    write("octopus-touchpad--event7.evemu", e.text())

    write("octopus-touchpad-dead-corner.umockdev", DMI_LAPTOP + input_dev(*ELAN))
    write("octopus-touchpad-dead-corner--event7.ioctl", ioctls(PAD_AXES))
    e = Events()
    pad_trace(e, dead_corner=True)
    pad_clicks(e, after=6.0)  # the trace step waits its 5 s first
    write("octopus-touchpad-dead-corner--event7.evemu", e.text())

    write("convertible-touchscreen-pen.umockdev",
          DMI_LAPTOP + input_dev(*SYNAPTICS) + input_dev(*SCREEN) + input_dev(*PEN))
    write("convertible-touchscreen-pen--event8.ioctl", ioctls(SYN_AXES))
    e = Events()
    pad_trace(e, x0=1472, y0=1408, w=4000, h=3040)
    pad_clicks(e, x0=1472, y0=1408)
    write("convertible-touchscreen-pen--event8.evemu", e.text())
    write("convertible-touchscreen-pen--event9.ioctl", ioctls(TS_AXES))
    write("convertible-touchscreen-pen--event10.ioctl", ioctls(PEN_AXES))
    e = Events()
    screen_draw(e)
    write("convertible-touchscreen-pen--event9.evemu", e.text())
    e = Events()
    pen_line(e)
    write("convertible-touchscreen-pen--event10.evemu", e.text())


main()
