"""README's configuration table and the settings code describe the same variables, with
the same defaults, both ways."""

from __future__ import annotations

from pathlib import Path

from service.settings import environment_table

README = Path(__file__).resolve().parents[2] / "README.md"
EMPTY = "(empty)"


def readme_table() -> list[tuple[str, str]]:
    """Return (variable, default) for each row of the table under '## Configuration'."""
    lines = README.read_text(encoding="utf-8").splitlines()
    start = lines.index("## Configuration")
    rows = []
    for line in lines[start + 1 :]:
        if line.startswith("## "):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) < 3 or set(cells[0]) <= {"-", ":"}:
            continue
        if cells[0] == "variable":
            continue
        rows.append((cells[0].strip("`"), _default(cells[1])))
    return rows


def _default(cell: str) -> str:
    return "" if cell == EMPTY else cell.strip("`")


def test_the_readme_has_a_table_to_compare() -> None:
    rows = readme_table()
    assert len(rows) >= 5
    assert ("DATABASE_URL", "sqlite:///duyet.db") in rows


def test_every_setting_is_in_the_readme_with_its_default() -> None:
    documented = dict(readme_table())
    for variable, default in environment_table():
        assert variable in documented, f"{variable} is missing from README's table"
        assert documented[variable] == default, f"README gives {variable} another default"


def test_the_readme_documents_no_setting_the_code_does_not_read() -> None:
    known = {variable for variable, _ in environment_table()}
    extra = [variable for variable, _ in readme_table() if variable not in known]
    assert not extra, f"README documents variables no code reads: {extra}"


def test_each_variable_is_documented_once() -> None:
    names = [variable for variable, _ in readme_table()]
    assert len(names) == len(set(names))
