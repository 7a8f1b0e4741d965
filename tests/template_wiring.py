"""Proves the wiring of template.yaml (API stack) and auth/template.yaml (auth stack).

Run inside the project's venv:  .venv/bin/python -m pytest tests/template_wiring.py

Each check is a plain function that raises AssertionError when the wiring is broken. The
``test_*`` functions run the checks on the real templates; ``test_check_catches_*`` run them on
deliberately broken copies and require them to fail, so no check can pass vacuously.

Intrinsics are evaluated the way CloudFormation would with the parameters' defaults:
``Ref`` to a parameter gives its default, ``Ref``/``GetAtt`` to a resource give a symbolic
``<Ref:Name>`` / ``<GetAtt:Name.Attr>``, and ``Fn::Sub`` substitutes both.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any, Callable

import pytest
from cfnlint.decode import decode

ROOT = Path(__file__).resolve().parent.parent
API_TEMPLATE = ROOT / "template.yaml"
AUTH_TEMPLATE = ROOT / "auth" / "template.yaml"

# The auth stack's documented default name: the API stack's SSM defaults must use it.
AUTH_STACK_NAME = "cognito-auth"
AUTHORIZER = "AuthorizerFunction"
# Environment the authorizer reads: one of the pool settings, and both of the others.
POOL_VARS = ("USER_POOL_ID", "USER_POOL_ARN")
REQUIRED_VARS = ("CLIENT_IDS", "ROUTE_SCOPES")

Template = dict[str, Any]


def load(path: Path) -> Template:
    """Decodes a template with cfn-lint's YAML loader (short-form tags become Fn:: dicts)."""
    template, matches = decode(str(path))
    assert not matches, f"{path}: {matches}"
    assert template is not None, path
    # Plain dicts/strings (cfn-lint's node types subclass them) so copies are cheap and exact.
    return json.loads(json.dumps(template))


@pytest.fixture(scope="module")
def api() -> Template:
    return load(API_TEMPLATE)


@pytest.fixture(scope="module")
def auth() -> Template:
    return load(AUTH_TEMPLATE)


# ---- a small evaluator for the intrinsics these templates use ---------------------------------


def evaluate(template: Template, value: Any, pseudo: dict[str, str] | None = None) -> Any:
    """Evaluates Ref / Fn::GetAtt / Fn::Sub with parameter defaults and the given pseudo params."""
    pseudo = pseudo or {}
    params = template.get("Parameters", {})
    resources = template.get("Resources", {})

    def lookup(name: str) -> str:
        if name in pseudo:
            return pseudo[name]
        if name in params:
            assert "Default" in params[name], f"parameter {name} has no default"
            return str(params[name]["Default"])
        if "." in name and name.split(".", 1)[0] in resources:
            return f"<GetAtt:{name}>"
        if name in resources:
            return f"<Ref:{name}>"
        raise AssertionError(f"unresolvable reference ${{{name}}}")

    if isinstance(value, dict) and len(value) == 1:
        (key, arg), = value.items()
        if key == "Ref":
            return lookup(arg)
        if key == "Fn::GetAtt":
            target = arg if isinstance(arg, str) else ".".join(arg)
            return f"<GetAtt:{target}>"
        if key == "Fn::Sub":
            text, extra = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])
            local = {k: str(evaluate(template, v, pseudo)) for k, v in extra.items()}

            def repl(m: re.Match[str]) -> str:
                name = m.group(1)
                return local[name] if name in local else lookup(name)

            return re.sub(r"\$\{(?!!)([^}]+)\}", repl, text)
    if isinstance(value, list):
        return [evaluate(template, v, pseudo) for v in value]
    return value


def resources_of(template: Template, type_: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template.get("Resources", {}).items() if v.get("Type") == type_}


def function_env(template: Template, name: str) -> dict[str, Any]:
    """A function's environment variables, Globals.Function merged under its own."""
    merged: dict[str, Any] = {}
    globals_env = template.get("Globals", {}).get("Function", {}).get("Environment", {})
    merged.update(globals_env.get("Variables", {}))
    fn = template["Resources"][name]["Properties"]
    merged.update(fn.get("Environment", {}).get("Variables", {}))
    return merged


