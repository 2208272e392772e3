"""The HTTP/1.1 connection handling the `serve` command runs: uvicorn's, with bounded heads.

uvicorn bounds neither the size nor the count of a request's headers when httptools parses
them, and waits for a request head as long as a client cares to trickle it. The protocols
here are uvicorn's two HTTP/1.1 protocols with those bounds added (`limits.py`), and with a
way for the server to end each connection after its current answer while it drains. What the
two share around their parser is `bounded_heads.py`; each protocol module adds only what its
parser knows.
"""
