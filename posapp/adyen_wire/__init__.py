"""Adyen's wire, as our own typed models: what the adapter sends and the fake parses (requests),
and what the fake answers and the adapter reads (answers).

Field names are Adyen's own (camelCase) so that a model dumps to the JSON Adyen takes. The
shapes follow Adyen's published OpenAPI files (Checkout v71/v72, Stored Value v46); the files
themselves are not in the project: tests/adyen/test_wire_spec.py holds every model to them
(../shared/specs/adyen/). A request forbids unknown fields (the fake refuses what Adyen would);
an answer ignores them (Adyen adds fields to its answers without a new version).
"""
