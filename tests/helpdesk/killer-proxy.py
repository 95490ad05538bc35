#!/usr/bin/env python3
"""A TCP proxy that kills someone right after a report was posted.

    killer-proxy.py LISTEN_PORT UPSTREAM_PORT PID_FILE READY_FILE

Relays 127.0.0.1:LISTEN_PORT to 127.0.0.1:UPSTREAM_PORT. When a request line
containing "/comment " (Request Tracker's "add a comment", which carries the
report) has gone upstream and its answer comes back, it sends SIGKILL to the
process whose PID is in PID_FILE (and that process's children) before the
answer is relayed, closes every connection, and exits: the report is on the
ticket but whoever posted it never got to take it off the queue. Writes READY_FILE
once listening.
"""
import os
import signal
import socket
import sys
import threading

listen_port, upstream_port = int(sys.argv[1]), int(sys.argv[2])
pid_file, ready_file = sys.argv[3], sys.argv[4]
armed = threading.Event()
fired = threading.Event()
conns = []


def kill_target():
    pid = int(open(pid_file).read().split()[0])
    victims = [pid]
    try:
        kids = open(f"/proc/{pid}/task/{pid}/children").read().split()
        victims += [int(k) for k in kids]
    except OSError:
        pass
    for v in victims:
        try:
            os.kill(v, signal.SIGKILL)
        except ProcessLookupError:
            pass


def pump(src, dst, upstream_to_client):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if not upstream_to_client and b"/comment " in data:
                armed.set()
            if upstream_to_client and armed.is_set() and not fired.is_set():
                # the answer to the comment: RT has stored the report. The
                # kill comes first: relayed first, the answer let a quick
                # cbdiag read it, fail its next request on the closing
                # proxy and end by itself (exit 3) before the kill landed
                fired.set()
                kill_target()
                for c in conns:
                    try:
                        c.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                os._exit(0)
            if fired.is_set():
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", listen_port))
srv.listen(16)
open(ready_file, "w").close()
while True:
    client, _ = srv.accept()
    if fired.is_set():
        client.close()
        continue
    up = socket.create_connection(("127.0.0.1", upstream_port))
    conns.extend([client, up])
    threading.Thread(target=pump, args=(client, up, False), daemon=True).start()
    threading.Thread(target=pump, args=(up, client, True), daemon=True).start()
