"""What one claim test contributes: its outcome, measurements and, if it failed, the counterexample.

The plugin builds one ``Evidence`` per test on the process that ran it (an xdist worker or the
main process) and ships it as a plain dict in ``report.user_properties``, so the controller
aggregates the same data whether or not the run was distributed.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from hypothesis.errors import Flaky

from claims.engine.records import EvidenceKind, Finding

# Hypothesis attaches these as exception notes (PEP 678) to the error it re-raises after
# shrinking: "Falsifying example: test_x(\n    seed=0,\n)" (older) or "Failing test case: ..."
_FALSIFYING = re.compile(r"^(?:Falsifying example|Failing test case): ", re.MULTILINE)
# The measurements fixture is an argument of every claim test, not part of the example.
_FIXTURE_ARGUMENT = re.compile(r"^\s*measurements=<measurements>,\n", re.MULTILINE)
_REPRODUCE = re.compile(r"@reproduce_failure\([^)]*\)")
# JSON has no NaN or infinity: an observed non-finite value is written as one of these strings
# (and flagged "nonfinite"); reports show it as the value beside it.
# What a figure may be called: kebab-case, so ``<name>.svg`` is one file inside figures/ and
# never a path (no "/", no ".."); every reader of a report refuses any other name
# (claims.report.document.figure_file).
FIGURE_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# The largest table a test may record (docs/integrity.md, "Standard JSON, of a stated size"); every
# reader refuses a report holding a larger one. The largest today: 30 rows (the chat model's
# per-layer census), 8 columns.
MAX_TABLE_ROWS = 1000
MAX_TABLE_COLUMNS = 50


class MeasurementError(ValueError):
    """A test tried to record a measurement that is not a finite number."""


class Inconclusive(Exception):  # noqa: N818 - named for the finding it produces
    """Raised by a statistical test whose decision rule could not decide; see Finding.INCONCLUSIVE."""


class NotRun(Exception):  # noqa: N818 - named for the finding it produces
    """Raised by a test whose evidence is computed elsewhere and committed (the chat model's deep
    tier, which needs a GPU) when that evidence is missing or stale: the proposition's finding is
    NOT_RUN, with the message as its reason. It decides nothing and matches no expectation
    (README, "Findings"); pytest shows the test as skipped, with the reason."""


@dataclass(frozen=True)
class Measurement:
    value: float
    unit: str

    @property
    def nonfinite(self) -> bool:
        """NaN or ±inf: only ``Measurements.observe`` records such a value."""
        return not math.isfinite(self.value)

    def to_json(self) -> dict[str, Any]:
        """{"value", "unit", "nonfinite"}; a non-finite value as "nan", "inf" or "-inf"."""
        return {"value": json_number(self.value), "unit": self.unit, "nonfinite": self.nonfinite}


def json_number(value: float) -> float | str:
    """``value``, or for NaN/±inf the string a report writes it as ("nan", "inf", "-inf";
    shown by claims.engine.numbers.shown_number)."""
    if math.isnan(value):
        return "nan"
    return value if math.isfinite(value) else ("inf" if value > 0 else "-inf")


class Measurements:
    """Recorder behind the ``measurements`` fixture.

    Property tests run their body once per Hypothesis example, so a measurement can be folded
    across examples: ``record`` keeps the last value, ``maximum``/``minimum`` keep the extreme
    and ``count`` adds up. All of these refuse NaN and ±inf (MeasurementError: a measurement
    that went non-finite is an error). ``observe`` records a value as the test saw it, NaN and
    ±inf included, for the counterexample that *is* a non-finite value.
    """

    def __init__(self, figure_folder: Path | None = None) -> None:
        self.values: dict[str, Measurement] = {}
        # Where `figure` saves SVGs; the plugin moves them into the report folder at session end.
        self.figure_folder = figure_folder
        self.figures: list[str] = []
        # name -> {"columns": [...], "rows": [[...], ...]}: small tables for the report.
        self.tables: dict[str, dict[str, list]] = {}
        # name -> (hits, total) behind a `share` measurement.
        self._tallies: dict[str, tuple[float, float]] = {}

    def __repr__(self) -> str:
        # Hypothesis prints every argument of a falsifying example, fixtures included; the
        # running totals are reported separately and would only clutter the counterexample.
        # (A plain class: Hypothesis's pretty-printer expands dataclasses field by field.)
        return "<measurements>"

    def record(self, name: str, value: float, unit: str = "") -> None:
        self.values[name] = Measurement(_finite(name, value), unit)

    def observe(self, name: str, value: float, unit: str = "") -> None:
        """Record ``value`` as observed, NaN and ±inf included (e.g. a gradient that is NaN where
        the statement says it is finite). Written to JSON as "nan"/"inf"/"-inf" with
        ``nonfinite: true``. A test that observes a non-finite value and then passes is ERROR,
        never HOLDS (``build``): a NaN never makes a proposition hold by accident.
        MeasurementError for a bad name or a value that is not a number."""
        self.values[name] = Measurement(_number(name, value), unit)

    def maximum(self, name: str, value: float, unit: str = "") -> None:
        self._fold(name, value, unit, max)

    def minimum(self, name: str, value: float, unit: str = "") -> None:
        self._fold(name, value, unit, min)

    def count(self, name: str, value: float = 1, unit: str = "count") -> None:
        self._fold(name, value, unit, lambda a, b: a + b)

    def figure(self, name: str, figure: Any) -> None:
        """Save a matplotlib figure as <name>.svg for the report (name: kebab-case, unique)."""
        if self.figure_folder is None:
            raise MeasurementError("figures can only be recorded inside a claims pytest session")
        if not isinstance(name, str) or not FIGURE_NAME.fullmatch(name):
            raise MeasurementError(f"figure name {name!r} must be kebab-case")
        import matplotlib

        self.figure_folder.mkdir(parents=True, exist_ok=True)
        # A fixed hash salt and no date keep the SVG byte-identical across runs
        # (https://matplotlib.org/stable/users/explain/customizing.html, svg.hashsalt).
        with matplotlib.rc_context({"svg.hashsalt": "claims"}):
            figure.savefig(
                self.figure_folder / f"{name}.svg", format="svg", metadata={"Date": None}
            )
        if name not in self.figures:
            self.figures.append(name)

    def table(
        self, name: str, columns: list[str], rows: list[list[Any]], *, digits: int = 4
    ) -> None:
        """Record a small table (cells: text or finite numbers) shown under the claim: at most
        MAX_TABLE_ROWS rows and MAX_TABLE_COLUMNS columns (MeasurementError beyond).

        ``digits``: significant digits the report shows for its numbers (a certified bracket
        needs 10 to show both ends apart; a mean and its interval, 4).
        """
        if not isinstance(digits, int) or not 1 <= digits <= 17:
            raise MeasurementError(f"table {name!r}: digits {digits!r} must be an int in 1..17")
        if len(rows) > MAX_TABLE_ROWS or len(columns) > MAX_TABLE_COLUMNS:
            raise MeasurementError(
                f"table {name!r}: {len(rows)} rows x {len(columns)} columns is over the limit "
                f"of {MAX_TABLE_ROWS} x {MAX_TABLE_COLUMNS} (a report shows a small table; "
                "record a summary, or a figure)"
            )
        for row in rows:
            if len(row) != len(columns):
                raise MeasurementError(
                    f"table {name!r}: row {row!r} has {len(row)} cells, not {len(columns)}"
                )
        cells = [
            [c if isinstance(c, str) else _finite(f"{name} cell", c) for c in row] for row in rows
        ]
        self.tables[name] = {"columns": list(columns), "rows": cells, "digits": digits}

    def share(self, name: str, hits: float, total: float) -> None:
        """Accumulate hits and total across examples; record hits / total as a fraction."""
        hits, total = _finite(name, hits), _finite(name, total)
        seen_hits, seen_total = self._tallies.get(name, (0.0, 0.0))
        seen_hits, seen_total = seen_hits + hits, seen_total + total
        self._tallies[name] = (seen_hits, seen_total)
        if seen_total > 0:
            self.values[name] = Measurement(seen_hits / seen_total, "fraction")
            self.values[f"{name}_total"] = Measurement(seen_total, "count")

    def _fold(self, name: str, value: float, unit: str, combine: Any) -> None:
        value = _finite(name, value)
        previous = self.values.get(name)
        if previous is not None and previous.unit != unit:
            raise MeasurementError(f"measurement {name!r}: unit {unit!r} != {previous.unit!r}")
        if previous is not None and previous.nonfinite:
            raise MeasurementError(
                f"measurement {name!r} was observed as {previous.value}; cannot fold into it"
            )
        combined = value if previous is None else combine(previous.value, value)
        self.values[name] = Measurement(combined, unit)


def _number(name: str, value: Any) -> float:
    if not isinstance(name, str) or not name:
        raise MeasurementError(f"measurement name must be a non-empty string, got {name!r}")
    if isinstance(value, bool) or str(getattr(value, "dtype", "")) in ("bool", "torch.bool"):
        # float(True) is 1.0: the report would show a yes/no as a bare 1 or 0.
        raise MeasurementError(
            f"measurement {name!r}: {value!r} is a boolean, not a number; assert it, or record "
            "the count or share behind it"
        )
    try:
        return float(value)
    except (TypeError, ValueError) as error:
        raise MeasurementError(f"measurement {name!r}: {value!r} is not a number") from error


def _finite(name: str, value: Any) -> float:
    number = _number(name, value)
    if not math.isfinite(number):
        raise MeasurementError(
            f"measurement {name!r} is {number}: a non-finite measurement is an error (record "
            "a non-finite value the test observed with measurements.observe)"
        )
    return number


@dataclass
class Evidence:
    # pytest node id of the test.
    test: str
    # The proposition the test checks.
    proposition: str
    # How it checks it (EvidenceKind value).
    kind: str
    # HOLDS / FAILS / ERROR as this one test found it.
    outcome: str
    # Hypothesis test cases executed (including shrinking); None for non-Hypothesis tests.
    examples: int | None = None
    # The falsifying example and the assertion message, when the test found one.
    counterexample: str | None = None
    # How to replay the failure: a command line, plus Hypothesis's @reproduce_failure blob.
    reproduce: str | None = None
    # The error, for ERROR outcomes.
    error: str | None = None
    # name -> {"value": float, or "nan"/"inf"/"-inf" when observed non-finite, "unit": str,
    # "nonfinite": bool}
    measurements: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Names of SVG figures the test saved (files figures/<name>.svg beside the report).
    figures: list[str] = field(default_factory=list)
    # Small tables the test recorded: name -> {"columns": [...], "rows": [[...]]}.
    tables: dict[str, dict[str, list]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Every field, as a worker sends it to the controller (``Evidence(**found)`` reads it)."""
        return asdict(self)

    # The report's form (claims.report.document, schema "evidence"): the proposition is implied
    # by where the item sits, and measurements are split into values, units and the names of
    # the non-finite ones, so the JSON reads as a table. These two are the one codec of it.

    def to_report(self) -> dict[str, Any]:
        """{test, kind, outcome, examples, counterexample, reproduce, error, figures, tables,
        measurements: {name: value}, units: {name: unit}, nonfinite: [names]}."""
        item = asdict(self)
        measured = item.pop("measurements")
        del item["proposition"]
        item["measurements"] = {name: m["value"] for name, m in measured.items()}
        item["units"] = {name: m["unit"] for name, m in measured.items()}
        item["nonfinite"] = [name for name, m in measured.items() if m.get("nonfinite")]
        return item

    @classmethod
    def from_report(cls, item: dict[str, Any], proposition: str) -> Evidence:
        """The Evidence a report's item (``to_report``) was written from; KeyError for an item
        missing a field."""
        units, nonfinite = item.get("units", {}), set(item.get("nonfinite", []))
        measured = {
            name: {"value": value, "unit": units.get(name, ""), "nonfinite": name in nonfinite}
            for name, value in item["measurements"].items()
        }
        return cls(
            test=item["test"],
            proposition=proposition,
            kind=item["kind"],
            outcome=item["outcome"],
            examples=item["examples"],
            counterexample=item["counterexample"],
            reproduce=item["reproduce"],
            error=item["error"],
            measurements=measured,
            figures=list(item.get("figures", [])),
            tables=dict(item.get("tables", {})),
        )


