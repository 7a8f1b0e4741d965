"""Proves the wiring of template.yaml (API stack), auth/template.yaml (auth stack) and
examples/http-api/template.yaml (the echo behind an HTTP API).

Run inside the project's venv:  .venv/bin/python -m pytest tests/template_wiring.py

Each check is a plain function that raises AssertionError when the wiring is broken. The
``test_*`` functions run the checks on the real templates; ``test_check_catches_*`` run them on
deliberately broken copies and require them to fail, so no check can pass vacuously.

Intrinsics are evaluated the way CloudFormation would with the parameters' defaults (or given
values): ``Ref`` to a parameter gives its value (a list for ``CommaDelimitedList``), ``Ref`` to a
user pool group gives its name, other ``Ref``/``GetAtt`` to a resource give a symbolic
``<Ref:Name>`` / ``<GetAtt:Name.Attr>``; ``Fn::Sub``, ``Fn::If``, ``Fn::Select`` and the
condition functions are evaluated. The OpenAPI document SAM generates (for the preflight and
authorizer checks) comes from the SAM translator itself (samtranslator, installed with the SAM CLI).
"""

from __future__ import annotations

import copy
import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest
from cfnlint.decode import decode

ROOT = Path(__file__).resolve().parent.parent
API_TEMPLATE = ROOT / "template.yaml"
AUTH_TEMPLATE = ROOT / "auth" / "template.yaml"
HTTP_API_TEMPLATE = ROOT / "examples" / "http-api" / "template.yaml"
ENV_JSON = ROOT / "events" / "env.json"
APP_JS = ROOT / "app" / "app.js"
APP_CONFIG_EXAMPLE = ROOT / "app" / "config.example.json"

# The auth stack's documented default name: the API stack's SSM defaults must use it.
AUTH_STACK_NAME = "cognito-auth"
AUTHORIZER = "AuthorizerFunction"
ECHO = "EchoFunction"
API = "EchoApi"
HTTP_API = "EchoHttpApi"
MACHINE_CLIENT = "AppClient"
PEOPLE_CLIENT = "PeopleClient"
ORIGIN_PARAMETER = "AllowedOrigin"
# Environment the authorizer reads: one of the pool settings, and both of the others.
POOL_VARS = ("USER_POOL_ID", "USER_POOL_ARN")
REQUIRED_VARS = ("CLIENT_IDS", "ROUTE_SCOPES")
# Scopes Cognito defines itself (not on a resource server).
STANDARD_SCOPES = {"openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"}
# The scope every SRP or password sign-in puts in a person's access token.
SIGNIN_SCOPE = "aws.cognito.signin.user.admin"
# API Gateway's own answers a browser app must be able to read.
REQUIRED_GATEWAY_RESPONSES = {"UNAUTHORIZED", "ACCESS_DENIED", "DEFAULT_4XX", "DEFAULT_5XX"}
# The people client's sign-in flows: SRP and refresh always, password only when asked for.
PEOPLE_FLOWS = {"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
PASSWORD_FLOW = "ALLOW_USER_PASSWORD_AUTH"
# The authorizer's decision metrics (EMF) and the Lambda errors each outcome ends in on a REST API.
DECISIONS = ("Allowed", "Denied", "Unauthorized", "InfrastructureError", "InvalidEvent")
ERROR_DECISIONS = ("Unauthorized", "InfrastructureError", "InvalidEvent")
# Account-level API Gateway throttling defaults: the stage's must stay below them.
ACCOUNT_RATE, ACCOUNT_BURST = 10000, 5000
# Access-log fields an operator needs to tell authorizer failures from gateway errors.
ACCESS_LOG_FIELDS = (
    "$context.requestId", "$context.status", "$context.authorizer.status",
    "$context.authorizer.latency", "$context.authorizer.error", "$context.authorizer.principalId",
    "$context.error.responseType", "$context.error.messageString", "$context.integration.latency",
)

Template = dict[str, Any]
Params = dict[str, Any]


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


@pytest.fixture(scope="module")
def http_api() -> Template:
    return load(HTTP_API_TEMPLATE)


# ---- a small evaluator for the intrinsics these templates use ---------------------------------


def parameter_value(template: Template, name: str, given: Params | None = None) -> Any:
    """A parameter's value: the given one, else its default; a list for CommaDelimitedList."""
    param = template.get("Parameters", {})[name]
    if given and name in given:
        value = given[name]
    else:
        assert "Default" in param, f"parameter {name} has no default"
        value = param["Default"]
    if param.get("Type") == "CommaDelimitedList" and isinstance(value, str):
        return [v.strip() for v in value.split(",")]
    return value if isinstance(value, list) else str(value)


def condition(template: Template, name: str, params: Params | None = None) -> bool:
    return bool(evaluate(template, template["Conditions"][name], params=params))


# Pseudo parameters, as in a deployment of the API stack under its samconfig name.
PSEUDO = {"AWS::StackName": "echo-api", "AWS::Region": "us-east-1", "AWS::URLSuffix": "amazonaws.com",
          "AWS::AccountId": "123456789012", "AWS::Partition": "aws"}
INTRINSICS = {"Ref", "Fn::GetAtt", "Fn::Sub", "Fn::If", "Fn::Select", "Fn::Equals", "Fn::Not",
              "Fn::And", "Fn::Or", "Condition"}


def evaluate(
    template: Template, value: Any, pseudo: dict[str, str] | None = None, params: Params | None = None
) -> Any:
    """Evaluates Ref / GetAtt / Sub / If / Select / Equals / Not / And / Or / Condition, in
    lists and objects too."""
    pseudo = {**PSEUDO, **(pseudo or {})}
    resources = template.get("Resources", {})

    def again(v: Any) -> Any:
        return evaluate(template, v, pseudo, params)

    def lookup(name: str) -> Any:
        if name in pseudo:
            return pseudo[name]
        if name in template.get("Parameters", {}):
            return parameter_value(template, name, params)
        if "." in name and name.split(".", 1)[0] in resources:
            return f"<GetAtt:{name}>"
        if name in resources:
            resource = resources[name]
            if resource.get("Type") == "AWS::Cognito::UserPoolGroup":
                return again(resource["Properties"]["GroupName"])
            return f"<Ref:{name}>"
        raise AssertionError(f"unresolvable reference ${{{name}}}")

    if isinstance(value, dict) and len(value) == 1:
        (key, arg), = value.items()
        if key == "Ref":
            # AWS::NoValue stays a marker: the property is left out.
            return value if arg == "AWS::NoValue" else lookup(arg)
        if key == "Fn::GetAtt":
            target = arg if isinstance(arg, str) else ".".join(arg)
            return f"<GetAtt:{target}>"
        if key == "Fn::Sub":
            text, extra = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])
            local = {k: str(again(v)) for k, v in extra.items()}

            def repl(m: re.Match[str]) -> str:
                name = m.group(1)
                return local[name] if name in local else str(lookup(name))

            return re.sub(r"\$\{(?!!)([^}]+)\}", repl, text)
        if key == "Fn::If":
            name, when_true, when_false = arg
            return again(when_true if condition(template, name, params) else when_false)
        if key == "Fn::Select":
            index, items = arg
            return again(items)[int(again(index))]
        if key == "Fn::Equals":
            return again(arg[0]) == again(arg[1])
        if key == "Fn::Not":
            return not again(arg[0])
        if key == "Fn::And":
            return all(again(a) for a in arg)
        if key == "Fn::Or":
            return any(again(a) for a in arg)
        if key == "Condition":
            return condition(template, arg, params)
    if isinstance(value, list):
        return [again(v) for v in value]
    if isinstance(value, dict) and not (len(value) == 1 and next(iter(value)) in INTRINSICS):
        return {k: again(v) for k, v in value.items()}
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


def pool_groups(template: Template, params: Params | None = None) -> set[str]:
    """Names of the user pool groups the stack creates, in the pool the authorizer trusts."""
    pool = function_env(template, AUTHORIZER).get("USER_POOL_ID")
    names: set[str] = set()
    for name, group in resources_of(template, "AWS::Cognito::UserPoolGroup").items():
        props = group["Properties"]
        assert props.get("UserPoolId") == pool, f"{name} is not in the authorizer's pool"
        names.add(evaluate(template, props["GroupName"], params=params))
    return names


def client_scopes(template: Template, name: str) -> set[str]:
    props = template["Resources"][name]["Properties"]
    return set(evaluate(template, props.get("AllowedOAuthScopes", [])))


# ---- ROUTE_SCOPES, as the authorizer reads it ----------------------------------------------------

RULE_KEYS = ("anyScopes", "allScopes", "anyGroups", "allGroups")


@dataclass(frozen=True)
class Rule:
    """One alternative of a route: every non-empty list must be satisfied (they are ANDed)."""

    any_scopes: frozenset[str] = frozenset()
    all_scopes: frozenset[str] = frozenset()
    any_groups: frozenset[str] = frozenset()
    all_groups: frozenset[str] = frozenset()

    def admits(self, scopes: set[str], groups: set[str]) -> bool:
        return (
            (not self.any_scopes or bool(self.any_scopes & scopes))
            and self.all_scopes <= scopes
            and (not self.any_groups or bool(self.any_groups & groups))
            and self.all_groups <= groups
        )

    @property
    def scopes(self) -> frozenset[str]:
        return self.any_scopes | self.all_scopes

    @property
    def groups(self) -> frozenset[str]:
        return self.any_groups | self.all_groups


def names(route: str, value: Any, key: str) -> frozenset[str]:
    assert isinstance(value, list) and value, f"{route}: {key} must be a non-empty list"
    for name in value:
        assert isinstance(name, str) and name and not any(c.isspace() for c in name), (
            f"{route}: {key} holds {name!r}"
        )
    return frozenset(value)


