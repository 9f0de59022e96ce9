"""A fake Adyen (Checkout and Stored Value, gift cards only) for tests and
`posapp demo --api adyen`. It parses every request with our wire models
(posapp/adyen_wire: unknown fields and loose types refused) and answers in Adyen's shapes:
a refusal is HTTP 200 with resultCode and refusalReason, an error a ServiceError with its
4xx/5xx, a repeated Idempotency-Key the first answer again. It is not Adyen: app.py says
which of Adyen's rules it keeps.
"""