def resource_server_scopes(template: Template) -> set[str]:
    """Every "identifier/scope" the API stack's resource servers define."""
    scopes: set[str] = set()
    for server in resources_of(template, "AWS::Cognito::UserPoolResourceServer").values():
        props = server["Properties"]
        identifier = evaluate(template, props["Identifier"])
        for scope in props.get("Scopes", []):
            scopes.add(f"{identifier}/{evaluate(template, scope['ScopeName'])}")
    assert scopes, "no resource server scopes"
    return scopes


def route_scopes(template: Template) -> dict[str, set[str]]:
    """ROUTE_SCOPES evaluated and parsed: route -> every scope its requirement names."""
    raw = evaluate(template, function_env(template, AUTHORIZER)["ROUTE_SCOPES"])
    parsed = json.loads(raw)
    assert isinstance(parsed, dict) and parsed, f"ROUTE_SCOPES is not a non-empty object: {raw}"
    routes: dict[str, set[str]] = {}
    for route, requirement in parsed.items():
        if isinstance(requirement, str):
            names = requirement.split()
        elif isinstance(requirement, list):
            names = list(requirement)
        elif isinstance(requirement, dict):
            names = list(requirement.get("anyScopes", [])) + list(requirement.get("allScopes", []))
        else:
            raise AssertionError(f"{route}: unsupported requirement {requirement!r}")
        routes[route] = set(names)
    return routes


def api_routes(template: Template) -> set[str]:
    """Every "METHOD /path" served by an Api event of any function."""
    routes: set[str] = set()
    for fn in resources_of(template, "AWS::Serverless::Function").values():
        for event in fn.get("Properties", {}).get("Events", {}).values():
            if event.get("Type") == "Api":
                props = event["Properties"]
                routes.add(f"{props['Method'].upper()} {props['Path']}")
    assert routes, "no Api routes"
    return routes


# ---- the checks ----------------------------------------------------------------------------------


def check_authorizer_env(template: Template) -> None:
    env = function_env(template, AUTHORIZER)
    pool = [v for v in POOL_VARS if env.get(v)]
    assert pool, f"{AUTHORIZER} sets none of {POOL_VARS}"
    for var in REQUIRED_VARS:
        assert env.get(var), f"{AUTHORIZER} does not set {var}"
    # The pool setting comes from the auth stack's SSM-backed parameter, not a literal.
    params = template.get("Parameters", {})
    for var in pool:
        ref = env[var].get("Ref") if isinstance(env[var], dict) else None
        assert ref in params, f"{var} must !Ref a parameter, got {env[var]!r}"
        assert params[ref]["Type"] == "AWS::SSM::Parameter::Value<String>", f"{var}: {ref}"
    # CLIENT_IDS names the stack's own app client.
    clients = resources_of(template, "AWS::Cognito::UserPoolClient")
    client_ids = evaluate(template, env["CLIENT_IDS"])
    named = {c for c in clients if f"<Ref:{c}>" in client_ids.split(",")}
    assert named, f"CLIENT_IDS={client_ids!r} names none of the app clients {sorted(clients)}"


def check_route_scopes_exist(template: Template) -> None:
    defined = resource_server_scopes(template)
    for route, scopes in route_scopes(template).items():
        assert scopes, f"ROUTE_SCOPES[{route!r}] names no scope"
        missing = scopes - defined
        assert not missing, f"ROUTE_SCOPES[{route!r}] uses undefined scopes {sorted(missing)}"


