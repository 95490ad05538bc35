#!/usr/bin/env python3
"""Writes the display test beds (*.umockdev) in this folder from real panel
EDIDs in tests/fixtures/edid. Run it again after changing it; the outputs are
committed. umockdev wants binary attributes (H:) as upper-case hex."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
EDID_DIR = os.path.join(HERE, "..", "..", "fixtures", "edid")
GPU = "/devices/pci0000:00/0000:00:02.0/drm/card0"
DMI_LAPTOP = """P: /devices/virtual/dmi/id
E: SUBSYSTEM=dmi
A: sys_vendor=Google\\n
A: product_name=Bobba\\n
A: chassis_type=9\\n

"""
DMI_DESKTOP = DMI_LAPTOP.replace("chassis_type=9", "chassis_type=3").replace("Bobba", "Fizz")


def edid(name, corrupt=False):
    b = bytearray(open(os.path.join(EDID_DIR, name), "rb").read())
    if corrupt:
        b[127] ^= 0x5a  # a flipped checksum: what a loose eDP cable often gives
    return b.hex().upper()


def card(gpu=GPU, name="card0"):
    return f"""P: {gpu}
N: dri/{name}
E: SUBSYSTEM=drm
E: DEVTYPE=drm_minor

"""


def connector(conn, status, edid_hex=None, modes=(), gpu=GPU, cardname="card0"):
    s = f"""P: {gpu}/{cardname}-{conn}
E: SUBSYSTEM=drm
E: DEVTYPE=drm_connector
A: status={status}\\n
A: enabled={"enabled" if status == "connected" else "disabled"}\\n
A: dpms=On\\n
A: modes={"".join(m + chr(92) + "n" for m in modes)}
"""
    s += f"H: edid={edid_hex}\n" if edid_hex else "A: edid=\n"
    return s + "\n"


def backlight(path, name, typ, maxb, cur):
    return f"""P: {path}/{name}
E: SUBSYSTEM=backlight
A: type={typ}\\n
A: max_brightness={maxb}\\n
A: brightness={cur}\\n
A: actual_brightness={cur}\\n

"""


# a BOE NV116WHM-N45, the 11.6" 1366x768 eDP panel of many school Chromebooks
PANEL = "BOE0A5D-5EB8EC5DADF7.bin"
SPWG = "AUO2077-44DCFAD07307.bin"
ACPI_VIDEO = "/devices/LNXSYSTM:00/LNXSYBUS:00/PNP0A08:00/LNXVIDEO:00/backlight"

scenarios = {
    # healthy eDP panel, two backlights: the firmware one must be reported
    "octopus-edp-healthy": DMI_LAPTOP + card() + connector("eDP-1", "connected", edid(PANEL), ["1366x768"])
    + connector("DP-1", "disconnected") + connector("HDMI-A-1", "disconnected")
    + backlight(f"{GPU}/card0-eDP-1", "intel_backlight", "raw", 19200, 9600)
    + backlight(ACPI_VIDEO, "acpi_video0", "firmware", 100, 50),
    # a loose eDP cable: the EDID arrives with a bad checksum
    "octopus-edp-bad-checksum": DMI_LAPTOP + card() + connector("eDP-1", "connected", edid(PANEL, True), ["1366x768"])
    + backlight(f"{GPU}/card0-eDP-1", "intel_backlight", "raw", 19200, 9600),
    # connected but no EDID at all
    "octopus-edp-no-edid": DMI_LAPTOP + card() + connector("eDP-1", "connected", None, ["1366x768"]),
    # the panel is gone; an external monitor is plugged in
    "laptop-edp-disconnected": DMI_LAPTOP + card() + connector("eDP-1", "disconnected")
    + connector("HDMI-A-1", "connected", edid(PANEL), ["1920x1080"]),
    # an older SPWG-layout panel: the part number comes from the SPWG descriptor
    "spwg-panel": DMI_LAPTOP + card() + connector("eDP-1", "connected", edid(SPWG), ["1440x900"])
    + backlight(f"{GPU}/card0-eDP-1", "intel_backlight", "raw", 4882, 0),
    # an ARM board's MIPI DSI panel: no EDID, and that is normal
    "trogdor-dsi-panel": """P: /devices/platform/soc/ae00000.mdss/ae01000.display-controller/drm/card0
N: dri/card0
E: SUBSYSTEM=drm

""" + connector("DSI-1", "connected", None, ["1920x1080"], "/devices/platform/soc/ae00000.mdss/ae01000.display-controller/drm/card0")
    + backlight("/devices/platform/backlight", "backlight", "raw", 4095, 2048),
    # no display driver for the GPU (a repair image without it): no DRM at
    # all, only coreboot's framebuffer through simplefb
    "zork-simplefb-only": DMI_LAPTOP + """P: /devices/platform/simple-framebuffer.0/graphics/fb0
N: fb0
E: SUBSYSTEM=graphics
A: name=simple\\n
A: virtual_size=1366,768\\n
A: bits_per_pixel=32\\n
A: stride=5464\\n

""",
    # a Chromebox on a monitor: no internal screen, not a failure
    "desktop-hdmi-only": DMI_DESKTOP + card() + connector("HDMI-A-1", "connected", edid(PANEL), ["1920x1080"]),
}

for name, text in scenarios.items():
    with open(os.path.join(HERE, f"{name}.umockdev"), "w") as f:
        f.write(text.rstrip("\n") + "\n")
print("panel EDID:", PANEL)
