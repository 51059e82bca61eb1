"""HTTP/1.1 by hand, for what a well-behaved client library will not do: lie about or omit
Content-Length, and keep sending a body after the server has answered."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def send_streaming(
    port: int, path: str, headers: dict[str, str], chunks: Iterator[bytes], *, chunked: bool
) -> RawResponse:
    """Send the request head, then the body from a background thread; read the answer meanwhile."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    if chunked:
        head += "Transfer-Encoding: chunked\r\n"
    sock.sendall((head + "\r\n").encode("latin-1"))

    def pump() -> None:
        try:
            for chunk in chunks:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
            if chunked:
                sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server answered and closed: exactly what is being tested

    sender = threading.Thread(target=pump, daemon=True)
    sender.start()
    try:
        return _read_response(sock)
    finally:
        sock.close()
        sender.join(timeout=30)


def _read_response(sock: socket.socket) -> RawResponse:
    data = b""
    while b"\r\n\r\n" not in data:
        piece = sock.recv(65536)
        assert piece, f"connection closed before a response: {data!r}"
        data += piece
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        piece = sock.recv(65536)
        if not piece:
            break
        rest += piece
    return RawResponse(status, headers, rest[:length])


def repeated(piece: bytes, total: int, chunk_size: int = 64 * 1024) -> Iterator[bytes]:
    """`total` bytes made of `piece`, in chunks."""
    block = (piece * (chunk_size // len(piece) + 1))[:chunk_size]
    sent = 0
    while sent < total:
        n = min(chunk_size, total - sent)
        yield block[:n]
        sent += n