def classify(exception: BaseException | None) -> Finding:
    """HOLDS if the test returned, FAILS on an assertion, INCONCLUSIVE or NOT_RUN if it said so
    (Inconclusive, NotRun), else ERROR.

    A failure Hypothesis could not reproduce (``Flaky``: it failed once, then passed on the same
    example) is an ERROR: its counterexample and reproduce blob would not reproduce.
    """
    if exception is None:
        return Finding.HOLDS
    if isinstance(exception, Flaky):
        return Finding.ERROR
    if isinstance(exception, Inconclusive):
        return Finding.INCONCLUSIVE
    if isinstance(exception, NotRun):
        return Finding.NOT_RUN
    if _is_assertion(exception):
        return Finding.FAILS
    return Finding.ERROR


def _is_assertion(exception: BaseException) -> bool:
    if isinstance(exception, BaseExceptionGroup):
        return all(_is_assertion(e) for e in exception.exceptions)
    return isinstance(exception, AssertionError)


def counterexample_of(exception: BaseException) -> str:
    """The falsifying example Hypothesis reported, then the assertion message."""
    notes = getattr(exception, "__notes__", []) or []
    falsifying = [_FIXTURE_ARGUMENT.sub("", n.strip()) for n in notes if _FALSIFYING.search(n)]
    # pytest's assertion rewriting appends "\nassert <introspection>" to the message; the
    # message the test wrote is what names the counterexample, so keep only that part.
    message = str(exception).split("\nassert ", 1)[0].strip() or type(exception).__name__
    return "\n".join([*falsifying, message])


