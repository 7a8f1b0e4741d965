"""The documents scripts/sam-local.sh runs and checks against, checked without Docker, so that a
broken page fails even where the sam local run is skipped (SKIP_SAM_LOCAL=1):

- docs/sam-local.md: every ```sh block is marked, and so run verbatim by the script; every block
  the script runs is there; each curl line that prints says what it prints;
- docs/events.md: every file of events/ has a row naming its function and at least one
  expectation the script can check, in each column that is not "—";
- the checker's own rules (IAM wildcards, Deny wins, answers printed back to back).

Run inside the project's venv:  .venv/bin/python -m pytest tests/sam_local_docs.py
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "sam-local.md"
SCRIPT = ROOT / "scripts" / "sam-local.sh"


def _checker():
    spec = importlib.util.spec_from_file_location("sam_local_check", ROOT / "scripts" / "sam_local_check.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["sam_local_check"] = module
    spec.loader.exec_module(module)
    return module


check = _checker()


def test_every_command_block_of_the_page_is_run_by_the_script() -> None:
    lines = PAGE.read_text().splitlines()
    markers = []
    for i, line in enumerate(lines):
        if line.strip().startswith("```") and line.strip() != "```":
            assert line.strip() == "```sh", f"line {i + 1}: {line!r}: commands are sh blocks"
            marker = lines[i - 1].strip()
            assert re.fullmatch(r"<!-- sam-local-[a-z-]+ -->", marker), (
                f"line {i + 1}: a block without a marker is not run by scripts/sam-local.sh"
            )
            markers.append(marker)
    script = SCRIPT.read_text()
    names = set(re.findall(r"\b(?:run_block|page) ([a-z][a-z-]*)", script))
    assert {f"<!-- sam-local-{n} -->" for n in names} == set(markers), (sorted(names), markers)


def test_printing_lines_say_what_they_print() -> None:
    for marker in ("<!-- sam-local-requests -->", "<!-- sam-local-differences -->"):
        for line in check.block(PAGE, marker).splitlines():
            if "%{http_code}" in line or "%header{" in line or line.startswith("sleep 1; echo"):
                _, _, comment = line.partition("   # ")
                assert " — " in comment, f"{marker}: {line!r} prints without saying what"


def test_invoke_lines_name_an_event_and_an_expectation() -> None:
    lines = [line for line in check.block(PAGE, "<!-- sam-local-invoke -->").splitlines() if "sam local invoke" in line]
    assert len(lines) == 2
    for line in lines:
        command, _, comment = line.partition("   # ")
        assert re.search(r"events/[\w.-]+\.json", command), line
        assert check.expectations(comment), line


def test_events_table_covers_every_event_with_checkable_expectations() -> None:
    rows = check.events()
    on_disk = {p.name for p in (ROOT / "events").glob("*.json")} - check.NOT_EVENTS
    assert {r[0] for r in rows} == on_disk
    for name, function, shipped, with_token in rows:
        assert function in {"AuthorizerFunction", "EchoFunction"}, (name, function)
        assert check.expectations(shipped), name
        if "<ACCESS_TOKEN>" in (ROOT / "events" / name).read_text():
            assert with_token != check.NONE and check.expectations(with_token), (
                f"{name} has a placeholder token: say what a real one gets"
            )


def test_iam_wildcards_and_deny_wins() -> None:
    arn = "arn:aws:execute-api:us-east-1:1:a/Prod"
    policy = {"policyDocument": {"Statement": [
        {"Effect": "Allow", "Resource": [f"{arn}/GET/*"]},
        {"Effect": "Deny", "Resource": [f"{arn}/GET/echo/secret"]},
    ]}}
    assert check.allowed(policy, f"{arn}/GET/echo")
    assert check.allowed(policy, f"{arn}/GET/a/b"), "* crosses /"
    assert not check.allowed(policy, f"{arn}/GET/echo/secret"), "Deny wins"
    assert not check.allowed(policy, f"{arn}/POST/echo"), "nothing allows it"
    assert check.iam_matches("a?c", "abc") and not check.iam_matches("a?c", "abbc")


def test_answers_printed_back_to_back_are_read_one_by_one() -> None:
    text = 'noise {"a": 1}{"errorMessage": "Unauthorized"}\n{"b": {"c": 2}} tail'
    assert check.answers(text) == [{"a": 1}, {"errorMessage": "Unauthorized"}, {"b": {"c": 2}}]


@pytest.mark.parametrize("cell", ["Unauthorized without backticks", "`admins` only", "`Allow GET echo`"])
def test_a_cell_without_an_expectation_is_refused(cell: str) -> None:
    with pytest.raises(SystemExit):
        check.expectations(cell)
