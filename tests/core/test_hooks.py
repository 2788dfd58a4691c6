"""The plugin contract: every hook is tested, and plugins see the arguments documented."""

import ast
import functools
import inspect
from pathlib import Path

import click
import pytest

from tremplin import hookimpl, hookkinds, hookspecs
from tremplin.people.holds import Hold
from tremplin.pluginmanager import Hooks, PluginError, collect, make_plugin_manager, plugin_of
from tremplin.privacy import ProcessingActivity
from tremplin.web.navigation import Panel

TESTS = Path(__file__).resolve().parent.parent
CORE = TESTS.parent / "core"


def hook_names():
    return sorted(
        name
        for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
        if hasattr(function, "tremplin_spec")
    )


@functools.cache
def hook_test_names() -> frozenset[str]:
    """The names of the tests of hooks (every test file parsed once per run)."""
    return frozenset(
        {
            node.name
            for path in TESTS.rglob("test_*.py")
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_hook_")
        }
    )


@pytest.mark.parametrize("hook", hook_names())
def test_every_hook_has_a_test(hook):
    assert any(name.startswith(f"test_hook_{hook}") for name in hook_test_names()), (
        f"write a test named test_hook_{hook}_... that shows what a plugin implementing it gets"
    )


@functools.cache
def hooks_called_by(folder: Path) -> frozenset[str]:
    """Names of the hooks the code under ``folder`` calls.

    A call is ``hooks().NAME(...)``, ``Hooks(manager).NAME(...)``, ``hooks.NAME(...)`` or
    ``...answers("NAME", ...)``.
    """

    def is_hooks(node: ast.expr) -> bool:
        if isinstance(node, ast.Name):
            return node.id == "hooks"
        if isinstance(node, ast.Call):
            function = node.func
            name = function.id if isinstance(function, ast.Name) else getattr(function, "attr", "")
            return name in {"hooks", "Hooks"}
        return False

    called = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            if node.func.attr == "answers" and node.args and isinstance(node.args[0], ast.Constant):
                called.add(node.args[0].value)
            elif is_hooks(node.func.value):
                called.add(node.func.attr)
    return frozenset(called)


def test_the_core_calls_hooks_the_way_the_meta_test_sees_them():
    # Guards the test below against passing on an empty set.
    assert {"menu_links", "intervention_changed", "ambassador_holds"} <= hooks_called_by(CORE)


@pytest.mark.parametrize("hook", hook_names())
def test_every_hook_has_a_caller_in_the_core(hook):
    assert hook in hooks_called_by(CORE), (
        f"nothing in core/ calls {hook}: a hook nobody calls is a promise the core breaks"
    )


def test_every_hook_has_a_docstring():
    for name in hook_names():
        assert inspect.getdoc(getattr(hookspecs, name)), name


def test_the_core_plugins_implement_only_known_hooks():
    make_plugin_manager([]).check_pending()


def test_an_implementation_may_take_fewer_arguments_than_the_specification():
    class Lazy:
        @hookimpl
        def key_figures(self):
            return [("Forums", 3)]

    manager = make_plugin_manager([], extra=[Lazy()])
    assert collect(manager.hook.key_figures, period=None, territory=None) == [("Forums", 3)]


def test_collect_flattens_answers_in_registration_order():
    def answering(label):
        class Plugin:
            name = label

            @hookimpl
            def processing_activities(self):
                return [label]

        return Plugin()

    manager = make_plugin_manager([], extra=[answering("first"), answering("second")])
    # The core's own rows come first, then the plugins in registration order.
    assert collect(manager.hook.processing_activities)[-2:] == ["first", "second"]


