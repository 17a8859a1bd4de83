"""Page markers: where they count, and that an unknown one is a located error."""

from __future__ import annotations

from sitegen.markers import replace_markers, scan_markers
from sitegen.model import Marker
from sitegen.validate.pages import check_page_markers

PAGE = """# Home

<!-- sitegen:topics -->
Use `<!-- sitegen:topics -->` to list the topics.

```markdown
<!-- sitegen:topics -->
<!-- sitegen:nonsense -->
```

  <!--sitegen:evidence-map-->
<!-- sitegen:topic -->
<!-- sitegen: rubric -->
"""


def test_markers_count_alone_on_a_line_outside_code() -> None:
    uses = [(u.written, u.marker, u.line, u.column) for u in scan_markers(PAGE)]
    assert uses == [
        ("topics", Marker.TOPICS, 3, 1),
        ("evidence-map", Marker.EVIDENCE_MAP, 11, 3),
        ("topic", None, 12, 1),
        ("rubric", None, 13, 1),
    ]


def test_only_known_markers_are_replaced() -> None:
    text = replace_markers(PAGE, lambda marker: f"<div>{marker.value}</div>")
    assert "<div>topics</div>" in text and "<div>evidence-map</div>" in text
    assert "`<!-- sitegen:topics -->`" in text and "```markdown\n<!-- sitegen:topics -->" in text
    assert "<!-- sitegen:topic -->" in text


def test_unknown_markers_are_errors_with_line_and_column() -> None:
    problems = check_page_markers(PAGE, "content/index.md")
    assert [(p.code, str(p.where)) for p in problems] == [("SG115", "content/index.md:12:1"), ("SG115", "content/index.md:13:1")]
    assert problems[0].hint == "did you mean '<!-- sitegen:topics -->'?"
