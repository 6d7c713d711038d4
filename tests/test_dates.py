"""Dates as people write them: a literal table of what is read, what is refused, and why."""

from __future__ import annotations

import pytest

from sanctionwatch.dates import AmbiguousDate, DateOrder, parse_date
from sanctionwatch.errors import InputError


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("1969", "1969"),
        ("1969-07", "1969-07"),
        ("1969-7", "1969-07"),
        ("1969-07-16", "1969-07-16"),
        ("1969-7-16", "1969-07-16"),
        ("1969-7-6", "1969-07-06"),
        ("1969/07/16", "1969-07-16"),
        ("1969/7/16", "1969-07-16"),
        ("1969.07.16", "1969-07-16"),
        ("19690716", "1969-07-16"),
        ("1969-07-16T00:00:00Z", "1969-07-16"),
        ("1969-07-16T00:00:00", "1969-07-16"),
        ("1969-07-16T13:32", "1969-07-16"),
        ("1969-07-16T13:32:00.000+02:00", "1969-07-16"),
        ("1969-07-16T13:32:00-0500", "1969-07-16"),
        ("1969-07-16 13:32:00", "1969-07-16"),
        ("1969-7-6T00:00:00Z", "1969-07-06"),
        ("16 Jul 1969", "1969-07-16"),
        ("16-JUL-1969", "1969-07-16"),
        ("16 July 1969", "1969-07-16"),
        ("July 16, 1969", "1969-07-16"),
        ("Sept 3 1969", "1969-09-03"),
        ("Jul 1969", "1969-07"),
        ("  1969-07-16 ", "1969-07-16"),
        ("2024-02-29", "2024-02-29"),
    ],
)
def test_unambiguous_forms_are_read_without_an_order(written: str, read: str) -> None:
    assert parse_date(written) == read
    # Year-first forms never depend on the order given for day-month-year ones.
    assert parse_date(written, "mdy") == read == parse_date(written, "dmy")


@pytest.mark.parametrize(
    ("written", "order", "read"),
    [
        ("07/08/1969", "dmy", "1969-08-07"),
        ("07/08/1969", "mdy", "1969-07-08"),
        ("16/07/1969", "dmy", "1969-07-16"),
        ("07/16/1969", "mdy", "1969-07-16"),
        ("16.07.1969", "dmy", "1969-07-16"),
        ("16-07-1969", "dmy", "1969-07-16"),
        ("1/2/1969", "dmy", "1969-02-01"),
        ("1/2/1969", "mdy", "1969-01-02"),
    ],
)
def test_day_month_year_forms_follow_the_order_given(written: str, order: DateOrder, read: str) -> None:
    assert parse_date(written, order) == read


@pytest.mark.parametrize("written", ["07/08/1969", "16/07/1969", "07/16/1969", "16.07.1969", "1-2-1969"])
def test_day_month_year_forms_are_refused_without_an_order_even_when_one_part_is_over_12(
    written: str,
) -> None:
    with pytest.raises(AmbiguousDate) as info:
        parse_date(written)
    assert str(info.value) == f"birth_date: {written!r} is not YYYY, YYYY-MM or YYYY-MM-DD"


@pytest.mark.parametrize(
    ("written", "order", "message"),
    [
        ("1984-13-45", None, "birth_date: '1984-13-45' is not a real date"),
        ("1984-02-30", None, "birth_date: '1984-02-30' is not a real date"),
        ("2023-02-29", None, "birth_date: '2023-02-29' is not a real date"),
        ("1990-00-10", None, "birth_date: '1990-00-10' is not a real date"),
        ("0000", None, "birth_date: '0000' is not a real date"),
        ("19841345", None, "birth_date: '19841345' is not a real date"),
        ("31 Feb 1984", None, "birth_date: '31 Feb 1984' is not a real date"),
        ("16/07/1969", "mdy", "birth_date: '16/07/1969' is not a real date read as month/day/year"),
        ("07/16/1969", "dmy", "birth_date: '07/16/1969' is not a real date read as day/month/year"),
        ("1969-07-16T25:00:00", None, "birth_date: '1969-07-16T25:00:00' is not a real date and time"),
        ("07/08/69", "dmy", "birth_date: '07/08/69' is not YYYY, YYYY-MM or YYYY-MM-DD"),
        ("1969-07/16", None, "birth_date: '1969-07/16' is not YYYY, YYYY-MM or YYYY-MM-DD"),
        ("16 Juli 1969", None, "birth_date: '16 Juli 1969' is not YYYY, YYYY-MM or YYYY-MM-DD"),
        ("196907", None, "birth_date: '196907' is not YYYY, YYYY-MM or YYYY-MM-DD"),
        ("yesterday", None, "birth_date: 'yesterday' is not YYYY, YYYY-MM or YYYY-MM-DD"),
        ("", None, "birth_date: '' is not YYYY, YYYY-MM or YYYY-MM-DD"),
    ],
)
def test_refusals_quote_the_value(written: str, order: DateOrder | None, message: str) -> None:
    with pytest.raises(InputError) as info:
        parse_date(written, order)
    assert str(info.value) == message
    assert not isinstance(info.value, AmbiguousDate)


def test_the_field_named_is_the_one_given() -> None:
    with pytest.raises(InputError, match=r"^dob: '1984-13-45' is not a real date$"):
        parse_date("1984-13-45", field="dob")
