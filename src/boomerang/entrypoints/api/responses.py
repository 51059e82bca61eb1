"""Responses serialized once.

A handler that returns a Pydantic model lets FastAPI dump it to a dict, validate that dict against the
`response_model` again and encode it with `json.dumps`. Our models are built by `from_domain` from
validated domain objects, so the second validation checks nothing new: `json_response` encodes the
model directly with Pydantic's serializer. The route keeps its `response_model` for the OpenAPI schema.
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import Response
from pydantic import BaseModel

from boomerang.entrypoints.api.etags import Versioned, etag


class JsonModelResponse(Response):
    media_type = "application/json"


def json_response(
    model: BaseModel, *, status_code: int = 200, headers: Mapping[str, str] | None = None
) -> JsonModelResponse:
    return JsonModelResponse(model.model_dump_json(), status_code=status_code, headers=headers)


def versioned(model: Versioned, *, status_code: int = 200) -> JsonModelResponse:
    """A resource with its version as the ETag (what If-Match sends back)."""
    if not isinstance(model, BaseModel):
        raise TypeError("versioned() renders Pydantic models")
    return json_response(model, status_code=status_code, headers={"ETag": etag(model)})
