"""The committed source list (data/sources.yaml): every file is fetched from its publisher, not from a copy.

A source's ``url`` (and its ``landing_page``) may point at GitHub only where the repository is the
publisher's own and the file is published nowhere else; :data:`ALLOWED_ON_GITHUB` lists those
repositories and says why. The indicator records' ``origin`` blocks must agree with the source
they are built from.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest

from cwb_metrics.indicators.catalogue import load_catalogue
from cwb_metrics.models.source import SourceFile

#: Hosts that serve files out of GitHub repositories (and ``*.github.io`` pages).
GITHUB_HOSTS = frozenset(
    {"github.com", "raw.githubusercontent.com", "gist.githubusercontent.com", "objects.githubusercontent.com"}
)

#: GitHub addresses a source may use (by prefix), each with the reason: the publisher's own repository.
ALLOWED_ON_GITHUB: dict[str, str] = {
    "https://raw.githubusercontent.com/ONSdigital/explore-local-statistics-data/": (
        "ONS's own data repository for Explore Local Statistics (ONSdigital is ONS's GitHub organisation; "
        "the files are Crown copyright under OGL v3). ONS publishes the per-indicator tidy CSVs only there: "
        "the service's pages offer chart CSVs and one all-indicators ODS, not these files."
    ),
    "https://raw.githubusercontent.com/ONSdigital/explore-local-statistics-app/": (
        "ONS's own Explore Local Statistics app repository: ONS publishes its similar-areas clusters and "
        "neighbour lists only as that app's configuration files."
    ),
    "https://raw.githubusercontent.com/mysociety/": (
        "mySociety's own repositories: mySociety is the publisher of these files (its re-shaped BEIS CO2 "
        "table and its council code lookup, CC BY 4.0), pinned to the commit the mirror holds."
    ),
}


def on_github(url: str) -> bool:
    """Whether ``url`` is served out of a GitHub repository or GitHub Pages site."""
    host = (urlsplit(url).hostname or "").lower()
    return host in GITHUB_HOSTS or host.endswith(".github.io")


def github_problems(source: SourceFile) -> list[str]:
    """Say which of ``source``'s addresses point at GitHub without a reason in :data:`ALLOWED_ON_GITHUB`."""
    problems = []
    for field in ("url", "landing_page"):
        url = str(getattr(source, field))
        if on_github(url) and not url.startswith(tuple(ALLOWED_ON_GITHUB)):
            problems.append(
                f"{source.id}: {field} {url} is a copy on GitHub; use the publisher's own address "
                "(or, for the publisher's own repository, add it to ALLOWED_ON_GITHUB with the reason)"
            )
    return problems


def _source(url: str, **extra: object) -> SourceFile:
    return SourceFile(
        id="test/file",
        title="Test file",
        publisher="Test",
        url=url,
        landing_page=extra.pop("landing_page", "https://www.gov.uk/government/statistics/test"),
        mirror_path="folder/file.csv",
        format="csv",
        attribution="Test",
        date_published=dt.date(2025, 1, 1),
        **extra,
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://raw.githubusercontent.com/someone/copies/0123abc/data/EDM%202022.xlsx",
        "https://github.com/someone/copies/raw/main/workbook.xlsx",
        "https://someone.github.io/site/data.csv",
        "https://raw.githubusercontent.com/ONSdigital/sdg-data/b68b9d9/data/indicator_3-9-1.csv",
    ],
)
def test_a_file_on_github_is_caught(url: str) -> None:
    problems = github_problems(_source(url))
    assert len(problems) == 1 and problems[0].startswith(f"test/file: url {url} is a copy on GitHub")


def test_a_landing_page_on_github_is_caught() -> None:
    problems = github_problems(_source("https://www.ons.gov.uk/file.csv", landing_page="https://github.com/a/b"))
    assert [p.split(" is ")[0] for p in problems] == ["test/file: landing_page https://github.com/a/b"]


def test_publishers_own_addresses_pass() -> None:
    for url in (
        "https://assets.publishing.service.gov.uk/media/63ff3a66e90e0740d3cd6ef5/tables.xlsx",
        "https://raw.githubusercontent.com/ONSdigital/explore-local-statistics-data/main/x/x.csv",
        "https://sdgdata.gov.uk/sdg-data/en/data/3-9-1.csv",
    ):
        assert github_problems(_source(url)) == []


def test_no_source_is_fetched_from_a_copy_on_github(sources: dict[str, SourceFile]) -> None:
    problems = [problem for source in sources.values() for problem in github_problems(source)]
    assert problems == []


def test_a_file_offered_only_from_a_web_page_is_optional(sources: dict[str, SourceFile]) -> None:
    # A refresh from the publishers' URLs skips such a file with its message, and still completes.
    manual = {sid for sid, source in sources.items() if source.manual_download}
    assert manual, "no source is marked manual_download: update this test if that is now so"
    assert {sid for sid in manual if not sources[sid].optional} == set()


def test_every_archive_member_comes_out_of_a_zip(sources: dict[str, SourceFile]) -> None:
    zipped = {sid: str(s.url) for sid, s in sources.items() if s.archive_member}
    assert zipped
    assert {sid: url for sid, url in zipped.items() if not url.lower().split("?")[-1].endswith(".zip")} == {}


def test_indicator_origins_agree_with_their_source(sources: dict[str, SourceFile]) -> None:
    problems = []
    for meta in load_catalogue().values():
        source = sources[meta.extract.source]
        origin = meta.origin
        if origin.date_published != source.date_published:
            problems.append(f"{meta.id}: origin date {origin.date_published}, {source.id} {source.date_published}")
        download = str(origin.url_download) if origin.url_download else None
        if source.manual_download and download:
            problems.append(f"{meta.id}: {source.id} has no download address, but the origin gives {download}")
        elif download and download != str(source.url):
            problems.append(f"{meta.id}: origin url_download {download}, {source.id} url {source.url}")
        for url in (str(origin.url_main), download or ""):
            if on_github(url) and not url.startswith(tuple(ALLOWED_ON_GITHUB)):
                problems.append(f"{meta.id}: origin {url} is a copy on GitHub")
    assert problems == []