def check_client_scopes_exist(template: Template) -> None:
    defined = resource_server_scopes(template)
    servers = resources_of(template, "AWS::Cognito::UserPoolResourceServer")
    clients = resources_of(template, "AWS::Cognito::UserPoolClient")
    assert clients, "no app client"
    for name, client in clients.items():
        props = client["Properties"]
        allowed = set(evaluate(template, props.get("AllowedOAuthScopes", [])))
        assert allowed, f"{name} allows no scope"
        missing = allowed - defined
        assert not missing, f"{name} allows undefined scopes {sorted(missing)}"
        depends = client.get("DependsOn", [])
        depends = [depends] if isinstance(depends, str) else depends
        assert set(servers) <= set(depends), f"{name} must DependsOn {sorted(servers)}"
        assert props.get("AllowedOAuthFlows") == ["client_credentials"], name
        assert props.get("AllowedOAuthFlowsUserPoolClient") is True, name
        assert props.get("GenerateSecret") is True, name
    # Every route's scopes are grantable to some client (else the route is unreachable).
    grantable = set().union(
        *(set(evaluate(template, c["Properties"]["AllowedOAuthScopes"])) for c in clients.values())
    )
    for route, scopes in route_scopes(template).items():
        assert scopes & grantable, f"no client may obtain a scope for {route}"


def check_routes_covered(template: Template) -> None:
    covered = set(route_scopes(template))
    for route in api_routes(template):
        method, path = route.split(" ", 1)
        assert route in covered or f"ANY {path}" in covered, f"{route} is not in ROUTE_SCOPES"


def check_ssm_names_match(api_template: Template, auth_template: Template) -> None:
    published: dict[str, str] = {}
    for param in resources_of(auth_template, "AWS::SSM::Parameter").values():
        props = param["Properties"]
        name = evaluate(auth_template, props["Name"], {"AWS::StackName": AUTH_STACK_NAME})
        published[name] = evaluate(auth_template, props["Value"])
    pools = resources_of(auth_template, "AWS::Cognito::UserPool")
    assert len(pools) == 1, f"auth stack must define one user pool, has {sorted(pools)}"
    (pool,) = pools
    expected_value = {"CognitoUserPoolId": f"<Ref:{pool}>", "CognitoUserPoolArn": f"<GetAtt:{pool}.Arn>"}
    params = api_template.get("Parameters", {})
    for param_name, value in expected_value.items():
        param = params.get(param_name)
        assert param, f"API stack lacks parameter {param_name}"
        assert param["Type"] == "AWS::SSM::Parameter::Value<String>", param_name
        default = param.get("Default")
        assert default in published, (
            f"{param_name} default {default!r} is not an SSM parameter the auth stack "
            f"({AUTH_STACK_NAME}) creates: {sorted(published)}"
        )
        assert published[default] == value, (
            f"{default} holds {published[default]!r}, but {param_name} expects {value!r}"
        )


# ---- the real templates --------------------------------------------------------------------------


def test_authorizer_environment_is_complete(api: Template) -> None:
    check_authorizer_env(api)


def test_route_scopes_exist_on_resource_server(api: Template) -> None:
    check_route_scopes_exist(api)
    # The documented defaults, spelled out: GET needs read, POST needs write.
    assert route_scopes(api) == {"GET /echo": {"echo-api/read"}, "POST /echo": {"echo-api/write"}}


def test_client_scopes_exist_on_resource_server(api: Template) -> None:
    check_client_scopes_exist(api)


def test_every_api_route_is_covered(api: Template) -> None:
    check_routes_covered(api)
    assert api_routes(api) == {"GET /echo", "POST /echo"}


def test_ssm_parameter_names_match_auth_stack(api: Template, auth: Template) -> None:
    check_ssm_names_match(api, auth)


# ---- the checks fail on broken wiring ------------------------------------------------------------


def _mutate(template: Template, change: Callable[[Template], None]) -> Template:
    broken = copy.deepcopy(template)
    change(broken)
    return broken


def _env(t: Template) -> dict[str, Any]:
    return t["Resources"][AUTHORIZER]["Properties"]["Environment"]["Variables"]


def _events(t: Template) -> dict[str, Any]:
    return t["Resources"]["EchoFunction"]["Properties"]["Events"]