def test_hook_processing_activities_fills_the_public_register(make_app):
    class Register:
        name = "register"

        @hookimpl
        def processing_activities(self):
            return [
                ProcessingActivity(
                    name="Vérification du casier judiciaire",
                    purpose="Protéger les mineurs",
                    legal_basis="Intérêt légitime",
                    data="Date de vérification, vérificateur",
                    retention="3 ans",
                )
            ]

    client = make_app(extra_plugins=[Register()]).test_client()
    assert "Vérification du casier judiciaire" in client.get("/donnees-personnelles").text
    rows = client.get("/api/v1/privacy/processing-activities").json
    assert rows[-1:] == [
        {
            "name": "Vérification du casier judiciaire",
            "purpose": "Protéger les mineurs",
            "legal_basis": "Intérêt légitime",
            "data": "Date de vérification, vérificateur",
            "retention": "3 ans",
        }
    ]


# These tests pin the contract a plugin author relies on: the documented argument names are
# passed, answers are collected in order. The core's own implementations are left out (they
# need real rows); each hook's behaviour is tested with its caller.


def contract_answer(hook, arguments, answer):
    """What ``collect`` gathers when one plugin implements ``hook`` with ``arguments``."""
    received = {}

    def implementation(**kwargs):
        received.update(kwargs)
        return answer

    signature = ", ".join(arguments)
    namespace = {"hookimpl": hookimpl, "implementation": implementation}
    exec(
        f"class Plugin:\n    @hookimpl\n    def {hook}(self, {signature}):\n"
        f"        return implementation({', '.join(f'{a}={a}' for a in arguments)})\n",
        namespace,
    )
    plugin = namespace["Plugin"]()
    manager = make_plugin_manager([], extra=[plugin])
    others = [other for other in manager.get_plugins() if other is not plugin]
    caller = manager.subset_hook_caller(hook, remove_plugins=others)
    values = {argument: object() for argument in arguments}
    return collect(caller, **values), received, values


# The core calls the batch form only; ``ambassador`` is the deprecated first form's argument.
@pytest.mark.filterwarnings("ignore:Argument\\(s\\) 'ambassador':UserWarning")
def test_hook_ambassador_holds_contract():
    answer = {7: [Hold("unsigned", "Charte à signer")]}
    collected, received, values = contract_answer("ambassador_holds", ["ambassadors"], answer)
    assert received == values
    assert collected == [answer]


def test_hook_validate_intervention_contract():
    errors = {"duration": ["A class talk lasts 45 minutes at most."]}
    collected, received, values = contract_answer("validate_intervention", ["intervention"], errors)
    assert received == values
    assert collected == [errors]


def test_hook_intervention_changed_contract():
    arguments = ["intervention", "old_status", "new_status"]
    _, received, values = contract_answer("intervention_changed", arguments, None)
    assert received == values


def test_hook_key_figures_contract():
    collected, received, values = contract_answer(
        "key_figures", ["period", "territory"], [("Forums", 3)]
    )
    assert received == values
    assert collected == [("Forums", 3)]


def test_hook_personal_data_contract():
    collected, received, values = contract_answer("personal_data", ["person"], {"Charte": {}})
    assert received == values
    assert collected == [{"Charte": {}}]


def test_hook_dashboard_panels_are_shown_on_the_signed_in_dashboard(make_app, fast_passwords):
    from markupsafe import Markup

    from tremplin.auth import service as accounts
    from tremplin.auth.models import AccountStatus
    from tremplin.testing import sign_in

    seen = []

    class Charter:
        name = "charter-panel"

        @hookimpl
        def dashboard_panels(self, user):
            seen.append(user.email)
            return [
                Panel(title="Charte", html=Markup("<p>À signer avant le %s</p>") % "<1er mars>")
            ]

    app = make_app(extra_plugins=[Charter()])
    with app.app_context():
        account = accounts.create_account(
            "lea@example.org",
            "Léa",
            "Martin",
            password="a long password",
            status=AccountStatus.ACTIVE,
        )
    client = app.test_client()
    assert client.get("/tableau-de-bord").status_code == 302
    sign_in(client, account.email, "a long password")
    page = client.get("/tableau-de-bord").text
    assert "Charte</h2>" in page
    assert "<p>À signer avant le &lt;1er mars&gt;</p>" in page
    assert seen == ["lea@example.org"]


