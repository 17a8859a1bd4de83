"""The error reference tells the truth: its titles, severities and messages are the real ones.

``content/contributing/errors.md`` has one section per problem code. Each section's
heading and ``**Severity:**`` line must match the registry (``sitegen.codes``), and each
block of validator output in it must be exactly what ``sitegen validate`` prints for
the bad record it shows.

The bad records are built by ``error_examples.yaml``: for each section, one entry per
output block, in order. An entry is a list of edits applied to the small valid project
in ``error_base/``:

``{file, old, new}``
    replace the one occurrence of ``old`` in ``file`` with ``new`` (``times: N`` repeats ``new``);
``{file, text}``
    write ``file`` with ``text`` (``null`` deletes it);
``{file, copy_of}``
    start ``file`` as a copy of another file (edits after it apply to the copy);
``{file, encoding}``
    save ``file`` in that encoding instead of UTF-8.

Each ```` ```yaml ```` block shown as **Bad** must appear in one of the files an entry of
its section writes (a line ``...`` or ``# ...`` stands for lines left out, and a first
line ``# claims/...`` names the file). Rows of the SG203 table are checked the same
way against ``SG203-table``.

``pytest --update-goldens`` rewrites the output blocks from the real output; review the
diff like code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from sitegen.cli import main
from sitegen.codes import CODES
from tests.conftest import ROOT

HERE = Path(__file__).resolve().parent
BASE = HERE / "error_base"
EXAMPLES = HERE / "error_examples.yaml"
REFERENCE = ROOT / "content" / "contributing" / "errors.md"
TODAY_EPOCH = "1795608000"  # 2026-11-25 12:00 UTC: the examples' dates are judged against this day

HEADING = re.compile(r"^## (?:(SG\d{3}): (.+?)|(.+?)) \{#([a-z0-9-]+)\}$", re.MULTILINE)
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
PROBLEM_LINE = re.compile(r"^((?:claims|content)/\S+):\d+:\d+: (error|warning) SG\d{3} ")
SUMMARY_LINE = re.compile(r"^sitegen: .*: (ok|failed)$")


@dataclass(frozen=True)
class Section:
    key: str  # the code, or the anchor of a section without one
    title: str
    start: int
    end: int

    def text(self, doc: str) -> str:
        return doc[self.start : self.end]


def _sections(doc: str) -> list[Section]:
    matches = list(HEADING.finditer(doc))
    sections = []
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(doc)
        key = match.group(1) or match.group(4)
        sections.append(Section(key, match.group(2) or match.group(3), match.end(), end))
    return sections


def _is_output(body: str) -> bool:
    lines = [line for line in body.splitlines() if not line.startswith("  hint: ")]
    return bool(lines) and all(PROBLEM_LINE.match(line) or SUMMARY_LINE.match(line) for line in lines)


def _output_blocks(doc: str, section: Section) -> list[re.Match[str]]:
    """The fenced text blocks of validator output in one section, in order (offsets into doc)."""
    blocks = FENCE.finditer(doc, section.start, section.end)
    return [m for m in blocks if m.group(1) == "text" and _is_output(m.group(2))]


def _examples() -> dict[str, list[list[dict[str, object]]]]:
    data = yaml.safe_load(EXAMPLES.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    data.pop("paths")
    return data


def _apply(edits: list[dict[str, object]]) -> dict[str, bytes | None]:
    files: dict[str, str | None] = {
        p.relative_to(BASE).as_posix(): p.read_text(encoding="utf-8") for p in sorted((BASE / "claims").rglob("*.yaml"))
    }
    encodings: dict[str, str] = {}
    for edit in edits:
        name = str(edit["file"])
        if "copy_of" in edit:
            files[name] = files[str(edit["copy_of"])]
        elif "text" in edit:
            files[name] = None if edit["text"] is None else str(edit["text"])
        elif "encoding" in edit:
            encodings[name] = str(edit["encoding"])
        else:
            old, new = str(edit["old"]), str(edit["new"]) * int(str(edit.get("times", 1)))
            current = files[name]
            assert current is not None and current.count(old) == 1, f"{name}: {old!r} must occur exactly once"
            files[name] = current.replace(old, new)
    return {k: None if v is None else v.encode(encodings.get(k, "utf-8")) for k, v in files.items()}


def _run(edits: list[dict[str, object]], root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> str:
    for relative, data in _apply(edits).items():
        if data is not None:
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            (root / relative).write_bytes(data)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    capsys.readouterr()
    main(["validate", "--root", str(root), "--format", "text"])
    captured = capsys.readouterr()
    return captured.out + captured.err


def _documented_cases() -> list[object]:
    doc = REFERENCE.read_text(encoding="utf-8")
    return [
        pytest.param(section.key, index, id=f"{section.key}-{index + 1}")
        for section in _sections(doc)
        for index, _ in enumerate(_output_blocks(doc, section))
    ]


@pytest.mark.parametrize(("key", "index"), _documented_cases())
def test_documented_output_is_real_output(
    key: str, index: int, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    examples = _examples()
    assert key in examples, f"no entry '{key}' in {EXAMPLES.name}"
    assert index < len(examples[key]), f"{EXAMPLES.name}: '{key}' needs an entry for output block {index + 1}"
    real = _run(examples[key][index], tmp_path, capsys, monkeypatch)
    doc = REFERENCE.read_text(encoding="utf-8")
    section = next(s for s in _sections(doc) if s.key == key)
    block = _output_blocks(doc, section)[index]
    wanted_summary = any(SUMMARY_LINE.match(line) for line in block.group(2).splitlines())
    real_lines = [line for line in real.splitlines() if wanted_summary or not SUMMARY_LINE.match(line)]
    real_text = "\n".join(real_lines) + "\n"
    if request.config.getoption("--update-goldens"):
        REFERENCE.write_text(doc[: block.start(2)] + real_text + doc[block.end(2) :], encoding="utf-8")
        return
    assert block.group(2) == real_text


def test_every_section_has_an_example_entry_and_no_more() -> None:
    doc = REFERENCE.read_text(encoding="utf-8")
    counts = {s.key: len(_output_blocks(doc, s)) for s in _sections(doc) if _output_blocks(doc, s)}
    entries = {key: len(value) for key, value in _examples().items() if key != "SG203-table"}
    assert counts == entries


def _occurs(snippet: str, files: dict[str, bytes | None]) -> bool:
    lines = snippet.splitlines()
    target = None
    if lines and re.fullmatch(r"# (claims/\S+\.ya?ml)", lines[0]):
        target, lines = lines[0][2:], lines[1:]
    chunks: list[list[str]] = [[]]
    for line in lines:
        if line.strip() == "..." or line.strip().startswith("# ..."):
            chunks.append([])
        else:
            chunks[-1].append(line)
    for name, data in files.items():
        if data is None or (target and name != target):
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252")
        position = 0
        for chunk in filter(None, chunks):
            found = text.find("\n".join(chunk) + "\n", position)
            if found < 0:
                break
            position = found
        else:
            return True
    return False


def _bad_snippets(doc: str, section: Section) -> list[str]:
    """The yaml blocks after '**Bad**' and before '**Good**'."""
    text = section.text(doc)
    bad = text.find("**Bad**")
    good = text.find("**Good**")
    if bad < 0:
        return []
    return [m.group(2) for m in FENCE.finditer(text, bad, good if good > bad else len(text)) if m.group(1) == "yaml"]


def test_every_bad_example_is_what_the_test_validates() -> None:
    doc = REFERENCE.read_text(encoding="utf-8")
    examples = _examples()
    for section in _sections(doc):
        built = [_apply(edits) for edits in examples.get(section.key, [])]
        for snippet in _bad_snippets(doc, section):
            assert any(_occurs(snippet, files) for files in built), f"{section.key}: bad example not validated:\n{snippet}"


def test_sections_match_the_registry() -> None:
    doc = REFERENCE.read_text(encoding="utf-8")
    sections = {s.key: s for s in _sections(doc) if re.fullmatch(r"SG\d{3}", s.key)}
    assert sorted(sections) == sorted(CODES), "one section per registered code, and no other"
    for code, entry in CODES.items():
        section = sections[code]
        assert section.title == entry.title, code
        severity = re.search(r"^\*\*Severity:\*\* (\w+)", section.text(doc), re.MULTILINE)
        assert severity is not None and severity.group(1) == entry.severity.value, code
        for line in "".join(m.group(2) for m in _output_blocks(doc, section)).splitlines():
            found = re.search(r" (error|warning) (SG\d{3}) ", line)
            if found:
                assert found.group(1) == CODES[found.group(2)].severity.value, line


TABLE_ROW = re.compile(r"^\| (?P<input>[^|]+) \| `(?P<message>[^`]+)` \(hint: (?P<hint>.+)\) \|$", re.MULTILINE)


def _sg203_rows() -> list[re.Match[str]]:
    doc = REFERENCE.read_text(encoding="utf-8")
    section = next(s for s in _sections(doc) if s.key == "SG203")
    return list(TABLE_ROW.finditer(section.text(doc)))


@pytest.mark.parametrize("index", range(len(_sg203_rows())))
def test_sg203_table_rows_are_real(
    index: int, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    row = _sg203_rows()[index]
    edits = _examples()["SG203-table"][index]
    real = _run(edits, tmp_path, capsys, monkeypatch)
    lines = real.splitlines()
    found = [i for i, line in enumerate(lines) if " SG203 " in line]
    assert len(found) == 1, real
    assert lines[found[0]].endswith(f" error SG203 {row['message']}"), real
    assert lines[found[0] + 1] == f"  hint: {row['hint']}", real


def test_sg203_table_has_an_entry_per_row() -> None:
    assert len(_examples()["SG203-table"]) == len(_sg203_rows())

