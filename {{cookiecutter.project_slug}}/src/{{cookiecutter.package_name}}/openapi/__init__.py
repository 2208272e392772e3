"""The API's contract: the committed OpenAPI document, and what would break its clients.

`docs/openapi.json` is the app's document as `make openapi` writes it (document.py); a test
fails when it is out of date. `make openapi-check BASE=<ref>` compares it with the copy at
`BASE` and fails on a change that would break a client (breaking.py), unless
`docs/api-changes-accepted.txt` accepts that change by name (accepted.py). See
docs/adr/0015-api-contract.md.
"""
