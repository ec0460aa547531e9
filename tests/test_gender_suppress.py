"""Cell suppression: every hidden cell is attacked with the published totals and must survive."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from womenstats.errors import InputError
from womenstats.gender.suppress import TOTAL_LABEL, suppress, suppress_long


def attack(published: pd.DataFrame, row_totals, col_totals, margins=("rows", "columns")):
    """Bounds of each hidden cell from what is published: the full table as LP variables.

    Published cells are fixed through their bounds, hidden ones are free and non-negative; each
    published total is an equality. Returns {(i, j): (min, max)}.
    """
    values = published.to_numpy(dtype=float)
    n_rows, n_cols = values.shape
    hidden = np.isnan(values)
    cells = itertools.product(range(n_rows), range(n_cols))
    bounds = [(0, None) if hidden[i, j] else (values[i, j], values[i, j]) for i, j in cells]
    a_eq, b_eq = [], []
    if "rows" in margins:
        for i in range(n_rows):
            a = np.zeros(n_rows * n_cols)
            a[i * n_cols : (i + 1) * n_cols] = 1
            a_eq.append(a)
            b_eq.append(row_totals.iloc[i])
    if "columns" in margins:
        for j in range(n_cols):
            a = np.zeros(n_rows * n_cols)
            a[j::n_cols] = 1
            a_eq.append(a)
            b_eq.append(col_totals.iloc[j])
    out = {}
    for i, j in zip(*np.nonzero(hidden), strict=True):
        c = np.zeros(n_rows * n_cols)
        c[i * n_cols + j] = 1
        lo = linprog(c, A_eq=np.array(a_eq), b_eq=b_eq, bounds=bounds, method="highs")
        hi = linprog(-c, A_eq=np.array(a_eq), b_eq=b_eq, bounds=bounds, method="highs")
        out[(int(i), int(j))] = (lo.fun, np.inf if hi.status == 3 else -hi.fun)
    return out


def brute_force_values(published, row_totals, col_totals, cell):
    """Every integer value the hidden ``cell`` can take in some table agreeing with the publication.

    Enumerates all integer fillings of the hidden cells (each between 0 and its row and column
    totals) at once with numpy, and keeps those that reproduce every published total.
    """
    values = published.to_numpy(dtype=float)
    hidden = list(zip(*np.nonzero(np.isnan(values)), strict=True))
    limits = [int(min(row_totals.iloc[i], col_totals.iloc[j])) for i, j in hidden]
    axes = np.meshgrid(*(np.arange(m + 1) for m in limits), indexing="ij")
    grid = np.stack(axes, axis=-1).reshape(-1, len(hidden))
    known = np.nan_to_num(values)
    ok = np.ones(len(grid), dtype=bool)
    for i in range(values.shape[0]):
        cols = [k for k, (r, _) in enumerate(hidden) if r == i]
        ok &= known[i].sum() + grid[:, cols].sum(axis=1) == row_totals.iloc[i]
    for j in range(values.shape[1]):
        rows = [k for k, (_, c) in enumerate(hidden) if c == j]
        ok &= known[:, j].sum() + grid[:, rows].sum(axis=1) == col_totals.iloc[j]
    return set(grid[ok, hidden.index(cell)].tolist())


EXAMPLE = pd.DataFrame(
    [[20, 3, 15], [12, 30, 8], [9, 14, 25]],
    index=["开平", "台山", "恩平"],
    columns=["<35岁", "35-49岁", "50岁+"],
)


def test_a_lone_small_cell_gets_a_rectangle_of_complements():
    got = suppress(EXAMPLE)
    assert got.status.loc["开平", "35-49岁"] == "primary"
    hidden = got.table.isna()
    assert hidden.sum(axis=1).isin([0, 2, 3]).all() and hidden.sum(axis=0).isin([0, 2, 3]).all()
    for cell, (lo, hi) in attack(got.table, got.row_totals, got.column_totals).items():
        assert hi - lo >= 1, cell
    # the cheapest protecting rectangle: 20 + 14 + 9 = 43 (alternatives cost 53, 54, 62)
    assert int(EXAMPLE[hidden].sum().sum()) == 3 + 43


def test_brute_force_cannot_recover_the_small_cell():
    got = suppress(EXAMPLE)
    values = brute_force_values(got.table, got.row_totals, got.column_totals, (0, 1))
    assert 3 in values and len(values) > 1


def test_published_cells_and_totals_are_the_true_ones():
    got = suppress(EXAMPLE)
    shown = ~got.table.isna()
    np.testing.assert_array_equal(got.table[shown].to_numpy(), EXAMPLE.astype(float)[shown].to_numpy())
    assert got.row_totals.tolist() == EXAMPLE.sum(axis=1).tolist()
    text = got.formatted()
    assert text.loc[TOTAL_LABEL, TOTAL_LABEL] == str(EXAMPLE.to_numpy().sum())
    assert text.loc["开平", "35-49岁"] == "*"


def test_threshold_and_zeros_are_configurable():
    t = pd.DataFrame([[0, 6, 40], [7, 50, 30], [9, 45, 60]])
    assert (suppress(t).status == "").all().all()
    assert suppress(t, threshold=7).status.iloc[0, 1] == "primary"
    assert suppress(t, zeros=True).status.iloc[0, 0] == "primary"


def test_unprotectable_tables_are_an_input_error_in_chinese():
    with pytest.raises(InputError, match="无法通过隐藏单元格保护") as err:
        suppress(pd.DataFrame([[3, 10]]))
    assert err.value.code == "E_UNPROTECTABLE"
    one_row = suppress(pd.DataFrame([[3, 10]]), margins=["rows"])
    assert one_row.status.iloc[0].tolist() == ["primary", "secondary"]
    with pytest.raises(InputError, match="负数"):
        suppress(pd.DataFrame([[-1, 10]]))


def test_suppress_long_by_group():
    long = pd.DataFrame(
        {
            "year": [2023] * 6 + [2024] * 6,
            "region_code": ["a", "a", "b", "b", "c", "c"] * 2,
            "sex": ["female", "male"] * 6,
            "value": [2, 40, 30, 35, 25, 28, 12, 40, 30, 35, 25, 28],
        }
    )
    got = suppress_long(long, "region_code", "sex", by=["year"])
    y23 = got[got["year"] == 2023]
    assert (y23["suppressed"] != "").sum() == 4 and np.isnan(y23["value"].iloc[0])
    assert (got[got["year"] == 2024]["suppressed"] == "").all()
    assert got.index.equals(long.index)


TABLES = st.integers(2, 4).flatmap(
    lambda r: st.integers(2, 4).flatmap(
        lambda c: st.lists(
            st.lists(st.one_of(st.integers(0, 6), st.integers(5, 60)), min_size=c, max_size=c),
            min_size=r,
            max_size=r,
        )
    )
)


@settings(max_examples=60, deadline=None)
@given(TABLES, st.sampled_from([3, 5, 10]))
def test_no_suppressed_cell_can_be_recovered(rows, threshold):
    table = pd.DataFrame(rows)
    try:
        got = suppress(table, threshold)
    except InputError:
        # justified only if even hiding every cell leaves some small cell pinned by the totals
        everything = table.astype(float) * np.nan
        ranges = attack(everything, table.sum(axis=1), table.sum(axis=0))
        small = (table > 0) & (table < threshold)
        assert any(hi - lo < 1 for (i, j), (lo, hi) in ranges.items() if small.iloc[i, j])
        return
    small = (table > 0) & (table < threshold)
    assert (got.table.isna() & small).sum().sum() == small.sum().sum()
    for cell, (lo, hi) in attack(got.table, got.row_totals, got.column_totals).items():
        assert hi - lo >= 1 - 1e-7, (cell, lo, hi)
