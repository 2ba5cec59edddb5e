"""The ``claims`` command line (docs/command-line.md): check, list, show, render, run, merge,
new, import-source, html, and stability, drift, preregistration (whose options and work live in
their own modules).

Run as ``python -m claims`` or the ``claims`` console script. Every error is one line on stderr,
exit status 2 for a usage mistake and 1 for a failure; never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import importlib
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

from claims.cli import scaffold
from claims.engine.numbers import number, shown_number
from claims.report import document as report_document
from claims.report import publish

DEFAULT_REPORT = Path("reports") / report_document.JSON_NAME
# What `claims run` runs when its pytest arguments name no test path.
CLAIM_TESTS = "tests/claims"
# Errors a structurally broken (yet loadable) report raises while being rendered.
_MALFORMED = (KeyError, TypeError, ValueError, AttributeError, IndexError)


class CliError(Exception):
    """A failure: one line on stderr, exit status 1."""


class UsageError(CliError):
    """A usage mistake found after parsing: one line on stderr, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line instead of argparse's usage block; --help has the rest.
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command != "run" and extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return args.handler(args, extra) or 0
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _closed_pipe()
    except (CliError, ValueError, OSError) as error:  # ValueError: ReportError, ScaffoldError, ...
        status, message = 2 if isinstance(error, UsageError) else 1, f"error: {error}"
    except Exception as error:  # the promise is one line, never a traceback
        status, message = 1, f"internal error: {type(error).__name__}: {error}"
    print(f"claims {args.command}: {message}", file=sys.stderr)
    return status


