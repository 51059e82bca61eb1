"""The New return page's product picker: search as you type, pick with the keyboard, create the return."""

from __future__ import annotations

import re
from typing import Any

from tests.support.live_server import LiveServer


def _matches(page: Any, line: int) -> Any:
    return page.get_by_role("listbox", name=f"Line {line} matches")


def test_a_product_is_found_by_name_picked_with_the_keyboard_and_the_return_created(
    merchant_page: Any, server: LiveServer
) -> None:
    page = merchant_page
    reference = f"PICK-{server.kind.upper()}-0001"
    page.goto("/returns/new")
    page.get_by_label("Reference").fill(reference)

    product = page.get_by_role("combobox", name="Product 1")
    product.press_sequentially("person ten", delay=30)  # the demo's "Two-person tent"
    options = _matches(page, 1).get_by_role("option")
    options.first.wait_for()
    assert product.get_attribute("aria-expanded") == "true"
    assert options.all_inner_texts() == ["AC-TENT-2P Two-person tent · 0810001000011"]  # not Bloom's BB-TENT-2P
    product.press("ArrowDown")
    assert options.first.get_attribute("aria-selected") == "true"
    assert product.get_attribute("aria-activedescendant") == options.first.get_attribute("id")
    product.press("Enter")  # picks; does not send the form
    assert product.input_value() == "AC-TENT-2P"
    assert product.get_attribute("aria-expanded") == "false"
    assert page.url.endswith("/returns/new")

    second = page.get_by_role("combobox", name="Product 2")
    second.press_sequentially("ac-tr", delay=30)
    options = _matches(page, 2).get_by_role("option")
    options.first.wait_for()
    assert [text.split(" ")[0] for text in options.all_inner_texts()] == ["AC-TRAIL-MIX"]
    second.press("ArrowDown")
    second.press("ArrowDown")  # wraps round to the first (and only) match
    second.press("Enter")
    assert second.input_value() == "AC-TRAIL-MIX"
    page.locator("#advice_1").filter(has_text="will be disposed").wait_for()  # food: its advice under its line

    page.get_by_label("Quantity 2").fill("2")
    page.get_by_role("button", name="Create return").click()
    page.wait_for_url(re.compile(r"/returns/ret_"))
    assert page.locator("h1").inner_text() == reference
    main = page.locator("main").inner_text()
    assert "AC-TENT-2P" in main and "AC-TRAIL-MIX" in main


def test_escape_closes_the_matches_and_a_sku_typed_in_full_still_works(merchant_page: Any, server: LiveServer) -> None:
    page = merchant_page
    page.goto("/returns/new")
    page.get_by_label("Reference").fill(f"PICK-{server.kind.upper()}-0002")
    product = page.get_by_role("combobox", name="Product 1")
    product.press_sequentially("AC-KAYAK-1", delay=20)
    _matches(page, 1).get_by_role("option").first.wait_for()
    product.press("Escape")
    assert product.get_attribute("aria-expanded") == "false"
    product.press("Enter")  # nothing highlighted: Enter sends the form as it would without the picker
    page.wait_for_url(re.compile(r"/returns/ret_"))
    assert "AC-KAYAK-1" in page.locator("main").inner_text()