def rule_object(route: str, value: dict[str, Any], in_array: bool) -> Rule:
    unknown = set(value) - set(RULE_KEYS)
    assert not unknown, f"{route}: unknown rule keys {sorted(unknown)}"
    assert value or not in_array, f"{route}: an empty rule inside alternatives admits everyone"
    snake = {"anyScopes": "any_scopes", "allScopes": "all_scopes", "anyGroups": "any_groups",
             "allGroups": "all_groups"}
    return Rule(**{snake[k]: names(route, v, k) for k, v in value.items()})


def parse_requirement(route: str, value: Any) -> list[Rule]:
    """A route's alternatives: a string is any-of space-separated scopes, an object one rule, an
    array alternatives (a string element is ONE scope, an object element a rule)."""
    if isinstance(value, str):
        return [Rule(any_scopes=names(route, value.split(), "scope string"))]
    if isinstance(value, dict):
        return [rule_object(route, value, in_array=False)]
    assert isinstance(value, list) and value, f"{route}: [] admits nobody and is refused"
    rules = []
    for element in value:
        if isinstance(element, str):
            rules.append(Rule(any_scopes=names(route, [element], "scope")))
        else:
            assert isinstance(element, dict), f"{route}: unsupported alternative {element!r}"
            rules.append(rule_object(route, element, in_array=True))
    return rules


def route_rules(template: Template, params: Params | None = None) -> dict[str, list[Rule]]:
    """ROUTE_SCOPES evaluated and parsed: route -> its alternatives."""
    raw = evaluate(template, function_env(template, AUTHORIZER)["ROUTE_SCOPES"], params=params)
    parsed = json.loads(raw)
    assert isinstance(parsed, dict) and parsed, f"ROUTE_SCOPES is not a non-empty object: {raw}"
    return {route: parse_requirement(route, value) for route, value in parsed.items()}


def allowed_routes(template: Template, scopes: set[str], groups: set[str]) -> set[str]:
    """The routes a token with these scopes and groups may call."""
    return {r for r, rules in route_rules(template).items() if any(x.admits(scopes, groups) for x in rules)}


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


# ---- what SAM generates --------------------------------------------------------------------------


def sam_transform(template: Template, params: Params | None = None) -> Template:
    """The CloudFormation template SAM generates (the real SAM translator, run offline)."""
    from samtranslator.translator.transform import transform

    class NoManagedPolicies:
        def load(self) -> dict[str, str]:
            return {}

    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    logging.getLogger("samtranslator").setLevel(logging.ERROR)
    source = copy.deepcopy(template)
    # SAM wants an S3 code location before the build; the code plays no part in the wiring.
    source.setdefault("Globals", {}).setdefault("Function", {})["CodeUri"] = "s3://bucket/code.zip"
    return transform(source, dict(params or {}), NoManagedPolicies())


def sam_openapi(template: Template) -> dict[str, Any]:
    """The OpenAPI body SAM generates for the API."""
    body = sam_transform(template)["Resources"][API]["Properties"].get("Body")
    assert body, f"SAM generated no OpenAPI body for {API}"
    return body


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
    # CLIENT_IDS names every app client of the stack (else its tokens are refused).
    clients = resources_of(template, "AWS::Cognito::UserPoolClient")
    named = set(evaluate(template, env["CLIENT_IDS"]).split(","))
    missing = {c for c in clients if f"<Ref:{c}>" not in named}
    assert clients and not missing, f"CLIENT_IDS={sorted(named)} lacks the app clients {sorted(missing)}"


def check_route_names_exist(template: Template) -> None:
    """Every scope a rule names is on the resource server; every group is created by the stack."""
    defined = resource_server_scopes(template)
    groups = pool_groups(template)
    for route, rules in route_rules(template).items():
        for rule in rules:
            missing = rule.scopes - defined
            assert not missing, f"ROUTE_SCOPES[{route!r}] uses undefined scopes {sorted(missing)}"
            missing = rule.groups - groups
            assert not missing, f"ROUTE_SCOPES[{route!r}] uses groups the stack lacks {sorted(missing)}"


def depends_on(resource: dict[str, Any]) -> set[str]:
    depends = resource.get("DependsOn", [])
    return {depends} if isinstance(depends, str) else set(depends)


def check_client_scopes_exist(template: Template) -> None:
    defined = resource_server_scopes(template)
    servers = set(resources_of(template, "AWS::Cognito::UserPoolResourceServer"))
    clients = resources_of(template, "AWS::Cognito::UserPoolClient")
    assert clients, "no app client"
    for name, client in clients.items():
        allowed = client_scopes(template, name)
        assert allowed, f"{name} allows no scope"
        missing = allowed - defined - STANDARD_SCOPES
        assert not missing, f"{name} allows undefined scopes {sorted(missing)}"
        if allowed & defined:
            # The scopes must exist before a client can be allowed them.
            assert servers <= depends_on(client), f"{name} must DependsOn {sorted(servers)}"


def check_machine_client(template: Template) -> None:
    client = template["Resources"][MACHINE_CLIENT]
    props = client["Properties"]
    assert props.get("AllowedOAuthFlows") == ["client_credentials"], f"{MACHINE_CLIENT}: flows"
    assert props.get("AllowedOAuthFlowsUserPoolClient") is True, MACHINE_CLIENT
    assert props.get("GenerateSecret") is True, f"{MACHINE_CLIENT} must have a secret"
    assert not props.get("ExplicitAuthFlows"), f"{MACHINE_CLIENT} signs in no person"
    assert client_scopes(template, MACHINE_CLIENT) <= resource_server_scopes(template)


def people_flows(template: Template, params: Params | None = None) -> set[str]:
    flows = template["Resources"][PEOPLE_CLIENT]["Properties"].get("ExplicitAuthFlows", [])
    return set(evaluate(template, flows, params=params))


def check_urls(template: Template, prop: str) -> None:
    value = template["Resources"][PEOPLE_CLIENT]["Properties"].get(prop)
    param = value.get("Ref") if isinstance(value, dict) else None
    assert param in template.get("Parameters", {}), f"{PEOPLE_CLIENT}.{prop} must !Ref a parameter"
    assert template["Parameters"][param]["Type"] == "CommaDelimitedList", param
    for url in evaluate(template, value):
        assert url.startswith("https://") or re.match(r"^http://localhost(:\d+)?/", url), (
            f"{prop} {url!r}: Cognito accepts http:// only for localhost"
        )


def check_people_client(template: Template) -> None:
    props = template["Resources"][PEOPLE_CLIENT]["Properties"]
    assert props.get("GenerateSecret") in (None, False), f"{PEOPLE_CLIENT} must be public"
    assert props.get("AllowedOAuthFlows") == ["code"], f"{PEOPLE_CLIENT}: authorization code only"
    assert props.get("AllowedOAuthFlowsUserPoolClient") is True, PEOPLE_CLIENT
    assert "openid" in client_scopes(template, PEOPLE_CLIENT), f"{PEOPLE_CLIENT} must allow openid"
    assert "COGNITO" in props.get("SupportedIdentityProviders", []), PEOPLE_CLIENT
    check_urls(template, "CallbackURLs")
    check_urls(template, "LogoutURLs")
    # SRP and refresh by default; password sign-in only when its parameter says so.
    assert people_flows(template) == PEOPLE_FLOWS, f"default flows {sorted(people_flows(template))}"
    enabled = people_flows(template, {"PeoplePasswordSignIn": "true"})
    assert enabled == PEOPLE_FLOWS | {PASSWORD_FLOW}, f"password flows {sorted(enabled)}"
    for key, unit in (("AccessToken", "minutes"), ("IdToken", "minutes"), ("RefreshToken", "days")):
        value = props.get(f"{key}Validity")
        assert isinstance(value, dict) and value.get("Ref") in template["Parameters"], (
            f"{PEOPLE_CLIENT}.{key}Validity must be a parameter"
        )
        assert props.get("TokenValidityUnits", {}).get(key) == unit, f"{key} unit"
    assert props.get("EnableTokenRevocation") is True, PEOPLE_CLIENT
    assert props.get("PreventUserExistenceErrors") == "ENABLED", PEOPLE_CLIENT


def check_people_decided_by_groups(template: Template) -> None:
    """No scope a person can obtain admits them on its own: their groups decide (a reader must
    not POST by asking the hosted UI for the write scope)."""
    person = client_scopes(template, PEOPLE_CLIENT) | {SIGNIN_SCOPE}
    for route, rules in route_rules(template).items():
        for rule in rules:
            if not rule.groups:
                assert not rule.admits(person, set()), (
                    f"{route}: a person in no group is admitted by the scopes {sorted(person)}"
                )


def check_routes_covered(template: Template) -> None:
    covered = set(route_rules(template))
    served = api_routes(template)
    for route in served:
        method, path = route.split(" ", 1)
        assert route in covered or f"ANY {path}" in covered, f"{route} is not in ROUTE_SCOPES"
    stale = {r for r in covered if r not in served and not r.startswith("ANY ")}
    assert not stale, f"ROUTE_SCOPES lists routes the API does not serve: {sorted(stale)}"


def check_routes_reachable(template: Template) -> None:
    """Each route admits someone: a machine client with its scopes, or a person in the groups."""
    person = client_scopes(template, PEOPLE_CLIENT) | {SIGNIN_SCOPE}
    # A person may be in every group the stack creates, and in no other.
    callers = [(client_scopes(template, MACHINE_CLIENT), set()), (person, pool_groups(template))]
    for route, rules in route_rules(template).items():
        assert any(r.admits(s, g) for r in rules for s, g in callers), f"nobody may call {route}"


