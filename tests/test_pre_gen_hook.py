"""The pre-generation hook, called as a function: which answers it accepts, and why not."""

from __future__ import annotations

import pytest
from cookiecutter.prompt import YesNoPrompt

from tests.support.hooks import pre_gen_hook
from tests.support.template import (
    booleans,
    choices,
    default_answers,
    following_booleans,
    offered_python_versions,
    questions,
)

GOOD_ANSWERS = default_answers()
PUBLIC_KEYS = set(questions())


def answers(**changes: object) -> dict[str, object]:
    return {**GOOD_ANSWERS, **changes}


def test_default_answers_are_valid() -> None:
    assert set(GOOD_ANSWERS) >= PUBLIC_KEYS
    assert pre_gen_hook().validate(GOOD_ANSWERS) == []


@pytest.mark.parametrize("version", offered_python_versions())
def test_every_offered_python_version_is_accepted(version: str) -> None:
    assert pre_gen_hook().validate(answers(python_version=version)) == []


def test_hook_supports_exactly_the_offered_versions() -> None:
    assert sorted(pre_gen_hook().SUPPORTED_PYTHON_VERSIONS) == sorted(offered_python_versions())


def test_hook_knows_every_choice_and_boolean_question() -> None:
    # A value outside cookiecutter.json's list can still arrive (replay, cruft, Backstage),
    # so the hook keeps its own copy of the lists; the two must not drift apart.
    hook = pre_gen_hook()
    expected = {key: sorted(values) for key, values in choices().items() if key != "python_version"}

    assert {key: sorted(values) for key, values in hook.CHOICES.items()} == expected
    assert sorted(hook.BOOLEANS) == sorted(booleans())


@pytest.mark.parametrize("key", sorted(set(choices()) - {"python_version"}))
def test_unknown_choice_value_is_rejected(key: str) -> None:
    problems = pre_gen_hook().validate(answers(**{key: "unheard-of"}))

    assert problems == [problems[0]]
    assert problems[0].startswith(f"{key}: 'unheard-of' is not supported; choose one of ")


@pytest.mark.parametrize("key", sorted(set(booleans()) - set(following_booleans())))
def test_boolean_question_refuses_text(key: str) -> None:
    # "false" as text is truthy in Jinja: it would switch the option on.
    problems = pre_gen_hook().validate(answers(**{key: "false"}))

    assert problems == [f"{key}: must be true or false (got 'false')"]


def test_hook_reads_yes_and_no_with_cookiecutters_words() -> None:
    # A following yes/no question (its default follows another answer) arrives as text, and
    # the hook and the template must read it exactly as cookiecutter's yes/no prompt does.
    hook = pre_gen_hook()

    assert sorted(hook.FOLLOWING_BOOLEANS) == sorted(following_booleans())
    assert list(hook.YES_WORDS) == YesNoPrompt.yes_choices
    assert list(hook.NO_WORDS) == YesNoPrompt.no_choices


@pytest.mark.parametrize("key", following_booleans())
@pytest.mark.parametrize(
    ("answer", "meaning"),
    [(True, True), (False, False), ("true", True), ("False", False), ("yes", True), ("n", False)],
)
def test_following_yes_no_question_takes_text_and_booleans(
    key: str, answer: object, meaning: bool
) -> None:
    # Text from the prompt or the command line, booleans from Backstage and older .cruft.json.
    hook = pre_gen_hook()

    assert hook.yes_or_no(answer) is meaning
    assert hook.validate(answers(database="postgresql", **{key: answer})) == []