def test_hook_load_region_data_runs_in_registration_order(tmp_path):
    from types import SimpleNamespace

    calls = []

    def loader(label):
        class Plugin:
            name = label

            @hookimpl
            def load_region_data(self, region):
                calls.append(label)
                return label

        return Plugin()

    hooks = Hooks(make_plugin_manager([], extra=[loader("first"), loader("second")]))
    answers = hooks.load_region_data(region=SimpleNamespace(path=tmp_path))
    # A plugin's rows may name the core's (organisations name territories): the core's areas
    # load first, then the plugins in the region's order.
    assert answers[-2:] == ["first", "second"]
    assert calls == ["first", "second"]


def test_hook_command_finished_follows_every_command(make_app, run_cli):
    finished = []

    class Watcher:
        name = "watcher"

        @hookimpl
        def command_finished(self, command):
            finished.append(command)

    app = make_app(extra_plugins=[Watcher()])
    assert run_cli(app, "db", "status").exit_code == 0
    assert run_cli(app, "import", "nothing", "missing.csv").exit_code == 2
    assert finished == ["db", "import"]


def test_a_hook_is_called_as_its_kind_says():
    class Plugin:
        name = "kinds"

        @hookimpl
        def processing_activities(self):
            return ["a row"]

        @hookimpl
        def register_commands(self, cli):
            cli.add_command(click.Command("kinds"))
            return "ignored"

    hooks = Hooks(make_plugin_manager([], extra=[Plugin()]))
    assert hooks.processing_activities()[-1] == "a row"  # collect: gathered
    group = click.Group()
    assert hooks.register_commands(cli=group) is None  # call: for its effect
    assert "kinds" in group.commands


def test_the_kind_of_every_hook_is_stated_by_its_marker():
    kinds = {name: hookkinds.kind_of(getattr(hookspecs, name)) for name in hook_names()}
    assert set(kinds.values()) <= set(hookkinds.HookKind)
    assert kinds["load_region_data"] is hookkinds.HookKind.COLLECT
    assert kinds["intervention_changed"] is hookkinds.HookKind.CALL


def test_answers_name_the_plugin_of_each_answer_in_registration_order():
    def answering(label):
        class Plugin:
            name = label

            @hookimpl
            def processing_activities(self):
                return [label]

        return Plugin()

    hooks = Hooks(make_plugin_manager([], extra=[answering("first"), answering("second")]))
    answers = list(hooks.answers("processing_activities"))
    assert answers[-2:] == [("first", ["first"]), ("second", ["second"])]
    assert answers[0][0].startswith("tremplin.")


def test_an_error_in_a_hook_names_its_plugin():
    class Failing:
        name = "failing"

        @hookimpl
        def processing_activities(self):
            raise RuntimeError("the register is away")

    hooks = Hooks(make_plugin_manager([], extra=[Failing()]))
    with pytest.raises(RuntimeError, match="the register is away") as raised:
        hooks.processing_activities()
    assert plugin_of(raised.value) == "failing"
    assert "in the processing_activities hook of the plugin 'failing'" in raised.value.__notes__


def test_a_wrapper_or_tryfirst_implementation_is_refused_naming_the_plugin():
    class Pushy:
        name = "pushy"

        @hookimpl(tryfirst=True)
        def processing_activities(self):
            return []

    with pytest.raises(PluginError, match=r"'pushy'.*tryfirst"):
        make_plugin_manager([], extra=[Pushy()])


def test_an_installed_plugins_module_given_directly_gets_its_entry_point_name():
    from tremplin.plugins.charter import hooks as charter_hooks

    manager = make_plugin_manager([], extra=[charter_hooks])
    assert manager.get_name(charter_hooks) == "charter"


def test_the_register_declares_the_cores_own_processing_of_personal_data(client):
    rows = client.get("/api/v1/privacy/processing-activities").json
    assert len(rows) >= 2
    for row in rows:
        assert all(row[key] for key in ("name", "purpose", "legal_basis", "data", "retention"))
    page = client.get("/donnees-personnelles").text
    assert "Comptes utilisateurs" in page
    assert "Annuaire des ambassadeurs" in page
