using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using PortSipArchive.Configuration;

namespace PortSipArchive.Storage;

/// <summary>
/// The storage account behind <c>AzureWebJobsStorage</c>, in either of the Functions-standard forms:
/// a connection string (Azurite locally), or the identity form in Azure —
/// <c>AzureWebJobsStorage__blobServiceUri</c>, <c>__queueServiceUri</c>, <c>__tableServiceUri</c> (or <c>__accountName</c>),
/// <c>__credential</c> = managedidentity and <c>__clientId</c> of the user-assigned identity.
/// Queue clients encode messages as Base64, which is what the queue trigger reads.
/// </summary>
public sealed class StorageConnection
{
    public const string SettingName = "AzureWebJobsStorage";

    private StorageConnection(string? connectionString, Uri blob, Uri queue, Uri table, TokenCredential? credential, string description)
    {
        ConnectionString = connectionString;
        BlobEndpoint = blob;
        QueueEndpoint = queue;
        TableEndpoint = table;
        Credential = credential;
        Description = description;
    }

    /// <summary>Set for the connection-string form only.</summary>
    public string? ConnectionString { get; }

    public Uri BlobEndpoint { get; }

    public Uri QueueEndpoint { get; }

    public Uri TableEndpoint { get; }

    /// <summary>The identity used in the identity-based form; null with a connection string.</summary>
    public TokenCredential? Credential { get; }

    /// <summary>Which form and credential, without any secret (for logs and diagnostics).</summary>
    public string Description { get; }

    public static StorageConnection FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var plain = configuration[SettingName];
        if (!string.IsNullOrWhiteSpace(plain))
        {
            return FromConnectionString(plain);
        }

        var section = configuration.GetSection(SettingName);
        var reader = new SettingReader(section, SettingName);
        var account = reader.String("accountName");
        Uri Endpoint(string key, string service) =>
            reader.String(key) is { } text
                ? Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : throw new InvalidSettingException(reader.NameOf(key), $"'{text}' is not an absolute URL.")
                : account is not null ? new Uri($"https://{account}.{service}.core.windows.net/")
                : throw new InvalidSettingException(reader.NameOf(key), $"is required (or set {SettingName} to a connection string, or {reader.NameOf("accountName")}).");

        var blob = Endpoint("blobServiceUri", "blob");
        var queue = Endpoint("queueServiceUri", "queue");
        var table = Endpoint("tableServiceUri", "table");
        var credentialKind = reader.String("credential");
        var clientId = reader.String("clientId");
        TokenCredential credential;
        string description;
        if (string.Equals(credentialKind, "managedidentity", StringComparison.OrdinalIgnoreCase))
        {
            credential = clientId is null
                ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
            description = clientId is null ? "managed identity (system-assigned)" : $"managed identity (client id {clientId})";
        }
        else if (credentialKind is null)
        {
            credential = new DefaultAzureCredential();
            description = "DefaultAzureCredential";
        }
        else
        {
            throw new InvalidSettingException(reader.NameOf("credential"), $"'{credentialKind}' is not supported; use 'managedidentity' or leave it empty.");
        }

        return new StorageConnection(null, blob, queue, table, credential, $"identity-based, {description}");
    }

    public static StorageConnection FromConnectionString(string connectionString)
    {
        try
        {
            var blob = new BlobServiceClient(connectionString).Uri;
            var queue = new QueueServiceClient(connectionString).Uri;
            var table = new TableServiceClient(connectionString).Uri;
            return new StorageConnection(connectionString, blob, queue, table, null, "connection string");
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidSettingException(SettingName, "is not a valid storage connection string.");
        }
    }

    public BlobServiceClient CreateBlobServiceClient() =>
        ConnectionString is not null ? new BlobServiceClient(ConnectionString) : new BlobServiceClient(BlobEndpoint, Credential);

    public TableServiceClient CreateTableServiceClient() =>
        ConnectionString is not null ? new TableServiceClient(ConnectionString) : new TableServiceClient(TableEndpoint, Credential);

    public QueueServiceClient CreateQueueServiceClient()
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        return ConnectionString is not null
            ? new QueueServiceClient(ConnectionString, options)
            : new QueueServiceClient(QueueEndpoint, Credential, options);
    }
}
