"""Cell helpers of the KPI report workbook (outputs/report.py): bold header rows, widths,
chart axes, rates as fractions, a measure's three cells, one column of a row of measures."""

from __future__ import annotations

from followup_cli.kpi import NO_DATA, Measure, pick

PCT = "0.0%"


def _display_width(text: str) -> int:
    """Columns a text takes: a Chinese character counts two."""
    from wcwidth import wcswidth

    return max(wcswidth(text), len(text))


def _t(pair, lang):
    return pick(pair, lang)


def _bold_row(ws, row: int, ncols: int, fill: str = "DDEBF7") -> None:
    from openpyxl.styles import Font, PatternFill

    for j in range(1, ncols + 1):
        c = ws.cell(row=row, column=j)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor=fill)


def _widths(ws, widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w


def _axes(chart, count_axis: bool = False) -> None:
    """Show both axes (Excel hides axes openpyxl leaves without an explicit delete=False);
    a count axis counts in whole numbers from zero."""
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    if count_axis:
        chart.y_axis.scaling.min = 0
        chart.y_axis.number_format = "0"
        chart.y_axis.majorUnit = 1


def _pct(m: Measure | None):
    """A rate as an exact fraction for a '0.0%' cell (the cell rounds, not we), or None."""
    if m is None or m.value is None:
        return None
    if m.unit == "%" and m.denominator:
        return m.numerator / m.denominator
    if m.unit == "growth" and m.denominator:
        return (m.numerator - m.denominator) / m.denominator
    return m.value / 100.0


def _put_measure(ws, row: int, col: int, m: Measure, money: bool) -> None:
    """value, numerator, denominator into three cells, each with its number format."""
    from openpyxl.styles import Alignment

    v = ws.cell(row=row, column=col)
    if m.value is None:
        v.value = NO_DATA
        v.alignment = Alignment(horizontal="center")
    elif m.unit in ("%", "growth"):
        v.value = _pct(m)
        v.number_format = PCT if m.unit == "%" else "+0.0%;-0.0%;0.0%"
    else:
        v.value = m.value
        v.number_format = "0.0" if m.unit == "days" else "0.00"
    num_fmt = "#,##0.00" if money else "#,##0.##"
    for offset, x in ((1, m.numerator), (2, m.denominator)):
        c = ws.cell(row=row, column=col + offset, value=x)
        if x is not None:
            c.number_format = num_fmt if not float(x).is_integer() or money else "#,##0"


def measure_value(key: str, measures: dict[str, Measure]) -> float | int | None:
    """The cell for column `key` of a row of measures: `kpi.n` its numerator, `kpi.d` its
    denominator, `kpi` its value (a rate as a fraction); None when the row lacks that KPI."""
    base, _, part = key.partition(".")
    m = measures.get(base)
    if m is None:
        return None
    if part == "n":
        return m.numerator
    if part == "d":
        return m.denominator
    if m.unit == "%":
        return _pct(m)
    return m.value