def origin_header(template: Template) -> str:
    """The header value (single-quoted, as API Gateway wants) every CORS answer must carry."""
    return f"'{parameter_value(template, ORIGIN_PARAMETER)}'"


def check_origin_parameter(template: Template) -> None:
    param = template["Parameters"][ORIGIN_PARAMETER]
    pattern = re.compile(param["AllowedPattern"])
    assert pattern.fullmatch(str(param.get("Default", ""))), f"{ORIGIN_PARAMETER} default"
    for bad in ("*", "null", "https://*.example.com", "https://a.example.com,https://b.example.com",
                "https://app.example.com/", "app.example.com", ""):
        assert not pattern.fullmatch(bad), f"{ORIGIN_PARAMETER} accepts {bad!r}"
    for good in ("https://app.example.com", "http://localhost:3001", "https://a-b.example.org:8443"):
        assert pattern.fullmatch(good), f"{ORIGIN_PARAMETER} refuses {good!r}"


def check_cors(template: Template) -> None:
    """One origin everywhere: the preflight, every gateway response, the echo's answers."""
    props = template["Resources"][API]["Properties"]
    expected = origin_header(template)
    cors = props.get("Cors")
    assert isinstance(cors, dict), f"{API} has no Cors settings"
    assert evaluate(template, cors.get("AllowOrigin")) == expected, "Cors.AllowOrigin"
    methods = {m.strip() for m in evaluate(template, cors.get("AllowMethods", "")).strip("'").split(",")}
    needed = {r.split(" ", 1)[0] for r in api_routes(template)} | {"OPTIONS"}
    assert needed <= methods, f"Cors.AllowMethods lacks {sorted(needed - methods)}"
    allow_headers = {h.strip().lower() for h in evaluate(template, cors.get("AllowHeaders", "")).strip("'").split(",")}
    assert "authorization" in allow_headers, "Cors.AllowHeaders must allow Authorization"
    responses = props.get("GatewayResponses", {})
    missing = REQUIRED_GATEWAY_RESPONSES - set(responses)
    assert not missing, f"{API} lacks gateway responses {sorted(missing)}"
    for name, response in responses.items():
        headers = response.get("ResponseParameters", {}).get("Headers", {})
        value = evaluate(template, headers.get("Access-Control-Allow-Origin"))
        assert value == expected, f"gateway response {name}: Access-Control-Allow-Origin {value!r}"
    env = function_env(template, ECHO).get("CORS_ALLOW_ORIGIN")
    assert env == {"Ref": ORIGIN_PARAMETER}, f"{ECHO} CORS_ALLOW_ORIGIN must !Ref {ORIGIN_PARAMETER}"


def check_preflight_open(template: Template) -> None:
    """In the API SAM generates: OPTIONS on every path, mock, no authorizer, the origin; every
    other method behind the authorizer."""
    props = template["Resources"][API]["Properties"]
    authorizer = props["Auth"]["DefaultAuthorizer"]
    expected = origin_header(template)
    paths = sam_openapi(template)["paths"]
    for path in {r.split(" ", 1)[1] for r in api_routes(template)}:
        operations = paths.get(path, {})
        preflight = operations.get("options")
        assert preflight, f"{path}: no OPTIONS preflight"
        assert not any(authorizer in s for s in preflight.get("security", [])), (
            f"OPTIONS {path} is behind the authorizer"
        )
        integration = preflight.get("x-amazon-apigateway-integration", {})
        assert integration.get("type") == "mock", f"OPTIONS {path} must not reach a function"
        sent = integration["responses"]["default"]["responseParameters"]
        origin = evaluate(template, sent.get("method.response.header.Access-Control-Allow-Origin"))
        assert origin == expected, f"OPTIONS {path} answers origin {origin!r}"
        for method, operation in operations.items():
            if method != "options":
                security = operation.get("security", [])
                assert any(authorizer in s for s in security), f"{method.upper()} {path} is open"


def check_env_json(template: Template) -> None:
    """events/env.json (sam local, the authorizer tests) serves the template's routes and origin."""
    env = json.loads(ENV_JSON.read_text())
    local_routes = set(json.loads(env[AUTHORIZER]["ROUTE_SCOPES"]))
    assert local_routes == set(route_rules(template)), (
        f"events/env.json routes {sorted(local_routes)} != template {sorted(route_rules(template))}"
    )
    origin = env.get(ECHO, {}).get("CORS_ALLOW_ORIGIN")
    assert origin == parameter_value(template, ORIGIN_PARAMETER), f"events/env.json origin {origin!r}"


def origin_of(url: str) -> str:
    match = re.match(r"^(https?://[^/?#]+)", url)
    assert match, f"{url!r} is not an http(s) URL"
    return match.group(1)


# Parameters without a default, as a deployment gives them (samconfig.toml's).
DEPLOYED = {"CognitoDomainPrefix": "example-prefix"}


def check_app_config(template: Template) -> None:
    """The AppConfig output is the browser app's config.json (app/): every field app.js reads and
    no other, the people client, its first callback and sign-out URLs on the allowed origin, only
    scopes the client may have, and the stage URL of ApiUrl."""
    outputs = template["Outputs"]
    config = json.loads(evaluate(template, outputs["AppConfig"]["Value"], params=DEPLOYED))
    read = set(re.findall(r"\bconfig\.(?!json\b)(\w+)", APP_JS.read_text()))
    example = set(json.loads(APP_CONFIG_EXAMPLE.read_text()))
    assert set(config) == read == example, (
        f"AppConfig {sorted(config)}, app.js reads {sorted(read)}, example {sorted(example)}"
    )
    assert config["clientId"] == f"<Ref:{PEOPLE_CLIENT}>", config["clientId"]
    props = template["Resources"][PEOPLE_CLIENT]["Properties"]
    assert config["redirectUri"] == evaluate(template, props["CallbackURLs"])[0], "redirectUri"
    assert config["logoutUri"] == evaluate(template, props["LogoutURLs"])[0], "logoutUri"
    allowed = parameter_value(template, ORIGIN_PARAMETER)
    for key in ("redirectUri", "logoutUri"):
        assert origin_of(config[key]) == allowed, f"{key} {config[key]!r} is not on {allowed}"
    assert set(config["scopes"].split()) <= client_scopes(template, PEOPLE_CLIENT), config["scopes"]
    api_url = evaluate(template, outputs["ApiUrl"]["Value"], params=DEPLOYED)
    assert f"{config['apiUrl']}/echo" == api_url, f"apiUrl {config['apiUrl']!r} vs ApiUrl {api_url!r}"
    assert evaluate(template, outputs["ApiBaseUrl"]["Value"], params=DEPLOYED) == config["apiUrl"], "ApiBaseUrl"
    domain = origin_of(evaluate(template, outputs["TokenUrl"]["Value"], params=DEPLOYED))
    for key, path in (("authorizeUrl", "/oauth2/authorize"), ("tokenUrl", "/oauth2/token"),
                      ("logoutUrl", "/logout")):
        assert config[key] == domain + path, f"{key} {config[key]!r}"


# ---- operations: metrics, alarms, tracing, throttling, access logs -------------------------------


def alarms(template: Template) -> dict[str, dict[str, Any]]:
    found = resources_of(template, "AWS::CloudWatch::Alarm")
    assert found, "no alarm"
    return found


