//! Why a template cannot run offline: the file, the path inside it (`Resources.X.Properties.Y`)
//! and the problem, one variant per kind of problem.

use std::path::{Path, PathBuf};

/// A construct of the template the offline stack cannot read or emulate.
#[derive(Debug, thiserror::Error)]
#[error("{}: {path}: {problem}", file.display())]
pub struct TemplateError {
    pub(crate) file: PathBuf,
    /// Where in the template, e.g. `Resources.AuthorizerFunction.Properties.Environment`.
    pub(crate) path: String,
    pub(crate) problem: Problem,
}

/// Why a template (or the auth stack's) cannot be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error("{}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// A problem at a path of a template whose file the caller knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Located {
    pub(crate) path: String,
    pub(crate) problem: Problem,
}

impl Located {
    pub(crate) fn in_file(self, file: &Path) -> TemplateError {
        TemplateError {
            file: file.to_owned(),
            path: self.path,
            problem: self.problem,
        }
    }
}

impl Problem {
    /// This problem at `path`.
    pub(crate) fn at(self, path: impl Into<String>) -> Located {
        Located {
            path: path.into(),
            problem: self,
        }
    }
}

/// What is wrong. The texts are the ones printed at start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum Problem {
    // The YAML document.
    /// The YAML parser's message.
    #[error("{0}")]
    Yaml(String),
    #[error("the file is empty")]
    EmptyFile,
    #[error("more than one YAML document")]
    ManyDocuments,
    #[error("a mapping key that is not a scalar")]
    KeyNotScalar,
    #[error("the key `{0}` appears twice")]
    DuplicateKey(String),
    #[error("the tag `{0}` is not supported")]
    UnsupportedTag(String),
    #[error("the tag `!{0}` is not a CloudFormation function")]
    UnknownFunctionTag(String),
    #[error("`!GetAtt {0}`: expected Resource.Attribute")]
    GetAttShortForm(String),
    #[error("YAML aliases are not supported")]
    Alias,
    #[error("a value YAML cannot represent")]
    BadValue,

    // Values of the wrong shape.
    #[error("missing")]
    Missing,
    #[error("missing or not a string")]
    MissingString,
    #[error("not a string")]
    NotAString,
    #[error("not a mapping")]
    NotAMapping,
    #[error("expected a string, found {0}")]
    ExpectedString(String),
    #[error("not a whole number")]
    NotWholeNumber,
    #[error("not a boolean")]
    NotABoolean,
    #[error("expected a whole number from {min} to {max}")]
    OutOfRange { min: u64, max: u64 },
    #[error(
        "not read by the offline stack (it refuses what it does not know rather than ignore it)"
    )]
    UnreadProperty,

    // Intrinsic functions.
    #[error("`{0}` is not supported by the offline stack")]
    UnsupportedFunction(String),
    /// The function's arguments are not of the shape it takes (the text says which).
    #[error("`{function}` takes {shape}")]
    FunctionArguments {
        function: &'static str,
        shape: &'static str,
    },
    #[error("`Ref {0}`: not a parameter or a resource the offline stack knows")]
    UnknownRef(String),
    #[error("`!GetAtt {0}`: not an attribute the offline stack knows")]
    UnknownAttribute(String),
    #[error("`Fn::Join`: the delimiter must be a string")]
    JoinDelimiter,
    #[error("expected a list, found {0}")]
    ExpectedList(String),
    #[error("`{0}` is a list (a CommaDelimitedList parameter); use Fn::Join or Fn::Select")]
    ListInText(String),
    #[error("`Fn::Select`: index {index} is not within the list of {len}")]
    SelectIndex { index: String, len: usize },
    #[error("`{0}` is not a condition of the template's Conditions")]
    UnknownCondition(String),
    #[error("the condition `{0}` refers to itself")]
    ConditionCycle(String),
    #[error("`{0}` is not a condition function (Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition)")]
    NotACondition(String),
    #[error("`Fn::Sub`: unclosed `${{` in `{0}`")]
    SubUnclosed(String),
    #[error(
        "`Fn::Sub`: `${{{0}}}` is not a parameter, resource or attribute the offline stack knows"
    )]
    SubUnknown(String),

    // Parameters.
    #[error("the override `{0}` is not a parameter of the template")]
    UnknownOverride(String),
    #[error(
        "no Default and no override: set it in samconfig.toml's parameter_overrides or with --parameter-overrides"
    )]
    NoValue,
    #[error("`{0}` is not supported offline")]
    UnsupportedParameterType(String),
    #[error(
        "the SSM parameter `{0}` is not published by the auth stack's template (check --auth-template and the auth stack name)"
    )]
    UnpublishedSsmParameter(String),
    #[error("`{0}` is not one of AllowedValues")]
    NotAllowedValue(String),
    #[error("AllowedPattern does not compile: {0}")]
    BadAllowedPattern(String),
    #[error("`{value}` does not match AllowedPattern `{pattern}`")]
    PatternMismatch { value: String, pattern: String },
    #[error("`{0}` is not a number")]
    NotANumber(String),
    #[error("`{0}` is below MinValue")]
    BelowMinValue(String),
    #[error("`{0}` is above MaxValue")]
    AboveMaxValue(String),
    #[error("`{0}` is shorter than MinLength")]
    BelowMinLength(String),
    #[error("`{0}` is longer than MaxLength")]
    AboveMaxLength(String),

    // Resources.
    #[error("`{0}` is not emulated by the offline stack")]
    UnsupportedResource(String),
    #[error("`{given}` is not the local user pool `{pool}`")]
    OtherUserPool { given: String, pool: String },
    #[error("app client without credentials")]
    NoCredentials,
    #[error("UsernameAttributes and AliasAttributes exclude each other")]
    UsernameAndAliasAttributes,
    #[error("client_credentials cannot be allowed with code or implicit in one app client")]
    MixedOAuthFlows,
    #[error("client_credentials needs a client secret (GenerateSecret: true)")]
    ClientCredentialsWithoutSecret,
    #[error(
        "`{0}`: the legacy flow names are not read offline; use the ALLOW_ names (e.g. ALLOW_USER_SRP_AUTH)"
    )]
    LegacyAuthFlow(String),
    #[error("unknown sign-in flow `{0}`")]
    UnknownAuthFlow(String),
    #[error("`{0}` is not COGNITO: federated identity providers are not emulated offline")]
    FederatedIdentityProvider(String),
    #[error("`{0}`: {1}")]
    BadRedirectUrl(String, &'static str),
    #[error("`{0}` is not one of CallbackURLs")]
    DefaultRedirectNotCallback(String),
    #[error("{seconds} s is outside Cognito's {min} to {max} s for this token")]
    Validity { seconds: u64, min: u64, max: u64 },
    #[error("`{0}` is not ENABLED or LEGACY")]
    UserExistenceErrors(String),
    #[error("the group name `{0}` is not 1 to 128 letters, marks, symbols, numbers or punctuation")]
    BadGroupName(String),
    #[error("the group `{group}` is also defined by {other}")]
    RepeatedGroup { group: String, other: String },
    #[error("longer than {0} characters")]
    TooLong(usize),
    #[error("`{0}` is not a scope of the pool's resource servers")]
    UnknownScope(String),
    #[error("`{0}` is not seconds, minutes, hours or days")]
    TimeUnit(String),
    #[error("unknown flow `{0}`")]
    UnknownFlow(String),
    #[error("missing: the offline stack runs rust-cargolambda functions by binary name")]
    NoBinary,
    #[error("`{binary}` is not a binary the offline stack runs ({known})")]
    UnknownBinary { binary: String, known: String },
    #[error(
        "the offline stack runs exactly one AWS::Serverless::Api or AWS::Serverless::HttpApi; found {0}"
    )]
    ApiCount(usize),
    #[error("the offline stack plays one user pool; found {0} AWS::Cognito::UserPool")]
    PoolCount(usize),

    // The REST API.
    #[error("not emulated by the offline stack")]
    UnsupportedApiProperty,
    #[error("`{0}` is not one of Auth.Authorizers")]
    UnknownDefaultAuthorizer(String),
    #[error("`{kind}` events are not emulated by the offline stack (only {expected} on this API)")]
    UnsupportedEvent {
        kind: String,
        expected: &'static str,
    },
    #[error("must be `!Ref {0}` (the implicit API is not emulated)")]
    ImplicitApi(String),
    /// The route's method or path, as the authorizer's route parser words it.
    #[error("{0}")]
    Route(authorizer::PatternError),
    #[error("`{0}` is not one of the API's Auth.Authorizers")]
    UnknownAuthorizer(String),
    #[error("the function `{0}` is not a proxy integration the offline stack runs")]
    NotAProxyIntegration(String),
    #[error("repeats the route of {0}")]
    RepeatedRoute(String),
    #[error("the API has no route (functions' Events of type Api or HttpApi)")]
    NoRoute,
    #[error("`{0}` is not a function of the template")]
    UnknownFunction(String),
    #[error("`{0}` is not the authorizer binary")]
    NotTheAuthorizer(String),
    #[error("`{0}` authorizers are not emulated offline (TOKEN and REQUEST only)")]
    UnsupportedPayload(String),
    /// `ValidationExpression` does not compile (the regex crate's message).
    #[error("{0}")]
    BadValidationExpression(String),
    #[error("expected 0 to 3600 seconds")]
    ReauthorizeEvery,
    #[error(
        "missing: API Gateway documents no default authorizer cache TTL for HTTP APIs; set it (0 turns caching off)"
    )]
    NoReauthorizeEvery,
    #[error(
        "caching (ReauthorizeEvery above 0) needs at least one identity source (Headers, QueryStrings, StageVariables or Context): API Gateway refuses this configuration"
    )]
    CacheWithoutIdentity,
    #[error("`$context.{name}` is not an identity source the offline gateway gives ({known})")]
    UnknownContextVariable { name: String, known: String },
    #[error(
        "`{0}`: only payload format 2.0 is emulated for HTTP API Lambda authorizers (the authorizer refuses 1.0)"
    )]
    AuthorizerPayloadVersion(String),
    #[error(
        "only simple responses (EnableSimpleResponses: true) are emulated: the authorizer answers payload 2.0 with isAuthorized"
    )]
    SimpleResponsesOnly,
    #[error(
        "API Gateway may not invoke the authorizer: every request would get 500 (set {0}, or a FunctionInvokeRole)"
    )]
    NoInvokePermission(&'static str),
    #[error(
        "`{0}`: a JWT authorizer reads one header or query parameter ($request.header.NAME or $request.querystring.NAME)"
    )]
    JwtIdentitySource(String),
    #[error(
        "`{given}` is not the local user pool's issuer `{expected}`: offline, only that pool signs tokens"
    )]
    OtherIssuer { given: String, expected: String },
    #[error(
        "scopes without the event's own Auth.Authorizer (SAM refuses them on a REST API and ignores them on an HTTP API): name the authorizer"
    )]
    ScopesWithoutAuthorizer,
    #[error(
        "API Gateway applies AuthorizationScopes only with its own authorizers (COGNITO_USER_POOLS, JWT), not with the Lambda authorizer `{0}`: its rules are its own (ROUTE_SCOPES)"
    )]
    ScopesOnLambdaAuthorizer(String),
    #[error("the IAM authorizer is not emulated offline")]
    IamAuthorizer,
    #[error("`{0}`: only payload format 2.0 is emulated for HTTP API integrations")]
    EventPayloadVersion(String),
    #[error("give both Path and Method, or neither for the $default route")]
    HalfRoute,
    #[error("`{0}` is not a stage variable name (letters, digits and _)")]
    BadStageVariable(String),
    #[error("`{0}` is not a stage name (letters, digits, - and _, at most 128; or $default)")]
    BadStageName(String),
    #[error("`{0}`: only exact origins, `*`, `https://*` and `http://*` are emulated")]
    CorsOriginPattern(String),
    #[error("AllowCredentials cannot be true with AllowOrigins `*` (SAM refuses it)")]
    CorsCredentialsWithAnyOrigin,
    #[error("`{0}` is not an API Gateway response type")]
    UnknownResponseType(String),
    #[error("not an HTTP status")]
    NotAStatus,
    #[error("not emulated offline (Headers only)")]
    ResponseParameter,
    #[error("only static values ('quoted') are emulated offline")]
    DynamicHeader,
    #[error(
        "expected a quoted static value such as \"'https://app.example.com'\", as SAM's Cors takes it"
    )]
    UnquotedCorsValue,
    #[error("response caching is not emulated offline")]
    Caching,
    #[error("not a number")]
    NotANumberValue,
    #[error("needs an application/json template")]
    NoJsonTemplate,
    #[error("`{0}` is not emulated offline ($context.error.message[String] only)")]
    TemplateVariable(String),

    // Running it.
    #[error("the authorizer `{0}` has no function")]
    NoAuthorizerFunction(String),
    #[error("the authorizer's HTTP client: {0}")]
    HttpClient(String),
}
