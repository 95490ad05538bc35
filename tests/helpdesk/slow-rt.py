#!/usr/bin/env python3
"""A stand-in for Request Tracker's REST2 that stores comments late.

    slow-rt.py PORT_FILE STATE_DIR

Listens on a free port of 127.0.0.1 (written to PORT_FILE) and answers the
two calls cbdiag makes for a given ticket:

  GET  /REST/2.0/ticket/N/attachments?query=[{"field":"Filename",...}]
  POST /REST/2.0/ticket/N/comment   (multipart: JSON part + Attachments)

A comment is stored (STATE_DIR/stored/<n>-<filename>, the attachment's bytes)
only STATE_DIR/delay seconds (default 0) after its whole body arrived, and
answered 201 after that, like a server still committing when a client gives
up. The storing happens whether or not the client is still there. Per POST:

  STATE_DIR/received-<n>   written as soon as the whole body has arrived
  STATE_DIR/drop           if present: the comment is never stored (a server
                           that died before committing), then removed
  STATE_DIR/on-get         if present: run with sh before answering the next
                           attachments GET, then removed (swaps files mid-flush)
  STATE_DIR/pending        how many stores are still to happen (0 when idle)
"""
import email.parser
import email.policy
import http.server
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse

port_file, state = sys.argv[1], sys.argv[2]
os.makedirs(os.path.join(state, "stored"), exist_ok=True)
lock = threading.Lock()
counter = {"posts": 0, "stored": 0, "pending": 0}


def write_pending():
    with open(os.path.join(state, "pending.tmp"), "w") as f:
        f.write(str(counter["pending"]))
    os.rename(os.path.join(state, "pending.tmp"), os.path.join(state, "pending"))


def stored_names():
    return [n.split("-", 1)[1] for n in os.listdir(os.path.join(state, "stored"))]


def delay():
    try:
        return float(open(os.path.join(state, "delay")).read().strip())
    except (OSError, ValueError):
        return 0.0


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self, status, obj):
        body = json.dumps(obj).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the client is gone

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        parts = url.path.strip("/").split("/")
        if parts[:3] != ["REST", "2.0", "ticket"] or len(parts) != 5 or parts[4] != "attachments":
            return self.answer(404, {"message": "Not found"})
        hook = os.path.join(state, "on-get")
        if os.path.exists(hook):
            subprocess.run(["sh", hook], check=False)
            os.unlink(hook)
        query = urllib.parse.parse_qs(url.query).get("query", ["[]"])[0]
        want = [c.get("value") for c in json.loads(query) if c.get("field") == "Filename"]
        with lock:
            items = [{"Filename": n, "id": str(i + 1)} for i, n in enumerate(stored_names())
                     if not want or n in want]
        self.answer(200, {"count": len(items), "page": 1, "pages": 1, "per_page": 100,
                          "total": len(items), "items": items})

    def do_POST(self):
        parts = urllib.parse.urlsplit(self.path).path.strip("/").split("/")
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if parts[:3] != ["REST", "2.0", "ticket"] or len(parts) != 5 or parts[4] != "comment":
            return self.answer(404, {"message": "Not found"})
        if len(body) < length:
            return  # the client died mid-upload: nothing to store (as RT)
        with lock:
            counter["posts"] += 1
            n = counter["posts"]
            counter["pending"] += 1
            write_pending()
        open(os.path.join(state, f"received-{n}"), "w").close()
        drop = os.path.join(state, "drop")
        dropped = os.path.exists(drop)
        if dropped:
            os.unlink(drop)
        time.sleep(delay())
        msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + self.headers["Content-Type"].encode() + b"\r\n\r\n" + body)
        with lock:
            if not dropped:
                for part in msg.iter_parts():
                    if part.get_param("name", header="content-disposition") == "Attachments":
                        counter["stored"] += 1
                        name = part.get_filename()
                        with open(os.path.join(state, "stored", f"{counter['stored']}-{name}"),
                                  "wb") as f:
                            f.write(part.get_payload(decode=True))
            counter["pending"] -= 1
            write_pending()
        self.answer(201, ["Comments added"])

    def log_message(self, *args):
        pass


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
srv.daemon_threads = True
with lock:
    write_pending()
with open(port_file + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(port_file + ".tmp", port_file)
srv.serve_forever()
