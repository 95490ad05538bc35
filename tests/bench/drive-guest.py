#!/usr/bin/python3
"""An intern at a bench guest's console, scripted: cbdiag's interactive steps
driven through QEMU, checked from outside the guest.

    drive-guest.py patterns|patterns-interrupt|keys|ports|intern|inject|charger|lid|audio WORKDIR QEMU ARG...

Starts QEMU with the guest's serial console on a socket and a QMP socket
(added here) and answers cbdiag's prompts over the serial console.

patterns: while each colour pattern is up, takes a QMP screendump and checks a
grid of pixels against the colour that pattern must show, then presses Enter;
when the question comes, the pattern must be gone (the question is where the
intern can read it). On "grey" it answers "d" (dead pixels); on "white" it
types "l" (lines) while the pattern is still up, which must be taken as the
answer (no question follows), so both paths are checked through to the
report. After the test the checkerboard must be gone (the console is back).

patterns-interrupt: the same, but Ctrl-C on the console while green is up:
the console must come back all the same, and the report say "interrupted".

keys: when the key test starts, presses the keys of the Chromebook layout on
the guest's PS/2 keyboard with QMP input-send-event: "a" twice in one burst
(chatter), every other key once except "m" (a dead key), then holds Esc for
3 s to end the test. The report must show exactly that.

ports: answers the first step (unplug everything) with Enter; when the port
test asks for a port, by the name the intern reads, plugs the stick into it
with QMP device_add (per PORT_NAMES and PORT_PLAN: the port's controller and
number), or answers "s" to skip it; unplugs it with device_del when asked to.
Checks that each arrival was reported in words (full speed, slowly, works),
and how long after device_add it reached the console.

intern: the repair image's own flow (cbdiag.intern=1): types the ticket
number and initials, gives up on the key test with Esc held, skips the
colour patterns and every port, and checks the report was saved on the
stick's CBDIAG partition.

inject: when the guest's init waits (cbdiag.wait=1), sets the NVMe's
smart_critical_warning over QMP qom-set, then lets the run go on.

charger: the battery's charge and discharge tests: plugs and unplugs the
charger by rewriting the ACPI battery's page (WORKDIR/battery.page) when
cbdiag asks, with the charge moving as a real battery's would.

audio: the speaker and microphone steps: answers yes to both tones (the
host checks afterwards, in what QEMU played, that each was there on its
side: check-tone.py) and starts the microphone test; the guest's microphone
hears what the scenario's ALSA configuration feeds QEMU (run-bench.sh).
audio-interrupt: the same, but Ctrl-C on the console while the left tone
plays (a by-hand check of the mixer's guard process; see probes/audio/README.md).

lid: the lid and power-button steps: closes the lid by rewriting the ACPI
lid's word on the battery page (lid.asl, WORKDIR/battery.page) when cbdiag
asks, opens it again 3 s later, and presses the ACPI power button with QMP
system_powerdown; the guest must carry on to its report (nothing in it may
power off on the press).

Everything the guest printed goes to WORKDIR/serial.log for run-bench.sh to
take the report from. Prints ok/FAIL lines; exit status = failures.
"""
import json
import os
import threading
import re
import socket
import subprocess
import sys
import time

COLOURS = {"red": (255, 0, 0), "green": (0, 255, 0), "blue": (0, 0, 255),
           "white": (255, 255, 255), "black": (0, 0, 0), "grey": (128, 128, 128)}
