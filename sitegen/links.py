"""``sitegen check-links``: resolve every DOI, PMID and URL over the network, politely.

Never part of CI here (no network); results are cached so reruns only ask what is new
or previously failed. One request at a time, with a delay between requests to a host.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.errors import SitegenError

if TYPE_CHECKING:
    from collections.abc import Callable

    from sitegen.model import Catalog

__all__ = ["check_links", "links_of"]

USER_AGENT = "sitegen-check-links/0.1 (+evidence review link checker)"
DOI_RESOLVER = "https://doi.org/"
PUBMED = "https://pubmed.ncbi.nlm.nih.gov/"


def links_of(catalog: Catalog, *, doi_base: str = DOI_RESOLVER, pubmed_base: str = PUBMED) -> list[tuple[str, str]]:
    """(source id, address) for every identifier of every source, sorted, no duplicates."""
    found = set()
    for source in catalog.sources:
        if source.doi:
            found.add((source.id, doi_base + urllib.parse.quote(source.doi, safe="/:;()")))
        if source.pmid:
            found.add((source.id, f"{pubmed_base}{source.pmid}/"))
        for url in (source.url, source.verified_against):
            if url:
                found.add((source.id, url))
    return sorted(found)


def _status(url: str, timeout: float) -> int:
    request = urllib.request.Request(url, method="HEAD", headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        if exc.code in (403, 405, 501):  # some hosts refuse HEAD: ask again with GET
            get = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
            try:
                with urllib.request.urlopen(get, timeout=timeout) as response:
                    return int(response.status)
            except urllib.error.HTTPError as again:
                return again.code
        return exc.code


def _read_cache(cache_file: Path) -> dict[str, int]:
    """The cache of earlier checks: address -> HTTP status (0 for no answer)."""
    if not cache_file.is_file():
        return {}
    corrupt = SitegenError(f"{cache_file} is not a link-check cache (a JSON object of address to status); "
                           "delete it and run again to check every link afresh")
    try:
        data = json.loads(cache_file.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:  # JSONDecodeError is a ValueError
        raise corrupt from exc
    if not isinstance(data, dict) or not all(isinstance(k, str) and type(v) is int for k, v in data.items()):
        raise corrupt
    return data


def check_links(
    catalog: Catalog,
    *,
    cache_file: Path,
    delay: float = 1.0,
    timeout: float = 15.0,
    doi_base: str = DOI_RESOLVER,
    pubmed_base: str = PUBMED,
    sleep: Callable[[float], None] = time.sleep,
) -> list[str]:
    """Check every link not already known good; return one line per failure."""
    cache = _read_cache(cache_file)
    last_request: dict[str, float] = {}
    failures = []
    for source_id, url in links_of(catalog, doi_base=doi_base, pubmed_base=pubmed_base):
        if 200 <= cache.get(url, 0) < 400:
            continue
        host = urllib.parse.urlsplit(url).netloc
        wait = delay - (time.monotonic() - last_request.get(host, -delay))
        if wait > 0:
            sleep(wait)
        try:
            status = _status(url, timeout)
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            status = 0
            failures.append(f"{source_id}: {url}: {getattr(exc, 'reason', exc)}")
        else:
            if not 200 <= status < 400:
                failures.append(f"{source_id}: {url}: HTTP {status}")
        last_request[host] = time.monotonic()
        cache[url] = status
    cache_file.write_text(json.dumps(cache, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return failures
