"""A free TCP port on 127.0.0.1, for the servers tests start. Benchmarks have their own copy: tests and bench/
never import each other."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port
