"""docs/api.md as Python: the wire shapes that the till's client and the reference provider
both read, so that neither can drift from the other.

Pydantic only: no FastAPI, no SQLAlchemy, no HTTP server, so that a till imports this without
the provider's server stack. Each module is named in the contract's words:
- `fields`: the values api.md bounds (ids, times, amounts, codes, references, free text);
- `requests`: the bodies and queries a client sends;
- `answers`: the gift, the transaction and the answers that carry them;
- `problems`: the problem+json codes, their statuses and titles;
- `headers`: the header names api.md gives a meaning.
"""