def _closed_pipe() -> int:
    """The reader went away (``claims show X | head -1``): a normal end, as for git and grep.

    Point stdout at /dev/null so the interpreter's final flush of what is still buffered does
    not raise a second BrokenPipeError at exit (Python docs, "Note on SIGPIPE", in the signal
    module's documentation).
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="claims", description=DESCRIPTION)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    report = _Parser(add_help=False)
    where = f"the JSON report (default: {DEFAULT_REPORT})"
    report.add_argument("--report", type=Path, default=DEFAULT_REPORT, metavar="PATH", help=where)

    def command(name: str, handler: Callable[..., Any], text: str, parents=(), **kw: Any) -> Any:
        sub = commands.add_parser(name, help=text, description=text, parents=parents, **kw)
        return sub.set_defaults(handler=handler) or sub

    command("check", cmd_check, CHECK_HELP)
    command("list", cmd_list, "List claims and propositions with last findings.", [report])
    show = command("show", cmd_show, "Show all a report knows of a claim or proposition.", [report])
    show.add_argument("id", help="a claim id, or a proposition id <claim-id>/<name>")
    command("render", cmd_render, "Re-render Markdown (and HTML) beside the JSON report.", [report])
    html = command("html", cmd_html, "Rewrite REPORT_DIR/claims.html from its claims.json.")
    html.add_argument(
        "folder", nargs="?", type=Path, default=DEFAULT_REPORT.parent, metavar="REPORT_DIR"
    )
    run = command("run", cmd_run, RUN_HELP, allow_abbrev=False, usage=RUN_USAGE)
    run.add_argument("--profile", help="Hypothesis profile (default: $HYPOTHESIS_PROFILE or ci)")
    run.add_argument(
        "--workers",
        type=_positive,
        default=1,
        metavar="N",
        help="xdist workers, each with max(1, cores // N) torch threads",
    )
    run.add_argument("--shard", type=_shard, metavar="i/N", help="the i-th of N test slices")
    merge = command("merge", cmd_merge, "Combine shard reports into one report.")
    merge.add_argument("shards", nargs="+", type=Path, metavar="SHARD.json")
    merge.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.json")
    new = command("new", cmd_new, NEW_HELP)
    new.add_argument("claim_id", type=_kebab, metavar="claim-id", help="kebab-case, e.g. toy-claim")
    new.add_argument(
        "--source",
        type=_document_name,
        metavar="NAME",
        help="the document to quote, claims/data/sources/NAME.txt (default: the first the "
        "catalog cites); a document new to the catalog gets its other sentences in NOT_CHECKED",
    )
    new.add_argument("--root", type=Path, default=Path("."), help="project root (default: .)")
    for name, (module_name, text) in DELEGATED.items():
        module = importlib.import_module(module_name)
        # The module's own parser is the one copy of its options (argparse parents); its run()
        # does the work, as `python -m <module>` does.
        parent = module.build_parser(prog=f"claims {name}", add_help=False)
        command(name, _delegate(module), text, [parent]).description = parent.description
    imports = command("import-source", cmd_import_source, IMPORT_HELP)
    imports.add_argument("file", type=Path, metavar="FILE", help="UTF-8 prose to split")
    imports.add_argument(
        "--name", required=True, type=_document_name, help="the document's kebab-case name"
    )
    imports.add_argument("--title", help="the title the report shows (default: the name)")
    imports.add_argument("--root", type=Path, default=Path("."), help="project root (default: .)")
    return parser


DESCRIPTION = (
    "Check the catalog; read, render, run, merge and compare claims reports; import source "
    "documents and scaffold claims (see docs/command-line.md)."
)
NEW_HELP = (
    "Scaffold a claim's catalog module and its CATALOG entry, nothing else (its tests come after "
    "the pre-registration commit); print the commits to make, in order."
)
CHECK_HELP = (
    "Check the catalog (registry rules, pre-registration record) and list the propositions no "
    "test in tests/claims binds (UNTESTED), collecting the tests without running one; exit 0 "
    "when all is well, 3 when only UNTESTED propositions are listed, 1 for any other problem."
)
# Commands whose options and work live in their own module.
DELEGATED = {
    "stability": (
        "claims.report.stability",
        "Re-run the Hypothesis-driven claim tests under other profiles and seeds; tally their "
        "findings (make depth, make stability).",
    ),
    "drift": (
        "claims.report.drift",
        "Compare a fresh full run with the committed report, and that report with its "
        "renderings (make test).",
    ),
    "preregistration": (
        "claims.cli.preregistration",
        "Check the catalog against claims/catalog/preregistered.json, or rewrite it (--write).",
    ),
}
IMPORT_HELP = (
    "Split a prose text into numbered sentences (sentencex) and write it as the source document "
    "claims/data/sources/NAME.txt, never overwriting one; print how to cite it."
)
RUN_USAGE = "claims run [-h] [--profile P] [--workers N] [--shard i/N] [pytest args ...]"
RUN_HELP = (
    "Run `python -m pytest tests/claims` with HYPOTHESIS_PROFILE set, `-n N` for N > 1 workers "
    "(torch threads: the available cores over the workers) and `--claims-shard i/N` for a "
    "shard; exit with pytest's status. Other arguments go to "
    "pytest (after `--` where they clash with these); a path among them replaces tests/claims."
)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive integer")
    return int(text)


def _shard(text: str) -> str:
    match = re.fullmatch(r"(\d+)/(\d+)", text)
    if match is None or not 1 <= int(match[1]) <= int(match[2]):
        raise argparse.ArgumentTypeError(f"{text!r} is not i/N with 1 <= i <= N, e.g. 1/4")
    return text


def _kebab(text: str) -> str:
    try:
        return scaffold.check_claim_id(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def _document_name(text: str) -> str:
    from claims.engine import sources

    try:
        return sources.check_name(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def cmd_list(args: argparse.Namespace, extra: list[str]) -> None:
    document = report_document.load(args.report)
    with _well_formed(args.report):
        run = document["run"]
        kind = "full" if run.get("complete") else "PARTIAL"
        lines = [
            f"{args.report}: {kind} run, profile {run.get('hypothesis_profile')}, "
            f"commit {run.get('git_commit')}, started {run.get('started')}"
        ]
        for claim in document["claims"]:
            lines += ["", f"{claim['id']}  {claim['verdict']}  ({claim['strength'] or '-'})"]
            lines += [
                f"  {p['finding']:<12} {p['role']:<8}  {p['id']}{_differs(p)}"
                for p in claim["propositions"]
            ]
    print("\n".join(lines))


def cmd_show(args: argparse.Namespace, extra: list[str]) -> None:
    document = report_document.load(args.report)
    with _well_formed(args.report):
        claims = {c["id"]: c for c in document["claims"]}
        propositions = {p["id"]: (c, p) for c in document["claims"] for p in c["propositions"]}
        if args.id in claims:
            lines = _claim_lines(claims[args.id])
            for proposition in claims[args.id]["propositions"]:
                lines += ["", *_proposition_lines(proposition)]
        elif args.id in propositions:
            claim, proposition = propositions[args.id]
            lines = [f"claim: {claim['id']} — {claim['title']} ({claim['verdict']})"]
            lines += _proposition_lines(proposition)
        else:
            close = difflib.get_close_matches(args.id, [*claims, *propositions], n=3, cutoff=0.5)
            hint = f"did you mean {', '.join(close)}?" if close else "`claims list` shows the ids"
            raise CliError(f"no claim or proposition {args.id!r} in {args.report}; {hint}")
    print("\n".join(lines))


@contextlib.contextmanager
def _well_formed(path: Path) -> Iterator[None]:
    """Turn the KeyError of a loadable but broken report into one line naming the file."""
    try:
        yield
    except _MALFORMED as error:
        raise CliError(f"{path}: malformed report ({type(error).__name__}: {error})") from error


def _differs(proposition: dict[str, Any]) -> str:
    expected = proposition["expected"]
    return "" if proposition["finding"] == expected else f"  (expected {expected})"


def _shown(value: Any) -> str:
    return number(value, digits=None)


def _claim_lines(claim: dict[str, Any]) -> list[str]:
    return [
        f"claim: {claim['id']} — {claim['title']}",
        f"verdict: {claim['verdict']} — {claim['verdict_reason']}",
        f"strength: {claim['strength'] or '-'}",
        f"key number: {claim['key'] or '-'}",
        f"what survives: {claim['survives']['text']}",
        "source:",
        *[f"  {ref['sentence']} ({ref['document']}) “{ref['quote']}”" for ref in claim["source"]],
        f"statement: {claim['statement']}",
        *(["notes:", *[f"  - {note}" for note in claim["notes"]]] if claim["notes"] else []),
        f"propositions: {len(claim['propositions'])}",
    ]


def _proposition_lines(proposition: dict[str, Any]) -> list[str]:
    finding = proposition["finding"] + (" (differs from expected)" if _differs(proposition) else "")
    matches = {True: "yes", False: "no", None: "- (not run)"}[proposition["matches_expectation"]]
    cell = ", ".join(f"{axis}: {value}" for axis, value in proposition["cell"].items())
    lines = [
        f"proposition: {proposition['id']}",
        f"  role: {proposition['role']} · expected: {proposition['expected']} · finding: {finding}",
        f"  matches expectation: {matches}",
        f"  formalizes: {', '.join(proposition['formalizes']) or '-'}",
        *_registration_lines(proposition),
        f"  key: {proposition['key'] or '-'}",
        *([f"  grid: {proposition['grid']} ({cell})"] if proposition["grid"] else []),
        f"  statement: {proposition['statement']}",
        "  scope:",
        *[f"    {key}: {value}" for key, value in proposition["scope"].items()],
        f"  rationale: {proposition['rationale'] or '-'}",
        *(
            [f"  re-registered after results: {proposition['reregistered']}"]
            if proposition.get("reregistered")
            else []
        ),
        f"  evidence: {len(proposition['evidence']) or 'none (no test checks this proposition)'}",
    ]
    for evidence in proposition["evidence"]:
        lines += _evidence_lines(evidence)
    return lines


def _registration_lines(proposition: dict[str, Any]) -> list[str]:
    """Its reading (asserted), how it was registered, and its design's power, where given."""
    lines = []
    if reading := proposition.get("reading"):
        lines.append(f"  reading: “{reading['words']}” — {reading['why']}")
    if registration := proposition.get("registration"):
        commit = registration.get("commit")
        lines.append(
            f"  registered: {registration['provenance']}"
            + (f" in {commit}" if commit else "")
            + f" — {registration['known']}"
        )
    if proposition.get("power"):
        lines.append(f"  power: {proposition['power']}")
    return lines


