"""docs/scaling.md's claims about a distribution by merchant (Citus), checked against the table metadata.

The page lists which tables would be distributed by `merchant_id`, which would be reference tables
(copied to every node) and which stay local to the coordinator, and then every known gap: a key or a
foreign key that Citus would refuse as the schema stands. This test recomputes the gaps from
`metadata` and requires the page's list to be exactly them, so a new gap fails here, and closing one
means updating the page.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import ForeignKeyConstraint, Table, UniqueConstraint

from boomerang.adapters.tables import metadata

DOC = Path(__file__).resolve().parents[2] / "docs" / "scaling.md"
KEY = "merchant_id"


def _section(heading: str) -> str:
    text = DOC.read_text()
    match = re.search(rf"^### {re.escape(heading)}\n(.*?)(?=^#)", text, re.S | re.M)
    assert match, f"docs/scaling.md has no section '### {heading}'"
    return match.group(1)


def _names(heading: str) -> set[str]:
    return set(re.findall(r"`([a-z_]+)`", _section(heading)))


def _documented_gaps() -> set[str]:
    return set(re.findall(r"^- `([^`]+)`", _section("Known gaps"), re.M))


def _classes() -> dict[str, str]:
    classes: dict[str, str] = {}
    for kind, heading in (
        ("distributed", "Distributed by merchant_id"),
        ("reference", "Reference tables"),
        ("local", "Local to the coordinator"),
    ):
        for name in _names(heading):
            assert name not in classes, f"{name} is listed as {classes[name]} and as {kind}"
            classes[name] = kind
    return classes


def _cols(columns: object) -> str:
    return ", ".join(c.name for c in columns)  # type: ignore[attr-defined]


def _gaps(classes: dict[str, str]) -> set[str]:
    gaps: set[str] = set()
    for table in metadata.sorted_tables:
        kind = classes[table.name]
        if kind == "distributed":
            gaps |= _distributed_gaps(table)
        for fk in (c for c in table.constraints if isinstance(c, ForeignKeyConstraint)):
            target = fk.referred_table.name
            pair = (kind, classes[target])
            columns = f"foreign key {table.name} ({_cols(fk.columns)}) → {target}"
            if pair == ("distributed", "distributed"):
                if KEY not in fk.columns:
                    gaps.add(columns)
            elif pair not in {("distributed", "reference"), ("local", "reference"), ("local", "local")}:
                gaps.add(f"{columns} ({pair[0]} → {pair[1]})")
    return gaps


def _distributed_gaps(table: Table) -> set[str]:
    gaps = set()
    if table.c[KEY].nullable:
        gaps.add(f"nullable {table.name}.{KEY}")
    if KEY not in table.primary_key.columns:
        gaps.add(f"primary key {table.name} ({_cols(table.primary_key.columns)})")
    uniques = [c for c in table.constraints if isinstance(c, UniqueConstraint)]
    uniques += [i for i in table.indexes if i.unique]
    for unique in uniques:
        if KEY not in unique.columns:
            gaps.add(f"unique {table.name} ({_cols(unique.columns)})")
    return gaps


def test_every_table_is_classified_once() -> None:
    classes = _classes()
    tables = {t.name for t in metadata.sorted_tables}
    assert tables - classes.keys() == set(), "tables docs/scaling.md does not classify"
    assert classes.keys() - tables == set(), "docs/scaling.md classifies tables that do not exist"


def test_every_distributed_table_has_merchant_id() -> None:
    classes = _classes()
    missing = [t.name for t in metadata.sorted_tables if classes[t.name] == "distributed" and KEY not in t.c]
    assert missing == []


def test_reference_tables_have_no_merchant_column() -> None:
    classes = _classes()
    assert [t.name for t in metadata.sorted_tables if classes[t.name] == "reference" and KEY in t.c] == []


def test_the_documented_gaps_are_exactly_the_schema_s() -> None:
    """Keys and foreign keys among distributed tables include merchant_id, except the listed gaps."""
    actual, documented = _gaps(_classes()), _documented_gaps()
    assert actual - documented == set(), "new gaps: fix the schema or list them in docs/scaling.md"
    assert documented - actual == set(), "gaps listed in docs/scaling.md that are closed: remove them"


def test_the_gap_check_sees_a_new_gap() -> None:
    """The check itself can fail: a distributed table with a global unique key is a gap."""
    from sqlalchemy import Column, MetaData, String

    probe = Table("probe", MetaData(), Column("id", String, primary_key=True), Column(KEY, String, nullable=False))
    probe.append_constraint(UniqueConstraint("id", name="uq_probe_id"))
    assert _distributed_gaps(probe) == {"primary key probe (id)", "unique probe (id)"}
