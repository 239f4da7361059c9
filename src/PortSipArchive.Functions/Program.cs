using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using PortSipArchive;
using PortSipArchive.Api;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddPortSipArchive(builder.Configuration);
builder.Services.AddArchiveApi();
builder.Build().Run();
