"""``sitegen diff``: which claims were added, removed or changed between two versions.

Works on the records as written (no full validation), so a pull request that breaks a
file still gets a useful comparison next to its validation errors.
"""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from sitegen.errors import SitegenError
from sitegen.source import read_yaml

__all__ = ["ClaimChange", "ClaimDiff", "diff_claim_dirs", "diff_revisions", "format_diff_json", "format_diff_markdown"]

COMPARED = (
    "title", "kind", "topic", "verdict", "evidence_level", "certainty", "certainty_reasons", "as_of", "statement", "quote", "summary", "evidence", "caveats",
    "next_review",
)
MARKER = "<!-- sitegen-diff -->"


@dataclass(frozen=True, slots=True)
class ClaimChange:
    """One field of one claim, before and after."""

    claim: str
    field: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class ClaimDiff:
    """Claims added, removed and changed, each sorted by id."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[ClaimChange, ...]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _read_claims(claims_dir: Path) -> dict[str, dict[str, str]]:
    claims: dict[str, dict[str, str]] = {}
    for path in sorted(claims_dir.glob("*/*.yaml")):
        if path.parent.name == "sources":
            continue
        value = read_yaml(path.read_bytes(), path.name).value
        if isinstance(value, dict):
            claims[path.stem] = _comparable(value)
    return claims


def _comparable(value: dict[str, object]) -> dict[str, str]:
    """Each compared field as one line of text (evidence as 'source (stance)' items)."""
    fields = {k: str(value.get(k) or "").strip() for k in COMPARED}
    evidence = value.get("evidence")
    if isinstance(evidence, list):
        fields["evidence"] = ", ".join(
            f"{item.get('source')} ({item.get('stance')})" for item in evidence if isinstance(item, dict)
        )
    fields["certainty"], fields["certainty_reasons"] = _certainty_text(value.get("certainty"))
    caveats = value.get("caveats")
    fields["caveats"] = " / ".join(str(c) for c in caveats) if isinstance(caveats, list) else ""
    reviewed = value.get("reviewed")
    fields["next_review"] = str(reviewed.get("next_due", "")) if isinstance(reviewed, dict) else ""
    return fields


def _certainty_text(block: object) -> tuple[str, str]:
    """The rating with its steps ('low (down: indirectness; up: large-effect)'), and the steps' reasons."""
    if not isinstance(block, dict):
        return "", ""
    steps, reasons = [], []
    for key, word in (("lowered", "down"), ("raised", "up")):
        items = block.get(key)
        entries = [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []
        if entries:
            steps.append(f"{word}: {', '.join(str(i.get('domain')) for i in entries)}")
        reasons += [f"{i.get('domain')}: {str(i.get('reason') or '').strip()}" for i in entries]
    rating = str(block.get("rating") or "").strip()
    return (f"{rating} ({'; '.join(steps)})" if steps else rating), " / ".join(reasons)


def diff_claim_dirs(old_dir: Path, new_dir: Path) -> ClaimDiff:
    """Compare the claim records of two claims folders."""
    old, new = _read_claims(old_dir), _read_claims(new_dir)
    changed = [
        ClaimChange(cid, key, old[cid][key], new[cid][key])
        for cid in sorted(old.keys() & new.keys())
        for key in COMPARED
        if old[cid][key] != new[cid][key]
    ]
    return ClaimDiff(tuple(sorted(new.keys() - old.keys())), tuple(sorted(old.keys() - new.keys())), tuple(changed))


def _export_revision(root: Path, revision: str, claims: str, target: Path) -> Path:
    try:
        archive = subprocess.run(
            ["git", "-C", str(root), "archive", "--format=tar", revision, "--", claims],
            check=True, capture_output=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = exc.stderr.decode(errors="replace").strip() if isinstance(exc, subprocess.CalledProcessError) else str(exc)
        raise SitegenError(f"cannot read claims at git revision {revision!r}: {detail}") from exc
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target / claims


def _in_repository(root: Path, claims_dir: Path) -> str:
    """The claims folder as a path inside the repository at ``root`` (how git names it)."""
    real_root, real_claims = root.resolve(), claims_dir.resolve()
    if not real_claims.is_relative_to(real_root):
        raise SitegenError(f"the claims folder {claims_dir} is not inside --root {root}, so git revisions cannot be read from it")
    return real_claims.relative_to(real_root).as_posix() or "."


def _claims_at(root: Path, spec: str | None, claims_dir: Path, scratch: Path) -> Path:
    if spec is None:
        return claims_dir
    folder = Path(spec)
    if folder.is_dir():
        inner = folder / claims_dir.name
        return inner if inner.is_dir() else folder
    return _export_revision(root, spec, _in_repository(root, claims_dir), scratch)


def diff_revisions(root: Path, base: str, head: str | None, *, claims_dir: Path | None = None, output_format: str = "markdown") -> str:
    """Diff two git revisions or folders (``head`` defaults to the working tree).

    Args:
        root: the git repository (and project root).
        base: a git revision, or a folder holding the claims (or a project holding them).
        head: the same, or ``None`` for ``claims_dir`` as it is now.
        claims_dir: the claims folder (default: ``root/claims``); revisions are read at the same path.
        output_format: ``markdown`` or ``json``.
    """
    claims_dir = claims_dir or root / "claims"
    with tempfile.TemporaryDirectory() as scratch:
        old_dir = _claims_at(root, base, claims_dir, Path(scratch) / "base")
        new_dir = _claims_at(root, head, claims_dir, Path(scratch) / "head")
        result = diff_claim_dirs(old_dir, new_dir)
    return format_diff_json(result) if output_format == "json" else format_diff_markdown(result)


def _cell(text: str, limit: int = 160) -> str:
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_diff_markdown(result: ClaimDiff) -> str:
    """Markdown for a sticky pull-request comment (starts with a hidden marker)."""
    lines = [MARKER, "### Claims changed by this pull request", ""]
    if result.is_empty:
        return "\n".join([*lines, "No claim was added, removed or changed.", ""])
    if result.added:
        lines += ["**Added:** " + ", ".join(f"`{c}`" for c in result.added), ""]
    if result.removed:
        lines += ["**Removed:** " + ", ".join(f"`{c}`" for c in result.removed), ""]
    if result.changed:
        lines += ["| claim | field | old | new |", "|---|---|---|---|"]
        lines += [f"| `{c.claim}` | {c.field} | {_cell(c.old)} | {_cell(c.new)} |" for c in result.changed]
        lines.append("")
    return "\n".join(lines)


def format_diff_json(result: ClaimDiff) -> str:
    """The same comparison as JSON."""
    data = {"added": list(result.added), "removed": list(result.removed), "changed": [asdict(c) for c in result.changed]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
