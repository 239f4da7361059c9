using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace PortSipArchive.Functions;

public sealed class Ping
{
    [Function(nameof(Ping))]
    public static IActionResult Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "ping")] HttpRequest request)
        => new OkObjectResult(new { ok = true });
}
