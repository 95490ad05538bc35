#!/usr/bin/env python3
"""A stand-in for Request Tracker's REST2, for the bench: just enough of it
to find a device's open ticket by its serial and take a report as a
comment, so that the bench can tell WHICH ticket a guest's report lands on.

    fake-rt.py PORT_FILE OUT_DIR TICKET:SERIAL...

Listens on a free port of 127.0.0.1 (written to PORT_FILE; the guest
reaches it as 10.0.2.2 through QEMU's user network). The calls are the
ones cbdiag's RT backend makes (report/hd-rt.c; RT's own answers as
tests/helpdesk checks them against a real RT 5):

  GET  /REST/2.0/tickets?query=<TicketSQL>        the open tickets whose
       'CF.{Serial Number}' equals a serial quoted in the query
  GET  /REST/2.0/ticket/N/attachments?query=...   the file names on ticket N
  POST /REST/2.0/ticket/N/comment                  multipart, an Attachments part

Every request is logged to OUT_DIR/requests.log; each attachment that
lands is a line "N FILENAME" in OUT_DIR/landed and its bytes in
OUT_DIR/N-FILENAME. Requests without "Authorization: token ..." get 401.
The real RT's behaviour is proven by the helpdesk suite; this one only
answers by serial.
"""
import email.parser
import email.policy
import http.server
import json
import os
import re
import sys
import urllib.parse

port_file, out = sys.argv[1], sys.argv[2]
tickets = dict(a.split(":", 1) for a in sys.argv[3:])  # id -> serial
files = {t: [] for t in tickets}
QUOTED = re.compile(r"'CF\.\{Serial Number\}' = '((?:[^'\\]|\\.)*)'")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log(self, what):
        with open(os.path.join(out, "requests.log"), "a") as f:
            f.write(what + "\n")

    def authorised(self):
        if (self.headers.get("Authorization") or "").startswith("token "):
            return True
        self.answer(401, {"message": "Unauthorized"})
        return False

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(url.query)
        self.log("GET %s %s" % (url.path, q.get("query", [""])[0]))
        if not self.authorised():
            return
        if url.path == "/REST/2.0/tickets":
            serials = [re.sub(r"\\(.)", r"\1", m) for m in QUOTED.findall(q.get("query", [""])[0])]
            items = [{"type": "ticket", "id": t, "Status": "open"}
                     for t, s in sorted(tickets.items()) if s in serials]
            return self.answer(200, {"count": len(items), "page": 1, "pages": 1,
                                     "per_page": 100, "total": len(items), "items": items})
        m = re.fullmatch(r"/REST/2.0/ticket/(\d+)/attachments", url.path)
        if m:
            if m.group(1) not in tickets:
                return self.answer(404, {"message": "Resource does not exist"})
            items = [{"type": "attachment", "id": str(i + 1), "Filename": n}
                     for i, n in enumerate(files[m.group(1)])]
            return self.answer(200, {"count": len(items), "page": 1, "pages": 1,
                                     "per_page": 100, "total": len(items), "items": items})
        self.answer(404, {"message": "Resource does not exist"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        self.log("POST %s" % self.path)
        if not self.authorised():
            return
        m = re.fullmatch(r"/REST/2.0/ticket/(\d+)/comment", self.path)
        if not m or m.group(1) not in tickets:
            return self.answer(400, {"message": "Could not create comment"})
        msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + self.headers.get("Content-Type", "").encode() + b"\r\n\r\n" + body)
        for part in msg.iter_parts() if msg.is_multipart() else []:
            name = part.get_filename()
            if part.get_param("name", header="content-disposition") == "Attachments" and name:
                name = os.path.basename(name)
                files[m.group(1)].append(name)
                with open(os.path.join(out, "%s-%s" % (m.group(1), name)), "wb") as f:
                    f.write(part.get_payload(decode=True))
                with open(os.path.join(out, "landed"), "a") as f:
                    f.write("%s %s\n" % (m.group(1), name))
        self.answer(201, ["Comments added"])

    def log_message(self, *args):
        pass


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
if os.environ.get("CBDIAG_TLS_CERT"):
    # HTTPS: cbdiag refuses plain http:// to anything but its own machine
    import ssl
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.environ["CBDIAG_TLS_CERT"], os.environ["CBDIAG_TLS_KEY"])
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
with open(port_file + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(port_file + ".tmp", port_file)
srv.serve_forever()
