"""Exports are safe to open in the tools people use: spreadsheets, reference managers, CSL processors."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from sitegen.catalog import load_catalog
from sitegen.export import claims_csv, sources_bibtex, sources_csl
from sitegen.model import Catalog
from tests.conftest import EFFICACY_CLAIM, ROOT, base_files, write_tree

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


@pytest.fixture(name="real_catalog", scope="module")
def fixture_real_catalog() -> Catalog:
    result = load_catalog(ROOT / "claims", root=ROOT, today=TODAY)
    assert result.catalog is not None, [str(p.where) + " " + p.code for p in result.problems if p.is_error]
    return result.catalog


def test_pybtex_plain_style_formats_every_bibtex_entry(real_catalog: Catalog) -> None:
    """A real BibTeX formatter, in strict mode: a missing required field (institution, publisher) is an error."""
    from pybtex import errors
    from pybtex.database import parse_string
    from pybtex.style.formatting.plain import Style

    errors.set_strict_mode(True)
    data = parse_string(sources_bibtex(real_catalog), "bibtex")
    assert sorted(data.entries) == sorted(s.id for s in real_catalog.sources)
    formatted = {entry.key: entry.text.render_as("text") for entry in Style().format_entries(data.entries.values())}
    for source in real_catalog.sources:
        if source.year is not None:
            assert str(source.year) in formatted[source.id], source.id
        if source.type.value in ("report", "book"):
            assert source.container.split(",")[0] in formatted[source.id], "the issuing body or publisher is printed"


def test_citeproc_renders_every_csl_item(real_catalog: Catalog) -> None:
    """A real CSL processor renders each CSL-JSON item into a bibliography entry with its title."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    items = json.loads(sources_csl(real_catalog))
    import citeproc

    bundled = sorted((Path(citeproc.__file__).parent / "data" / "styles").glob("*.csl"))  # a Harvard style, named by version
    style = CitationStylesStyle(str(bundled[0]), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == len(items) == len(real_catalog.sources)
    text = "\n".join(rendered)
    missing = [item["id"] for item in items if item["title"][:40] not in text]
    assert not missing, f"rendered without their title: {missing}"


@pytest.mark.parametrize("count", [0, 1, 2])
def test_claims_json_is_one_plain_json_dump_whatever_it_remembers(tmp_path: Path, count: int) -> None:
    """Each claim's text is kept between calls; the document stays byte for byte what json.dumps writes."""
    from dataclasses import replace

    from sitegen.export import SCHEMA_VERSION, _claim_record, _source_record, claims_json

    odd = EFFICACY_CLAIM.replace("statement: The herb relieves low mood in adults.", 'statement: "Quotes \\" and\\nlines <&> é \\u2028"')
    catalog = _catalog(tmp_path, {"claims/efficacy-claims/herb-relieves-low-mood.yaml": odd})
    catalog = replace(catalog, claims=catalog.claims[:count])
    claims_json(catalog)  # fills what is kept
    data = {"schema_version": SCHEMA_VERSION, "site": catalog.site.name, "claims": [_claim_record(c) for c in catalog.claims],
            "sources": [_source_record(s) for s in catalog.sources]}
    assert claims_json(catalog) == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