# the defect the scripted intern reports, per pattern: grey's when asked, white's
# typed while white is still up (the answer ahead of the question)
MARK = {"grey": "d", "white": "l"}
INTERRUPT_AT = "green"  # patterns-interrupt: Ctrl-C while this one is up
# ports: what the scripted intern plugs into (controller, port number); the
# first device added is the one device_del takes away again
PORT_PLAN = {
    ("xhci", 2): [("usb-storage", {"bus": "xhci.0", "port": "2", "drive": "ps1", "id": "st1"})],
    # a USB 1.1 hub with the stick behind it: a SuperSpeed connector at USB 2
    ("xhci", 3): [("usb-hub", {"bus": "xhci.0", "port": "3", "id": "hub3"}),
                  ("usb-storage", {"bus": "xhci.0", "port": "3.1", "drive": "ps2", "id": "st2"})],
    # a USB 2 device (QEMU's tablet) on a SuperSpeed connector: 480 Mb/s
    ("xhci", 4): [("usb-tablet", {"bus": "xhci.0", "port": "4", "id": "tab4"})],
    ("ehci", 1): [("usb-storage", {"bus": "ehci.0", "port": "1", "drive": "ps3", "id": "st3"})],
}
# what the console must say of each: the figures (5000, 12, 480, 480 Mb/s)
# are in the report for staff, the intern reads words
WANT_SAID = {("xhci", 2): "full speed", ("xhci", 3): "slowly", ("xhci", 4): "slowly",
             ("ehci", 1): "works"}
# The names the port test gives QEMU's ports: they have no _PLD (no
# physical_location/) and there is no Type-C class, so cbdiag numbers the
# connectors in the order the firmware lists them: the xhci's four (each a
# USB2 and USB3 port pair: usb1-portN/usb2-portN), then the ehci's six
# (usb3-port1..6). The scenario's expectations bind each name to its kernel
# ports (port_test.ports[].kernel_name).
PORT_NAMES = {"USB port %d" % n: ("xhci", n) for n in range(1, 5)}
PORT_NAMES.update({"USB port %d" % (n + 4): ("ehci", n) for n in range(1, 7)})


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


def pattern_left(qmp, workdir, name, tag=None):
    """The share of a pattern's own (non-black) pixels still on the screen:
    the console is black with a little text, so a pattern that is gone
    leaves a few percent at most. The black pattern has no pixels of its own:
    it is gone when the console's text shows (1.0 until a non-black pixel
    does)."""
    path = os.path.join(workdir, "screen-%s.ppm" % (tag or "question-" + name))
    share = 1.0
    # the host's copy follows the guest's asynchronously: up to ~4 s
    for _ in range(40):
        qmp.cmd("screendump", filename=path)
        w, h, stride, px = read_ppm(path)
        pts = [(x, y) for y in range(0, h, 7) for x in range(0, w, 5)]
        if name == "black":
            lit = any(tuple(px[y * stride + x * 3:y * stride + x * 3 + 3]) != (0, 0, 0)
                      for x, y in pts)
            share = 0.0 if lit else 1.0
            if lit:
                break
            time.sleep(0.1)
            continue
        same = 0
        for x, y in pts:
            want_px = expected(name, x, y)
            i = y * stride + x * 3
            same += want_px != (0, 0, 0) and tuple(px[i:i + 3]) == want_px
        share = same / len(pts)
        if share < 0.05:
            break
        time.sleep(0.1)
    return share


# the key test's layout (probes/keyboard/keytest.c) as QEMU qcodes, Esc apart
LAYOUT = (["f%d" % i for i in range(1, 11)] +
          ["grave_accent", "1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "minus", "equal",
           "backspace", "tab", "q", "w", "e", "r", "t", "y", "u", "i", "o", "p", "bracket_left",
           "bracket_right", "backslash", "meta_l", "a", "s", "d", "f", "g", "h", "j", "k", "l",
           "semicolon", "apostrophe", "ret", "shift", "z", "x", "c", "v", "b", "n", "m", "comma",
           "dot", "slash", "shift_r", "ctrl", "alt", "spc", "alt_r", "ctrl_r", "left", "up",
           "down", "right"])
DEAD = "m"


def key(qcode, down):
    return {"type": "key", "data": {"down": down, "key": {"type": "qcode", "data": qcode}}}


