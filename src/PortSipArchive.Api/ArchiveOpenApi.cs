using Microsoft.OpenApi;
using Microsoft.OpenApi.MicrosoftExtensions;

namespace PortSipArchive.Api;

/// <summary>
/// The OpenAPI 3 document of the API, built with the Microsoft.OpenApi object model: every route with its parameters and
/// responses, <c>x-ms-pageable</c> (nextLinkName <c>nextLink</c>) on collections, and the function key as an API key
/// (<c>code</c> in the query or the <c>x-functions-key</c> header).
/// </summary>
public static class ArchiveOpenApi
{
    public static readonly string[] Routes =
        ["/cdrs", "/cdrs/{id}", "/recordings", "/recordings/{id}", "/recordings/{id}/content", "/stats/daily", "/status", "/openapi.json"];

    public static async Task<string> JsonAsync(string serverUrl, CancellationToken cancellationToken) =>
        await Build(serverUrl).SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_0, cancellationToken);

    public static OpenApiDocument Build(string serverUrl)
    {
        var document = new OpenApiDocument
        {
            Info = new OpenApiInfo { Title = "PortSIP Call Archive", Version = "1.0", Description = "CDRs, call recordings and statistics archived from PortSIP PBX." },
            Servers = [new OpenApiServer { Url = serverUrl }],
            Paths = [],
            Components = new OpenApiComponents
            {
                SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
                {
                    ["functionKeyQuery"] = new OpenApiSecurityScheme { Type = SecuritySchemeType.ApiKey, Name = "code", In = ParameterLocation.Query, Description = "Function key" },
                    ["functionKeyHeader"] = new OpenApiSecurityScheme { Type = SecuritySchemeType.ApiKey, Name = "x-functions-key", In = ParameterLocation.Header, Description = "Function key" },
                },
                Schemas = new Dictionary<string, IOpenApiSchema>
                {
                    ["Cdr"] = OpenApiSchemas.Of(typeof(CdrItem)),
                    ["Recording"] = OpenApiSchemas.Of(typeof(RecordingItem)),
                    ["DailyStats"] = OpenApiSchemas.Of(typeof(StatsItem)),
                    ["Status"] = OpenApiSchemas.Of(typeof(ArchiveStatus)),
                    ["Error"] = OpenApiSchemas.Error(),
                },
            },
        };
        document.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("functionKeyQuery", document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("functionKeyHeader", document)] = [] },
        ];
        document.Paths["/cdrs"] = Get(Collection(document, "listCdrs", "CDRs whose call started in [from, to)", "Cdr",
            [.. OpenApiParameters.Range(), OpenApiParameters.Text("extension", "Caller or callee"), OpenApiParameters.Text("caller", "Caller number"), OpenApiParameters.Text("callee", "Callee number"),
             OpenApiParameters.Text("direction", "PortSIP direction, e.g. INBOUND"), OpenApiParameters.Bool("answered"), OpenApiParameters.Int("minDuration", "Minimum talk seconds", 0, 100_000_000), .. OpenApiParameters.Paging()]));
        document.Paths["/cdrs/{id}"] = Get(Single(document, "getCdr", "One CDR with the ids of its recordings", "Cdr", [OpenApiParameters.Id(), OpenApiParameters.Text("source", "Source name")]));
        document.Paths["/recordings"] = Get(Collection(document, "listRecordings", "Recordings whose start is in [from, to)", "Recording",
            [.. OpenApiParameters.Range(), OpenApiParameters.Text("extension", "Caller or callee"), OpenApiParameters.Choice("status", "pending", "archived", "failed", "missing"), .. OpenApiParameters.Paging()]));
        document.Paths["/recordings/{id}"] = Get(Single(document, "getRecording", "A recording's metadata and archive status", "Recording", [OpenApiParameters.Id(), OpenApiParameters.Text("source", "Source name")]));
        document.Paths["/recordings/{id}/content"] = Get(Content(document));
        document.Paths["/stats/daily"] = Get(Collection(document, "dailyStats", "Per day: calls, answered, missed, talk seconds", "DailyStats",
            [.. OpenApiParameters.Range(), OpenApiParameters.Choice("groupBy", "none", "extension", "direction"), OpenApiParameters.Text("extension", "One extension (groupBy=extension)"), .. OpenApiParameters.Paging()]));
        document.Paths["/status"] = Get(Single(document, "status", "Sync health per source", "Status", [OpenApiParameters.Text("source", "Source name")]));
        document.Paths["/openapi.json"] = Get(new OpenApiOperation
        {
            OperationId = "openApi",
            Summary = "This document",
            Responses = new OpenApiResponses { ["200"] = new OpenApiResponse { Description = "OpenAPI 3 document", Content = Json(new OpenApiSchema { Type = JsonSchemaType.Object }) } },
        });
        return document;
    }

    private static OpenApiPathItem Get(OpenApiOperation operation) =>
        new() { Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Get] = operation } };

    private static Dictionary<string, IOpenApiMediaType> Json(IOpenApiSchema schema) => new() { ["application/json"] = new OpenApiMediaType { Schema = schema } };

    private static OpenApiResponse ErrorResponse(OpenApiDocument document, string description) =>
        new() { Description = description, Content = Json(new OpenApiSchemaReference("Error", document)) };

    private static OpenApiOperation Collection(OpenApiDocument document, string id, string summary, string item, List<IOpenApiParameter> parameters)
    {
        var page = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["value"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchemaReference(item, document) },
                ["nextLink"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri", Description = "Absent on the last page" },
            },
        };
        var content = Json(page);
        content["text/csv"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
        return new OpenApiOperation
        {
            OperationId = id,
            Summary = summary,
            Parameters = parameters,
            Responses = new OpenApiResponses
            {
                ["200"] = new OpenApiResponse { Description = "A page (format=csv: CSV with the next page in a Link header)", Content = content },
                ["400"] = ErrorResponse(document, "Invalid parameter or continuation"),
            },
            Extensions = new Dictionary<string, IOpenApiExtension> { ["x-ms-pageable"] = new OpenApiPagingExtension { NextLinkName = "nextLink" } },
        };
    }

    private static OpenApiOperation Single(OpenApiDocument document, string id, string summary, string schema, List<IOpenApiParameter> parameters) => new()
    {
        OperationId = id,
        Summary = summary,
        Parameters = parameters,
        Responses = new OpenApiResponses
        {
            ["200"] = new OpenApiResponse { Description = summary, Content = Json(new OpenApiSchemaReference(schema, document)) },
            ["400"] = ErrorResponse(document, "Invalid parameter"),
            ["404"] = ErrorResponse(document, "Not found"),
        },
    };

    private static OpenApiOperation Content(OpenApiDocument document) => new()
    {
        OperationId = "getRecordingContent",
        Summary = "The recording's audio; supports Range (206)",
        Parameters = [OpenApiParameters.Id(), OpenApiParameters.Text("source", "Source name"), new OpenApiParameter { Name = "Range", In = ParameterLocation.Header, Schema = new OpenApiSchema { Type = JsonSchemaType.String } }],
        Responses = new OpenApiResponses
        {
            ["200"] = new OpenApiResponse { Description = "The audio", Content = new Dictionary<string, IOpenApiMediaType> { ["audio/*"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } } } },
            ["206"] = new OpenApiResponse { Description = "A byte range of the audio" },
            ["404"] = ErrorResponse(document, "Unknown recording, or not archived (error.status tells its archive status)"),
            ["416"] = new OpenApiResponse { Description = "Range not satisfiable" },
        },
    };

}
