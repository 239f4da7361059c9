using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using PortSipArchive.Configuration;
using PortSipArchive.Storage;
using PortSipArchive.Tests.Infrastructure;

namespace PortSipArchive.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class StorageConnectionTests(AzuriteFixture azurite)
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public async Task Connection_string_form_reaches_azurite_with_shared_key()
    {
        var connection = StorageConnection.FromConfiguration(Config(("AzureWebJobsStorage", azurite.ConnectionString)));

        Assert.Null(connection.Credential);
        Assert.Equal("connection string", connection.Description);
        Assert.StartsWith("http://127.0.0.1:", connection.TableEndpoint.ToString(), StringComparison.Ordinal);
        var table = connection.CreateTableServiceClient().GetTableClient(AzuriteFixture.UniqueName("conn"));
        await table.CreateAsync();
        await table.AddEntityAsync(new TableEntity("p", "r") { ["x"] = 1 });
        Assert.Equal(1, (await table.GetEntityAsync<TableEntity>("p", "r")).Value.GetInt32("x"));
    }

    [Fact]
    public void Identity_form_uses_the_user_assigned_managed_identity_and_the_three_endpoints()
    {
        var connection = StorageConnection.FromConfiguration(Config(
            ("AzureWebJobsStorage:blobServiceUri", "https://starchive.blob.core.windows.net"),
            ("AzureWebJobsStorage:queueServiceUri", "https://starchive.queue.core.windows.net"),
            ("AzureWebJobsStorage:tableServiceUri", "https://starchive.table.core.windows.net"),
            ("AzureWebJobsStorage:credential", "managedidentity"),
            ("AzureWebJobsStorage:clientId", "00000000-1111-2222-3333-444444444444")));

        Assert.Null(connection.ConnectionString);
        Assert.IsType<ManagedIdentityCredential>(connection.Credential);
        Assert.Contains("client id 00000000-1111-2222-3333-444444444444", connection.Description, StringComparison.Ordinal);
        Assert.Equal("https://starchive.blob.core.windows.net/", connection.BlobEndpoint.ToString());
        Assert.Equal("https://starchive.queue.core.windows.net/", connection.QueueEndpoint.ToString());
        Assert.Equal("https://starchive.table.core.windows.net/", connection.TableEndpoint.ToString());
        Assert.Equal(connection.TableEndpoint, connection.CreateTableServiceClient().Uri);
        Assert.Equal(connection.QueueEndpoint, connection.CreateQueueServiceClient().Uri);
    }

    [Fact]
    public void Identity_form_with_account_name_builds_public_cloud_endpoints()
    {
        var connection = StorageConnection.FromConfiguration(Config(("AzureWebJobsStorage:accountName", "starchive"), ("AzureWebJobsStorage:credential", "managedidentity")));

        Assert.Equal("https://starchive.table.core.windows.net/", connection.TableEndpoint.ToString());
        Assert.Contains("system-assigned", connection.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Identity_form_without_credential_uses_the_default_azure_credential()
    {
        var connection = StorageConnection.FromConfiguration(Config(
            ("AzureWebJobsStorage:blobServiceUri", "https://a.blob.core.windows.net"),
            ("AzureWebJobsStorage:queueServiceUri", "https://a.queue.core.windows.net"),
            ("AzureWebJobsStorage:tableServiceUri", "https://a.table.core.windows.net")));

        Assert.IsType<DefaultAzureCredential>(connection.Credential);
    }

    [Theory]
    [InlineData("AzureWebJobsStorage__tableServiceUri", "AzureWebJobsStorage:blobServiceUri", "https://a.blob.core.windows.net", "AzureWebJobsStorage:queueServiceUri", "https://a.queue.core.windows.net")]
    [InlineData("AzureWebJobsStorage__credential", "AzureWebJobsStorage:accountName", "a", "AzureWebJobsStorage:credential", "clientsecret")]
    public void Incomplete_identity_form_names_the_setting(string expected, string k1, string v1, string k2, string v2)
    {
        var ex = Assert.Throws<InvalidSettingException>(() => StorageConnection.FromConfiguration(Config((k1, v1), (k2, v2))));
        Assert.Equal(expected, ex.SettingName);
    }

    [Fact]
    public void Missing_storage_setting_is_reported()
    {
        var ex = Assert.Throws<InvalidSettingException>(() => StorageConnection.FromConfiguration(Config()));
        Assert.StartsWith("AzureWebJobsStorage__", ex.SettingName, StringComparison.Ordinal);
    }
}