class Serial:
    """The guest's console: every byte goes to the log; lines come back."""

    def __init__(self, sock, log):
        self.sock, self.log, self.buf = sock, log, b""
        self.sock.settimeout(0.2)
        self.closed = False

    def lines(self):
        """-> new complete lines (possibly none after 0.2 s), [] at the end."""
        try:
            chunk = self.sock.recv(4096)
        except socket.timeout:
            return []
        if not chunk:
            self.closed = True
            return []
        self.log.write(chunk)
        self.log.flush()
        self.buf += chunk
        out = []
        while b"\n" in self.buf:
            line, self.buf = self.buf.split(b"\n", 1)
            out.append(line.decode("utf-8", "replace"))
        return out

    def tested(self, want, timeout):
        """Wait until the key test says at least @want keys are tested, as an
        intern watches the key turn green before pressing the next."""
        end = time.monotonic() + timeout
        best = -1
        while time.monotonic() < end and not self.closed:
            new = self.lines()
            # the count line may not have its newline yet
            for t in new + [self.buf.decode("utf-8", "replace")]:
                for m in re.finditer(r"(\d+) of \d+ keys tested", t):
                    best = max(best, int(m.group(1)))
            if best >= want:
                return True
        return False


def press_keys(qmp, ser):
    """-> failures. The keys are pressed while cbdiag has the keyboard
    grabbed, each after the previous one showed as tested: QEMU's PS/2 queue
    drops keys sent faster than the emulated guest takes them."""
    fails = 0
    qmp.cmd("input-send-event", events=[key("a", True), key("a", False),
                                         key("a", True), key("a", False)])
    n = 1
    if not ser.tested(n, 20):
        print("FAIL the key test never showed A as tested")
        return 1
    for q in LAYOUT:
        if q in (DEAD, "a"):
            continue
        r = qmp.cmd("input-send-event", events=[key(q, True)])
        r2 = qmp.cmd("input-send-event", events=[key(q, False)])
        if "error" in r or "error" in r2:
            print("FAIL QMP refused key %s: %s" % (q, r.get("error") or r2.get("error")))
            fails += 1
            continue
        n += 1
        if not ser.tested(n, 20):
            print("FAIL the key test did not count key %s (want %d tested)" % (q, n))
            return fails + 1
    qmp.cmd("input-send-event", events=[key("esc", True)])
    end = time.monotonic() + 3.0
    while time.monotonic() < end:
        ser.lines()
    try:
        qmp.cmd("input-send-event", events=[key("esc", False)])
    except OSError:
        pass  # the test ended on the hold and the guest has powered off already
    return fails


class Charger:
    """charger: the host's side of the ACPI battery page (battery-page.py). The
    charge moves while the guest runs: up 2 mAh a second on the charger, down
    1 mAh every 5 s on battery (18 % an hour of 4,000 mAh)."""

    def __init__(self, page):
        self.page, self.ac, self.mah = page, 0, 2000
        self.lock = threading.Lock()
        self.write()
        threading.Thread(target=self.run, daemon=True).start()

    def write(self):
        subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                     "battery-page.py"), self.page,
                        "ac=%d" % self.ac, "state=%d" % (2 if self.ac else 1),
                        "rate_ma=%d" % (7200 if self.ac else 720),
                        "remaining_mah=%d" % self.mah, "full_mah=3900", "design_mah=4000",
                        "cycles=120"], check=True)

    def plug(self, ac):
        with self.lock:
            self.ac = ac
            self.write()

    def run(self):
        t = 0
        while True:
            time.sleep(1)
            t += 1
            with self.lock:
                if self.ac:
                    self.mah += 2
                elif t % 5 == 0:
                    self.mah -= 1
                self.write()


def set_lid(page, closed):
    subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                 "battery-page.py"), page,
                    "lid_closed=%d" % closed], check=True)