@pytest.mark.parametrize("key", following_booleans())
def test_following_yes_no_question_refuses_other_text(key: str) -> None:
    problems = pre_gen_hook().validate(answers(**{key: "maybe"}))

    assert problems == [f"{key}: must be true or false, or yes or no (got 'maybe')"]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param(
            {"project_slug": "Orders Service"}, "project_slug: 'Orders Service'", id="slug-space"
        ),
        pytest.param({"project_slug": "orders--service"}, "project_slug:", id="slug-double-hyphen"),
        pytest.param({"project_slug": "1orders"}, "project_slug:", id="slug-leading-digit"),
        pytest.param({"project_slug": "a" * 64}, "at most 63 characters", id="slug-too-long"),
        pytest.param({"package_name": "Orders"}, "not a valid import name", id="package-uppercase"),
        pytest.param(
            {"package_name": "orders-service"}, "not a valid import name", id="package-hyphen"
        ),
        pytest.param(
            {"package_name": "class"}, "'class' is a Python keyword", id="package-keyword"
        ),
        pytest.param(
            {"package_name": "match"}, "'match' is a Python keyword", id="package-soft-keyword"
        ),
        pytest.param(
            {"package_name": "logging"}, "shadow the standard library", id="package-stdlib"
        ),
        pytest.param({"package_name": "fastapi"}, "shadow the dependency", id="package-dependency"),
        pytest.param(
            {"package_name": "tests"}, "shadow the dependency or folder", id="package-tests"
        ),
        pytest.param({"author_email": "platform"}, "author_email: 'platform'", id="email-no-at"),
        pytest.param({"author_email": "a b@example.com"}, "not a valid email", id="email-space"),
        pytest.param(
            {"python_version": "3.9"}, "python_version: '3.9' is not supported", id="python-3.9"
        ),
        pytest.param(
            {"python_version": "3.14"}, "choose one of 3.11, 3.12, 3.13", id="python-3.14"
        ),
        pytest.param(
            {"owner": "Platform Team"},
            "owner: 'Platform Team' is not a Backstage entity reference",
            id="owner-not-an-entity-reference",
        ),
        pytest.param({"project_name": "  "}, "project_name: must not be empty", id="name-blank"),
        pytest.param(
            {"description": "two\nlines"},
            "description: must be a single line",
            id="description-newline",
        ),
        pytest.param(
            {"author_name": "x" * 101}, "author_name: must be at most 100", id="author-too-long"
        ),
    ],
)
def test_bad_answer_is_rejected_with_a_reason(changes: dict[str, object], expected: str) -> None:
    problems = pre_gen_hook().validate(answers(**changes))

    assert len(problems) == 1, problems
    assert expected in problems[0]


def test_every_problem_is_reported_at_once() -> None:
    problems = pre_gen_hook().validate(
        answers(project_slug="Bad Slug", author_email="nobody", python_version="2.7")
    )

    assert [problem.split(":")[0] for problem in problems] == [
        "project_slug",
        "author_email",
        "python_version",
    ]


def test_missing_answers_are_problems_not_crashes() -> None:
    problems = pre_gen_hook().validate({})

    assert {problem.split(":")[0] for problem in problems} == PUBLIC_KEYS


def test_main_prints_each_problem_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    status = pre_gen_hook().main(answers(package_name="logging", author_email="nobody"))

    stderr = capsys.readouterr().err
    assert status == 1
    assert "error: package_name: 'logging' would shadow the standard library" in stderr
    assert "error: author_email: 'nobody'" in stderr
    assert "The service was not generated" in stderr


def test_main_is_silent_and_succeeds_on_good_answers(capsys: pytest.CaptureFixture[str]) -> None:
    status = pre_gen_hook().main(GOOD_ANSWERS)

    assert status == 0
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize("include_kubernetes", [True, "true", "yes", "1"])
def test_unsupported_combination_is_refused_in_one_line(include_kubernetes: object) -> None:
    problems = pre_gen_hook().validate(
        answers(database="sqlite", include_kubernetes=include_kubernetes)
    )

    assert problems == [
        "database=sqlite and include_kubernetes=true cannot be combined: the Kubernetes "
        "manifests run several replicas and one SQLite file cannot be shared between them; "
        "answer include_kubernetes=false, or database=postgresql or database=mysql"
    ]


@pytest.mark.parametrize(
    ("database", "include_kubernetes"),
    [
        ("postgresql", True),
        ("postgresql", False),
        ("sqlite", False),
        ("postgresql", "true"),
        ("sqlite", "false"),
        ("sqlite", "no"),
    ],
)
def test_supported_database_and_kubernetes_answers_pass(
    database: str, include_kubernetes: object
) -> None:
    assert (
        pre_gen_hook().validate(answers(database=database, include_kubernetes=include_kubernetes))
        == []
    )


@pytest.mark.parametrize(
    "owner", ["group:platform-team", "user:jane.doe", "platform-team", "group:payments/billing"]
)
def test_owner_takes_what_backstage_owner_picker_returns(owner: str) -> None:
    # The OwnerPicker gives [kind:][namespace/]name; the namespace when it is not "default".
    assert pre_gen_hook().validate(answers(owner=owner)) == []


@pytest.mark.parametrize("owner", ["group:Payments/billing", "group:payments/", "team\n"])
def test_owner_outside_backstage_reference_rules_is_refused(owner: str) -> None:
    problems = pre_gen_hook().validate(answers(owner=owner))

    assert len(problems) == 1
    assert problems[0].startswith(f"owner: {owner!r} is not a Backstage entity reference")