def _client(t: Template) -> dict[str, Any]:
    return t["Resources"]["AppClient"]


API_BREAKAGES: dict[str, tuple[Callable[[Template], None], Callable[[Template], None]]] = {
    "no pool variable": (lambda t: _env(t).pop("USER_POOL_ID"), check_authorizer_env),
    "literal pool id": (lambda t: _env(t).update(USER_POOL_ID="us-east-1_Abc"), check_authorizer_env),
    "no CLIENT_IDS": (lambda t: _env(t).pop("CLIENT_IDS"), check_authorizer_env),
    "CLIENT_IDS not the app client": (
        lambda t: _env(t).update(CLIENT_IDS="someclient"),
        check_authorizer_env,
    ),
    "no ROUTE_SCOPES": (lambda t: _env(t).pop("ROUTE_SCOPES"), check_authorizer_env),
    "route scope typo": (
        lambda t: _env(t).update(
            ROUTE_SCOPES={"Fn::Sub": '{"GET /echo": "${ResourceServerIdentifier}/raed", '
                                      '"POST /echo": "${ResourceServerIdentifier}/${WriteScopeName}"}'}
        ),
        check_route_scopes_exist,
    ),
    "scope removed from resource server": (
        lambda t: t["Resources"]["EchoResourceServer"]["Properties"]["Scopes"].pop(1),
        check_route_scopes_exist,
    ),
    "resource server identifier changed": (
        lambda t: t["Resources"]["EchoResourceServer"]["Properties"].update(Identifier="other-api"),
        check_route_scopes_exist,
    ),
    "client allows undefined scope": (
        lambda t: _client(t)["Properties"]["AllowedOAuthScopes"].append("echo-api/admin"),
        check_client_scopes_exist,
    ),
    "client lacks DependsOn": (lambda t: _client(t).pop("DependsOn"), check_client_scopes_exist),
    "client cannot get write scope": (
        lambda t: _client(t)["Properties"]["AllowedOAuthScopes"].pop(1),
        check_client_scopes_exist,
    ),
    "uncovered route": (
        lambda t: _events(t).update(
            DeleteEcho={"Type": "Api", "Properties": {"RestApiId": {"Ref": "EchoApi"},
                                                      "Path": "/echo", "Method": "delete"}}
        ),
        check_routes_covered,
    ),
    "route path changed": (
        lambda t: _events(t)["GetEcho"]["Properties"].update(Path="/echo/{id}"),
        check_routes_covered,
    ),
}


@pytest.mark.parametrize("breakage", sorted(API_BREAKAGES))
def test_check_catches_broken_api_wiring(api: Template, breakage: str) -> None:
    change, check = API_BREAKAGES[breakage]
    broken = _mutate(api, change)
    with pytest.raises(AssertionError):
        check(broken)


@pytest.mark.parametrize(
    "side, change",
    [
        ("api", lambda t: t["Parameters"]["CognitoUserPoolId"].update(Default="/andmoredev-auth/CognitoUserPoolId")),
        ("api", lambda t: t["Parameters"]["CognitoUserPoolArn"].update(Default="/cognito-auth/CognitoUserPoolId")),
        ("api", lambda t: t["Parameters"]["CognitoUserPoolArn"].update(Type="String")),
        ("auth", lambda t: t["Resources"]["CognitoUserPoolIdParameter"]["Properties"].update(Name="/shared/PoolId")),
        ("auth", lambda t: t["Resources"]["CognitoUserPoolArnParameter"]["Properties"].update(
            Value={"Ref": "CognitoUserPool"})),
    ],
    ids=["api-default-other-stack", "api-arn-reads-id", "api-not-ssm-type", "auth-renamed", "auth-arn-holds-id"],
)
def test_check_catches_broken_ssm_wiring(api: Template, auth: Template, side: str, change: Callable) -> None:
    if side == "api":
        api = _mutate(api, change)
    else:
        auth = _mutate(auth, change)
    with pytest.raises(AssertionError):
        check_ssm_names_match(api, auth)
