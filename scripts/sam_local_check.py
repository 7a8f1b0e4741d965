"""What scripts/sam-local.sh runs and checks, read from the documents rather than written twice:

  block PAGE MARKER            the ```sh block after the line MARKER of PAGE (run verbatim)
  events                       one line per row of docs/events.md's table: file, function, the
                               expectation as shipped, the expectation with a read-scope token
  expect CELL EVENT OUT ERR    checks what `sam local invoke` printed for EVENT (stdout OUT, stderr
                               ERR) against a cell of that table
  answers PAGE MARKER OUT      checks the answers of a block's `sam local invoke` lines (OUT)
                               against the expectations in their comments
  printed PAGE MARKER OUT      checks what a block printed (OUT) against its comments of the
                               form `# what it prints — why`, in order

A cell's expectations are its `backticked` phrases of these forms (other backticked text is
prose, but a cell must hold at least one expectation):
  `Unauthorized`               the function failed with the error message Unauthorized
  `Allow GET /echo`            the REST policy allows that route (IAM evaluation: Deny wins)
  `Deny POST /echo`            the REST policy does not allow it
  `isAuthorized: true`         the HTTP API simple answer
  `reason scope_missing`       the decision's log line gives that reason
  `statusCode 200`             a proxy integration's answer (the echo)
  `caller dana`                the echo names that caller (`username`, else `clientId`)
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EVENTS_PAGE = ROOT / "docs" / "events.md"
EVENTS_DIR = ROOT / "events"
NOT_EVENTS = {"env.json"}
NONE = "—"

EXPECTATION = re.compile(
    r"^(?:(?P<unauthorized>Unauthorized)"
    r"|(?P<effect>Allow|Deny) (?P<method>[A-Z]+) (?P<path>/\S*)"
    r"|isAuthorized: (?P<authorized>true|false)"
    r"|reason (?P<reason>[a-z_]+)"
    r"|statusCode (?P<status>\d{3})"
    r"|caller (?P<caller>\S+))$"
)


def fail(message: str) -> None:
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def block(page: Path, marker: str) -> str:
    lines = page.read_text().splitlines()
    starts = [i for i, line in enumerate(lines) if line.strip() == marker]
    if len(starts) != 1:
        fail(f"{page}: {len(starts)} lines {marker!r}, need exactly one")
    rest = lines[starts[0] + 1 :]
    if not rest or rest[0].strip() != "```sh":
        fail(f"{page}: {marker} is not followed by a ```sh block")
    body = []
    for line in rest[1:]:
        if line.strip() == "```":
            return "\n".join(body) + "\n"
        body.append(line)
    fail(f"{page}: the block after {marker} is not closed")
    return ""


def table_rows(page: Path) -> list[list[str]]:
    """The rows of the page's first table whose first column names a file in backticks."""
    rows = []
    for line in page.read_text().splitlines():
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if re.fullmatch(r"`[^`]+\.json`", cells[0]):
            rows.append(cells)
    return rows


def events() -> list[tuple[str, str, str, str]]:
    """(file, function, as shipped, with a token) for every event file, each listed once."""
    rows = table_rows(EVENTS_PAGE)
    listed: dict[str, tuple[str, str, str, str]] = {}
    for cells in rows:
        name = cells[0].strip("`")
        if name in NOT_EVENTS:
            continue
        if len(cells) != 4:
            fail(f"{EVENTS_PAGE}: row {name} has {len(cells)} columns, want 4")
        function = cells[1].strip("`")
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", function):
            fail(f"{EVENTS_PAGE}: row {name}: {cells[1]!r} is not a function's logical id")
        if name in listed:
            fail(f"{EVENTS_PAGE}: {name} is listed twice")
        for cell in cells[2:]:
            if cell != NONE:
                expectations(cell)
        listed[name] = (name, function, cells[2], cells[3])
    on_disk = {p.name for p in EVENTS_DIR.glob("*.json")} - NOT_EVENTS
    if on_disk - set(listed):
        fail(f"{EVENTS_PAGE} does not say what {sorted(on_disk - set(listed))} get")
    if set(listed) - on_disk:
        fail(f"{EVENTS_PAGE} lists {sorted(set(listed) - on_disk)}, not in events/")
    return [listed[name] for name in sorted(listed)]


def expectations(cell: str) -> list[dict[str, str]]:
    found = []
    for phrase in re.findall(r"`([^`]+)`", cell):
        match = EXPECTATION.match(phrase)
        if match:
            found.append({k: v for k, v in match.groupdict().items() if v is not None})
    if not found:
        fail(f"no expectation in {cell!r}")
    return found


def answers(text: str) -> list[Any]:
    """The JSON objects `text` holds one after another (sam local invoke prints each answer
    without a newline after it), skipping anything else."""
    decoder = json.JSONDecoder()
    found, at = [], 0
    while (start := text.find("{", at)) >= 0:
        try:
            value, at = decoder.raw_decode(text, start)
            found.append(value)
        except json.JSONDecodeError:
            at = start + 1
    return found


