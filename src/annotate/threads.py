"""A call in a thread of its own, its result or error handed back to the caller."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class Background:
    """``fn(*args)`` in a thread of its own, started once ``after`` (if given) has finished;
    :meth:`result` waits and re-raises its error.

    A plain thread per call, not an executor: a pool made before a worker process forks
    would keep a dead thread in the child and never run the call there."""

    def __init__(self, fn: Callable[..., Any], *args: Any, after: Background | None = None,
                 name: str = "annotate-background") -> None:
        self._value: Any = None
        self._error: BaseException | None = None

        def run() -> None:
            if after is not None:
                after._thread.join()
            try:
                self._value = fn(*args)
            except BaseException as exc:  # handed to the caller of result()
                self._error = exc

        self._thread = threading.Thread(target=run, name=name, daemon=True)
        self._thread.start()

    def result(self) -> Any:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value
