using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using PortSipArchive.Api;

namespace PortSipArchive.Functions;

/// <summary>GET /api/openapi.json — the OpenAPI 3 document. A thin adapter over <see cref="ArchiveHttpApi"/>.</summary>
public sealed class OpenApiDocument(ArchiveHttpApi api)
{
    [Function(nameof(OpenApiDocument))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "openapi.json")] HttpRequest request, CancellationToken cancellationToken) =>
        api.OpenApiDocumentAsync(request, cancellationToken);
}
