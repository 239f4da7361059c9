namespace PortSipArchive.Infra.Tests;

/// <summary>
/// The app settings the Function App reads in Azure: the contract between the app and
/// infra/core/host/function-app.bicep. Mirror any change of the app's configuration here.
/// </summary>
internal static class AppSettingsContract
{
    /// <summary>Identity-based host storage, telemetry: set only in Azure (locally a connection string is used).</summary>
    public static readonly IReadOnlyList<string> Platform =
    [
        "AzureWebJobsStorage__blobServiceUri",
        "AzureWebJobsStorage__queueServiceUri",
        "AzureWebJobsStorage__tableServiceUri",
        "AzureWebJobsStorage__credential",
        "AzureWebJobsStorage__clientId",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
    ];

    /// <summary>The product's own settings: the same names in Azure and in local.settings.sample.json.</summary>
    public static readonly IReadOnlyList<string> Product =
    [
        "PortSip__SourceName",
        "PortSip__BaseUrl",
        "PortSip__Username",
        "PortSip__Password",
        "PortSip__TenantDomain",
        "PortSip__LoginStyle",
        "PortSip__ListMethod",
        "PortSip__PageSize",
        "SYNC_SCHEDULE",
        "Sync__StartDaysBack",
        "Sync__OverlapMinutes",
        "Sync__MaxRunSeconds",
        "Sync__MaxRequests",
        "RECORDINGS_QUEUE",
        "Recordings__DeleteFromPbxAfterArchive",
        "Archive__TablePrefix",
        "Archive__RecordingsContainer",
    ];

    public static IEnumerable<string> All => Platform.Concat(Product);

    /// <summary>Settings that Flex Consumption rejects or ignores (the runtime is in functionAppConfig).</summary>
    public static readonly IReadOnlyList<string> ForbiddenOnFlex =
    [
        "FUNCTIONS_WORKER_RUNTIME",
        "FUNCTIONS_EXTENSION_VERSION",
        "WEBSITE_RUN_FROM_PACKAGE",
        "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
        "WEBSITE_CONTENTSHARE",
        "linuxFxVersion",
    ];

    public static TheoryData<string> AllAsTheoryData() => new(All);
}
