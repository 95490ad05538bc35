#!/usr/bin/python3
"""Drive the colour-pattern test in a bench guest, as an intern would, and
prove the pixels reach the screen.

    drive-patterns.py WORKDIR QEMU ARG...

Starts QEMU with the guest's serial console on a socket and a QMP socket
(added here), answers cbdiag's prompts over the serial console, and while each
pattern is up takes a QMP screendump and checks every pixel of a sample grid
against the colour that pattern must show. On "grey" it answers "d" (dead
pixels), so the marking path is checked through to the report. After the test
the checkerboard must be gone (the console is back). Everything the guest
printed goes to WORKDIR/serial.log for run-bench.sh to take the report from.
Prints ok/FAIL lines; exit status = failures.
"""
import json
import os
import re
import socket
import subprocess
import sys
import time

COLOURS = {"red": (255, 0, 0), "green": (0, 255, 0), "blue": (0, 0, 255),
           "white": (255, 255, 255), "black": (0, 0, 0), "grey": (128, 128, 128)}
MARK = {"grey": "d"}  # the defect the scripted intern reports, per pattern


def connect(path, deadline):
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            return s
        except OSError:
            s.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class Qmp:
    def __init__(self, path, deadline):
        self.s = connect(path, deadline)
        self.f = self.s.makefile("rw")
        json.loads(self.f.readline())  # greeting
        self.cmd("qmp_capabilities")

    def cmd(self, name, **args):
        self.f.write(json.dumps({"execute": name, "arguments": args}) + "\n")
        self.f.flush()
        while True:
            r = json.loads(self.f.readline())
            if "return" in r or "error" in r:
                return r


def read_ppm(path):
    """-> width, height, row stride in bytes, RGB bytes. QEMU 7.2 writes each
    row padded to a multiple of 4 bytes (1366 pixels: 4100 bytes, not 4098),
    so the stride comes from the data's size."""
    with open(path, "rb") as f:
        data = f.read()
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    w, h = int(m.group(1)), int(m.group(2))
    px = data[m.end():]
    stride = len(px) // h
    if stride < w * 3:
        raise ValueError("%s: %d bytes for %dx%d pixels" % (path, len(px), w, h))
    return w, h, stride, px


def expected(name, x, y):
    if name == "checkerboard":
        return (0, 0, 0) if (x ^ y) & 1 else (255, 255, 255)
    return COLOURS[name]


def check_screen(qmp, workdir, name, tries=40):
    """Screendump until the pattern shows (the host copy follows the guest's
    flush asynchronously), at most ~4 s. Returns (ok, detail)."""
    path = os.path.join(workdir, "screen-%s.ppm" % name)
    bad = ""
    for _ in range(tries):
        r = qmp.cmd("screendump", filename=path)
        if "error" in r:
            return False, "screendump failed: %s" % r["error"]
        w, h, stride, px = read_ppm(path)
        # a grid of 64 x 48 points plus the four corners and their neighbours
        pts = [(x * (w - 1) // 63, y * (h - 1) // 47) for x in range(64) for y in range(48)]
        pts += [(0, 0), (1, 0), (0, 1), (w - 1, h - 1), (w - 2, h - 1), (w - 1, 0), (0, h - 1)]
        bad = ""
        for x, y in pts:
            i = y * stride + x * 3
            got = tuple(px[i:i + 3])
            if got != expected(name, x, y):
                bad = "pixel (%d,%d) is %s, want %s" % (x, y, got, expected(name, x, y))
                break
        if not bad:
            return True, "%dx%d, %d pixels checked" % (w, h, len(pts))
        time.sleep(0.1)
    return False, bad


def main():
    workdir, qemu = sys.argv[1], sys.argv[2:]
    ser_path = os.path.join(workdir, "serial.sock")
    qmp_path = os.path.join(workdir, "qmp.sock")
    for p in (ser_path, qmp_path):
        if os.path.exists(p):
            os.unlink(p)
    log = open(os.path.join(workdir, "serial.log"), "wb")
    proc = subprocess.Popen(qemu + [
        "-chardev", "socket,id=ser,path=%s,server=on,wait=on" % ser_path,
        "-serial", "chardev:ser",
        "-qmp", "unix:%s,server=on,wait=off" % qmp_path],
        stdin=subprocess.DEVNULL, stdout=open(os.path.join(workdir, "qemu.log"), "wb"),
        stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    ser = connect(ser_path, deadline)
    qmp = Qmp(qmp_path, deadline)
    fails = 0
    seen = []
    buf = b""
    ser.settimeout(1.0)
    end = time.monotonic() + 240
    while time.monotonic() < end:
        try:
            chunk = ser.recv(4096)
        except socket.timeout:
            if proc.poll() is not None:
                break
            continue
        if not chunk:
            break
        log.write(chunk)
        log.flush()
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            text = line.decode("utf-8", "replace")
            if "Colour-pattern test" in text and ">>" in text:
                ser.sendall(b"\r")
                continue
            m = re.search(r"Pattern (\d) of (\d): (\w+)\.", text)
            if m:
                name = m.group(3)
                ok, detail = check_screen(qmp, workdir, name)
                fails += not ok
                seen.append(name)
                print("%s the %s pattern reaches the screen (%s)" % ("ok  " if ok else "FAIL", name, detail))
                ser.sendall(MARK.get(name, "").encode() + b"\r")
            if text.startswith("CBDIAG-EXIT="):
                # the test is over: the console must be back, not the last pattern
                r = qmp.cmd("screendump", filename=os.path.join(workdir, "screen-after.ppm"))
                w, h, stride, px = read_ppm(os.path.join(workdir, "screen-after.ppm"))
                pts = [y * stride + x * 3 for y in range(0, h, 7) for x in range(0, w, 5)]
                share = sum(1 for i in pts if px[i] > 200) / len(pts)
                ok = share < 0.05
                fails += not ok
                print("%s the console is back after the test (%.1f %% light pixels)" % ("ok  " if ok else "FAIL", share * 100))
    want = ["red", "green", "blue", "white", "black", "grey", "checkerboard"]
    if seen != want:
        print("FAIL patterns shown: %s (want %s)" % (seen, want))
        fails += 1
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        print("FAIL the guest did not power off")
        fails += 1
    return min(fails, 100)


if __name__ == "__main__":
    sys.exit(main())
