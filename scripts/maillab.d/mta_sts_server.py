"""The mail lab's MTA-STS policy host: serves /.well-known/mta-sts.txt over HTTPS to every
mta-sts.<domain> name, the policy chosen by the Host header from a JSON file written by
`maillab up` ({"good.test": "version: STSv1\\n..."}). Anything else is a 404.

Usage: mta_sts_server.py HOST PORT CERT_CHAIN KEY POLICIES_JSON
"""

import http.server
import json
import ssl
import sys


def main():
    host, port, cert, key, policies_file = sys.argv[1:6]
    with open(policies_file, encoding="utf-8") as f:
        policies = json.load(f)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            name = (self.headers.get("Host") or "").split(":")[0].lower()
            domain = name[len("mta-sts."):] if name.startswith("mta-sts.") else None
            body = policies.get(domain) if self.path == "/.well-known/mta-sts.txt" else None
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, fmt, *args):
            sys.stderr.write("mta-sts %s\n" % (fmt % args))

    server = http.server.ThreadingHTTPServer((host, int(port)), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
