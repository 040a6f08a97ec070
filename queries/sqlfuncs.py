"""Portable SQL pieces that SQLite and PostgreSQL spell differently."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String, literal, type_coerce
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class days_between(FunctionElement):
    """Whole days from ``earlier`` to ``later`` (later - earlier)."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between, "sqlite")
def _days_sqlite(element, compiler, **kw):
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


@compiles(days_between)
def _days_default(element, compiler, **kw):
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"({later} - {earlier})"


class as_date(FunctionElement):
    """A DATE value: CAST on PostgreSQL (date arithmetic needs the type); on
    SQLite dates are ISO text and a CAST would turn them into numbers."""

    type = Date()
    inherit_cache = True
    name = "as_date"


@compiles(as_date, "sqlite")
def _as_date_sqlite(element, compiler, **kw):
    return compiler.process(element.clauses, **kw)


@compiles(as_date)
def _as_date_default(element, compiler, **kw):
    return f"CAST({compiler.process(element.clauses, **kw)} AS DATE)"


def iso_date(column):
    """A date column read as its ISO text where the driver has it as text
    (SQLite: no parsing into a date only to format it again); PostgreSQL's
    dates arrive as dates (callers format them)."""
    return type_coerce(column, String)


def date_param(value: date):
    """A bound date usable in comparisons and date arithmetic on every backend."""
    return as_date(literal(value, Date))
