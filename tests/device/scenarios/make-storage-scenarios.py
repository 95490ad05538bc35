#!/usr/bin/env python3
"""Writes the storage test beds (*.umockdev) in this folder.

Run it again after changing it; the outputs are committed. NVMe SMART logs are
built byte by byte (NVMe base spec, log page 0x02, little-endian) so that each
scenario's numbers are visible here.
"""
import struct

MMC_HOST = "/devices/pci0000:00/0000:00:1c.0/mmc_host/mmc0"
SD_HOST = "/devices/pci0000:00/0000:00:1c.1/mmc_host/mmc1"
NVME = "/devices/pci0000:00/0000:00:1d.0/0000:01:00.0/nvme/nvme0"
USB = "/devices/pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host0/target0:0:0/0:0:0:0"
DMI = """P: /devices/virtual/dmi/id
E: SUBSYSTEM=dmi
A: sys_vendor=Google\\n
A: product_name=Bobba\\n
A: chassis_type=9\\n

"""


def disk(path, name, sectors, removable=0, lbs=512, device_link=None, extra="", sub="block/"):
    s = f"""P: {path}/{sub}{name}
N: {name}
E: SUBSYSTEM=block
E: DEVTYPE=disk
E: DEVNAME=/dev/{name}
A: size={sectors}\\n
A: removable={removable}\\n
A: queue/logical_block_size={lbs}\\n
"""
    if device_link:
        s += f"L: device={device_link}\n"
    return s + extra + "\n"


def emmc(card, life, pre_eol, rev="0x8", name="DA4032", manfid="0x000045"):
    path = f"{MMC_HOST}/{card}"
    return disk(path, "mmcblk0", 61071360, device_link="../../../" + card) + \
        disk(path, "mmcblk0boot0", 8192) + disk(path, "mmcblk0rpmb", 8192) + f"""P: {path}
E: SUBSYSTEM=mmc
A: type=MMC\\n
A: name={name}\\n
A: manfid={manfid}\\n
A: serial=0x1a2b3c4d\\n
A: fwrev=0x0100000000000000\\n
A: rev={rev}\\n
A: date=03/2021\\n
A: life_time={life}\\n
A: pre_eol_info={pre_eol}\\n

"""


def smart_log(critical=0, kelvin=310, spare=100, spare_thresh=10, used=3,
              read=12_000_000, written=9_000_000, hours=1234, unsafe=17, media=0):
    b = bytearray(512)
    b[0] = critical
    struct.pack_into("<H", b, 1, kelvin)
    b[3], b[4], b[5] = spare, spare_thresh, used

    def u128(off, v):
        struct.pack_into("<QQ", b, off, v & (2**64 - 1), v >> 64)
    u128(32, read)
    u128(48, written)
    u128(112, 410)          # power cycles
    u128(128, hours)
    u128(144, unsafe)
    u128(160, media)
    return b.hex().upper()  # umockdev reads N: contents as upper-case hex only


def nvme(log_hex):
    # namespaces sit directly under the controller: .../nvme/nvme0/nvme0n1
    return disk(f"{NVME}", "nvme0n1", 500118192,
                device_link="../../nvme0", sub="") + f"""P: {NVME}
N: nvme0={log_hex}
E: SUBSYSTEM=nvme
A: model=KBG40ZNS256G NVMe KIOXIA 256GB\\n
A: serial=X0PA1234ABCD\\n
A: firmware_rev=10410104\\n
A: state=live\\n

"""


def sd_card():
    card = "mmc1:aaaa"
    path = f"{SD_HOST}/{card}"
    return disk(path, "mmcblk1", 62521344, device_link="../../../" + card) + f"""P: {path}
E: SUBSYSTEM=mmc
A: type=SD\\n
A: name=SC64G\\n
A: manfid=0x000003\\n
A: serial=0x0abc0def\\n

"""


def usb_stick():
    return disk(USB, "sda", 60063744, removable=1, device_link="../../../0:0:0:0") + f"""P: {USB}
E: SUBSYSTEM=scsi
A: vendor=SanDisk \\n
A: model=Ultra Fit       \\n
A: rev=1.00\\n

"""


scenarios = {
    "octopus-emmc-healthy": DMI + emmc("mmc0:0001", "0x01 0x02", "0x01"),
    "octopus-emmc-pre-eol-warning": DMI + emmc("mmc0:0001", "0x05 0x06", "0x02"),
    "octopus-emmc-life-exhausted": DMI + emmc("mmc0:0001", "0x0b 0x0b", "0x03"),
    "old-emmc-4.5": DMI + emmc("mmc0:0001", "0x00 0x00", "0x00", rev="0x6"),
    "nvme-healthy": DMI + nvme(smart_log()),
    "nvme-failing": DMI + nvme(smart_log(critical=0x05, spare=4, spare_thresh=10, used=103,
                                         media=42, kelvin=358, hours=20000)),
    "emmc-with-sd-and-usb-stick": DMI + emmc("mmc0:0001", "0x02 0x03", "0x01") + sd_card()
    + usb_stick(),
    "only-removable-media": DMI + sd_card() + usb_stick(),
}

for name, text in scenarios.items():
    with open(f"{name}.umockdev", "w") as f:
        f.write(text.rstrip("\n") + "\n")
