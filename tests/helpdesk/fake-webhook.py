#!/usr/bin/env python3
"""A small HTTP endpoint for the webhook backend's tests.

    fake-webhook.py PORT_FILE OUT_DIR [CERT KEY]

Listens on a free port of 127.0.0.1 (written to PORT_FILE). The status it
answers is read from OUT_DIR/status before every request (default 200).
Each request with status 2xx is stored as OUT_DIR/<n>.body (the raw
multipart body) with its headers in OUT_DIR/<n>.headers. With CERT and KEY
it speaks HTTPS.
"""
import http.server
import os
import sys

port_file, out = sys.argv[1], sys.argv[2]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        try:
            status = int(open(os.path.join(out, "status")).read().strip())
        except (OSError, ValueError):
            status = 200
        if 200 <= status < 300:
            n = len([f for f in os.listdir(out) if f.endswith(".body")]) + 1
            with open(os.path.join(out, f"{n}.body"), "wb") as f:
                f.write(body)
            with open(os.path.join(out, f"{n}.headers"), "w") as f:
                f.write(str(self.headers))
        answer = b'{"ok":true}' if status < 300 else b'{"error":"test says no"}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
if len(sys.argv) > 4:
    import ssl
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[3], sys.argv[4])
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
with open(port_file + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(port_file + ".tmp", port_file)
srv.serve_forever()
