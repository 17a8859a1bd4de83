"""sitegen: claim YAML to a validated catalogue to a static evidence-review site.

The core (everything except the ``plugin`` package and, lazily, ``build``) never imports MkDocs.
"""

from __future__ import annotations

from sitegen.catalog import LoadResult, load_catalog
from sitegen.errors import SitegenError
from sitegen.model import Catalog, Claim, ClaimKind, EvidenceLevel, Source, Verdict
from sitegen.problems import Location, Problem, Severity

__all__ = [
    "Catalog",
    "Claim",
    "ClaimKind",
    "EvidenceLevel",
    "LoadResult",
    "Location",
    "Problem",
    "Severity",
    "SitegenError",
    "Source",
    "Verdict",
    "__version__",
    "load_catalog",
]

__version__ = "0.1.0"
