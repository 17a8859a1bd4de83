"""``sitegen new``: a claim file from the template; never overwrites."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from sitegen.clock import build_date
from sitegen.errors import SitegenError
from sitegen.model import ClaimKind
from sitegen.source import read_yaml
from sitegen.validate import SLUG, validate_topic_list

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["ask_missing", "render_claim_template", "write_claim"]

_TEMPLATES = Path(__file__).parent / "templates"
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


def render_claim_template(*, topic: str, claim_id: str, kind: str, today: dt.date) -> str:
    """The text of a new claim file, every field present and commented."""
    env = Environment(loader=FileSystemLoader(str(_TEMPLATES)), undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
    return env.get_template("new_claim.yaml.j2").render(
        topic=topic, claim_id=claim_id, kind=kind, today=today.isoformat(), next_due=(today + REVIEW_INTERVAL).isoformat()
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
    text = render_claim_template(topic=topic, claim_id=claim_id, kind=kind, today=build_date())
    path.parent.mkdir(exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError as exc:
        raise SitegenError(f"{path} already exists; choose another id (sitegen never overwrites)") from exc
    return path
