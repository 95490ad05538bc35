#!/usr/bin/env python3
"""Writes the USB test bed chromebook-usb.umockdev: an xHCI controller with a
USB2 and a USB3 root hub as a Chromebook has them — two USB-A and two USB-C
connectors (each a USB2/USB3 pair linked by `peer`, the USB-C ones with their
Type-C `connector`, the first with two over-current events), a hardwired
camera and Bluetooth (no strings: names from the hwdb), a hub on the first
USB-A port with a mouse behind it, a USB3 stick on the first USB-C port at
5000 Mb/s, and a USB 3 Ethernet adapter at 480 Mb/s on the second USB-A
connector; the Type-C class as the ChromeOS EC's typec driver makes it: port0
(the first USB-C) with a PD partner, source and host, cable orientation
normal, its EC charger delivering 20 V / 3 A over PD; port1 (the second)
empty; and a kernel log (/dev/kmsg, which umockdev
serves from the node's content) where a device on the USB-A port failed to
enumerate three times among ordinary records. libusb reads the same sysfs (busnum, devnum, speed and the
binary descriptors). Run again after changing; the output is committed.
umockdev wants hex in upper case."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
XHCI = "/devices/pci0000:00/0000:00:14.0"


def descriptors(bcd_usb, cls, vid, pid, mps=64):
    dev = struct.pack("<BBHBBBBHHHBBBB", 18, 1, bcd_usb, cls, 0, 0, mps, vid, pid, 0x0100,
                      1, 2, 0, 1)
    cfg = struct.pack("<BBHBBBBB", 9, 2, 9, 0, 1, 0, 0x80, 50)
    return (dev + cfg).hex().upper()


def usb_device(path, bus, dev, speed, bcd_usb, cls, vid, pid, manufacturer=None,
               product=None, removable="removable"):
    s = f"""P: {path}
N: bus/usb/{bus:03d}/{dev:03d}
E: SUBSYSTEM=usb
E: DEVTYPE=usb_device
E: DEVNAME=/dev/bus/usb/{bus:03d}/{dev:03d}
E: BUSNUM={bus:03d}
E: DEVNUM={dev:03d}
A: busnum={bus}\\n
A: devnum={dev}\\n
A: speed={speed}\\n
A: idVendor={vid:04x}\\n
A: idProduct={pid:04x}\\n
A: bDeviceClass={cls:02x}\\n
A: removable={removable}\\n
H: descriptors={descriptors(bcd_usb, cls, vid, pid)}
"""
    if manufacturer:
        s += f"A: manufacturer={manufacturer}\\n\n"
    if product:
        s += f"A: product={product}\\n\n"
    return s + "\n"


def place(panel, vpos="center", hpos="center", dock="no", lid="no"):
    """physical_location/ as the kernel (6.0+) makes it from ACPI's _PLD"""
    return (f"A: physical_location/panel={panel}\\n\nA: physical_location/vertical_position={vpos}\\n\n"
            f"A: physical_location/horizontal_position={hpos}\\n\nA: physical_location/dock={dock}\\n\n"
            f"A: physical_location/lid={lid}\\n\n")


def port(hub_if, name, connect_type, over_current=0, peer=None, connector=None, pld=None):
    # port devices have no subsystem in the kernel; umockdev needs one
    s = f"""P: {hub_if}/{name}
E: SUBSYSTEM=usb
E: DEVTYPE=usb_port
A: connect_type={connect_type}\\n
A: over_current_count={over_current}\\n
"""
    if pld:
        s += pld
    if peer:
        s += f"L: peer={peer}\n"
    if connector:
        s += f"L: connector={connector}\n"
    return s + "\n"


