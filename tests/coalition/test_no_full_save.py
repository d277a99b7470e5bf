"""Issue 9: existing rows are changed through coalition.services.model_update.

An AST check (not a regex) over every module of every app (services, the governance engine,
the PDF and reminder jobs, views, admin, demo and seeding code; not the migrations): a `.save(`
call there fails unless it is model_update's own, saves a row built in the same function (an
insert), or is in ALLOW with its reason. `x.file.save(name, content, save=False)` writes a
file, not the row, and `storage.save(...)` writes to a storage: neither counts.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: Every package of the project (the apps and the project package), found, not listed.
APPS = sorted(p.parent.name for p in ROOT.glob("*/__init__.py") if p.parent.name != "tests")

#: (path, innermost function) -> why a `.save(` there is not an update of an existing row.
ALLOW: dict[tuple[str, str], str] = {
    ("governance/services/applications.py", "_save_one_per_city"): (
        "inserts the new application its caller built (fields=None); updates use model_update"
    ),
    ("members/seed.py", "load_coalition_data"): "seeding code, not a service",
    ("members/seed.py", "_translate_seeded"): "seeding code, not a service",
    ("members/demo.py", "_arab_coalition_plan"): "demo data, not a service",
    ("members/demo.py", "load"): "demo data, not a service",
    ("coalition/migration_helpers.py", "forwards"): (
        "a data migration's RunPython step (historical models, no services)"
    ),
    ("coalition/adapters.py", "save_user"): (
        "allauth's sign-up hook: inserts the new account allauth built (commit=True)"
    ),
    ("coalition/models.py", "_create_user"): "the user manager's insert of a new account",
    ("coalition/demo.py", "_ensure_accounts"): "demo data: inserts a missing demo account",
    ("governance/demo/applications.py", "_applicant_account"): (
        "demo data: inserts the missing demo applicant"
    ),
    ("members/models/cities.py", "save"): (
        "City.save itself, which adds search_name to whatever its caller saves"
    ),
}

#: The one place where an existing row is saved: the helper itself.
HELPER = ("coalition/services.py", "model_update")


@dataclass(frozen=True)
class Finding:
    path: str
    function: str
    line: int
    call: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} in {self.function}(): {self.call}"


def _is_new_row(value: ast.expr | None) -> bool:
    """`Model(...)`, `models.Model(...)` or `Model.objects.create(...)`: a row of this function."""
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    if isinstance(func, ast.Name):
        return func.id[:1].isupper()
    if isinstance(func, ast.Attribute):
        if func.attr == "create":
            manager = func.value
            return isinstance(manager, ast.Attribute) and manager.attr == "objects"
        return func.attr[:1].isupper()
    return False


def _own_nodes(function: ast.AST):
    """The nodes of `function`'s body, not those of the functions defined inside it."""
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))