def _evidence_lines(evidence: dict[str, Any]) -> list[str]:
    lines = [
        f"  - test: {evidence['test']}",
        f"    kind: {evidence['kind']} · outcome: {evidence['outcome']} · "
        f"examples: {_shown(evidence['examples'])}",
    ]
    units, nonfinite = evidence.get("units", {}), set(evidence.get("nonfinite", []))
    measured = [
        f"      {name} = {shown_number(value) or _shown(value)}"
        + (f" {units[name]}" if units.get(name) else "")
        + ("  (observed non-finite)" if name in nonfinite else "")
        for name, value in evidence["measurements"].items()
    ]
    lines += ["    measurements:", *measured] if measured else []
    for name, table in evidence.get("tables", {}).items():
        rows = [[str(c) for c in table["columns"]], *[list(map(_shown, r)) for r in table["rows"]]]
        widths = [max(map(len, column)) for column in zip(*rows, strict=True)]
        lines += [f"    table: {name}"]
        lines += ["      " + "  ".join(map(str.ljust, row, widths)) for row in rows]
    lines += [f"    figure: figures/{name}.svg" for name in evidence.get("figures", [])]
    for label in ("counterexample", "error"):
        if evidence.get(label):
            lines += [f"    {label}:", *["      " + line for line in evidence[label].splitlines()]]
    if evidence.get("reproduce"):
        lines += [f"    reproduce: {evidence['reproduce']}"]
    return [line.rstrip() for line in lines]


def cmd_render(args: argparse.Namespace, extra: list[str]) -> None:
    # The one reader that accepts Markdown or HTML from another run beside the JSON: it rewrites
    # them from the JSON (whose figures it still checks), making the set whole again.
    _publish(
        report_document.load(args.report, rewrites=(".md", ".html")),
        args.report,
        parts=("markdown", "html"),
    )


