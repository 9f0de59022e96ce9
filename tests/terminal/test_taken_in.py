"""The X report's line for what the counter took for cards sold, less those voided (the demo
trial, 69: the drawer's cash from card sales was no line of its own; the cashier worked out
sold less voided by hand). The real provider; a refund card, which no one paid for, is not in
it."""

from __future__ import annotations

from posapp.app import Engine


def test_the_x_report_says_what_was_taken_in_for_cards_sold_less_voided(
    engine: Engine,
) -> None:
    terminal = engine.terminal
    terminal.sell("SVS_GC-700000000000001", amount=30000)
    sold = terminal.sell("SVS_GC-700000000000002", amount=2500)
    terminal.refund_to_card(1599)  # a refund: no one paid for it
    (voided_sale,) = [
        e for e in terminal.shift.shift_entries() if e.transaction_id == sold.transaction_id
    ]
    terminal.reverse(voided_sale.id)  # the $25.00 card voided: its money given back
    lines = [(line.label, line.value, line.bold) for line in terminal.shift.x_report().lines]
    assert ("Taken in for cards sold", "$300.00", True) in lines
    assert ("Cards sold (2)", "$325.00", False) in lines  # the sales are still counted
    assert "Taken in for cards sold" in terminal.shift.x_report().notes[0]