def alarm_metrics(template: Template, alarm: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """An alarm's metrics by id (a single-metric alarm is the id "m"), each evaluated as
    {"namespace", "name", "dimensions": {name: value}}."""
    props = alarm["Properties"]
    if "Metrics" not in props:
        raw = [{"Id": "m", "MetricStat": {"Metric": {k: props.get(k) for k in
               ("Namespace", "MetricName", "Dimensions")}}}]
    else:
        raw = [m for m in props["Metrics"] if "MetricStat" in m]
    out = {}
    for m in raw:
        metric = m["MetricStat"]["Metric"]
        out[m["Id"]] = {
            "namespace": evaluate(template, metric["Namespace"]),
            "name": metric["MetricName"],
            "dimensions": {d["Name"]: evaluate(template, d["Value"]) for d in metric.get("Dimensions") or []},
        }
    return out


def alarm_value(alarm: dict[str, Any], values: dict[str, float]) -> float:
    """What the alarm compares with its threshold, for metric values by id (metric math is
    evaluated for the functions these alarms use: FILL, IF, + - * /)."""
    props = alarm["Properties"]
    if "Metrics" not in props:
        return values["m"]
    (expression,) = [m["Expression"] for m in props["Metrics"] if m.get("ReturnData")]
    assert re.fullmatch(r"[A-Za-z0-9_ ().,+\-*/<>=]+", expression), expression
    functions = {
        "FILL": lambda x, default: default if x is None else x,
        "IF": lambda cond, yes, no: yes if cond else no,
    }
    # Python evaluates both IF branches: keep divisions defined for a zero denominator.
    safe = {k: (v if v else 1e-300) if v is not None else None for k, v in values.items()}
    return float(eval(expression, {"__builtins__": {}}, {**functions, **safe}))  # noqa: S307


def breaches(alarm: dict[str, Any], values: dict[str, float]) -> bool:
    props = alarm["Properties"]
    value, threshold = alarm_value(alarm, values), float(props["Threshold"])
    return {
        "GreaterThanThreshold": value > threshold,
        "GreaterThanOrEqualToThreshold": value >= threshold,
        "LessThanThreshold": value < threshold,
        "LessThanOrEqualToThreshold": value <= threshold,
    }[props["ComparisonOperator"]]


def with_threshold(template: Template, alarm: dict[str, Any]) -> dict[str, Any]:
    """The alarm with its threshold evaluated (it may be a parameter), for ``breaches``."""
    alarm = copy.deepcopy(alarm)
    alarm["Properties"]["Threshold"] = evaluate(template, alarm["Properties"]["Threshold"])
    return alarm


def decision_metric(template: Template, name: str) -> dict[str, Any]:
    """A decision metric as the authorizer writes it: its namespace and `service` dimension."""
    env = function_env(template, AUTHORIZER)
    return {
        "namespace": evaluate(template, env.get("METRICS_NAMESPACE")),
        "name": name,
        "dimensions": {"service": evaluate(template, env.get("SERVICE_NAME"))},
    }


def lambda_metric(name: str) -> dict[str, Any]:
    return {"namespace": "AWS/Lambda", "name": name,
            "dimensions": {"FunctionName": f"<Ref:{AUTHORIZER}>"}}


def find_alarm(template: Template, metric: dict[str, Any]) -> dict[str, Any]:
    """The single-metric alarm on exactly this metric."""
    found = [a for a in alarms(template).values() if "Metrics" not in a["Properties"]
             and alarm_metrics(template, a)["m"] == metric]
    assert found, f"no alarm on {metric}"
    return with_threshold(template, found[0])


def check_metrics_env(template: Template) -> None:
    env = function_env(template, AUTHORIZER)
    for var, param, default in (("METRICS_NAMESPACE", "MetricsNamespace", "CognitoAuthorizer"),
                                ("SERVICE_NAME", "ServiceName", "echo-api-authorizer")):
        assert env.get(var) == {"Ref": param}, f"{AUTHORIZER} {var} must !Ref {param}"
        assert template["Parameters"][param].get("Default") == default, f"{param} default"


def check_decision_alarms(template: Template) -> None:
    """InfrastructureError and InvalidEvent page at the first one; Throttles likewise."""
    for metric in (decision_metric(template, "InfrastructureError"),
                   decision_metric(template, "InvalidEvent"), lambda_metric("Throttles")):
        alarm = find_alarm(template, metric)
        assert breaches(alarm, {"m": 1}) and not breaches(alarm, {"m": 0}), metric["name"]
        assert alarm["Properties"].get("TreatMissingData") == "notBreaching", metric["name"]


def check_errors_alarm(template: Template) -> None:
    """Lambda Errors of the authorizer are alarmed on only net of the decisions that are errors
    by design: a flood of bad tokens never pages; errors with no decision (crashes) do."""
    errors = lambda_metric("Errors")
    found = {name: a for name, a in alarms(template).items()
             if errors in alarm_metrics(template, a).values()}
    assert found, "no alarm on the authorizer's errors that are not decisions"
    for name, alarm in found.items():
        alarm = with_threshold(template, alarm)
        ids = {v["name"]: k for k, v in alarm_metrics(template, alarm).items()}
        for decision in ERROR_DECISIONS:
            assert alarm_metrics(template, alarm).get(ids.get(decision, "?")) == decision_metric(
                template, decision), f"{name} does not take {decision} out of Errors"

        def value(n_errors: float, **decisions: float) -> dict[str, float | None]:
            values: dict[str, float | None] = {k: None for k in ids.values()}
            values[ids["Errors"]] = n_errors
            values.update({ids[d]: v for d, v in decisions.items()})
            return values

        assert not breaches(alarm, value(100000, Unauthorized=100000)), f"{name}: pages on 401s"
        assert not breaches(alarm, value(600, Unauthorized=500, InfrastructureError=60,
                                         InvalidEvent=40)), f"{name}: pages on decisions"
        assert breaches(alarm, value(60)), f"{name}: silent on 60 crashes a minute"
        assert breaches(alarm, value(560, Unauthorized=500)), f"{name}: silent on crashes among 401s"
        props = alarm["Properties"]
        assert props.get("DatapointsToAlarm", 1) >= 2, f"{name}: one skewed minute would page"


def check_api_5xx_alarm(template: Template) -> None:
    api = template["Resources"][API]["Properties"]
    dims = {"ApiName": evaluate(template, api["Name"]), "Stage": api["StageName"]}
    five = {"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": dims}
    count = {"namespace": "AWS/ApiGateway", "name": "Count", "dimensions": dims}
    found = [a for a in alarms(template).values() if five in alarm_metrics(template, a).values()]
    assert found, f"no 5XX alarm on {dims}"
    alarm = with_threshold(template, found[0])
    ids = {v["name"]: k for k, v in alarm_metrics(template, alarm).items()}
    assert alarm_metrics(template, alarm).get(ids.get("Count", "?")) == count, "5XX rate needs Count"

    def rate(failed: float, requests: float) -> dict[str, float]:
        return {ids["5XXError"]: failed, ids["Count"]: requests}

    assert breaches(alarm, rate(50, 100)), "silent on half the requests failing"
    assert not breaches(alarm, rate(1, 100)), "pages on 1% of 5xx"
    assert not breaches(alarm, rate(1, 2)), "pages on one failed request at night"
    assert not breaches(alarm, rate(0, 0)), "pages on no traffic"


def check_alarm_actions(template: Template) -> None:
    """No notification by default; with AlarmEmail, every alarm notifies the stack's topic."""
    topics = resources_of(template, "AWS::SNS::Topic")
    assert len(topics) == 1, f"one alarm topic expected, found {sorted(topics)}"
    (topic,), (resource,) = topics.keys(), topics.values()
    condition_name = resource.get("Condition")
    assert condition_name and not condition(template, condition_name), "topic must be optional"
    given = {"AlarmEmail": "ops@example.com"}
    assert condition(template, condition_name, given), "AlarmEmail must create the topic"
    for name, alarm in alarms(template).items():
        for key in ("AlarmActions", "OKActions"):
            value = alarm["Properties"].get(key)
            wiring = f"{name}.{key} must be !If [{condition_name}, [!Ref {topic}], !Ref AWS::NoValue]"
            assert evaluate(template, value) == {"Ref": "AWS::NoValue"}, wiring
            assert evaluate(template, value, params=given) == [f"<Ref:{topic}>"], wiring


def check_tracing(template: Template) -> None:
    """One parameter: Lambda TracingConfig of both functions and the stage's TracingEnabled."""
    tracing = template.get("Globals", {}).get("Function", {}).get("Tracing")
    param = tracing.get("Ref") if isinstance(tracing, dict) else None
    assert param in template.get("Parameters", {}), "Globals.Function.Tracing must !Ref a parameter"
    stage = template["Resources"][API]["Properties"].get("TracingEnabled")
    for mode, on in (("Active", True), ("Disabled", False)):
        assert evaluate(template, stage, params={param: mode}) is on, f"TracingEnabled with {mode}"
        out = sam_transform(template, {param: mode})["Resources"]
        for fn in (AUTHORIZER, ECHO):
            config = out[fn]["Properties"].get("TracingConfig")
            mode_of = evaluate(template, config["Mode"], params={param: mode}) if config else None
            assert mode_of == ("Active" if on else None), f"{fn} tracing with {mode}: {config}"


def check_throttling(template: Template) -> None:
    settings = template["Resources"][API]["Properties"].get("MethodSettings", [])
    stage_wide = [s for s in settings if s.get("ResourcePath") == "/*" and s.get("HttpMethod") == "*"]
    assert stage_wide, "no stage-wide MethodSettings"
    for key, limit in (("ThrottlingRateLimit", ACCOUNT_RATE), ("ThrottlingBurstLimit", ACCOUNT_BURST)):
        value = stage_wide[0].get(key)
        assert isinstance(value, dict) and value.get("Ref") in template["Parameters"], f"{key} parameter"
        assert 0 < float(evaluate(template, value)) < limit, f"{key} default must be below the account's"
    for setting in settings:
        # Data tracing writes request headers (the Authorization header) to execution logs.
        assert not setting.get("DataTraceEnabled"), "DataTraceEnabled would log tokens"


def access_log(template: Template, params: Params | None = None) -> Any:
    return evaluate(template, template["Resources"][API]["Properties"].get("AccessLogSetting"), params=params)


def check_access_logs(template: Template) -> None:
    setting = template["Resources"][API]["Properties"].get("AccessLogSetting")
    assert isinstance(setting, dict) and "Fn::If" in setting, "AccessLogSetting behind a parameter"
    param = next(p for p, v in template["Parameters"].items() if "CloudWatch" in v.get("Description", "")
                 and "role" in v.get("Description", "") and p.lower().startswith("access"))
    assert access_log(template) == {"Ref": "AWS::NoValue"}, "access logs on by default"
    on = access_log(template, {param: "true"})
    target = on["DestinationArn"]
    group = re.fullmatch(r"<GetAtt:(\w+)\.Arn>", target)
    assert group and template["Resources"][group.group(1)]["Type"] == "AWS::Logs::LogGroup", target
    log_group = template["Resources"][group.group(1)]
    assert log_group.get("Condition") == setting["Fn::If"][0], "log group only with access logs"
    assert "RetentionInDays" in log_group["Properties"], "access logs kept forever"
    fmt = on["Format"]
    missing = [f for f in ACCESS_LOG_FIELDS if f not in fmt]
    assert not missing, f"access log lacks {missing}"
    for leak in ("$input", "$method.request", "header", "Authorization"):
        assert leak.lower() not in fmt.lower(), f"access log may write {leak}"
    # One JSON object per line once API Gateway substitutes the variables.
    line = fmt.replace("$context.error.messageString", '"msg"')
    line = re.sub(r"\$context\.[A-Za-z0-9_.]+", "value", line)
    try:
        parsed = json.loads(line)
    except json.JSONDecodeError as e:
        raise AssertionError(f"access log line is not JSON ({e}): {fmt}") from e
    assert isinstance(parsed, dict), fmt


def check_ssm_names_match(
    api_template: Template, auth_template: Template,
    names: tuple[str, ...] = ("CognitoUserPoolId", "CognitoUserPoolArn"),
) -> None:
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
    for param_name in names:
        value = expected_value[param_name]
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


# ---- the HTTP API example -------------------------------------------------------------------------


def http_api_routes(template: Template) -> set[str]:
    """Every route key served by an HttpApi event: "METHOD /path", or "$default" for an event with
    neither Path nor Method."""
    routes: set[str] = set()
    for fn in resources_of(template, "AWS::Serverless::Function").values():
        for event in fn.get("Properties", {}).get("Events", {}).values():
            if event.get("Type") == "HttpApi":
                props = event.get("Properties", {})
                if "Method" in props or "Path" in props:
                    routes.add(f"{props['Method'].upper()} {props['Path']}")
                else:
                    routes.add("$default")
    assert routes, "no HttpApi routes"
    return routes


def check_http_routes_covered(template: Template) -> None:
    """ROUTE_SCOPES lists every route of the HTTP API (the $default route as ANY /{proxy+}, the
    path it is asked about for any request) and no route the API does not serve."""
    covered = set(route_rules(template))
    served = http_api_routes(template)
    for route in served:
        if route == "$default":
            assert "ANY /{proxy+}" in covered, "the $default route needs ANY /{proxy+} in ROUTE_SCOPES"
            continue
        path = route.split(" ", 1)[1]
        assert route in covered or f"ANY {path}" in covered, f"{route} is not in ROUTE_SCOPES"
    stale = {r for r in covered if r not in served and not r.startswith("ANY ")}
    assert not stale, f"ROUTE_SCOPES lists routes the HTTP API does not serve: {sorted(stale)}"
    # Each route admits the machine client with its scopes.
    machine = client_scopes(template, MACHINE_CLIENT)
    for route, rules in route_rules(template).items():
        assert any(r.admits(machine, set()) for r in rules), f"nobody may call {route}"


def http_authorizer(template: Template) -> tuple[dict[str, Any], dict[str, Any]]:
    """The default authorizer of the OpenAPI body SAM generates for the HTTP API, and the body."""
    body = sam_transform(template)["Resources"][HTTP_API]["Properties"].get("Body")
    assert body, f"SAM generated no OpenAPI body for {HTTP_API}"
    name = template["Resources"][HTTP_API]["Properties"]["Auth"]["DefaultAuthorizer"]
    scheme = body["components"]["securitySchemes"][name]
    return scheme["x-amazon-apigateway-authorizer"], body


def check_http_authorizer(template: Template) -> None:
    """Payload 2.0 with simple responses (what the authorizer answers HTTP APIs with), the token
    header an identity source, every route behind the authorizer, API Gateway allowed to invoke
    it, and with caching on and route-dependent rules, $context.routeKey in the cache key."""
    authorizer, body = http_authorizer(template)
    assert authorizer.get("authorizerPayloadFormatVersion") == "2.0", authorizer
    assert authorizer.get("enableSimpleResponses") is True, authorizer
    sources = authorizer.get("identitySource", [])
    assert "$request.header.Authorization" in sources, sources
    ttl = int(evaluate(template, authorizer.get("authorizerResultTtlInSeconds", 0)))
    rules = {json.dumps(sorted(map(repr, r))) for r in route_rules(template).values()}
    if ttl > 0 and len(rules) > 1:
        assert "$context.routeKey" in sources, (
            "with caching on and route-dependent rules, $context.routeKey must be an identity source "
            f"(else one route's answer is reused for another): {sources}"
        )
    (name,) = body["components"]["securitySchemes"]
    for path, operations in body["paths"].items():
        for method, operation in operations.items():
            assert operation.get("security") == [{name: []}], f"{method.upper()} {path} is not behind {name}"
    generated = sam_transform(template)["Resources"]
    invokers = [
        r for r in generated.values()
        if r["Type"] == "AWS::Lambda::Permission"
        and r["Properties"]["FunctionName"] == {"Fn::GetAtt": [AUTHORIZER, "Arn"]}
        and r["Properties"]["Principal"] == "apigateway.amazonaws.com"
    ]
    assert invokers, f"API Gateway may not invoke {AUTHORIZER}: every request would get 500"


def check_http_cors(template: Template) -> None:
    """One origin, the parameter's; the token header allowed; no credentials with any origin."""
    cors = template["Resources"][HTTP_API]["Properties"]["CorsConfiguration"]
    assert cors["AllowOrigins"] == [{"Ref": ORIGIN_PARAMETER}], cors["AllowOrigins"]
    headers = {h.lower() for h in cors.get("AllowHeaders", [])}
    assert "authorization" in headers, f"AllowHeaders {sorted(headers)} lacks authorization"
    methods = {m.upper() for m in cors.get("AllowMethods", [])}
    served = {r.split(" ", 1)[0] for r in http_api_routes(template) if r != "$default"}
    assert served <= methods or "*" in methods, f"AllowMethods {sorted(methods)} lacks {sorted(served - methods)}"


def check_same_binaries(example: Template, api_template: Template) -> None:
    """The example runs the binaries the API stack builds, from the workspace root."""
    for fn in (AUTHORIZER, ECHO):
        ours, theirs = example["Resources"][fn], api_template["Resources"][fn]
        assert ours["Metadata"] == theirs["Metadata"], f"{fn}: {ours['Metadata']}"
    code = example["Globals"]["Function"]["CodeUri"]
    assert (HTTP_API_TEMPLATE.parent / code).resolve() == ROOT, f"CodeUri {code} is not the workspace root"
    for key in ("Runtime", "Architectures", "Handler"):
        assert example["Globals"]["Function"][key] == api_template["Globals"]["Function"][key], key


def sam_cli_routes(template: Template, tmp_path: Path) -> list[Any]:
    """The routes `sam local start-api` serves for the template, as SAM CLI's own API provider
    reads them (the code start-api runs; no Docker needed), each with the authorizer SAM CLI
    found for it (``authorizer_object``; None when it could not wire one)."""
    from samcli.lib.providers.api_provider import ApiProvider
    from samcli.lib.providers.sam_stack_provider import SamLocalStackProvider

    logging.getLogger("samcli").setLevel(logging.ERROR)
    path = tmp_path / "template.json"
    path.write_text(json.dumps(template))
    stacks, _ = SamLocalStackProvider.get_stacks(str(path))
    return list(ApiProvider(stacks, cwd=str(tmp_path)).api.routes)


def check_sam_local_wires_the_authorizer(template: Template, tmp_path: Path) -> None:
    """`sam local start-api` puts every route of the API behind the authorizer function. SAM CLI
    skips an authorizer whose FunctionArn it cannot parse (an explicit FunctionName on the
    function does that) and then serves the routes unprotected."""
    routes = sam_cli_routes(template, tmp_path)
    assert routes, "SAM CLI finds no route"
    for route in routes:
        methods = set(route.methods) - {"OPTIONS"}
        authorizer = route.authorizer_object
        assert authorizer is not None, f"sam local serves {sorted(methods)} {route.path} without an authorizer"
        assert authorizer.lambda_name == AUTHORIZER, (route.path, authorizer.lambda_name)


def check_functions_log_to_their_groups(template: Template) -> None:
    """Each function writes to a log group of the stack (LoggingConfig.LogGroup, in what SAM
    generates), with a retention and a name of its own: the group is the function's whatever the
    function is called."""
    generated = sam_transform(template)["Resources"]
    functions = resources_of(template, "AWS::Serverless::Function")
    assert functions, "no function"
    for name in functions:
        logging_config = generated[name]["Properties"].get("LoggingConfig", {})
        target = logging_config.get("LogGroup")
        assert isinstance(target, dict) and set(target) == {"Ref"}, f"{name} logs to {target!r}, not to a group of the stack"
        group = template["Resources"].get(target["Ref"], {})
        assert group.get("Type") == "AWS::Logs::LogGroup", f"{name} logs to {target['Ref']}, not a log group"
        assert "RetentionInDays" in group["Properties"], f"{target['Ref']} is kept forever"
        assert "Condition" not in group, f"{target['Ref']} is not always created"
        assert logging_config.get("LogFormat") == "JSON", f"{name}: the log lines are JSON"
    targets = [generated[n]["Properties"]["LoggingConfig"]["LogGroup"]["Ref"] for n in functions]
    assert len(set(targets)) == len(targets), f"functions share a log group: {targets}"


def check_key_endpoint_only_local(template: Template) -> None:
    """The authorizer declares AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER (SAM CLI's --env-vars
    overrides only declared variables: docs/sam-local.md points it at the offline stack) with no
    value, so a deployed authorizer has no such variable and fetches its keys from Cognito."""
    name = "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"
    env = function_env(template, AUTHORIZER)
    assert name in env, f"{AUTHORIZER} does not declare {name}: sam local cannot point it at the offline stack"
    assert env[name] == {"Ref": "AWS::NoValue"}, f"{name} is {env[name]!r}: deployed, the keys must come from Cognito"
    generated = sam_transform(template)["Resources"][AUTHORIZER]["Properties"]["Environment"]["Variables"]
    assert generated.get(name) == {"Ref": "AWS::NoValue"}, generated.get(name)
    assert "AWS_ENDPOINT_URL" not in env, "AWS_ENDPOINT_URL would redirect the key fetch too"


def check_architecture_parameter(template: Template) -> None:
    """One parameter decides both functions' instruction set: arm64 by default (what is deployed
    and what scripts/sam-build.sh checks), x86_64 allowed (local runs on an x86_64 host)."""
    param = template["Parameters"].get("Architecture")
    assert param, "no Architecture parameter"
    assert param.get("Default") == "arm64", param
    assert set(param.get("AllowedValues", [])) == {"arm64", "x86_64"}, param
    for arch in ("arm64", "x86_64"):
        given = {"Architecture": arch} if arch != "arm64" else None
        generated = sam_transform(template, given)
        lambdas = resources_of(generated, "AWS::Lambda::Function")
        assert len(lambdas) == len(resources_of(template, "AWS::Serverless::Function")), sorted(lambdas)
        for name, fn in lambdas.items():
            value = evaluate(generated, fn["Properties"].get("Architectures"), params=given)
            assert value == [arch], f"{name} with Architecture={arch}: {value}"


# ---- the real templates --------------------------------------------------------------------------


def test_authorizer_environment_is_complete(api: Template) -> None:
    check_authorizer_env(api)


def test_route_scopes_and_groups_exist(api: Template) -> None:
    check_route_names_exist(api)
    assert pool_groups(api) == {"readers", "admins"}


def test_client_scopes_exist_on_resource_server(api: Template) -> None:
    check_client_scopes_exist(api)
    check_machine_client(api)


def test_people_client_is_public_code_with_pkce_srp_and_refresh(api: Template) -> None:
    check_people_client(api)


def test_people_are_decided_by_groups(api: Template) -> None:
    check_people_decided_by_groups(api)


def test_every_api_route_is_covered_and_reachable(api: Template) -> None:
    check_routes_covered(api)
    check_routes_reachable(api)
    assert api_routes(api) == {"GET /echo", "POST /echo", "DELETE /echo"}


# The documented defaults, spelled out: who may call what.
READ, WRITE = "echo-api/read", "echo-api/write"
HOSTED_UI = {"openid"}  # what the people client's hosted-UI token carries
SRP = {SIGNIN_SCOPE}  # what an SRP or password sign-in token carries
CALLERS = {
    "machine with read": ({READ}, set(), {"GET /echo"}),
    "machine with write": ({WRITE}, set(), {"POST /echo"}),
    "machine with both": ({READ, WRITE}, set(), {"GET /echo", "POST /echo"}),
    "machine with another scope": ({"other-api/read"}, set(), set()),
    "reader (hosted UI)": (HOSTED_UI, {"readers"}, {"GET /echo"}),
    "reader (SRP)": (SRP, {"readers"}, {"GET /echo"}),
    "admin (hosted UI)": (HOSTED_UI, {"admins"}, {"GET /echo", "POST /echo", "DELETE /echo"}),
    "admin (SRP)": (SRP, {"admins"}, {"GET /echo", "POST /echo", "DELETE /echo"}),
    "person in no group": (HOSTED_UI | SRP, set(), set()),
    "person in another group": (SRP, {"staff"}, set()),
}


@pytest.mark.parametrize("caller", sorted(CALLERS))
def test_route_rules_admit_the_documented_callers(api: Template, caller: str) -> None:
    scopes, groups, expected = CALLERS[caller]
    assert allowed_routes(api, scopes, groups) == expected


def test_hosted_ui_tokens_carry_only_what_the_people_client_allows(api: Template) -> None:
    # The CALLERS table's hosted-UI scopes are exactly what the client may obtain.
    assert client_scopes(api, PEOPLE_CLIENT) == HOSTED_UI


def test_cors_origin_is_one_parameter_everywhere(api: Template) -> None:
    check_origin_parameter(api)
    check_cors(api)


def test_preflight_is_not_behind_the_authorizer(api: Template) -> None:
    check_preflight_open(api)


def test_app_config_output_is_the_browser_apps_config(api: Template) -> None:
    check_app_config(api)


def test_events_env_json_follows_the_template(api: Template) -> None:
    check_env_json(api)


def test_decision_metrics_are_named_by_parameters(api: Template) -> None:
    check_metrics_env(api)


def test_alarms_wake_someone_for_failures_not_for_bad_tokens(api: Template) -> None:
    check_decision_alarms(api)
    check_errors_alarm(api)
    check_api_5xx_alarm(api)
    check_alarm_actions(api)


def test_tracing_throttling_and_access_logs(api: Template) -> None:
    check_tracing(api)
    check_throttling(api)
    check_access_logs(api)


def test_sam_local_start_api_wires_the_authorizer(api: Template, http_api: Template, tmp_path: Path) -> None:
    check_sam_local_wires_the_authorizer(api, tmp_path)
    check_sam_local_wires_the_authorizer(http_api, tmp_path)


def test_functions_log_to_their_groups(api: Template) -> None:
    check_functions_log_to_their_groups(api)


def test_key_endpoint_is_declared_for_sam_local_only(api: Template, http_api: Template) -> None:
    check_key_endpoint_only_local(api)
    check_key_endpoint_only_local(http_api)


def test_architecture_is_one_parameter_arm64_by_default(api: Template, http_api: Template) -> None:
    check_architecture_parameter(api)
    check_architecture_parameter(http_api)


def test_ssm_parameter_names_match_auth_stack(api: Template, auth: Template) -> None:
    check_ssm_names_match(api, auth)


def test_http_api_example_authorizer_environment_and_clients(http_api: Template) -> None:
    check_authorizer_env(http_api)
    check_route_names_exist(http_api)
    check_client_scopes_exist(http_api)
    check_machine_client(http_api)


def test_http_api_example_routes_are_covered(http_api: Template) -> None:
    check_http_routes_covered(http_api)
    assert http_api_routes(http_api) == {"GET /echo", "POST /echo"}
    scopes = resource_server_scopes(http_api)
    assert allowed_routes(http_api, {"echo-http-api/read"}, set()) == {"GET /echo"}
    assert allowed_routes(http_api, scopes, set()) == {"GET /echo", "POST /echo"}


def test_http_api_example_authorizer_and_cors(http_api: Template) -> None:
    check_http_authorizer(http_api)
    check_http_cors(http_api)


def test_http_api_example_runs_the_same_binaries_on_the_same_pool(
    http_api: Template, api: Template, auth: Template
) -> None:
    check_same_binaries(http_api, api)
    check_ssm_names_match(http_api, auth, ("CognitoUserPoolId",))


# ---- the checks fail on broken wiring ------------------------------------------------------------


def _mutate(template: Template, change: Callable[[Template], None]) -> Template:
    broken = copy.deepcopy(template)
    change(broken)
    return broken


def _env(t: Template, fn: str = AUTHORIZER) -> dict[str, Any]:
    return t["Resources"][fn]["Properties"]["Environment"]["Variables"]


def _events(t: Template) -> dict[str, Any]:
    return t["Resources"][ECHO]["Properties"]["Events"]


def _props(t: Template, name: str) -> dict[str, Any]:
    return t["Resources"][name]["Properties"]


def _api(t: Template) -> dict[str, Any]:
    return _props(t, API)


def _routes(value: str) -> Callable[[Template], None]:
    return lambda t: _env(t).update(ROUTE_SCOPES={"Fn::Sub": value})


def _gateway_header(response: str, header: str, value: Any) -> Callable[[Template], None]:
    def change(t: Template) -> None:
        _api(t)["GatewayResponses"][response]["ResponseParameters"]["Headers"][header] = value
    return change


def _drop_gateway_header(response: str, header: str) -> Callable[[Template], None]:
    return lambda t: _api(t)["GatewayResponses"][response]["ResponseParameters"]["Headers"].pop(header)


def _alarm(t: Template, name: str) -> dict[str, Any]:
    return _props(t, name)


def _math(t: Template, alarm: str, metric_id: str) -> dict[str, Any]:
    return next(m for m in _alarm(t, alarm)["Metrics"] if m["Id"] == metric_id)


def _access_format(t: Template, change: Callable[[str], str]) -> None:
    setting = _api(t)["AccessLogSetting"]["Fn::If"][1]
    setting["Format"] = change(setting["Format"])


PLAIN_ERRORS_ALARM = {
    "Type": "AWS::CloudWatch::Alarm",
    "Properties": {
        "Namespace": "AWS/Lambda", "MetricName": "Errors", "Statistic": "Sum", "Period": 60,
        "Dimensions": [{"Name": "FunctionName", "Value": {"Ref": AUTHORIZER}}],
        "EvaluationPeriods": 1, "Threshold": 0, "ComparisonOperator": "GreaterThanThreshold",
    },
}

DELETE_ADMINS = '"DELETE /echo": {"anyGroups": ["${AdminsGroupName}"]}'
GET_RULE = '"GET /echo": ["${ResourceServerIdentifier}/${ReadScopeName}", {"anyGroups": ["${ReadersGroupName}"]}]'
POST_RULE = '"POST /echo": ["${ResourceServerIdentifier}/${WriteScopeName}", {"anyGroups": ["${AdminsGroupName}"]}]'

API_BREAKAGES: dict[str, tuple[Callable[[Template], None], Callable[[Template], None]]] = {
    "no pool variable": (lambda t: _env(t).pop("USER_POOL_ID"), check_authorizer_env),
    "literal pool id": (lambda t: _env(t).update(USER_POOL_ID="us-east-1_Abc"), check_authorizer_env),
    "no CLIENT_IDS": (lambda t: _env(t).pop("CLIENT_IDS"), check_authorizer_env),
    "CLIENT_IDS not the app client": (
        lambda t: _env(t).update(CLIENT_IDS="someclient"),
        check_authorizer_env,
    ),
    "CLIENT_IDS without the people client": (
        lambda t: _env(t).update(CLIENT_IDS={"Ref": MACHINE_CLIENT}),
        check_authorizer_env,
    ),
    "no ROUTE_SCOPES": (lambda t: _env(t).pop("ROUTE_SCOPES"), check_authorizer_env),
    "route scope typo": (
        _routes('{"GET /echo": ["${ResourceServerIdentifier}/raed"], ' + POST_RULE + ", " + DELETE_ADMINS + "}"),
        check_route_names_exist,
    ),
    "route group typo": (
        _routes("{" + GET_RULE + ", " + POST_RULE + ', "DELETE /echo": {"anyGroups": ["admin"]}}'),
        check_route_names_exist,
    ),
    "group resource removed": (lambda t: t["Resources"].pop("ReadersGroup"), check_route_names_exist),
    "group in another pool": (
        lambda t: _props(t, "AdminsGroup").update(UserPoolId="us-east-1_Other"),
        check_route_names_exist,
    ),
    "scope removed from resource server": (
        lambda t: _props(t, "EchoResourceServer")["Scopes"].pop(1),
        check_route_names_exist,
    ),
    "resource server identifier changed": (
        lambda t: _props(t, "EchoResourceServer").update(Identifier="other-api"),
        check_route_names_exist,
    ),
    "empty alternatives": (
        _routes("{" + GET_RULE + ", " + POST_RULE + ', "DELETE /echo": []}'),
        check_route_names_exist,
    ),
    "empty rule among alternatives": (
        _routes("{" + GET_RULE + ", " + POST_RULE + ', "DELETE /echo": ["${ResourceServerIdentifier}/${WriteScopeName}", {}]}'),
        check_route_names_exist,
    ),
    "unknown rule key": (
        _routes("{" + GET_RULE + ", " + POST_RULE + ', "DELETE /echo": {"anyGroup": ["${AdminsGroupName}"]}}'),
        check_route_names_exist,
    ),
    "client allows undefined scope": (
        lambda t: _props(t, MACHINE_CLIENT)["AllowedOAuthScopes"].append("echo-api/admin"),
        check_client_scopes_exist,
    ),
    "client lacks DependsOn": (lambda t: t["Resources"][MACHINE_CLIENT].pop("DependsOn"), check_client_scopes_exist),
    "machine client signs people in": (
        lambda t: _props(t, MACHINE_CLIENT).update(ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH"]),
        check_machine_client,
    ),
    "machine client without secret": (
        lambda t: _props(t, MACHINE_CLIENT).update(GenerateSecret=False),
        check_machine_client,
    ),
    "people client with a secret": (
        lambda t: _props(t, PEOPLE_CLIENT).update(GenerateSecret=True),
        check_people_client,
    ),
    "people client with implicit grant": (
        lambda t: _props(t, PEOPLE_CLIENT)["AllowedOAuthFlows"].append("implicit"),
        check_people_client,
    ),
    "people client without openid": (
        lambda t: _props(t, PEOPLE_CLIENT).update(AllowedOAuthScopes=["email"]),
        check_people_client,
    ),
    "people password sign-in always on": (
        lambda t: _props(t, PEOPLE_CLIENT).update(
            ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", PASSWORD_FLOW]
        ),
        check_people_client,
    ),
    "people password parameter on by default": (
        lambda t: t["Parameters"]["PeoplePasswordSignIn"].update(Default="true"),
        check_people_client,
    ),
    "people admin password flow": (
        lambda t: _props(t, PEOPLE_CLIENT)["ExplicitAuthFlows"]["Fn::If"][2].append("ALLOW_ADMIN_USER_PASSWORD_AUTH"),
        check_people_client,
    ),
    "people callback literal": (
        lambda t: _props(t, PEOPLE_CLIENT).update(CallbackURLs=["https://app.example.com/cb"]),
        check_people_client,
    ),
    "people callback over http": (
        lambda t: t["Parameters"]["PeopleCallbackUrls"].update(Default="http://app.example.com/cb"),
        check_people_client,
    ),
    "people refresh lifetime literal": (
        lambda t: _props(t, PEOPLE_CLIENT).update(RefreshTokenValidity=30),
        check_people_client,
    ),
    "people client may get the write scope": (
        lambda t: _props(t, PEOPLE_CLIENT)["AllowedOAuthScopes"].append("echo-api/write"),
        check_people_decided_by_groups,
    ),
    "people client may get the read scope": (
        lambda t: _props(t, PEOPLE_CLIENT)["AllowedOAuthScopes"].append("echo-api/read"),
        check_people_decided_by_groups,
    ),
    "route admits every signed-in person": (
        _routes('{"GET /echo": ["aws.cognito.signin.user.admin"], ' + POST_RULE + ", " + DELETE_ADMINS + "}"),
        check_people_decided_by_groups,
    ),
    "uncovered route": (
        lambda t: _events(t).update(
            PatchEcho={"Type": "Api", "Properties": {"RestApiId": {"Ref": API},
                                                     "Path": "/echo", "Method": "patch"}}
        ),
        check_routes_covered,
    ),
    "route path changed": (
        lambda t: _events(t)["GetEcho"]["Properties"].update(Path="/echo/{id}"),
        check_routes_covered,
    ),
    "stale ROUTE_SCOPES entry": (lambda t: _events(t).pop("DeleteEcho"), check_routes_covered),
    "route nobody may call": (
        _routes("{" + GET_RULE + ", " + POST_RULE + ', "DELETE /echo": {"allGroups": ["${ReadersGroupName}", "nobody"]}}'),
        check_routes_reachable,
    ),
    "origin default is a wildcard": (
        lambda t: t["Parameters"][ORIGIN_PARAMETER].update(Default="*"),
        check_origin_parameter,
    ),
    "origin pattern accepts anything": (
        lambda t: t["Parameters"][ORIGIN_PARAMETER].update(AllowedPattern=".*"),
        check_origin_parameter,
    ),
    "no Cors": (lambda t: _api(t).pop("Cors"), check_cors),
    "Cors wildcard origin": (lambda t: _api(t)["Cors"].update(AllowOrigin="'*'"), check_cors),
    "Cors without DELETE": (lambda t: _api(t)["Cors"].update(AllowMethods="'GET,POST,OPTIONS'"), check_cors),
    "Cors without Authorization": (lambda t: _api(t)["Cors"].update(AllowHeaders="'Content-Type'"), check_cors),
    "401 without CORS": (_drop_gateway_header("UNAUTHORIZED", "Access-Control-Allow-Origin"), check_cors),
    "403 without CORS": (_drop_gateway_header("ACCESS_DENIED", "Access-Control-Allow-Origin"), check_cors),
    "5xx wildcard origin": (_gateway_header("DEFAULT_5XX", "Access-Control-Allow-Origin", "'*'"), check_cors),
    "no DEFAULT_5XX response": (lambda t: _api(t)["GatewayResponses"].pop("DEFAULT_5XX"), check_cors),
    "new gateway response without CORS": (
        lambda t: _api(t)["GatewayResponses"].update(THROTTLED={"StatusCode": 429}),
        check_cors,
    ),
    "echo without CORS origin": (lambda t: _env(t, ECHO).pop("CORS_ALLOW_ORIGIN"), check_cors),
    "echo with a literal origin": (
        lambda t: _env(t, ECHO).update(CORS_ALLOW_ORIGIN="http://localhost:3001"),
        check_cors,
    ),
    "app callback off the allowed origin": (
        lambda t: t["Parameters"]["PeopleCallbackUrls"].update(Default="http://localhost:5173/"),
        check_app_config,
    ),
    "app config with another client": (
        lambda t: t["Outputs"]["AppConfig"]["Value"]["Fn::Sub"].__setitem__(
            0, t["Outputs"]["AppConfig"]["Value"]["Fn::Sub"][0].replace("${PeopleClient}", "${AppClient}")),
        check_app_config,
    ),
    "app config calls the echo path": (
        lambda t: t["Outputs"]["AppConfig"]["Value"]["Fn::Sub"].__setitem__(
            0, t["Outputs"]["AppConfig"]["Value"]["Fn::Sub"][0].replace('/Prod"', '/Prod/echo"')),
        check_app_config,
    ),
    "app config without the token URL": (
        lambda t: t["Outputs"]["AppConfig"]["Value"]["Fn::Sub"].__setitem__(
            0, t["Outputs"]["AppConfig"]["Value"]["Fn::Sub"][0].replace('"tokenUrl"', '"tokenURL"')),
        check_app_config,
    ),
    "app config asks for the write scope": (
        lambda t: t["Outputs"]["AppConfig"]["Value"]["Fn::Sub"].__setitem__(
            0, t["Outputs"]["AppConfig"]["Value"]["Fn::Sub"][0].replace('"openid"', '"openid echo-api/write"')),
        check_app_config,
    ),
    "preflight behind the authorizer": (
        lambda t: _api(t)["Auth"].pop("AddDefaultAuthorizerToCorsPreflight"),
        check_preflight_open,
    ),
    "a route without the authorizer": (
        lambda t: _events(t)["DeleteEcho"]["Properties"].update(Auth={"Authorizer": "NONE"}),
        check_preflight_open,
    ),
    "SERVICE_NAME literal": (lambda t: _env(t).update(SERVICE_NAME="echo"), check_metrics_env),
    "no METRICS_NAMESPACE": (lambda t: _env(t).pop("METRICS_NAMESPACE"), check_metrics_env),
    "infrastructure alarm without the service dimension": (
        lambda t: _alarm(t, "AuthorizerInfrastructureErrorAlarm").pop("Dimensions"),
        check_decision_alarms,
    ),
    "infrastructure alarm in another namespace": (
        lambda t: _alarm(t, "AuthorizerInfrastructureErrorAlarm").update(Namespace="Other"),
        check_decision_alarms,
    ),
    "invalid-event alarm waits for five": (
        lambda t: _alarm(t, "AuthorizerInvalidEventAlarm").update(Threshold=5),
        check_decision_alarms,
    ),
    "no throttles alarm": (lambda t: t["Resources"].pop("AuthorizerThrottlesAlarm"), check_decision_alarms),
    "alarm on plain Errors": (
        lambda t: t["Resources"].update(PlainErrorsAlarm=copy.deepcopy(PLAIN_ERRORS_ALARM)),
        check_errors_alarm,
    ),
    "errors alarm forgets InfrastructureError": (
        lambda t: _math(t, "AuthorizerUnexplainedErrorsAlarm", "unexplained").update(
            Expression="FILL(errors, 0) - FILL(unauthorized, 0) - FILL(invalid, 0)"),
        check_errors_alarm,
    ),
    "errors alarm counts InfrastructureError twice": (
        lambda t: _math(t, "AuthorizerUnexplainedErrorsAlarm", "infrastructure")["MetricStat"]["Metric"].update(
            MetricName="Unauthorized"),
        check_errors_alarm,
    ),
    "errors alarm on one minute": (
        lambda t: _alarm(t, "AuthorizerUnexplainedErrorsAlarm").update(DatapointsToAlarm=1, EvaluationPeriods=1),
        check_errors_alarm,
    ),
    "no errors alarm": (lambda t: t["Resources"].pop("AuthorizerUnexplainedErrorsAlarm"), check_errors_alarm),
    "5xx alarm without a minimum of requests": (
        lambda t: _math(t, "Api5xxRateAlarm", "rate").update(Expression="100 * failed / requests"),
        check_api_5xx_alarm,
    ),
    "5xx alarm on another stage": (
        lambda t: [d.update(Value="Dev") for m in _alarm(t, "Api5xxRateAlarm")["Metrics"] if "MetricStat" in m
                   for d in m["MetricStat"]["Metric"]["Dimensions"] if d["Name"] == "Stage"],
        check_api_5xx_alarm,
    ),
    "5xx alarm on counts": (
        lambda t: _alarm(t, "Api5xxRateAlarm").update(Threshold=50),
        check_api_5xx_alarm,
    ),
    "alarm always notifies": (
        lambda t: _alarm(t, "Api5xxRateAlarm").update(AlarmActions=[{"Ref": "AlarmTopic"}]),
        check_alarm_actions,
    ),
    "alarm never notifies": (lambda t: _alarm(t, "AuthorizerThrottlesAlarm").pop("OKActions"), check_alarm_actions),
    "topic always created": (lambda t: t["Resources"]["AlarmTopic"].pop("Condition"), check_alarm_actions),
    "tracing literal": (lambda t: t["Globals"]["Function"].update(Tracing="Active"), check_tracing),
    "stage tracing always on": (lambda t: _api(t).update(TracingEnabled=True), check_tracing),
    "throttling literal": (
        lambda t: _api(t)["MethodSettings"][0].update(ThrottlingRateLimit=10000),
        check_throttling,
    ),
    "throttling default at the account's": (
        lambda t: t["Parameters"]["ThrottlingBurstLimit"].update(Default=5000),
        check_throttling,
    ),
    "no stage throttling": (lambda t: _api(t).pop("MethodSettings"), check_throttling),
    "data tracing on": (lambda t: _api(t)["MethodSettings"][0].update(DataTraceEnabled=True), check_throttling),
    "access logs always on": (
        lambda t: _api(t).update(AccessLogSetting=_api(t)["AccessLogSetting"]["Fn::If"][1]),
        check_access_logs,
    ),
    "access log without the authorizer error": (
        lambda t: _access_format(t, lambda f: f.replace("$context.authorizer.error", "$context.authorizer.x")),
        check_access_logs,
    ),
    "access log writes the Authorization header": (
        lambda t: _access_format(t, lambda f: f[:-1] + ',"a":"$method.request.header.Authorization"}'),
        check_access_logs,
    ),
    "access log line not JSON": (lambda t: _access_format(t, lambda f: f[:-1]), check_access_logs),
    "access log group kept forever": (
        lambda t: _props(t, "AccessLogGroup").pop("RetentionInDays"),
        check_access_logs,
    ),
    "access log group always created": (
        lambda t: t["Resources"]["AccessLogGroup"].pop("Condition"),
        check_access_logs,
    ),
    "env.json routes out of step": (_routes("{" + GET_RULE + ", " + POST_RULE + "}"), check_env_json),
    "env.json origin out of step": (
        lambda t: t["Parameters"][ORIGIN_PARAMETER].update(Default="https://app.example.com"),
        check_env_json,
    ),
}


@pytest.mark.parametrize(
    "change",
    [
        lambda t: _props(t, AUTHORIZER).update(FunctionName={"Fn::Sub": "${AWS::StackName}-authorizer"}),
        lambda t: _api(t)["Auth"]["Authorizers"]["CognitoTokenAuthorizer"].update(FunctionArn="not-an-arn"),
    ],
    ids=["authorizer-function-name", "unparsable-arn"],
)
def test_check_catches_sam_local_without_the_authorizer(api: Template, change: Callable, tmp_path: Path) -> None:
    with pytest.raises(AssertionError):
        check_sam_local_wires_the_authorizer(_mutate(api, change), tmp_path)


@pytest.mark.parametrize(
    "change",
    [
        lambda t: _props(t, AUTHORIZER).pop("LoggingConfig"),
        lambda t: _props(t, ECHO)["LoggingConfig"].update(LogGroup={"Ref": "AuthorizerLogGroup"}),
        lambda t: _props(t, "EchoLogGroup").pop("RetentionInDays"),
        lambda t: _props(t, AUTHORIZER)["LoggingConfig"].update(LogGroup="/aws/lambda/elsewhere"),
    ],
    ids=["no-logging-config", "shared-group", "kept-forever", "group-not-in-stack"],
)
def test_check_catches_functions_logging_elsewhere(api: Template, change: Callable) -> None:
    with pytest.raises(AssertionError):
        check_functions_log_to_their_groups(_mutate(api, change))


@pytest.mark.parametrize(
    "change",
    [
        lambda t: _env(t).pop("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"),
        lambda t: _env(t).update(AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER="http://172.17.0.1:3000"),
        lambda t: _env(t).update(AWS_ENDPOINT_URL={"Ref": "AWS::NoValue"}),
    ],
    ids=["undeclared", "deployed-with-a-value", "generic-endpoint"],
)
def test_check_catches_key_endpoint_deployed(api: Template, change: Callable) -> None:
    with pytest.raises(AssertionError):
        check_key_endpoint_only_local(_mutate(api, change))


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t["Globals"]["Function"].update(Architectures=["arm64"]),
        lambda t: _props(t, ECHO).update(Architectures=["arm64"]),
        lambda t: t["Parameters"]["Architecture"].update(Default="x86_64"),
        lambda t: t["Parameters"].pop("Architecture"),
    ],
    ids=["hard-coded", "one-function-pinned", "x86-default", "no-parameter"],
)
def test_check_catches_architecture_not_a_parameter(api: Template, change: Callable) -> None:
    with pytest.raises(AssertionError):
        check_architecture_parameter(_mutate(api, change))


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


