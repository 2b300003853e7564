"""Schemathesis against the OpenAPI schema: generated valid and invalid requests to every operation must
never cause a 500, and responses must match what the schema documents (status codes, content types,
bodies, SSE events, auth)."""

from __future__ import annotations

import pytest

from bot.api import create_app
from tests.test_api import ADMIN, make_fresh_app

pytestmark = pytest.mark.slow

MAX_EXAMPLES = 40


def test_generated_requests_find_no_server_errors(tmp_path):
    import schemathesis
    from hypothesis import HealthCheck, Phase, given, settings
    from schemathesis import GenerationMode
    from schemathesis.core.result import Ok
    from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

    # Not run: the schema cannot state every rule the answering service applies (a question needs a
    # letter, `sources` must name indexed plans, a section path must exist), and unknown query
    # parameters are tolerated, so "valid data accepted / invalid data rejected" would flag those.
    excluded = [positive_data_acceptance, negative_data_rejection]
    app = make_fresh_app(tmp_path)
    app.warm_up()  # as `planbot serve` does: the first question must not pay for building caches
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(app))
    failures: dict[str, str] = {}
    operations = 0
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result.err()
        operation = result.ok()
        operations += 1
        takes_input = bool(operation.path_parameters or operation.query or operation.body)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            if mode is GenerationMode.NEGATIVE and not takes_input:
                continue  # nothing to make invalid

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
            def run(case):
                # uploads rebuild the caches; other test runs share the 2 cores: a generous timeout
                case.call_and_validate(headers=ADMIN, excluded_checks=excluded, timeout=120)

            try:
                run()
            except Exception as exc:  # collected, so one run reports every failing operation
                failures[f"{operation.label} ({mode.value})"] = str(exc)[:3000]
    assert operations >= 15
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
