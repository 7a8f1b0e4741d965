#!/usr/bin/env python3
"""Checks the relative links of the project's Markdown files: every `[text](target)` outside code
must name a file or folder that exists and, for `#anchor`, a heading of that file (anchors as
GitHub makes them). External links (`scheme:`) are not fetched. Prints each broken link as
`file:line: target: why` and exits 1 if there is any."""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SKIP_DIRS = {".git", "target", ".venv", ".aws-sam", ".offline", "node_modules", "corpus", "artifacts"}
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^\s*(```|~~~)")


def prose_lines(text):
    """(line number, line) for every line outside fenced code, inline code removed."""
    fenced = False
    for number, line in enumerate(text.split("\n"), 1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield number, re.sub(r"`[^`]*`", "", line)


def slug(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path):
    seen = {}
    fenced = False
    for line in path.read_text(encoding="utf-8").split("\n"):
        if FENCE.match(line):
            fenced = not fenced
            continue
        match = None if fenced else re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if match:
            base = slug(match.group(1))
            count = seen.get(base, 0)
            seen[base] = count + 1
            yield base if count == 0 else f"{base}-{count}"


def problems(md):
    for number, line in prose_lines(md.read_text(encoding="utf-8")):
        for target in LINK.findall(line):
            if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target):
                continue
            path_part, _, anchor = target.partition("#")
            dest = (md.parent / path_part).resolve() if path_part else md
            if not dest.exists():
                yield number, target, "no such file"
            elif anchor and dest.suffix == ".md" and anchor not in set(anchors(dest)):
                yield number, target, f"no heading with anchor #{anchor}"


def markdown_files():
    for md in sorted(ROOT.rglob("*.md")):
        if not SKIP_DIRS.intersection(md.relative_to(ROOT).parts):
            yield md


def main():
    broken = 0
    files = list(markdown_files())
    for md in files:
        for number, target, why in problems(md):
            print(f"{md.relative_to(ROOT)}:{number}: {target}: {why}")
            broken += 1
    print(f"{len(files)} Markdown files, {broken} broken links")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
