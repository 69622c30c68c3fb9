#!/usr/bin/env python3
"""The figures of mutation runs, as the Markdown table of ASSURANCE.md.

    scripts/mutants-summary.py [DIR ...]    default: every target/mutants/*/mutants.out

One row per run directory (scripts/mutants.sh --file F writes target/mutants/<F>/mutants.out):
mutants, unviable (they do not build), caught, timeouts (a hang: the tests noticed), missed,
and the score, (caught + timeouts) / viable. The missed mutants are listed under the table.
"""
import collections
import glob
import json
import sys
from pathlib import Path


def main():
    dirs = sys.argv[1:] or sorted(glob.glob("target/mutants/*/mutants.out"))
    print("| file | mutants | unviable | caught | timeouts | missed | score |")
    print("|---|---|---|---|---|---|---|")
    missed = []
    for directory in dirs:
        outcomes = json.loads((Path(directory) / "outcomes.json").read_text())["outcomes"]
        mutants = [o for o in outcomes if "Mutant" in o["scenario"]]
        count = collections.Counter(o["summary"] for o in mutants)
        files = sorted({o["scenario"]["Mutant"]["file"] for o in mutants})
        viable = len(mutants) - count["Unviable"]
        noticed = count["CaughtMutant"] + count["Timeout"]
        score = f"{100.0 * noticed / viable:.1f} %" if viable else "-"
        name = ", ".join(f"`{f}`" for f in files) or directory
        print(
            f"| {name} | {len(mutants)} | {count['Unviable']} | {count['CaughtMutant']} | "
            f"{count['Timeout']} | {count['MissedMutant']} | {score} |"
        )
        missed += [o["scenario"]["Mutant"]["name"] for o in mutants if o["summary"] == "MissedMutant"]
    if missed:
        print()
        print("Missed:")
        print()
        for name in missed:
            print(f"- `{name}`")


if __name__ == "__main__":
    main()
