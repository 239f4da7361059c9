using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PortSipArchive;
using PortSipArchive.Api;
using PortSipArchive.Configuration;
using PortSipArchive.Local;

LocalOptions options;
string[] rest;
try
{
    (options, rest) = LocalOptions.Parse(args);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync(ex.Message + Environment.NewLine + LocalOptions.Usage);
    return 2;
}

if (rest.Contains("--help") || rest.Contains("-h"))
{
    Console.WriteLine(LocalOptions.Usage);
    return 0;
}

var builder = WebApplication.CreateBuilder(rest);
builder.WebHost.UseUrls($"http://127.0.0.1:{options.Port}");
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning).AddFilter("Microsoft.Extensions.Http", LogLevel.Warning).AddFilter("Polly", LogLevel.Warning);
using var starting = new CancellationTokenSource(TimeSpan.FromMinutes(2));
await using var environment = await LocalEnvironment.StartAsync(builder.Configuration, options, starting.Token);
try
{
    builder.Services.AddPortSipArchive(builder.Configuration);
    builder.Services.AddArchiveApi();
}
catch (InvalidSettingException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 3;
}

builder.Services.AddSingleton(options);
builder.Services.AddHostedService<LocalSyncLoop>();
builder.Services.AddHostedService<LocalQueueWorker>();
await using var app = builder.Build();
app.MapArchiveApi();
await app.StartAsync();

Console.WriteLine();
Console.WriteLine(environment.Pbx is null ? $"PortSIP: {builder.Configuration["PortSip:BaseUrl"] ?? "(sources from settings)"}" : $"Simulated PBX: {environment.Pbx.BaseUrl} (admin / admin-secret)");
Console.WriteLine(environment.UsesAzurite ? $"Azurite: {builder.Configuration["AzureWebJobsStorage"]}" : "Storage: from AzureWebJobsStorage");
Console.WriteLine($"Tables: {builder.Configuration["Archive:TablePrefix"] ?? "portsip"}* — syncing every {options.SyncInterval.TotalSeconds:0} s; recordings archived from the queue as host.json describes. Ctrl+C stops everything.");
var baseUrl = app.Urls.First();
LocalUrls.Print(baseUrl, TimeProvider.System.GetUtcNow());
var firstRecording = LocalUrls.PrintFirstRecordingAsync(baseUrl, TimeProvider.System.GetUtcNow(), app.Lifetime.ApplicationStopping);
await app.WaitForShutdownAsync();
await firstRecording.ContinueWith(_ => { }, TaskScheduler.Default);
return 0;
