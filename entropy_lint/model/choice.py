"""The scorer sources: a model loaded here, an entropy-lint server, or a scorer already open.

Each names its results (``identity()``) without loading anything, so the results cache is
consulted first and the model is loaded only when some file needs scoring.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from entropy_lint.model.scoring import Scorer, ScoringSettings

Progress = Callable[[int], None]
Log = Callable[[str], None]


@dataclass(frozen=True)
class LocalModel:
    """A model loaded in this process (hub id, folder, .gguf file or alias; see ``loading``)."""

    spec: str
    settings: ScoringSettings
    device: str = "auto"
    dtype: str = "auto"
    trust_remote_code: bool = False

    def identity(self) -> str:
        from entropy_lint.model.loading import model_identity

        return f"{model_identity(self.spec, self.device, self.dtype)}|{self.settings.key()}"

    def open(self, progress: Progress | None = None, log: Log | None = None, planned: Progress | None = None) -> Scorer:
        from entropy_lint.model.engine import TorchScorer
        from entropy_lint.model.loading import load_model

        loaded = load_model(self.spec, device=self.device, dtype=self.dtype, trust_remote_code=self.trust_remote_code,
                            **({"log": log} if log else {}))
        return TorchScorer(loaded, self.settings, progress, planned)


@dataclass(frozen=True)
class RemoteModel:
    """A running ``entropy-lint serve``: its identity is the one it reports for its model."""

    url: str
    settings: ScoringSettings

    def identity(self) -> str:
        from entropy_lint.model.remote import server_identity

        return f"{server_identity(self.url)}|{self.settings.key()}"

    def open(self, progress: Progress | None = None, log: Log | None = None, planned: Progress | None = None) -> Scorer:
        """The server plans its own windows: progress counts tokens, with no total in advance."""
        from entropy_lint.model.remote import RemoteScorer

        return RemoteScorer(self.url, self.settings, progress=progress)


@dataclass(frozen=True)
class OpenScorer:
    """A scorer that is already loaded (the server's own)."""

    scorer: Scorer

    def identity(self) -> str:
        return self.scorer.identity

    def open(self, progress: Progress | None = None, log: Log | None = None, planned: Progress | None = None) -> Scorer:
        return self.scorer
