"""``sitegen new`` and ``sitegen init``: files from templates; never overwrites anything.

``init`` copies ``templates/init/``: files ending in ``.j2`` are rendered (the suffix is
dropped), others are copied as they are, and a leading ``dot-`` in a name becomes ``.``
(so the templates ship in the wheel without hidden files).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from sitegen.clock import build_date
from sitegen.errors import SitegenError
from sitegen.model import ClaimKind
from sitegen.page import yaml_string
from sitegen.schema import RECORD_TYPES, schema_text
from sitegen.source import read_yaml
from sitegen.validate import SLUG, validate_topic_list

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["InitOptions", "ask_missing", "init_files", "init_site", "render_claim_template", "write_claim"]

_TEMPLATES = Path(__file__).parent / "templates"
_INIT = _TEMPLATES / "init"
SCHEMA_DIR = "schema"
REVIEW_INTERVAL = dt.timedelta(days=182)


def _check_slug(value: str, what: str) -> str:
    if not SLUG.match(value):
        raise SitegenError(f"{what} {value!r} is not a valid id: use lower-case letters, digits and single hyphens")
    return value


def _check_kind(value: str) -> str:
    if value not in {k.value for k in ClaimKind}:
        raise SitegenError(f"kind {value!r} is not one of: {', '.join(k.value for k in ClaimKind)}")
    return value


def ask_missing(topic: str | None, claim_id: str | None, kind: str | None, *, ask: Callable[[str], str]) -> tuple[str, str, str]:
    """Fill in what was not given on the command line by asking, then check each answer."""
    topic = topic or ask("Topic (folder under claims/): ").strip()
    claim_id = claim_id or ask("Claim id (lower-case-with-hyphens): ").strip()
    kind = kind or ask(f"Kind ({', '.join(k.value for k in ClaimKind)}): ").strip()
    return _check_slug(topic, "topic"), _check_slug(claim_id, "claim id"), _check_kind(kind)


def _environment(folder: Path) -> Environment:
    # YAML and Markdown files, not HTML: values are written through the 'yaml' filter instead
    env = Environment(loader=FileSystemLoader(str(folder)), undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
    env.filters["yaml"] = yaml_string
    return env


def render_claim_template(*, topic: str, claim_id: str, kind: str, today: dt.date, schema_dir: str | None = None) -> str:
    """The text of a new claim file, every field present and commented.

    Args:
        topic: the topic id (the claim's folder).
        claim_id: the claim id (the file name).
        kind: the claim kind.
        today: the review date written into the file.
        schema_dir: the schema folder relative to the claim file, for editor completion (none: no schema line).
    """
    return _environment(_TEMPLATES).get_template("new_claim.yaml.j2").render(
        topic=topic, claim_id=claim_id, kind=kind, today=today.isoformat(), next_due=(today + REVIEW_INTERVAL).isoformat(),
        schema_dir=schema_dir,
    )


def _topic_ids(topics_file: Path) -> set[str]:
    try:
        read = read_yaml(topics_file.read_bytes(), topics_file.name)
    except OSError as exc:
        raise SitegenError(f"cannot read {topics_file}: {exc.strerror or exc}") from exc
    topics, _ = validate_topic_list(read.value, read.positions)
    return {topic.id for topic in topics}


def write_claim(claims_dir: Path, *, topic: str, claim_id: str, kind: str) -> Path:
    """Create ``claims_dir/topic/claim_id.yaml``.

    Raises:
        SitegenError: the claims folder is missing or the file already exists.
    """
    if not claims_dir.is_dir():
        raise SitegenError(f"claims folder not found: {claims_dir}")
    topics = _topic_ids(claims_dir / "topics.yaml")
    if topic not in topics:
        raise SitegenError(f"unknown topic {topic!r}; topics in topics.yaml: {', '.join(sorted(topics)) or 'none'}")
    path = claims_dir / topic / f"{claim_id}.yaml"
    schema = claims_dir.parent / SCHEMA_DIR
    schema_dir = Path(os.path.relpath(schema, path.parent)).as_posix() if schema.is_dir() else None
    text = render_claim_template(topic=topic, claim_id=claim_id, kind=kind, today=build_date(), schema_dir=schema_dir)
    path.parent.mkdir(exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError as exc:
        raise SitegenError(f"{path} already exists; choose another id (sitegen never overwrites)") from exc
    return path


@dataclass(frozen=True, slots=True)
class InitOptions:
    """What ``sitegen init`` writes into the new site's settings and pages."""

    title: str = "An evidence review"
    description: str = "An open review of published claims, each graded against the evidence."
    reviewed_kind: str = "article"
    reviewed_title: str = "The work under review"
    reviewed_description: str = "Describe the work whose claims this site reviews."
    site_url: str = "http://127.0.0.1:8000/"


def init_files(options: InitOptions, *, today: dt.date) -> dict[str, str]:
    """Every file of a new review site: relative path -> text."""
    env = _environment(_INIT)
    context = {
        "title": options.title, "description": options.description, "reviewed_kind": options.reviewed_kind,
        "reviewed_title": options.reviewed_title, "reviewed_description": options.reviewed_description, "site_url": options.site_url,
        "today": today.isoformat(), "next_due": (today + REVIEW_INTERVAL).isoformat(),
    }
    files: dict[str, str] = {}
    for template in sorted(_INIT.rglob("*")):
        if not template.is_file():
            continue
        relative = template.relative_to(_INIT).as_posix()
        target = "/".join("." + part[4:] if part.startswith("dot-") else part for part in relative.removesuffix(".j2").split("/"))
        files[target] = env.get_template(relative).render(**context) if relative.endswith(".j2") else template.read_text(encoding="utf-8")
    for record in RECORD_TYPES:
        files[f"{SCHEMA_DIR}/{record}.schema.json"] = schema_text(record)
    return files


def init_site(target: Path, options: InitOptions) -> list[Path]:
    """Write a new review site into ``target`` (created if missing).

    Returns:
        The files written, sorted.

    Raises:
        SitegenError: a file to be written already exists (nothing is written then), or a file cannot be written.
    """
    files = init_files(options, today=build_date())
    existing = sorted(relative for relative in files if (target / relative).exists())
    if existing:
        raise SitegenError(f"{target} already has {', '.join(existing)}; sitegen init never overwrites: choose an empty folder")
    written = []
    try:
        for relative, text in files.items():
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            written.append(path)
    except OSError as exc:
        raise SitegenError(f"cannot write {target}: {exc.strerror or exc}") from exc
    return sorted(written)
