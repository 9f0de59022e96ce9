"""Stored Value API v46: a card's balance and status, selling (activating with an amount),
issuing a virtual card, loading, and voiding one of these within 24 hours."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from posapp.adyen_wire.base import Amount, Answer, Request
from posapp.adyen_wire.checkout import ShopperInteraction

# Paths under the Stored Value base (`[provider] stored_value_url`,
# e.g. https://pal-test.adyen.com/pal/servlet/StoredValue/v46).
ISSUE = "/issue"
CHANGE_STATUS = "/changeStatus"
LOAD = "/load"
CHECK_BALANCE = "/checkBalance"
VOID = "/voidTransaction"

# resultCode of every Stored Value answer (a refusal is 200 with one of these and a reason).
ResultCode = Literal["Success", "Refused", "Error", "NotEnoughBalance"]


class StoredValueCard(Request):
    """The card as Stored Value names it: `type` is the brand ("givex", "svs", "valuelink"),
    `securityCode` its PIN. /issue sends the type alone (the provider picks the number)."""

    type: str
    number: str | None = Field(default=None, repr=False)
    securityCode: str | None = Field(default=None, repr=False)


class _Operation(Request):
    merchantAccount: str
    reference: str = Field(max_length=80)
    paymentMethod: StoredValueCard
    store: str | None = Field(default=None, min_length=1, max_length=16)
    shopperInteraction: ShopperInteraction | None = None


class StoredValueIssueRequest(_Operation):
    amount: Amount | None = None


class StoredValueStatusChangeRequest(_Operation):
    """status "active" with an amount sells a card (activates and loads it); "inactive"
    deactivates it for good (Adyen: an end state)."""

    status: Literal["active", "inactive"]
    amount: Amount | None = None


class StoredValueLoadRequest(_Operation):
    amount: Amount
    loadType: Literal["merchandiseReturn", "load"] | None = None


class StoredValueBalanceCheckRequest(_Operation):
    amount: Amount | None = None


class StoredValueVoidRequest(Request):
    """Undo a Stored Value transaction (its pspReference as `originalReference`)."""

    merchantAccount: str
    originalReference: str
    reference: str | None = None
    store: str | None = Field(default=None, min_length=1, max_length=16)
    tenderReference: str | None = None
    uniqueTerminalId: str | None = None


class _Outcome(Answer):
    resultCode: str
    pspReference: str | None = None
    currentBalance: Amount | None = None
    refusalReason: str | None = None
    thirdPartyRefusalReason: str | None = None


class StoredValueIssueResponse(_Outcome):
    """The new card in `paymentMethod` (type, number, and securityCode where it has one)."""

    authCode: str | None = None
    paymentMethod: dict[str, str] | None = Field(default=None, repr=False)


class StoredValueStatusChangeResponse(_Outcome):
    authCode: str | None = None


class StoredValueLoadResponse(_Outcome):
    authCode: str | None = None


class StoredValueBalanceCheckResponse(_Outcome):
    pass


class StoredValueVoidResponse(_Outcome):
    pass