def chromebook(pld=False):
    """pld: the firmware's _PLD on the ports (the kernel's physical_location/):
    the first USB-C (EC port0) on the left; both USB-A on the right, one
    above the other; the second USB-C only on its Type-C port (its USB ports
    without one)"""
    here = {}
    if pld:
        here = {"usb1-port1": place("right", "lower"), "usb2-port1": place("right", "lower"),
                "usb1-port2": place("left"), "usb2-port2": place("left"),
                "usb1-port6": place("right", "upper"), "usb2-port6": place("right", "upper")}
    pl = here.get
    u1, u2 = XHCI + "/usb1", XHCI + "/usb2"
    h1, h2 = u1 + "/1-0:1.0", u2 + "/2-0:1.0"
    out = f"""P: {XHCI}
E: SUBSYSTEM=pci
E: DRIVER=xhci_hcd

"""
    out += usb_device(u1, 1, 1, "480", 0x0200, 9, 0x1d6b, 0x0002, "Linux xhci-hcd",
                      "xHCI Host Controller")
    out += f"P: {h1}\nE: SUBSYSTEM=usb\nE: DEVTYPE=usb_interface\n\n"
    out += port(h1, "usb1-port1", pld=pl("usb1-port1"), connect_type="hotplug", peer="../../../usb2/2-0:1.0/usb2-port1")
    out += port(h1, "usb1-port2", pld=pl("usb1-port2"), connect_type="hotplug", peer="../../../usb2/2-0:1.0/usb2-port2")
    out += port(h1, "usb1-port3", pld=pl("usb1-port3"), connect_type="hardwired")
    out += port(h1, "usb1-port4", pld=pl("usb1-port4"), connect_type="hardwired")
    out += port(h1, "usb1-port5", pld=pl("usb1-port5"), connect_type="hotplug", peer="../../../usb2/2-0:1.0/usb2-port5")
    out += port(h1, "usb1-port6", pld=pl("usb1-port6"), connect_type="hotplug", peer="../../../usb2/2-0:1.0/usb2-port6")
    out += usb_device(u2, 2, 1, "5000", 0x0300, 9, 0x1d6b, 0x0003, "Linux xhci-hcd",
                      "xHCI Host Controller")
    out += f"P: {h2}\nE: SUBSYSTEM=usb\nE: DEVTYPE=usb_interface\n\n"
    out += port(h2, "usb2-port1", pld=pl("usb2-port1"), connect_type="hotplug", peer="../../../usb1/1-0:1.0/usb1-port1")
    out += port(h2, "usb2-port2", pld=pl("usb2-port2"), connect_type="hotplug", over_current=2,
                peer="../../../usb1/1-0:1.0/usb1-port2",
                connector="../../../../../../class/typec/port0")
    # the second USB-C and the second USB-A connector
    out += port(h2, "usb2-port5", pld=pl("usb2-port5"), connect_type="hotplug", peer="../../../usb1/1-0:1.0/usb1-port5",
                connector="../../../../../../class/typec/port1")
    out += port(h2, "usb2-port6", pld=pl("usb2-port6"), connect_type="hotplug", peer="../../../usb1/1-0:1.0/usb1-port6")
    # a hub on the USB-A port with a mouse behind it (full speed)
    out += usb_device(u1 + "/1-1", 1, 2, "480", 0x0200, 9, 0x05e3, 0x0610, None, "USB2.0 Hub")
    out += usb_device(u1 + "/1-1/1-1.3", 1, 5, "12", 0x0110, 0, 0x046d, 0xc077, "Logitech",
                      "USB Optical Mouse")
    # the camera and Bluetooth, hardwired
    out += usb_device(u1 + "/1-3", 1, 3, "480", 0x0200, 0xef, 0x0c45, 0x6a05, "Sonix",
                      "HD WebCam", removable="fixed")
    out += usb_device(u1 + "/1-4", 1, 4, "12", 0x0201, 0xe0, 0x8087, 0x0026, None, None,
                      removable="fixed")
    # a USB3 stick on the USB-C port
    out += usb_device(u2 + "/2-2", 2, 2, "5000", 0x0320, 0, 0x0781, 0x5581, "SanDisk",
                      "Ultra")
    # a USB 3 Ethernet adapter that came up at 480 Mb/s on the second USB-A
    # connector, a SuperSpeed one: on the USB2 root hub's port
    out += usb_device(u1 + "/1-6", 1, 6, "480", 0x0300, 0, 0x0bda, 0x8153, "Realtek",
                      "USB 10/100/1000 LAN")
    # the Type-C connector class (cros_ec_typec): port0 with a partner, port1 empty
    ec = "/devices/platform/GOOG0014:00/typec"
    out += f"""P: {ec}/port0
E: SUBSYSTEM=typec
E: DEVTYPE=typec_port
A: data_role=[host] device\\n
A: power_role=[source] sink\\n
A: power_operation_mode=usb_power_delivery\\n
A: usb_power_delivery_revision=3.0\\n
A: orientation=normal\\n

P: {ec}/port0/port0-partner
E: SUBSYSTEM=typec
E: DEVTYPE=typec_partner
A: supports_usb_power_delivery=yes\\n
A: accessory_mode=none\\n

P: {ec}/port1
E: SUBSYSTEM=typec
E: DEVTYPE=typec_port
{place("right") if pld else ""}A: data_role=host [device]\\n
A: power_role=source [sink]\\n
A: power_operation_mode=default\\n
A: usb_power_delivery_revision=0.0\\n
A: orientation=unknown\\n

"""
    # the EC's charger on port0: a 20 V, 3 A USB-PD charger
    out += """P: /devices/platform/GOOG0004:00/cros-usbpd-charger.3.auto/power_supply/CROS_USBPD_CHARGER0
E: SUBSYSTEM=power_supply
E: POWER_SUPPLY_NAME=CROS_USBPD_CHARGER0
A: type=USB\\n
A: online=1\\n
A: usb_type=Unknown SDP DCP CDP C [PD] PD_DRP\\n
A: voltage_now=20000000\\n
A: current_max=3000000\\n

"""
    # the kernel log, as /dev/kmsg hands it out: "prio,seq,usec,flags;text" and
    # continuation lines
    kmsg = "".join(f"{p},{i},{ts},-;{text}\n SUBSYSTEM=usb\n"
                   for i, (p, ts, text) in enumerate([
                       (6, 1200000, "usb 1-1: new high-speed USB device number 2 using xhci_hcd"),
                       (3, 2100000, "usb 1-2: device descriptor read/64, error -71"),
                       (3, 2400000, "usb 1-2: device descriptor read/64, error -71"),
                       (3, 3000000, "usb usb1-port2: unable to enumerate USB device"),
                       (6, 3100000, "usb 2-2: new SuperSpeed USB device number 2 using xhci_hcd"),
                   ]))
    out += f"P: /devices/virtual/mem/kmsg\nN: kmsg={kmsg.encode().hex().upper()}\n"
    out += "E: SUBSYSTEM=mem\nE: DEVNAME=/dev/kmsg\n\n"
    out += "P: /devices/virtual/dmi/id\nE: SUBSYSTEM=dmi\nA: chassis_type=9\\n\n\n"
    return out


with open(os.path.join(HERE, "chromebook-usb.umockdev"), "w") as f:
    f.write(chromebook())
with open(os.path.join(HERE, "chromebook-usb-pld.umockdev"), "w") as f:
    f.write(chromebook(pld=True))