def iam_matches(pattern: str, text: str) -> bool:
    """IAM's wildcards: `*` any run of characters (`/` included), `?` any one."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, text, re.DOTALL) is not None


def allowed(answer: dict[str, Any], arn: str) -> bool:
    statements = answer.get("policyDocument", {}).get("Statement", [])

    def matching(effect: str) -> bool:
        for statement in statements:
            resources = statement.get("Resource", [])
            resources = [resources] if isinstance(resources, str) else resources
            if statement.get("Effect") == effect and any(iam_matches(r, arn) for r in resources):
                return True
        return False

    return matching("Allow") and not matching("Deny")


def decision_reasons(stderr: str) -> list[str]:
    reasons = []
    for line in stderr.splitlines():
        start = line.find("{")
        if start < 0:
            continue
        try:
            entry = json.loads(line[start:])
        except json.JSONDecodeError:
            continue
        if isinstance(entry, dict) and entry.get("message") == "decision":
            reasons.append(entry.get("reason"))
    return reasons


def check_answer(cell: str, event: dict[str, Any], answer: Any, stderr: str, what: str) -> None:
    if not isinstance(answer, dict):
        fail(f"{what}: no JSON answer")
    for e in expectations(cell):
        if "unauthorized" in e:
            if answer.get("errorMessage") != "Unauthorized":
                fail(f"{what}: expected the error Unauthorized, got {answer}")
        elif "effect" in e:
            # arn:...:apiId/stage/METHOD/path: the route asked about, on the event's API and stage.
            api_and_stage = "/".join(event.get("methodArn", "").split("/", 2)[:2])
            arn = f"{api_and_stage}/{e['method']}{e['path']}"
            if "policyDocument" not in answer:
                fail(f"{what}: expected a policy, got {answer}")
            if allowed(answer, arn) != (e["effect"] == "Allow"):
                fail(f"{what}: the policy does not {e['effect']} {arn}: {answer['policyDocument']}")
        elif "authorized" in e:
            if answer.get("isAuthorized") is not (e["authorized"] == "true"):
                fail(f"{what}: expected isAuthorized {e['authorized']}, got {answer}")
        elif "reason" in e:
            reasons = decision_reasons(stderr)
            if e["reason"] not in reasons:
                fail(f"{what}: expected a decision with reason {e['reason']}, logged {reasons}")
        elif "status" in e:
            if answer.get("statusCode") != int(e["status"]):
                fail(f"{what}: expected statusCode {e['status']}, got {answer}")
        elif "caller" in e:
            body = json.loads(answer.get("body") or "{}")
            caller = body.get("caller", {})
            name = caller.get("username") or caller.get("clientId")
            if name != e["caller"]:
                fail(f"{what}: expected caller {e['caller']}, got {caller}")
    print(f"ok   {what}")


def expect(cell: str, event_file: str, out_file: str, err_file: str) -> None:
    """One `sam local invoke` of EVENT: its one answer, as the table's cell says."""
    found = answers(Path(out_file).read_text())
    if len(found) != 1:
        fail(f"{event_file}: {len(found)} answers printed, want 1: {found}")
    event = json.loads(Path(event_file).read_text())
    check_answer(cell, event, found[0], Path(err_file).read_text(), f"{Path(event_file).name}: {cell}")


def invoke_answers(page: Path, marker: str, out_file: str) -> None:
    """Each `sam local invoke` line of the block printed one answer, as its comment says."""
    lines = [line for line in block(page, marker).splitlines() if "sam local invoke" in line]
    found = answers(Path(out_file).read_text())
    if len(found) != len(lines):
        fail(f"{page} {marker}: {len(lines)} invocations, {len(found)} answers: {found}")
    for line, answer in zip(lines, found):
        command, _, comment = line.partition("   # ")
        event_file = re.search(r"events/[\w.-]+\.json", command)
        if not comment or not event_file:
            fail(f"{page} {marker}: {line!r} names no event file or has no comment")
        event = json.loads((ROOT / event_file.group(0)).read_text())
        check_answer(comment, event, answer, "", f"{marker} {event_file.group(0)}: {comment}")


def printed(page: Path, marker: str, out_file: str) -> None:
    """What the block printed is, in order, what its lines' comments say before " — " (compared
    word by word: a body may end with a newline before the status printed after it)."""
    expected = []
    for line in block(page, marker).splitlines():
        _, _, comment = line.partition("   # ")
        if " — " in comment:
            expected.append(comment.split(" — ", 1)[0].strip())
    words = Path(out_file).read_text().split()
    if words != " ".join(expected).split():
        fail(f"{page} {marker}: printed {' '.join(words)!r}, the page says {expected}")
    for line in expected:
        print(f"ok   {marker}: {line}")


def main(argv: list[str]) -> None:
    match argv:
        case ["block", page, marker]:
            sys.stdout.write(block(Path(page), marker))
        case ["events"]:
            for row in events():
                print("\t".join(row))
        case ["expect", cell, event_file, out_file, err_file]:
            expect(cell, event_file, out_file, err_file)
        case ["answers", page, marker, out_file]:
            invoke_answers(Path(page), marker, out_file)
        case ["printed", page, marker, out_file]:
            printed(Path(page), marker, out_file)
        case _:
            fail(__doc__ or "usage")


if __name__ == "__main__":
    main(sys.argv[1:])
