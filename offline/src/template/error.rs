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
    #[error(
        "`{0}`: only V2_0 and V3_0 pre token generation events are emulated offline (V1_0 customises the ID token only; see docs/offline.md)"
    )]
    PreTokenVersion(String),
    #[error(
        "the legacy PreTokenGeneration trigger sends V1_0 events, not emulated offline: use PreTokenGenerationConfig with LambdaVersion V2_0 or V3_0"
    )]
    LegacyPreTokenGeneration,
    #[error("`{0}` is not the Arn of a function of the template (use !GetAtt Function.Arn)")]
    NotATemplateFunction(String),
    #[error(
        "Cognito may not invoke `{0}`: add an AWS::Lambda::Permission with Principal cognito-idp.amazonaws.com and SourceArn the pool's Arn"
    )]
    TriggerPermission(String),
    #[error("`{0}`: a custom attribute's name is 1 to 20 characters")]
    AttributeName(String),
    #[error(
        "`{0}` is not String or Number (the offline stack emulates those custom attribute types)"
    )]
    AttributeDataType(String),
    #[error("the attribute `{0}` is defined twice")]
    DuplicateAttribute(String),
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
    #[error("missing: the offline stack builds a function's Cargo binary by this name")]
    NoBinary,
    #[error(
        "`{0}` functions are not run offline (Rust on a provided runtime, built by rust-cargolambda); run this one with `sam local invoke` or `sam local start-api`"
    )]
    OtherRuntime(String),
    #[error(
        "`{0}`: only rust-cargolambda functions are built and run offline; run this one with `sam local invoke` or `sam local start-api`"
    )]
    OtherBuildMethod(String),
    #[error(
        "container image functions are not run offline; run this one with `sam local invoke` or `sam local start-api`"
    )]
    ImageFunction,
    #[error("inline code is not run offline (Rust functions are built from CodeUri)")]
    InlineCode,
    #[error("`{0}` is not a local folder (the offline stack builds and reads local code only)")]
    NotLocalCode(String),
    #[error("`{0}` is not a folder")]
    NotAFolder(String),
    #[error(
        "layers built by sam build (Metadata.BuildMethod) are not emulated offline: ContentUri is served as it is"
    )]
    LayerBuildMethod,
    #[error("`{0}` is not a layer of the template (AWS::Serverless::LayerVersion)")]
    UnknownLayer(String),
    #[error("`{0}` is reserved by Lambda: a function's configuration cannot set it")]
    ReservedVariable(String),
    #[error(
        "the function's environment is {0} bytes; Lambda caps all its variables together at 4096 (put large values in a file, e.g. ROUTE_SCOPES_FILE in a layer)"
    )]
    EnvironmentTooLarge(usize),
    #[error("`{0}`: only lambda:InvokeFunction permissions are read offline")]
    PermissionAction(String),
    #[error(
        "`{0}`: only permissions for apigateway.amazonaws.com and cognito-idp.amazonaws.com are read offline"
    )]
    PermissionPrincipal(String),
    #[error("the offline stack plays one user pool; found {0} AWS::Cognito::UserPool")]
    PoolCount(usize),

    // The REST API.
    #[error("not emulated by the offline stack")]
    UnsupportedApiProperty,
    #[error("`{0}` is not one of Auth.Authorizers")]
    UnknownDefaultAuthorizer(String),
    #[error("`{kind}` events are not emulated by the offline stack (only {expected} events)")]
    UnsupportedEvent {
        kind: String,
        expected: &'static str,
    },
    #[error(
        "must be `!Ref` to an API of the template, such as `!Ref {0}` (the implicit API is not emulated)"
    )]
    ImplicitApi(String),
    /// The route's method or path, as the authorizer's route parser words it.
    #[error("{0}")]
    Route(authorizer::PatternError),
    #[error("`{0}` is not one of the API's Auth.Authorizers")]
    UnknownAuthorizer(String),
    #[error("repeats the route of {0}")]
    RepeatedRoute(String),
    #[error(
        "the API has no route (functions' Events of type Api or HttpApi, or DefinitionBody paths)"
    )]
    NoRoute,
    #[error(
        "the offline stack runs a template's APIs; this one has no AWS::Serverless::Api or AWS::Serverless::HttpApi"
    )]
    NoApi,
    #[error(
        "`{stage}` is also the stage of {other}: the offline stack serves each API of a template at its stage's path, so they must differ"
    )]
    SameStage { stage: String, other: String },
    #[error("`{0}` is not a function of the template")]
    UnknownFunction(String),
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

    // OpenAPI definitions.
    #[error("`{0}` is not an identity source the offline gateway reads")]
    IdentitySource(String),
    #[error("{0}")]
    Include(String),
    #[error(
        "{0}: short-form tags (!Sub, !Ref, ...) are not read in an included file (AWS::Include); use the long form (Fn::Sub:)"
    )]
    IncludeShortForm(String),
    #[error(
        "a security scheme without x-amazon-apigateway-authorizer (an API key, IAM) is not emulated offline"
    )]
    NotALambdaAuthorizer,
    #[error(
        "`{0}` authorizers are of the other kind of API (cognito_user_pools: REST APIs; jwt: HTTP APIs)"
    )]
    OtherKindsAuthorizer(String),
    #[error("a token authorizer reads one header (method.request.header.NAME)")]
    TokenIdentity,
    #[error(
        "scopes on a Lambda authorizer's security requirement: API Gateway reads them only for Cognito authorizers, so they would be ignored"
    )]
    LambdaScopes,
    #[error("API Gateway applies one authorizer to a method: give one security requirement")]
    ManySecurityRequirements,
    #[error(
        "`{0}` is defined twice (SAM's Auth.Authorizers and the definition's security schemes)"
    )]
    RepeatedAuthorizer(String),
    #[error(
        "REST APIs do not apply the root-level security (every operation would be open): put `security` on each operation, or use SAM's Auth.DefaultAuthorizer"
    )]
    RootSecurity,
    #[error(
        "not emulated: AWS documents no behaviour for an HTTP API's root-level security; put `security` on each operation"
    )]
    HttpRootSecurity,
    #[error("basePath `{0}` is not emulated offline (paths are read from the root)")]
    BasePath(String),
    #[error(
        "missing: API Gateway refuses an operation without an integration (aws_proxy to a function, or mock)"
    )]
    NoIntegration,
    #[error(
        "`{0}` integrations are not emulated offline (aws_proxy to a function of the template, or mock)"
    )]
    UnsupportedIntegration(String),
    #[error("a Lambda function is invoked with POST (API Gateway's integration request)")]
    LambdaInvokeMethod,
    #[error(
        "API Gateway may not invoke `{function}` for `{source_arn}`: no AWS::Lambda::Permission for apigateway.amazonaws.com allows it and there are no credentials, so every call would get 500"
    )]
    NoLambdaPermission {
        function: String,
        source_arn: String,
    },
    #[error(
        "a mock's request template must be static JSON with a statusCode (`{{\"statusCode\": 200}}`): VTL is not emulated offline"
    )]
    MockTemplate,
    #[error("no integration response matches the status `{0}` (API Gateway would answer 500)")]
    NoMockResponse(String),
    #[error("more than one selection pattern matches the status `{0}`")]
    ManyMockResponses(String),
    #[error("more than one response template: the offline stack answers one")]
    ManyTemplates,
    #[error("VTL is not emulated offline: static text only (no `$` or `#`)")]
    Vtl,
    #[error(
        "CORS is set twice: SAM's CorsConfiguration and the definition's x-amazon-apigateway-cors"
    )]
    TwoCorsConfigurations,

    // Running it.
    #[error("the authorizer `{0}` has no function")]
    NoAuthorizerFunction(String),
    #[error("the authorizer's HTTP client: {0}")]
    HttpClient(String),
}