def _http_authorizer_spec(t: Template) -> dict[str, Any]:
    return _props(t, HTTP_API)["Auth"]["Authorizers"]["CognitoLambdaAuthorizer"]


HTTP_API_BREAKAGES: dict[str, tuple[Callable[[Template], None], Callable[[Template], None]]] = {
    "route key not in the cache key": (
        lambda t: _http_authorizer_spec(t)["Identity"].pop("Context"),
        check_http_authorizer,
    ),
    "token header not an identity source": (
        lambda t: _http_authorizer_spec(t)["Identity"].update(Headers=["X-Other"]),
        check_http_authorizer,
    ),
    "policy responses": (
        lambda t: _http_authorizer_spec(t).update(EnableSimpleResponses=False),
        check_http_authorizer,
    ),
    "payload 1.0": (
        lambda t: _http_authorizer_spec(t).update(AuthorizerPayloadFormatVersion="1.0"),
        check_http_authorizer,
    ),
    "authorizer not invokable": (
        lambda t: _http_authorizer_spec(t).pop("EnableFunctionDefaultPermissions"),
        check_http_authorizer,
    ),
    "route without the authorizer": (
        lambda t: _events(t)["PostEcho"]["Properties"].update(Auth={"Authorizer": "NONE"}),
        check_http_authorizer,
    ),
    "route missing from ROUTE_SCOPES": (
        lambda t: _events(t).update(DeleteEcho={"Type": "HttpApi", "Properties": {
            "ApiId": {"Ref": HTTP_API}, "Path": "/echo", "Method": "DELETE"}}),
        check_http_routes_covered,
    ),
    "$default route not in ROUTE_SCOPES": (
        lambda t: _events(t).update(Default={"Type": "HttpApi", "Properties": {"ApiId": {"Ref": HTTP_API}}}),
        check_http_routes_covered,
    ),
    "stale route in ROUTE_SCOPES": (
        lambda t: _events(t).pop("PostEcho"),
        check_http_routes_covered,
    ),
    "another origin": (
        lambda t: _props(t, HTTP_API)["CorsConfiguration"].update(AllowOrigins=["*"]),
        check_http_cors,
    ),
    "token header not allowed by CORS": (
        lambda t: _props(t, HTTP_API)["CorsConfiguration"].update(AllowHeaders=["content-type"]),
        check_http_cors,
    ),
}


@pytest.mark.parametrize("breakage", sorted(HTTP_API_BREAKAGES))
def test_check_catches_broken_http_api_wiring(http_api: Template, breakage: str) -> None:
    change, check = HTTP_API_BREAKAGES[breakage]
    broken = _mutate(http_api, change)
    with pytest.raises(AssertionError):
        check(broken)


def test_check_catches_other_binaries(http_api: Template, api: Template) -> None:
    broken = _mutate(http_api, lambda t: t["Globals"]["Function"].update(CodeUri="."))
    with pytest.raises(AssertionError):
        check_same_binaries(broken, api)
