"""A fake of Square's Gift Cards API for tests and `posapp demo --api square`.

It checks every request against Square's published request schemas (spec.py reads them from
../shared/specs/square/giftcards-openapi.json where that file is there) and answers in
Square's shapes, with idempotency-key replays. It is not Square: see app.py for the rules it keeps.
"""