# CBDIAG_LANGUAGE: what the scripted intern answers to the stick's first
# question ("2": Spanish), and the words it then looks for (ASCII ends of
# the prompts: the console's bytes are UTF-8)
LANG_CHOICE = os.environ.get("CBDIAG_LANGUAGE", "")
SAY = {
    "ticket": "Ticket number (Enter if there is none): ",
    "initials": "Your initials: ",
    "power off": "Press Enter to power off. ",
    "more": "-- press Enter for more --",
    "no key yet": r"\b0 of \d+ keys tested",
    "skip port": "(s and Enter to skip this port)",
    "skip": "(s and Enter to skip)",
}
if LANG_CHOICE == "2":
    SAY = {
        "ticket": "(Enter si no hay): ",
        "initials": "Tus iniciales: ",
        "power off": "Pulsa Enter para apagar. ",
        "more": "para ver m\u00e1s --",
        "no key yet": r"\b0 de \d+ teclas probadas",
        "skip port": "(s y Enter para saltar este puerto)",
        "skip": "(s y Enter para saltar)",
    }

# what the scripted intern did: answers to the console's questions, and the
# keys they took (an Enter is one; Ctrl-C one; a key held on the keyboard, in
# `keys_held`); printed as the bench's figure for the intern's effort
EFFORT = {"answers": 0, "keys": 0}


def send(ser, data):
    EFFORT["answers"] += 1
    EFFORT["keys"] += len(data)
    ser.sock.sendall(data)


