"""Dates as people write them in files, read into ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

Accepted without any hint (year first, so never ambiguous): ``1969``, ``1969-07``, ``1969-7``,
``1969-07-16``, ``1969-7-16``, ``1969/07/16``, ``1969.07.16``, ``19690716``, ISO 8601 date-times
(``1969-07-16T00:00:00``, ``...Z``, ``...+02:00``, a space instead of ``T``; the time is checked and
dropped), and English month names (``16 Jul 1969``, ``16-JUL-1969``, ``July 16, 1969``, ``Jul 1969``).

Day-month-year and month-day-year forms (``07/08/1969``, ``16.07.1969``, ``16-07-1969``) are read
only with an explicit ``order`` (``dmy`` or ``mdy``): without it they are refused, **even when one
part is over 12** (``16/07/1969``), so that a file is read by one rule for all its rows and a file
written month-first is never half read day-first. Two-digit years are always refused.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from sanctionwatch.errors import InputError

__all__ = ["DATE_ORDERS", "AmbiguousDate", "DateOrder", "parse_date"]

DateOrder = Literal["dmy", "mdy"]
DATE_ORDERS: tuple[DateOrder, ...] = ("dmy", "mdy")

_YEAR_FIRST = re.compile(r"^(\d{4})(?:([-/.])(\d{1,2})(?:\2(\d{1,2}))?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DATETIME = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$"
)
_YEAR_LAST = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})$")
_MONTHS = {
    m: n
    for n, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for m in names
}
_DAY_MONTH_NAME = re.compile(r"^(\d{1,2})[-\s]+([A-Za-z]+)\.?[-\s]+(\d{4})$")
_MONTH_NAME_DAY = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")
_MONTH_NAME_YEAR = re.compile(r"^([A-Za-z]+)\.?[-\s]+(\d{4})$")


class AmbiguousDate(InputError):
    """A day-month-year or month-day-year date read without saying which order it is in."""


def _form(field: str, value: str) -> InputError:
    return InputError(f"{field}: {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")


def _real(field: str, value: str, year: str, month: str | None, day: str | None, how: str = "") -> str:
    """The normalized ``YYYY[-MM[-DD]]`` of the parts, after checking the calendar has that day."""
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise InputError(f"{field}: {value!r} is not a real date{how}") from None
    out = year
    if month is not None:
        out += f"-{int(month):02d}"
        if day is not None:
            out += f"-{int(day):02d}"
    return out


def _month(name: str) -> str | None:
    number = _MONTHS.get(name.lower())
    return None if number is None else str(number)


def parse_date(value: str, order: DateOrder | None = None, field: str = "birth_date") -> str:
    """``value`` as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (see the module's docstring for the forms).

    Args:
        value: The date as written (surrounding spaces are ignored).
        order: How to read ``NN/NN/YYYY`` forms: ``dmy`` (16/07/1969) or ``mdy`` (07/16/1969).
        field: The field named in error messages.

    Raises:
        AmbiguousDate: A day-month-year form and no ``order``.
        InputError: Not a date form, or not a real date (``1984-13-45``); the message quotes it.
    """
    text = value.strip()
    m = _YEAR_FIRST.match(text)
    if m:
        year, _, month, day = m.groups()
        return _real(field, value, year, month, day)
    m = _COMPACT.match(text)
    if m:
        return _real(field, value, *m.groups())
    m = _DATETIME.match(text)
    if m:
        year, month, day, hour, minute, second, zone = m.groups()
        offset = zone[1:].replace(":", "") if zone and zone != "Z" else "0000"
        if int(hour) > 23 or int(minute) > 59 or int(second or 0) > 60 or int(offset[:2]) > 23:
            raise InputError(f"{field}: {value!r} is not a real date and time")
        return _real(field, value, year, month, day)
    m = _YEAR_LAST.match(text)
    if m:
        first, _, second_part, year = m.groups()
        if order is None:
            raise AmbiguousDate(str(_form(field, value)))
        day, month = (first, second_part) if order == "dmy" else (second_part, first)
        how = " read as day/month/year" if order == "dmy" else " read as month/day/year"
        return _real(field, value, year, month, day, how)
    m = _DAY_MONTH_NAME.match(text)
    if m and _month(m.group(2)):
        return _real(field, value, m.group(3), _month(m.group(2)), m.group(1))
    m = _MONTH_NAME_DAY.match(text)
    if m and _month(m.group(1)):
        return _real(field, value, m.group(3), _month(m.group(1)), m.group(2))
    m = _MONTH_NAME_YEAR.match(text)
    if m and _month(m.group(1)):
        return _real(field, value, m.group(2), _month(m.group(1)), None)
    raise _form(field, value)
