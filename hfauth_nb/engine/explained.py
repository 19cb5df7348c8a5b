"""What `explain(exc)` found in an exception: the report's `explained` field, `environment.explained` in JSON."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hfauth_nb.engine.failed_request import FailedRequest
from hfauth_nb.engine.fields import field_dict
from hfauth_nb.engine.inference_call import SERVICE, InferenceCall
from hfauth_nb.secrets import redact_url


@dataclass(frozen=True)
class Explained:
    """The exception a report explains and the Hub request found in it (every field None when none was)."""

    exception: str | None  # the exception's type name (None when there was no exception)
    found: bool  # a Hub request naming a repo was found
    # where it was found: "response" | "rejected id" | "call arguments" | "message url" | "message id"
    how: str | None = None
    method: str | None = None
    status: int | None = None
    url: str | None = None  # without credentials
    file: str | None = None
    write: bool | None = None
    passed: str | None = None  # what the caller passed as the repo id, when the library refused it
    rejected_because: str | None = None
    service: str | None = (
        None  # a Hugging Face service other than the Hub's repos (e.g. "Inference Providers")
    )
    model: str | None = None  # the service's target (the model an inference call asked for)
    provider: str | None = None

    @classmethod
    def of(
        cls, exc: BaseException | None, found: FailedRequest | None, service: InferenceCall | None = None
    ) -> Explained:
        if service is not None:
            return cls(
                exception=type(exc).__name__ if exc is not None else None,
                found=False,  # no repo request: the service call is named instead
                how=service.stage,
                status=service.status,
                url=redact_url(service.url) if service.url else None,
                service=SERVICE,
                model=service.model,
                provider=service.provider,
            )
        if found is None:
            return cls(exception=type(exc).__name__ if exc is not None else None, found=False)
        return cls(
            exception=type(exc).__name__ if exc is not None else None,
            found=found.repo_id is not None,
            how=found.how,
            method=found.method,
            status=found.status,
            url=redact_url(found.url) if found.url else None,
            file=found.filename,
            write=found.write,
            passed=found.passed,
            rejected_because=found.rejected_because,
        )

    def to_dict(self) -> dict[str, Any]:
        """The `hfauth/1` JSON block (its keys are a stable interface)."""
        data = field_dict(self, rename={"rejected_because": "rejected because"})
        if self.service is None:  # additive: a repo failure's block keeps exactly its keys
            for key in ("service", "model", "provider"):
                data.pop(key, None)
        return data
