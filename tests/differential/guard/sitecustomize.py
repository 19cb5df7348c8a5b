"""Loaded by the differential's subprocesses (their PYTHONPATH starts here): refuse DNS and connections to
anything but loopback, so a scenario can never reach the real Hub."""

import socket

_getaddrinfo = socket.getaddrinfo
_connect = socket.socket.connect


def _loopback(host):  # type: ignore[no-untyped-def]
    name = host.decode() if isinstance(host, bytes) else str(host or "")
    return name in ("", "localhost", "::1") or name.startswith("127.")


def _guarded_getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
    if not _loopback(host):
        raise socket.gaierror(socket.EAI_NONAME, f"differential network guard: {host!r} is not loopback")
    return _getaddrinfo(host, *args, **kwargs)


def _guarded_connect(self, address):  # type: ignore[no-untyped-def]
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address[0]):
        raise ConnectionRefusedError(f"differential network guard: {address!r} is not loopback")
    return _connect(self, address)


socket.getaddrinfo = _guarded_getaddrinfo
socket.socket.connect = _guarded_connect