def _new_rows(function: ast.AST) -> set[str]:
    """Names that, every time the function binds them, are bound to a new row."""
    verdicts: dict[str, list[bool]] = {}
    if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        arguments = function.args
        for arg in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
            verdicts.setdefault(arg.arg, []).append(False)
        for arg in (arguments.vararg, arguments.kwarg):
            if arg is not None:
                verdicts.setdefault(arg.arg, []).append(False)
    constructed: set[int] = set()
    for node in _own_nodes(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)):
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name) and _is_new_row(value):
            constructed.add(id(target))
    for node in _own_nodes(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            verdicts.setdefault(node.id, []).append(id(node) in constructed)
    return {name for name, bound in verdicts.items() if all(bound)}


def _is_not_a_row_save(call: ast.Call) -> bool:
    if any(
        k.arg == "save" and isinstance(k.value, ast.Constant) and k.value.value is False
        for k in call.keywords
    ):
        return True  # FieldFile.save(name, content, save=False): the file only
    receiver = call.func.value  # type: ignore[attr-defined]
    name = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", "")
    return name == "storage"  # Storage.save(name, content)


def find_full_saves(source: str, path: str, allow=None) -> tuple[list[Finding], set]:
    """The `.save(` calls of `source` (as file `path`) that are not allowed, and the ALLOW
    keys that excused one."""
    allow = ALLOW if allow is None else allow
    tree = ast.parse(source)
    findings: list[Finding] = []
    used: set[tuple[str, str]] = set()
    scopes: list[ast.AST] = [tree]
    scopes += [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for scope in scopes:
        function = getattr(scope, "name", "<module>")
        new_rows = _new_rows(scope) if scope is not tree else set()
        for node in _own_nodes(scope):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "save"
            ):
                continue
            if _is_not_a_row_save(node) or (path, function) == HELPER:
                continue
            receiver = node.func.value
            if isinstance(receiver, ast.Name) and receiver.id in new_rows:
                continue
            if (path, function) in allow:
                used.add((path, function))
                continue
            findings.append(Finding(path, function, node.lineno, ast.unparse(node)))
    return findings, used


def checked_files() -> list[str]:
    """Every module of every app but its migrations (historical models, RunPython steps)."""
    return sorted(
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.relative_to(ROOT).parts
    )


def test_services_save_no_existing_row_in_full():
    findings: list[Finding] = []
    used: set[tuple[str, str]] = set()
    assert {"coalition", "members", "governance", "reporting"} <= set(APPS)
    files = checked_files()
    assert "coalition/services.py" in files and "members/services.py" in files
    assert any(f.startswith("governance/services/") for f in files)
    assert any(f.startswith("reporting/services/") for f in files)
    assert {"reporting/pdfs.py", "reporting/reminders.py", "coalition/views.py"} <= set(files)
    for path in files:
        found, excused = find_full_saves((ROOT / path).read_text(), path)
        findings += found
        used |= excused
    assert not findings, "Update existing rows with model_update:\n" + "\n".join(map(str, findings))
    assert used == set(ALLOW), f"ALLOW entries that excuse nothing: {set(ALLOW) - used}"


# --- The checker itself ----------------------------------------------------------------------

UPDATE_SERVICE = """
def update_city(*, actor, city, **fields):
    for name, value in fields.items():
        setattr(city, name, value)
    city.save()
"""


def test_a_full_save_added_to_an_update_service_is_found():
    [finding] = find_full_saves(UPDATE_SERVICE, "members/services.py")[0]
    assert (finding.function, finding.line, finding.call) == ("update_city", 5, "city.save()")


def test_a_save_with_update_fields_of_a_row_passed_in_or_looked_up_is_found():
    source = """
def end_role(*, actor, role):
    role.ends_on = today()
    role.save(update_fields=["ends_on"])

def close(*, actor, pk):
    vote = Vote.objects.get(pk=pk)
    vote.save()

def clear(*, actor, report):
    for membership in report.memberships():
        membership.save(update_fields=["report_overdue_since"])
"""
    found = find_full_saves(source, "members/services.py")[0]
    assert [f.function for f in found] == ["end_role", "close", "clear"]


def test_a_row_built_or_created_in_the_function_may_be_saved():
    source = """
def create_city(*, actor, name):
    city = City(name=name)
    city.full_clean()
    city.save()

def add_seat(*, actor, coalition):
    seat: CommitteeSeat = models.CommitteeSeat(coalition=coalition)
    seat.save()

def record(*, actor):
    row = Check.objects.create(item="x")
    row.save()
"""
    assert find_full_saves(source, "governance/services/seats.py") == ([], set())


def test_a_name_also_bound_to_an_existing_row_is_not_a_new_row():
    source = """
def tick(*, actor, application, record):
    record = record or ApplicationCheck(application=application)
    record.save()

def rebuild(*, actor, pk):
    city = City(name="x")
    city = City.objects.get(pk=pk)
    city.save()
"""
    found = find_full_saves(source, "governance/services/application_checks.py")[0]
    assert [f.function for f in found] == ["tick", "rebuild"]


def test_file_and_storage_writes_are_not_row_saves():
    source = """
def store(*, actor, proxy, upload, field):
    proxy.form.save("form.pdf", upload, save=False)
    name = field.storage.save("x.pdf", upload)
    storage.save("y.pdf", upload)
"""
    assert find_full_saves(source, "governance/services/proxies.py") == ([], set())


def test_only_model_update_itself_saves_an_existing_row_and_allow_excuses_by_function():
    helper = """
def model_update(instance, *, fields, actor):
    instance.save(update_fields=list(fields))
"""
    assert find_full_saves(helper, "coalition/services.py") == ([], set())
    assert len(find_full_saves(helper, "members/services.py")[0]) == 1
    allow = {("members/seed.py", "update_city"): "seeding"}
    assert find_full_saves(UPDATE_SERVICE, "members/seed.py", allow) == (
        [],
        {("members/seed.py", "update_city")},
    )
    assert len(find_full_saves(UPDATE_SERVICE, "members/services.py", allow)[0]) == 1
