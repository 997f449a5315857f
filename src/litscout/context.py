"""Everything one litscout run needs, created lazily so a cached answer stays cheap."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from . import config, paths
from .render.reporter import PlainReporter, Reporter

if TYPE_CHECKING:
    from .sources.arxiv_api import ArxivAPI
    from .sources.http import Http
    from .sources.s2 import SemanticScholar
    from .store.papers import PaperStore


class Context:
    """Settings, store, HTTP and sources for one run. Close it (or use `with`)."""

    def __init__(
        self,
        settings: config.Settings | None = None,
        store: PaperStore | None = None,
        reporter: Reporter | None = None,
        *,
        offline: bool = False,
        refresh: bool = False,
    ) -> None:
        self.settings = settings or config.load()
        self.reporter = reporter or PlainReporter()
        self.offline = offline
        self.refresh = refresh
        self._store = store
        self._http: Http | None = None
        self._arxiv: ArxivAPI | None = None
        self._s2: SemanticScholar | None = None
        self.now = time.time()
        self.today: date = datetime.fromtimestamp(self.now, UTC).date()

    @property
    def store(self) -> PaperStore:
        if self._store is None:
            from .store.papers import PaperStore

            self._store = PaperStore(paths.database())
        return self._store

    @property
    def http(self) -> Http:
        if self._http is None:
            from .sources.http import Http

            self._http = Http(self.settings, self.reporter, state_dir=paths.state_dir())
        return self._http

    @property
    def arxiv(self) -> ArxivAPI:
        if self._arxiv is None:
            from .sources.arxiv_api import ArxivAPI

            self._arxiv = ArxivAPI(self.http)
        return self._arxiv

    @property
    def s2(self) -> SemanticScholar:
        if self._s2 is None:
            from .sources.s2 import SemanticScholar

            self._s2 = SemanticScholar(self.http)
        return self._s2

    def requests_made(self) -> dict[str, int]:
        return dict(self._http.counts) if self._http else {}

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
        if self._store is not None:
            self._store.close()

    def __enter__(self) -> Context:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
