"""Articles from RSS and Atom feeds (feedparser): each item is an article with its title,
link, publication date and text (its content, else its summary, markup removed); the
feed's title names the outlet, and the item's language is its ``xml:lang`` (Atom), else
the feed's ``<language>`` (RSS) or ``xml:lang``. With ``fetch`` the item's page is fetched politely and
its main text extracted instead.

The feed is parsed from the bytes already read: feedparser is never handed a URL, so
reading a feed file never reaches the network.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from dragoman.ingest import mapping
from dragoman.ingest.errors import IngestError
from dragoman.ingest.markup import plain_text
from dragoman.records import Article

Item = Article | IngestError


@dataclass
class FeedItem:
    """One item of a feed, before it becomes an article."""

    #: What identifies the item across polls: its guid (Atom id), else its link.
    key: str
    link: str | None
    title: str | None
    published: date | None
    text: str
    origin: str
    #: The language tag the feed declares for the item (``en-us``), or None.
    language: str | None = None


def parse_feed(data: bytes, origin: str) -> tuple[list[FeedItem], str | None] | IngestError:
    """The items of a feed and its title, or why it cannot be read."""
    import feedparser

    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=True)
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        detail = f" ({' '.join(str(reason).split())[:160]})" if reason else ""
        return IngestError(origin, f"not a feed feedparser can read{detail}")
    outlet = parsed.feed.get("title") or None
    feed_language = parsed.feed.get("language") or None
    items = []
    for number, entry in enumerate(parsed.entries, start=1):
        link = mapping.web_url(entry.get("link"))
        key = entry.get("id") or link or entry.get("title") or ""
        items.append(
            FeedItem(
                key=str(key),
                link=link,
                title=entry.get("title") or None,
                published=_entry_date(entry),
                text=_entry_text(entry),
                origin=f"{origin}:item {number}",
                language=_entry_language(entry) or feed_language,
            )
        )
    return items, outlet


def _entry_text(entry: Any) -> str:
    """The item's fullest text: its content, else its summary, as plain text."""
    for content in entry.get("content") or ():
        value = content.get("value") or ""
        if value.strip():
            return plain_text(value)
    return plain_text(entry.get("summary") or "")


def _entry_language(entry: Any) -> str | None:
    """The language feedparser found declared for the item's text (Atom ``xml:lang``,
    inherited from the feed), else for its title."""
    details = [content for content in entry.get("content") or () if content.get("value")]
    details += [entry.get("summary_detail"), entry.get("title_detail")]
    for detail in details:
        if detail and detail.get("language"):
            return str(detail["language"])
    return None


def _entry_date(entry: Any) -> date | None:
    """When the item was published (else last updated), as a UTC date."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC).date()
    return None


def item_id(item: FeedItem) -> str:
    """The id of an item read from its feed's text: its link's host and a hash of its key
    (salted, so that the item's fetched page, named by its URL, never shares its id)."""
    return mapping.url_id(item.link or "", key=f"item:{item.key}")


def item_article(item: FeedItem, outlet: str | None, fetcher=None) -> Item:
    """The article of one item: its own text, or (with a ``fetcher``) its page's."""
    if fetcher is not None:
        if item.link is None:
            return IngestError(item.origin, "the item has no http(s) link to fetch")
        from dragoman.ingest.urls import fetch_article

        return fetch_article(
            item.link,
            fetcher,
            origin=item.origin,
            published=item.published,
            source=outlet,
            language=item.language,
        )
    if not item.text.strip():
        return IngestError(item.origin, "the item has no text (use --fetch to read its page)")
    return mapping.article(
        item_id(item),
        item.text,
        item.origin,
        published=item.published,
        title=item.title,
        url=item.link,
        source=outlet,
        language=item.language,
    )


def read_feed(data: bytes, origin: str, fetcher=None) -> Iterator[Item]:
    """Every item of a feed as an article (or the reason it is not one)."""
    parsed = parse_feed(data, origin)
    if isinstance(parsed, IngestError):
        yield parsed
        return
    items, outlet = parsed
    if not items:
        yield IngestError(origin, "the feed has no items")
        return
    for item in items:
        yield item_article(item, outlet, fetcher)