def cmd_html(args: argparse.Namespace, extra: list[str]) -> None:
    json_path = args.folder / report_document.JSON_NAME
    _publish(report_document.load(json_path, rewrites=(".html",)), json_path, parts=("html",))


def cmd_merge(args: argparse.Namespace, extra: list[str]) -> None:
    if args.output.suffix != ".json":
        raise UsageError(f"-o {args.output}: name the merged JSON report, e.g. out/claims.json")
    for shard in args.shards:
        if shard.resolve() == args.output.resolve():
            raise UsageError(f"-o {args.output} is one of the shards; merge into a new file")
    documents = [report_document.load(path) for path in args.shards]
    # The catalog and the merge load torch-free but not instantly: only for this command.
    from claims import catalog
    from claims.engine.registry import registry_of
    from claims.report import merge

    # A ValueError says why these shards do not merge (or do not belong together).
    registry = registry_of(catalog)
    merged = merge.merge(documents, registry, names=[str(path) for path in args.shards])
    figures = merge.figure_sources(documents, args.shards)
    _publish(merged, args.output, parts=("json", "markdown", "html"), figures=figures)


def _publish(
    document: dict[str, Any],
    json_path: Path,
    *,
    parts: tuple[str, ...],
    figures: dict[str, Path] | None = None,
) -> None:
    """Render every file first, then replace the set whole (claims.report.publish)."""
    for path in publish.write_report(document, json_path, parts=parts, figures=figures):
        print(f"wrote {path}")


def cmd_run(args: argparse.Namespace, extra: list[str]) -> int:
    from claims.engine import profiles

    variable = profiles.ENVIRONMENT_VARIABLE
    # An empty --profile (or HYPOTHESIS_PROFILE='') is a mistake, as the plugin says for the
    # variable, never a quiet fall-back to the default.
    if args.profile is not None:
        profile = args.profile
    else:
        profile = os.environ.get(variable, profiles.DEFAULT_PROFILE)
    if profile not in profiles.PROFILES:
        raise UsageError(f"profile {profile!r} is not one of {', '.join(profiles.PROFILES)}")
    if "--" in extra:
        extra.remove("--")  # the first one only: what follows goes to pytest verbatim
    # pytest itself tells test paths from option values: testpaths applies exactly when the
    # arguments name no path (`--claims-report-dir build/s1` names a folder, not tests).
    extra = joined_values(extra)
    command = [sys.executable, "-m", "pytest", "-o", f"testpaths={CLAIM_TESTS}"]
    # torch threads: the available cores over the workers, in every process, also where the
    # project's conftest.py loads only the claims plugin (claims.pytest.threads).
    command += ["-p", "claims.pytest.threads"]
    # loadgroup: each group of claims_groups shares one worker (claims/engine/sharding.py).
    command += ["-n", str(args.workers), "--dist", "loadgroup"] if args.workers > 1 else []
    command += [f"--claims-shard={args.shard}"] if args.shard else []
    return subprocess.call([*command, *extra], env={**os.environ, variable: profile})


def joined_values(arguments: list[str]) -> list[str]:
    """``--claims-report-dir X`` as ``--claims-report-dir=X`` (and ``--claims-shard``): before
    pytest loads the plugin, it would take X for a test path, and an absolute folder outside
    the project would then move its rootdir and lose its ini file
    (claims.pytest.plugin.VALUE_OPTIONS)."""
    from claims.pytest.plugin import VALUE_OPTIONS

    joined, waiting = [], None
    for argument in arguments:
        if waiting is not None:
            joined.append(f"{waiting}={argument}")
            waiting = None
        elif argument in VALUE_OPTIONS:
            waiting = argument
        else:
            joined.append(argument)
    return joined + ([waiting] if waiting is not None else [])


def _delegate(module: Any) -> Callable[[argparse.Namespace, list[str]], int]:
    def handler(args: argparse.Namespace, extra: list[str]) -> int:
        return module.run(args)

    return handler


def cmd_check(args: argparse.Namespace, extra: list[str]) -> int:
    from claims.cli import check

    return check.main(args)  # CheckError is a ValueError: one line, exit status 1


def cmd_new(args: argparse.Namespace, extra: list[str]) -> None:
    done = scaffold.scaffold(args.claim_id, args.root, args.source)  # ScaffoldError: ValueError
    print("\n".join([*done, scaffold.next_steps(args.claim_id)]))


def cmd_import_source(args: argparse.Namespace, extra: list[str]) -> None:
    from claims.cli import importing

    # SourceError and SourceImportError are ValueErrors: one line, exit status 1.
    print("\n".join(importing.import_source(args.file, args.name, args.root, args.title)))