def reproduction_blob(exception: BaseException) -> str | None:
    notes = "\n".join(getattr(exception, "__notes__", []) or [])
    match = _REPRODUCE.search(notes)
    return match.group(0) if match else None


def build(
    *,
    test: str,
    proposition: str,
    kind: EvidenceKind,
    exception: BaseException | None,
    examples: int | None,
    measurements: Measurements,
    reproduce_command: str,
) -> Evidence:
    finding = classify(exception)
    nonfinite = [f"{n} = {m.value}" for n, m in sorted(measurements.values.items()) if m.nonfinite]
    if finding is Finding.HOLDS and nonfinite:
        # A test that passed beside a NaN or an infinity checked nothing it can vouch for.
        finding = Finding.ERROR
        exception = MeasurementError(
            f"the test passed, yet observed {', '.join(nonfinite)}: a non-finite value never "
            "lets a proposition hold"
        )
    evidence = Evidence(
        test=test,
        proposition=proposition,
        kind=str(kind),
        outcome=str(finding),
        examples=examples,
        measurements={name: m.to_json() for name, m in sorted(measurements.values.items())},
        figures=sorted(measurements.figures),
        tables=dict(sorted(measurements.tables.items())),
    )
    if finding is Finding.FAILS:
        evidence.counterexample = counterexample_of(exception)
        blob = reproduction_blob(exception)
        evidence.reproduce = reproduce_command + (f"  # or add {blob}" if blob else "")
    elif finding is Finding.ERROR:
        evidence.error = f"{type(exception).__name__}: {exception}"
    elif finding is Finding.INCONCLUSIVE:
        evidence.error = f"inconclusive: {exception}"
    elif finding is Finding.NOT_RUN:
        evidence.error = f"not run: {exception}"
    return evidence
