"""Exports are safe to open in the tools people use: spreadsheets, reference managers, CSL processors."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from sitegen.catalog import load_catalog
from sitegen.export import claims_csv
from sitegen.model import Catalog
from tests.conftest import EFFICACY_CLAIM, base_files, write_tree

TODAY = dt.date(2026, 11, 25)


def _catalog(root: Path, files: dict[str, str] | None = None) -> Catalog:
    write_tree(root, {**base_files(), **(files or {})})
    result = load_catalog(root / "claims", root=root, today=TODAY)
    assert result.catalog is not None, result.problems
    return result.catalog


@pytest.mark.parametrize("lead", ["=", "+", "-", "@"])
def test_csv_cells_that_a_spreadsheet_would_run_as_a_formula_are_neutralised(tmp_path: Path, lead: str) -> None:
    formula = f"{lead}HYPERLINK(\"https://example.org\", \"click\")"
    claim = EFFICACY_CLAIM.replace("title: The herb relieves low mood", f"title: '{formula}'")
    claim = claim.replace("quote: The herb is a natural mood lifter.", f"quote: '{lead}1+1'")
    catalog = _catalog(tmp_path, {"claims/efficacy-claims/herb-relieves-low-mood.yaml": claim})
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(claims_csv(catalog), newline=""))}
    row = rows["herb-relieves-low-mood"]
    assert row["title"] == "'" + formula
    assert row["quote"] == f"'{lead}1+1"
    assert rows["herb-harms-liver"]["title"] == "The herb can harm the liver", "ordinary text is left alone"