def main():
    mode, workdir, qemu = sys.argv[1], sys.argv[2], sys.argv[3:]
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
    buses = {}  # ports: "usb1" -> "xhci" | "ehci"
    gave_up = False  # intern: Esc held once
    on_stick = None  # intern: the report was saved on the stick
    charger = Charger(os.path.join(workdir, "battery.page")) if mode == "charger" else None
    plugged = None  # ports: (controller, port, id to device_del, time of device_add)
    typed_ahead = set()  # patterns: answered while the pattern was up
    ser = Serial(ser, log)
    end = time.monotonic() + 240
    while time.monotonic() < end and not ser.closed:
        new = ser.lines()
        if not new and proc.poll() is not None:
            break
        if mode == "intern":
            # the init's own questions wait on an unfinished line
            tail = ser.buf.decode(errors="replace")
            # CBDIAG_TICKET: what the intern types (empty: Enter, the ticket is
            # then found by the device's serial)
            ticket = os.environ.get("CBDIAG_TICKET", "20500").encode()
            for prompt, answer in (("(Enter: 1): ", LANG_CHOICE.encode() + b"\r"),
                                   (SAY["ticket"], ticket + b"\r"),
                                   (SAY["initials"], b"JD\r"),
                                   (SAY["power off"], b"\r"),
                                   # the final screen, when it is longer than the console
                                   (SAY["more"], b"\r")):
                if tail.endswith(prompt):
                    send(ser, answer)
                    ser.buf = b""
                    break
            else:
                # the developer-shell guest's own power-off question (ChromeOS's
                # stand-in, not the stick's: English whatever the intern chose)
                if tail.endswith("Press Enter to power off. "):
                    send(ser, b"\r")
                    ser.buf = b""
        for text in new:
            if mode == "keys" and "Key test: press every key" in text:
                n = press_keys(qmp, ser)
                fails += n
                print("%s every key of the layout but M pressed over QMP, A bouncing, "
                      "Esc held" % ("ok  " if not n else "FAIL"))
                if n:
                    proc.kill()  # the guest waits for keys that will not come
                continue
            if mode == "charger" and ">> Charge test: plug the charger" in text:
                charger.plug(1)
                print("ok   charger plugged in (the battery page says AC online, charging)")
                send(ser, b"\r")
                continue
            if mode == "charger" and ">> Discharge test: unplug the charger" in text:
                charger.plug(0)
                print("ok   charger unplugged (AC offline, discharging)")
                send(ser, b"\r")
                continue
            if mode == "audio-interrupt" and "Listen: a tone is playing from the LEFT" in text:
                # Ctrl-C while the tone plays: the probe's process ends at once;
                # its guard process must put the mixer back (the init compares)
                time.sleep(0.3)
                send(ser, b"\x03")
                print("ok   Ctrl-C sent while the left tone played")
                continue
            if mode.startswith("audio") and re.search(r">> (Speaker test next|Did you hear the tone "
                                             r"from the (LEFT|RIGHT) speaker|Microphone test next)",
                                             text):
                # the tones are judged on the host from what QEMU played
                # (check-tone.py); the intern says yes
                print("ok   the guest asked: %s" % text.split(">> ", 1)[1][:60].strip())
                send(ser, b"\r")
                continue
            if mode == "lid" and "Lid test: close the lid" in text:
                # the thermal zone polls the word every 0.5 s: 3 s closed is
                # plenty, and the intern's "wait a second"
                set_lid(os.path.join(workdir, "battery.page"), 1)
                time.sleep(3)
                set_lid(os.path.join(workdir, "battery.page"), 0)
                print("ok   lid closed and opened again (the lid's word on the battery page)")
                continue
            if mode == "lid" and "Power button test: press the power button" in text:
                r = qmp.cmd("system_powerdown")
                ok = "error" not in r
                fails += not ok
                print("%s power button pressed (QMP system_powerdown: %s)" %
                      ("ok  " if ok else "FAIL", r))
                continue
            if mode == "inject" and text.startswith("CBDIAG-WAIT"):
                # a fault that appears while the machine runs: the NVMe raises
                # "spare below threshold" (bit 0) and "reliability degraded" (bit 2)
                r = qmp.cmd("qom-set", path="/machine/peripheral/nv0ctrl",
                            property="smart_critical_warning", value=5)
                ok = "error" not in r
                fails += not ok
                print("%s NVMe critical warning set over QMP while the guest runs (%s)" %
                      ("ok  " if ok else "FAIL", r))
                send(ser, b"\r")
                continue
            if mode == "intern":
                if re.search(SAY["no key yet"], text) and not gave_up:
                    # the key map is up (the keyboard is grabbed): the intern gives
                    # up on the key test with Esc held for 3 s
                    gave_up = True
                    EFFORT["keys"] += 1
                    qmp.cmd("input-send-event", events=[key("esc", True)])
                    time.sleep(3)
                    qmp.cmd("input-send-event", events=[key("esc", False)])
                elif ">> " in text or SAY["skip port"] in text or SAY["skip"] in text:
                    send(ser, b"s\r")
                elif text.startswith("CBDIAG-STICK: "):
                    # the booted image mounts the stick at /mnt/stick; ChromeOS
                    # (the devshell guest) at /media/removable/<label>
                    on_stick = re.match(r"CBDIAG-STICK: (/mnt/stick|/media/removable/CBDIAG)/reports/",
                                        text) is not None
                    fails += not on_stick
                    print("%s the report was saved on the stick's CBDIAG partition (%s)" %
                          ("ok  " if on_stick else "FAIL", text[14:].strip()))
                continue
            m = re.search(r"CBDIAG-USBBUS: (usb\d+) (\S+)", text)
            if m:
                buses[m.group(1)] = "xhci" if "xhci" in m.group(2) else \
                    "ehci" if "ehci" in m.group(2) else m.group(2)
            if mode == "ports" and "unplug everything from the USB ports except" in text:
                send(ser, b"\r")
                continue
            m = re.search(r"Port \d+ of \d+: plug the stick into the (.+?) \(s and Enter", text)
            if mode == "ports" and m:
                if "usb" in m.group(1) and "-port" in m.group(1):
                    print("FAIL a kernel port name in the prompt: %s" % text.strip())
                    fails += 1
                where = PORT_NAMES.get(m.group(1))
                if not where:
                    print("FAIL a port name the bench does not know: %s" % m.group(1))
                    fails += 1
                plan = PORT_PLAN.get(where)
                if not plan:
                    send(ser, b"s\r")
                    continue
                t = time.monotonic()
                for driver, props in plan:
                    r = qmp.cmd("device_add", driver=driver, **props)
                    if "error" in r:
                        print("FAIL device_add %s %s: %s" % (driver, props, r["error"]))
                        fails += 1
                plugged = (where, plan[0][1]["id"], t)
                continue
            # not anchored: the countdown's redraws ("\r\033[K") share the console line
            m = re.search(r"\b(USB[^:]*?port \d+): works(.*)$", text)
            if mode == "ports" and plugged and m and "turned over" not in text:
                where, _, t = plugged
                said = ("full speed" if "full speed" in m.group(2) else
                        "slowly" if "only slowly" in m.group(2) else "works")
                ok = said == WANT_SAID[where] and PORT_NAMES.get(m.group(1)) == where
                fails += not ok
                print("%s %s port %d (%s): the stick arrived, said %r (want %r), on the console "
                      "%.0f ms after device_add" % ("ok  " if ok else "FAIL", where[0], where[1],
                                                    m.group(1), said, WANT_SAID[where],
                                                    (time.monotonic() - t) * 1000))
                continue
            if mode == "ports" and plugged and "Unplug the stick." in text:
                r = qmp.cmd("device_del", id=plugged[1])
                if "error" in r:
                    print("FAIL device_del %s: %s" % (plugged[1], r["error"]))
                    fails += 1
                plugged = None
                continue
            if "Colour-pattern test" in text and ">>" in text:
                send(ser, b"\r")
                continue
            m = re.search(r"Pattern (\d) of (\d): (\w+)\.", text)
            if m:
                name = m.group(3)
                ok, detail = check_screen(qmp, workdir, name)
                fails += not ok
                seen.append(name)
                print("%s the %s pattern reaches the screen (%s)" % ("ok  " if ok else "FAIL", name, detail))
                if mode == "patterns-interrupt" and name == INTERRUPT_AT:
                    # Ctrl-C at the console while the pattern is up
                    send(ser, b"\x03")
                    print("ok   Ctrl-C sent while %s was up" % name)
                elif name == "white":
                    # an intern who knows the keys answers while looking
                    send(ser, MARK.get(name, "").encode() + b"\r")
                    typed_ahead.add(name)
                else:
                    # done looking: Enter, and the question comes where it can be read
                    send(ser, b"\r")
                continue
            m = re.search(r"What is wrong with the (\w+) screen\?", text)
            if m and mode.startswith("patterns"):
                # the question is asked with the console back: the pattern is gone
                name = m.group(1)
                share = pattern_left(qmp, workdir, name)
                ok = share < 0.05 and name not in typed_ahead
                fails += not ok
                print("%s the question about %s is on the console, the pattern gone (%.1f %% of "
                      "it left)" % ("ok  " if ok else "FAIL", name, share * 100))
                send(ser, MARK.get(name, "").encode() + b"\r")
            if text.startswith("CBDIAG-EXIT=") and mode.startswith("patterns") and seen:
                # the test is over: the console must be back, not the last pattern
                # (the console is black with a little text: count the pattern's
                # own non-black pixels)
                last = seen[-1]
                share = pattern_left(qmp, workdir, last, "after")
                ok = share < 0.05
                fails += not ok
                print("%s the console is back after the test, %s is gone (%.1f %% of it left)" %
                      ("ok  " if ok else "FAIL", last, share * 100))
    print("figure: the scripted intern (%s) answered %d questions with %d keystrokes" %
          (mode, EFFORT["answers"], EFFORT["keys"]))
    if mode == "intern" and on_stick is None:
        print("FAIL the guest never said where the report was saved")
        fails += 1
    if mode == "ports" and not buses:
        print("FAIL the guest never said which controller each USB bus is")
        fails += 1
    want = ["red", "green", "blue", "white", "black", "grey", "checkerboard"]
    if mode == "patterns" and seen != want:
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
