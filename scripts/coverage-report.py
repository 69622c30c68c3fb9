#!/usr/bin/env python3
"""Union of the fuzz targets' coverage over the codec's parsers.

    coverage-report.py LLVM_COV TARGET:BINARY:PROFDATA [...]

Reads `llvm-cov export` of each target and counts a function or a code region as reached when
any target executes it. Prints, for each parser file, the functions and regions reached, then
every function no target reaches and every region no target reaches (by line), as Markdown.
A function rustc dropped from every binary (never called from any target) counts as unreached
too: it is listed from the source with no coverage record.
"""
import functools
import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The parsers and their support: what the decode targets exist to reach.
SCOPE = sorted(
    [p.relative_to(ROOT).as_posix() for p in (ROOT / "core/src/format").glob("*.rs")]
    + ["core/src/text.rs", "core/src/stream.rs", "core/src/decode.rs", "core/src/query.rs"]
)


@functools.cache
def source_lines(path):
    return (ROOT / path).read_text(encoding="utf-8").splitlines()


def test_module_start(lines):
    """The first line of the file's `#[cfg(test)]` module, or past the end: no fuzz binary
    contains tests, so they are not counted."""
    for number, line in enumerate(lines, 1):
        if line.strip().startswith("#[cfg(") and "test" in line and number < len(lines):
            if re.match(r"\s*mod \w+", lines[number]):
                return number
    return len(lines) + 1


def function_name(lines, line):
    """The `fn` at or just above a function's first region (a closure's is its enclosing fn)."""
    for number in range(line, max(line - 40, 0), -1):
        match = re.search(r"\bfn\s+(\w+)", lines[number - 1])
        if match:
            return match.group(1)
    return "?"


def main():
    llvm_cov, *targets = sys.argv[1:]
    # (file, first line, first column) -> reached by any target; a function's identity in every
    # binary whatever its mangled name (generic instantiations share it).
    functions = defaultdict(bool)
    regions = defaultdict(bool)  # (file, l1, c1, l2, c2) -> reached
    for spec in targets:
        target, binary, profdata = spec.split(":")
        exported = subprocess.run(
            [llvm_cov, "export", "-format=text", "-instr-profile", profdata, binary],
            check=True,
            capture_output=True,
        ).stdout
        for function in json.loads(exported)["data"][0]["functions"]:
            for file_id, filename in enumerate(function["filenames"]):
                relative = Path(filename).resolve()
                try:
                    relative = relative.relative_to(ROOT).as_posix()
                except ValueError:
                    continue
                if relative not in SCOPE:
                    continue
                own = [r for r in function["regions"] if r[5] == file_id and r[7] == 0]
                if not own or file_id != 0:
                    continue
                start = (relative, own[0][0], own[0][1])
                # A closure has a record of its own; it counts as regions of its function.
                if re.search(r"\bfn\s+\w+", source_lines(relative)[start[1] - 1]):
                    functions[start] |= function["count"] > 0
                for l1, c1, l2, c2, count, *_ in own:
                    regions[(relative, l1, c1, l2, c2)] |= count > 0

    print("| file | functions reached | regions reached |")
    print("|---|---|---|")
    unreached_functions = []
    unreached_lines = defaultdict(set)
    for path in SCOPE:
        lines = source_lines(path)
        tests_from = test_module_start(lines)
        mine = {k: v for k, v in functions.items() if k[0] == path and k[1] < tests_from}
        my_regions = {k: v for k, v in regions.items() if k[0] == path and k[1] < tests_from}
        # Functions compiled into no binary have no record: find them in the source.
        recorded = {k[1] for k in mine}
        dropped = []
        for number, line in enumerate(lines[: tests_from - 1], 1):
            match = re.match(r"\s*(?:pub(?:\([\w:]+\))?\s+)?(?:const\s+)?fn\s+(\w+)", line)
            # A trait's required method (a signature ending in `;`) has no body to reach.
            if match and number not in recorded and not line.rstrip().endswith(";"):
                dropped.append((number, match.group(1)))
        total = len(mine) + len(dropped)
        reached = sum(mine.values())
        region_total = len(my_regions)
        region_reached = sum(my_regions.values())
        percent = 100.0 * region_reached / region_total if region_total else 100.0
        print(f"| `{path}` | {reached} of {total} | {region_reached} of {region_total} ({percent:.1f} %) |")
        for (file, line, _), hit in sorted(mine.items()):
            if not hit:
                # A `const fn` that builds a table (a byte class) runs in the compiler only.
                const = re.search(r"\bconst fn\b", lines[line - 1])
                why = "not run; a `const fn`, which may run at compile time" if const else "not run"
                unreached_functions.append((file, line, function_name(lines, line), why))
        for line, name in dropped:
            unreached_functions.append((path, line, name, "in no target's binary"))
        for (file, l1, _, _, _), hit in my_regions.items():
            if not hit:
                unreached_lines[file].add(l1)

    print()
    print("Functions no target reaches:")
    print()
    if not unreached_functions:
        print("- none")
    for file, line, name, why in sorted(unreached_functions):
        print(f"- `{file}:{line}` `{name}` ({why})")
    print()
    print("Regions no target reaches, by the line they start on:")
    print()
    for file in SCOPE:
        if unreached_lines.get(file):
            numbers = ", ".join(str(n) for n in sorted(unreached_lines[file]))
            print(f"- `{file}`: {numbers}")


if __name__ == "__main__":
    main()
