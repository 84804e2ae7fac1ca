"""The golden dumps name their inputs without the checkout's folder, so two checkouts compare."""

from __future__ import annotations

from service.dev import golden


def test_an_input_is_named_from_its_checkout_or_data_folder() -> None:
    page = golden.ROOT / "tests" / "blind" / "pages-en" / "41_x.txt"
    assert golden.portable(str(page)) == "tests/blind/pages-en/41_x.txt"
    data = golden.eval_dir() / "text-pages" / "abc.txt"
    assert golden.portable(str(data)) == "text-pages/abc.txt"
    assert golden.portable("abc.html.gz") == "abc.html.gz"  # a bare name stays
