"""Whether this process has begun to shut down, so readiness can turn traffic away first.

The server (`server.py`) marks it the moment SIGTERM arrives; the lifespan marks it when its
own shutdown phase starts, which covers any other ASGI server. From then on `/health/ready`
answers 503, so load balancers stop sending new requests while those in flight finish.

The lifespan publishes the flag in the ASGI lifespan state under `LIFESPAN_STATE_KEY`: the
one place the ASGI specification lets a server and its application share an object.
"""

from __future__ import annotations

LIFESPAN_STATE_KEY = "shutdown"


class ShutdownState:
    """A one-way switch: once shutdown has begun it never ends for this process."""

    __slots__ = ("_begun",)

    def __init__(self) -> None:
        self._begun = False

    @property
    def begun(self) -> bool:
        return self._begun

    def begin(self) -> None:
        self._begun = True
