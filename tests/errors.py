"""The one check of the error envelope that every API test uses."""

from __future__ import annotations

from typing import Any


def assert_error(response: Any, status: int, code: str, *fields: str) -> dict[str, Any]:
    """The response is `status` with the envelope, error `code`, a message, and a detail for each of `fields`."""
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code, error
    assert isinstance(error["message"], str) and error["message"], error
    assert isinstance(error["details"], list), error
    named = [detail["field"] for detail in error["details"]]
    for name in fields:
        assert name in named, error
    return dict(error)


PROBLEM_DETAILS = {"type", "title", "status", "detail", "instance"}


def assert_problem(response: Any, status: int, detail: str) -> dict[str, Any]:
    """Under the ShipBob mount: the response is `status` with a ProblemDetails body whose detail says `detail`."""
    assert response.status_code == status, response.text
    problem = response.json()
    assert set(problem) == PROBLEM_DETAILS and problem["status"] == status, problem
    assert detail in problem["detail"], problem
    return dict(problem)
