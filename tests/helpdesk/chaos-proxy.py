#!/usr/bin/env python3
"""A flaky, murderous TCP proxy in front of Request Tracker, for the queue campaign.

    chaos-proxy.py LISTEN_PORT UPSTREAM_PORT PID_FILE SEED RATE LOG READY_FILE

Relays 127.0.0.1:LISTEN_PORT to 127.0.0.1:UPSTREAM_PORT. Each request whose
line holds "/comment " (the report going to the ticket) meets, with
probability RATE, one of these faults (chosen at random, seeded by SEED):

  mid       half of the body goes upstream, then the process in PID_FILE is
            killed (SIGKILL) and both sides are closed: RT gets a torn body
  sent      the whole request goes upstream, then the kill: RT is storing
            while its client is already dead
  answered  the answer is relayed to the client, then the kill: on the
            ticket, but never dequeued
  drop      the whole request goes upstream, then the client's side is cut
            without an answer (no kill): a timeout, as cbdiag sees it

Every fault is one line in LOG. Writes READY_FILE once listening.
"""
import os
import random
import signal
import socket
import sys
import threading

listen_port, upstream_port = int(sys.argv[1]), int(sys.argv[2])
pid_file, rng = sys.argv[3], random.Random(int(sys.argv[4]))
rate, log_path, ready_file = float(sys.argv[5]), sys.argv[6], sys.argv[7]
lock = threading.Lock()


def log(what):
    with lock, open(log_path, "a") as f:
        f.write(what + "\n")


def kill_target():
    try:
        os.kill(int(open(pid_file).read().split()[0]), signal.SIGKILL)
    except (OSError, ValueError):
        pass


def close(*socks):
    for s in socks:
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            s.close()
        except OSError:
            pass


def relay(client, up):
    """One connection: requests client -> up, parsed enough to find bodies."""
    fault = {"mode": None}

    def answers():
        try:
            while True:
                data = up.recv(65536)
                if not data:
                    break
                if fault["mode"] in ("sent", "drop"):
                    continue  # the client must not hear this answer
                client.sendall(data)
                if fault["mode"] == "answered":
                    kill_target()
                    break
        except OSError:
            pass
        close(client, up)

    threading.Thread(target=answers, daemon=True).start()
    buf = b""
    try:
        while True:
            data = client.recv(65536)
            if not data:
                break
            buf += data
            while b"\r\n\r\n" in buf:
                head, rest = buf.split(b"\r\n\r\n", 1)
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    k, _, v = line.partition(b":")
                    if k.strip().lower() == b"content-length":
                        length = int(v.strip())
                while len(rest) < length:
                    more = client.recv(65536)
                    if not more:
                        break
                    rest += more
                body, buf = rest[:length], rest[length:]
                mode = None
                if b"/comment " in head.split(b"\r\n")[0] and rng.random() < rate:
                    mode = rng.choice(["mid", "sent", "answered", "drop"])
                    log(mode)
                fault["mode"] = mode
                if mode == "mid":
                    up.sendall(head + b"\r\n\r\n" + body[: len(body) // 2])
                    kill_target()
                    close(client, up)
                    return
                up.sendall(head + b"\r\n\r\n" + body)
                if mode == "sent":
                    kill_target()
                    return  # upstream finishes on its own; its answer is dropped
                if mode == "drop":
                    close(client)
                    return
    except OSError:
        pass
    if fault["mode"] is None:
        close(up)


srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", listen_port))
srv.listen(16)
open(ready_file, "w").close()
while True:
    c, _ = srv.accept()
    try:
        u = socket.create_connection(("127.0.0.1", upstream_port))
    except OSError:
        c.close()
        continue
    threading.Thread(target=relay, args=(c, u), daemon=True).start()
