"""Following feeds and URL lists: each poll reads every source (a feed or a URL list, as a
URL or a file) and yields the articles of the items not seen before.

What has been seen is kept in a small JSON file next to the store (``events.duckdb`` ->
``events.duckdb.watch.json``): each source's item keys (guid or link; the URL of a list's
line) and the validators (ETag, Last-Modified) its server gave, so an unchanged feed is
not even downloaded again. A poll's items are marked seen only once the caller says they
are stored (:meth:`Poll.commit`), and the file is replaced atomically: a watch stopped at
any moment and started again reads no item twice into the store (an item read again
after a stop before its commit is already stored and is not stored twice).
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dragoman.ingest.errors import IngestError
from dragoman.ingest.fetch import Fetcher, FetchError
from dragoman.records import Article

Item = Article | IngestError

_EVERY = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd]?)")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
STATE_VERSION = 1


def parse_every(value: str) -> float:
    """``15m``, ``1h``, ``90s`` or ``300`` (seconds) as seconds; ValueError otherwise."""
    match = _EVERY.fullmatch(value.strip().lower())
    if not match or float(match.group(1)) <= 0:
        raise ValueError(f"--every {value!r} is not a period such as 90s, 15m, 1h or 1d")
    return float(match.group(1)) * _UNITS[match.group(2)]


def state_path(db_path: str | Path) -> Path:
    """Where the watch of the store at ``db_path`` keeps what it has seen."""
    return Path(f"{db_path}.watch.json")


@dataclass
class WatchState:
    """What each source has shown so far."""

    seen: dict[str, set[str]] = field(default_factory=dict)
    validators: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> WatchState:
        """The state saved at ``path`` (empty when there is none); ValueError naming the
        file when it cannot be read."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            raise ValueError(f"{path}: not a watch state file ({exc})") from None
        if not isinstance(raw, dict) or raw.get("version") != STATE_VERSION:
            raise ValueError(f"{path}: not a watch state file of this Dragoman")
        return cls(
            seen={source: set(keys) for source, keys in raw.get("seen", {}).items()},
            validators=dict(raw.get("validators", {})),
        )

    def save(self, path: Path) -> None:
        """Write the state so that a stop at any moment leaves the old or the new one."""
        data = {
            "version": STATE_VERSION,
            "seen": {source: sorted(keys) for source, keys in self.seen.items()},
            "validators": self.validators,
        }
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(json.dumps(data, indent=1), encoding="utf-8")
        os.replace(temporary, path)


@dataclass
class Poll:
    """One round over the sources."""

    number: int
    watcher: Watcher
    #: (source, key) of each item read in this poll, seen once committed.
    pending: list[tuple[str, str]] = field(default_factory=list)
    validators: dict[str, dict[str, str]] = field(default_factory=dict)
    new: int = 0
    errors: int = 0
    unchanged: int = 0

    def items(self) -> Iterator[Item]:
        """The articles of the items not seen before (and one error per failure)."""
        for source in self.watcher.sources:
            for item in self.watcher.read_source(source, self):
                if isinstance(item, IngestError):
                    self.errors += 1
                yield item

    def commit(self) -> None:
        """The poll's items are stored: never read them again."""
        state = self.watcher.state
        for source, key in self.pending:
            state.seen.setdefault(source, set()).add(key)
        state.validators.update(self.validators)
        state.save(self.watcher.state_file)
        self.pending.clear()


class Watcher:
    """Reads the new items of feeds and URL lists, poll after poll."""

    def __init__(
        self,
        sources: list[str],
        state_file: Path,
        *,
        fetch: bool = False,
        max_bytes: int = 2_000_000,
        fetcher: Fetcher | None = None,
    ) -> None:
        self.sources = list(dict.fromkeys(sources))
        self.state_file = Path(state_file)
        self.state = WatchState.load(self.state_file)
        self.fetch = fetch
        self.max_bytes = max_bytes
        self.fetcher = fetcher or Fetcher()

    def polls(self, every: float, once: bool = False) -> Iterator[Poll]:
        """A poll now, then one every ``every`` seconds (after the start of the last)."""
        number = 0
        while True:
            number += 1
            started = time.monotonic()
            yield Poll(number, self)
            if once:
                return
            time.sleep(max(0.0, started + every - time.monotonic()))

    def read_source(self, source: str, poll: Poll) -> Iterator[Item]:
        """The new items of one source."""
        data = self._content(source, poll)
        if isinstance(data, IngestError):
            yield data
            return
        if data is None:
            poll.unchanged += 1
            return
        from dragoman.ingest.feeds import item_article, parse_feed
        from dragoman.ingest.urls import fetch_article, is_url_list, list_urls

        seen = self.state.seen.get(source, set())
        text = data.decode("utf-8", "replace")
        if is_url_list(text):
            for entry in list_urls(text, source):
                if isinstance(entry, IngestError):
                    yield entry
                    continue
                url = entry[1]
                if url in seen:
                    continue
                result = fetch_article(url, self.fetcher)
                yield from self._counted(poll, source, [url], result)
            return
        parsed = parse_feed(data, source)
        if isinstance(parsed, IngestError):
            yield IngestError(source, "neither a feed nor a list of URLs")
            return
        items, outlet = parsed
        for item in items:
            keys = [key for key in (item.key, item.link) if key]
            if not keys or any(key in seen for key in keys):
                continue
            result = item_article(item, outlet, self.fetcher if self.fetch else None)
            yield from self._counted(poll, source, keys, result)

    @staticmethod
    def _counted(poll: Poll, source: str, keys: list[str], result: Item) -> Iterator[Item]:
        """``result``, its item marked for commit unless it failed to fetch (tried again
        at the next poll)."""
        if isinstance(result, Article):
            poll.new += 1
        if isinstance(result, IngestError) and "not fetched:" in result.message:
            poll.validators.pop(source, None)  # the source is read whole again next time
        else:
            poll.pending.extend((source, key) for key in keys)
        yield result

    def _content(self, source: str, poll: Poll) -> bytes | IngestError | None:
        """The bytes of a source, or None when its server says it has not changed."""
        if source.lower().startswith(("http://", "https://")):
            known = self.state.validators.get(source, {})
            try:
                page = self.fetcher.get(
                    source, etag=known.get("etag"), last_modified=known.get("last_modified")
                )
            except FetchError as exc:
                return IngestError(source, f"not fetched: {exc}")
            if page.not_modified:
                return None
            fresh = {"etag": page.etag, "last_modified": page.last_modified}
            poll.validators[source] = {k: v for k, v in fresh.items() if v}
            return page.content
        try:
            with open(source, "rb") as handle:
                data = handle.read(self.max_bytes * 4 + 1)
        except OSError as exc:
            return IngestError(source, f"cannot read: {exc.strerror or exc}")
        if len(data) > self.max_bytes * 4:
            return IngestError(source, "file is too large")
        return data
