#!/usr/bin/env python3
"""A DHCP server that misbehaves, for tests/net/ipconfig.t.

    hostile-dhcp.py MODE IFACE ADDR [READY_FILE]

Listens on port 67 of IFACE (SO_BINDTODEVICE) and answers broadcasts
to port 68, with ADDR as its server identifier and router. MODE:

  hostile  every DISCOVER and REQUEST gets malformed replies first
           (truncated, options running past the end or past an
           overloaded file field, a fixed-size option of the wrong
           length, a wrong cookie, random bytes, a wrong xid, a datagram
           too long for the client, an empty one) and then an OFFER or
           ACK of 192.168.77.66/24 whose option 119 loops and whose
           option 121 has a width over 32 (to be ignored alone);
  garbage  only the malformed replies, never a valid one;
  bait     answers the first DISCOVER only, offering 192.168.77.200
           in the name of ADDR, then stays silent: a real server whose
           identifier is ADDR sees the client REQUEST an address it does
           not give, and NAKs it.
  nak      offers 192.168.77.66 to every DISCOVER, NAKs every REQUEST
           (prints "nak N NAKs sent" after each)

Writes READY_FILE once it listens. Runs until killed.
"""
import os
import random
import socket
import struct
import sys

COOKIE = b"\x63\x82\x53\x63"


def options_of(msg):
    """The options of a request as {code: bytes}, tolerant of junk."""
    opts, i = {}, 240
    while i < len(msg) and msg[i] != 255:
        if msg[i] == 0:
            i += 1
            continue
        if i + 1 >= len(msg):
            break
        code, n = msg[i], msg[i + 1]
        opts[code] = msg[i + 2:i + 2 + n]
        i += 2 + n
    return opts


def header(xid, chaddr, yiaddr, server, cookie=COOKIE, file=b""):
    fixed = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 2, 1, 6, 0, xid, 0,
                        0x8000, b"\0" * 4, socket.inet_aton(yiaddr),
                        socket.inet_aton(server), b"\0" * 4, chaddr,
                        b"", file)
    return fixed + cookie


def opt(code, data):
    return bytes([code, len(data)]) + data


def valid(xid, chaddr, mtype, yiaddr, server):
    """A usable reply; its option 119 loops and its option 121 has a
    width over 32: the client must ignore those two alone."""
    a = socket.inet_aton
    return (header(xid, chaddr, yiaddr, server) + opt(53, bytes([mtype])) +
            opt(54, a(server)) + opt(1, a("255.255.255.0")) +
            opt(3, a(server)) + opt(51, struct.pack("!I", 600)) +
            opt(12, b"hostile") + opt(119, b"\x01a\xc0\x00") +
            opt(121, bytes([33]) + b"\0" * 8) + b"\xff")


def malformed(xid, chaddr, mtype, server):
    """Replies the client must reject whole."""
    base = valid(xid, chaddr, mtype, "192.168.77.67", server)
    good = header(xid, chaddr, "192.168.77.68", server) + opt(53, bytes([mtype]))
    a = socket.inet_aton(server)
    return [
        base[:100],                                   # truncated header
        base[:245],                                   # cut in an option
        good + bytes([12, 200]) + b"x" * 20,          # option past the end
        good + opt(54, a) + opt(119, b"\x03abc") + b"\xc0",  # code, no length
        good + opt(54, a) + opt(53, b"\x05\x05") + b"\xff",  # bad length
        header(xid, chaddr, "192.168.77.69", server,
               file=bytes([12, 200]) + b"x" * 126) +
        opt(53, bytes([mtype])) + opt(52, b"\x01") + b"\xff",  # overload
        header(xid, chaddr, "192.168.77.69", server, b"\x63\x82\x53\x64") +
        b"\xff",                                      # wrong cookie
        bytes(random.getrandbits(8) for _ in range(300)),
        valid(xid ^ 1, chaddr, mtype, "192.168.77.70", server),  # wrong xid
        good + opt(54, a) + b"\0" * 1500 + b"\xff",   # longer than 1472
        b"",
    ]


def main():
    mode, iface, server = sys.argv[1:4]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, iface.encode())
    s.bind(("0.0.0.0", 67))
    if len(sys.argv) > 4:
        open(sys.argv[4], "w").close()
    baited = False
    naks = 0
    while True:
        msg = s.recv(2048)
        if len(msg) < 240 or msg[0] != 1:
            continue
        xid = struct.unpack("!I", msg[4:8])[0]
        chaddr = msg[28:44]
        mtype = options_of(msg).get(53, b"\0")[0]
        if mtype not in (1, 3):
            continue
        reply = 2 if mtype == 1 else 5
        out = []
        if mode == "nak":
            # offers an address, NAKs every REQUEST for it
            if mtype == 1:
                out = [valid(xid, chaddr, 2, "192.168.77.66", server)]
            else:
                naks += 1
                out = [header(xid, chaddr, "0.0.0.0", server) + opt(53, b"\x06") +
                       opt(54, socket.inet_aton(server)) + b"\xff"]
                print("nak %d NAKs sent" % naks, flush=True)
                for m in out:
                    s.sendto(m, ("255.255.255.255", 68))
                continue
        elif mode == "bait":
            if mtype == 1 and not baited:
                baited = True
                out = [valid(xid, chaddr, 2, "192.168.77.200", server)]
        else:
            out = malformed(xid, chaddr, reply, server)
            if mode == "hostile":
                out.append(valid(xid, chaddr, reply, "192.168.77.66", server))
        for m in out:
            s.sendto(m, ("255.255.255.255", 68))
        sys.stdout.write("%s %d replies to type %d xid %08x\n" %
                         (mode, len(out), mtype, xid))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
