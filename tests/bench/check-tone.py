#!/usr/bin/python3
"""What the bench guest played, checked on the host after it powered off.

    check-tone.py WAV HZ SECONDS

WAV is what QEMU's audio backend wrote (16-bit stereo). The audio probe plays
a tone of HZ for SECONDS on the left channel, then on the right: the file must
hold exactly that, in that order: a run of the tone on the left with the right
silent, then a run on the right with the left silent, and no tone on both.
Each 20 ms block is judged by a Goertzel filter at HZ (the tone's share of the
block's energy) and by its level; the tone's frequency is measured from the
zero crossings of each run. Prints ok/FAIL lines; exit status = failures.
"""
import array
import math
import sys
import wave

BLOCK_S = 0.02
PRESENT = 0.02    # tone amplitude, share of full scale, for "there"
SILENT = 0.005    # RMS, share of full scale, for "silent"
PURE = 0.8        # share of the block's energy at HZ for "the tone"
GAP_BLOCKS = 10   # a run interrupted this long (TCG underruns) is still one run


def goertzel_amp(x, hz, rate):
    """Amplitude (share of full scale) of the component of x at hz."""
    w = 2 * math.pi * hz / rate
    c = 2 * math.cos(w)
    s1 = s2 = 0.0
    for v in x:
        s0 = v + c * s1 - s2
        s2, s1 = s1, s0
    power = s1 * s1 + s2 * s2 - c * s1 * s2
    return 2 * math.sqrt(max(power, 0)) / len(x) / 32768


def rms(x):
    return math.sqrt(sum(v * v for v in x) / len(x)) / 32768 if x else 0


def frequency(x, rate):
    """From the zero crossings (interpolated) between the first and the last."""
    cross = []
    for i in range(1, len(x)):
        a, b = x[i - 1], x[i]
        if a < 0 <= b:
            cross.append(i - 1 + (-a) / (b - a))
    if len(cross) < 3:
        return 0.0
    return (len(cross) - 1) / ((cross[-1] - cross[0]) / rate)


def main():
    path, hz, secs = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    fails = 0
    try:
        w = wave.open(path, "rb")
    except (OSError, wave.Error, EOFError) as e:
        print("FAIL what the guest played could not be read (%s): %s" % (path, e))
        return 1
    rate, ch, width = w.getframerate(), w.getnchannels(), w.getsampwidth()
    data = w.readframes(w.getnframes())
    if ch != 2 or width != 2:
        print("FAIL what the guest played is %d channels of %d bytes, not 16-bit stereo" % (ch, width))
        return 1
    pcm = array.array("h")
    pcm.frombytes(data[:len(data) // 4 * 4])
    if sys.byteorder != "little":
        pcm.byteswap()
    left, right = pcm[0::2], pcm[1::2]
    n = int(rate * BLOCK_S)
    kinds = []
    for k in range(0, len(left) - n + 1, n):
        side = []
        for x in (left[k:k + n], right[k:k + n]):
            r = rms(x)
            a = goertzel_amp(x, hz, rate)
            tone = a >= PRESENT and (a * a / 2) >= PURE * r * r
            side.append("tone" if tone else "silent" if r < SILENT else "noise")
        kinds.append("L" if side == ["tone", "silent"] else "R" if side == ["silent", "tone"]
                     else "B" if side == ["tone", "tone"] else "-" if side == ["silent", "silent"]
                     else "?")
    # runs of L, R, B (the tone somewhere), small gaps closed
    runs = []
    for i, kd in enumerate(kinds):
        if kd in "-":
            continue
        if runs and runs[-1][0] == kd and i - runs[-1][2] <= GAP_BLOCKS:
            runs[-1][2] = i
            runs[-1][3] += 1
        else:
            runs.append([kd, i, i, 1])
    # a run of one or two blocks is a tone's fade in or out, or a click
    major = [r for r in runs if r[3] >= 5]
    order = "".join(r[0] for r in major)
    ok = order == "LR"
    fails += not ok
    print("%s the guest played the tone on the left, then on the right (%s; %d blocks of 20 ms "
          "at %d Hz, %.1f s in all)" % ("ok  " if ok else "FAIL", order or "no tone",
                                        len(kinds), rate, len(left) / rate))
    for r in major:
        kd, first, last, count = r
        lo, hi = first * n, (last + 1) * n
        x = left[lo:hi] if kd == "L" else right[lo:hi]
        f = frequency(x, rate)
        dur = count * BLOCK_S
        good = kd in "LR" and abs(f - hz) <= hz * 0.01 and secs * 0.7 <= dur <= secs * 1.3
        fails += not good
        print("%s %s: %.1f Hz (want %.0f within 1 %%), %.2f s of tone (want %.2f within 30 %%), "
              "from %.2f s, level %.1f dBFS RMS, other side silent" % (
                  "ok  " if good else "FAIL", {"L": "left", "R": "right", "B": "both sides"}.get(kd, kd),
                  f, hz, dur, secs, lo / rate, 20 * math.log10(max(rms(x), 1e-9))))
    return min(fails, 100)


if __name__ == "__main__":
    sys.exit(main())
