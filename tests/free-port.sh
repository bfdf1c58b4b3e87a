#!/usr/bin/env bash
# Prints a loopback TCP port that is free right now, drawn below Linux's ephemeral range (32768-60999) so
# an outgoing connection does not take it before the server binds it. The server scripts use it for every
# port not given, so two copies of test.sh on one machine never share (or stop) each other's servers.
set -euo pipefail
exec /usr/bin/python3 - <<'PY'
import random, socket
while True:
    port = random.randint(20000, 32000)
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
        print(port)
        break
PY
