"""A fake Arma 3 dedicated server for the API tests, installed as <server dir>/arma3server_x64.

It records each run (argv, working directory, pid) in runs/run-<n>.json, prints console lines,
answers Steam A2S_INFO / A2S_PLAYER (with the challenge handshake) on UDP -port + 1, and ends on
SIGTERM or by itself, as fake_arma.json in its working directory says:
  {"lines": [[0.1, "text"], ...], "tick": 0.2, "exit_after": 1.0, "exit_code": 3,
   "ignore_sigterm": false, "a2s": true, "players": ["Bob"], "hostname": "Test", "mission": "Escape"}
"""

import json
import os
import signal
import socket
import struct
import sys
import threading
import time

CHALLENGE = b"\x11\x22\x33\x44"


def settings():
    try:
        with open("fake_arma.json") as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


def record_run():
    os.makedirs("runs", exist_ok=True)
    n = len(os.listdir("runs")) + 1
    path = os.path.join("runs", "run-%d.json" % n)
    with open(path + ".tmp", "w") as f:     # renamed into place: a reader never sees half of it
        json.dump({"argv": sys.argv, "cwd": os.getcwd(), "pid": os.getpid(), "sigpipe_ignored":
                   signal.getsignal(signal.SIGPIPE) == signal.SIG_IGN}, f)
    os.replace(path + ".tmp", path)


def cstr(s):
    return s.encode() + b"\0"


def serve_a2s(port, conf):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", port))
    players = conf.get("players", [])
    while True:
        data, addr = sock.recvfrom(1400)
        if data.startswith(b"\xff\xff\xff\xffTSource Engine Query\0"):
            if data[25:29] != CHALLENGE:
                sock.sendto(b"\xff\xff\xff\xffA" + CHALLENGE, addr)
                continue
            body = (b"\x49\x11" + cstr(conf.get("hostname", "Fake Arma")) + cstr(conf.get("world", "Altis")) +
                    cstr("Arma3") + cstr(conf.get("mission", "Escape")) + b"\0\0" +
                    bytes([len(players), 64, 0]) + b"dl\0\1" + cstr("2.18"))
            sock.sendto(b"\xff\xff\xff\xff" + body, addr)
        elif data.startswith(b"\xff\xff\xff\xffU"):
            if data[5:9] != CHALLENGE:
                sock.sendto(b"\xff\xff\xff\xffA" + CHALLENGE, addr)
                continue
            body = b"\x44" + bytes([len(players)])
            for i, name in enumerate(players):
                body += bytes([i]) + cstr(name) + struct.pack("<if", 10, 12.5)
            sock.sendto(b"\xff\xff\xff\xff" + body, addr)


def say(text, stream=sys.stdout):
    try:
        stream.write(text + "\n")
        stream.flush()
    except BrokenPipeError:
        pass


def main():
    conf = settings()
    port = next((int(a[6:]) for a in sys.argv if a.startswith("-port=")), 2302)
    if conf.get("ignore_sigterm"):
        signal.signal(signal.SIGTERM, lambda *a: say("SIGTERM ignored"))
    else:
        signal.signal(signal.SIGTERM, lambda *a: (say("Server shutting down"), os._exit(0)))
    record_run()    # after the handlers: a test that saw the record may send SIGTERM
    if conf.get("a2s", True):
        threading.Thread(target=serve_a2s, args=(port + 1, conf), daemon=True).start()
    say("Arma 3 Console version 2.18 (fake)")
    say("warning on stderr", sys.stderr)
    start = time.monotonic()
    pending = list(conf.get("lines", []))
    tick, n = conf.get("tick"), 0
    exit_after = conf.get("exit_after")
    while True:
        now = time.monotonic() - start
        while pending and pending[0][0] <= now:
            say(pending.pop(0)[1])
        if exit_after is not None and now >= exit_after:
            if "last_words" in conf:
                say(conf["last_words"])
            if "signal" in conf:
                os.kill(os.getpid(), conf["signal"])
            sys.exit(conf.get("exit_code", 0))
        if tick:
            n += 1
            say("tick %d" % n)
        time.sleep(tick or 0.05)


if __name__ == "__main__":
    main()
