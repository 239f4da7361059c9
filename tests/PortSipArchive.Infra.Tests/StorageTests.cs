using System.Text.Json;
using System.Text.RegularExpressions;
using static PortSipArchive.Infra.Tests.Wiring;

namespace PortSipArchive.Infra.Tests;

public partial class StorageTests
{
    [Theory]
    [InlineData("kind", "StorageV2")]
    [InlineData("properties.allowSharedKeyAccess", "false")]
    [InlineData("properties.allowBlobPublicAccess", "false")]
    [InlineData("properties.minimumTlsVersion", "TLS1_2")]
    [InlineData("properties.supportsHttpsTrafficOnly", "true")]
    [InlineData("properties.defaultToOAuthAuthentication", "true")]
    [InlineData("properties.allowCrossTenantReplication", "false")]
    public void Account_security_property(string path, string expected) =>
        Assert.Equal(expected, StorageAccount.Text(path));

    [Fact]
    public void Deleted_blobs_versions_and_containers_are_recoverable()
    {
        var blobService = Arm.Single("Microsoft.Storage/storageAccounts/blobServices");
        Assert.Equal(JsonValueKind.True, blobService.At("properties.isVersioningEnabled").ValueKind);
        Assert.Equal(JsonValueKind.True, blobService.At("properties.deleteRetentionPolicy.enabled").ValueKind);
        Assert.Equal(JsonValueKind.True, blobService.At("properties.containerDeleteRetentionPolicy.enabled").ValueKind);

        Assert.Equal("blobSoftDeleteDays", MainParameterBehind(blobService, blobService.Text("properties.deleteRetentionPolicy.days")));
        Assert.Equal("blobSoftDeleteDays", MainParameterBehind(blobService, blobService.Text("properties.containerDeleteRetentionPolicy.days")));
        var softDelete = Arm.Parameter("blobSoftDeleteDays");
        Assert.Equal(14, softDelete.GetProperty("defaultValue").GetInt32());
        Assert.True(softDelete.GetProperty("minValue").GetInt32() >= 1);
    }

    [Fact]
    public void Every_container_is_private()
    {
        var containers = Arm.OfType("Microsoft.Storage/storageAccounts/blobServices/containers").ToList();
        Assert.True(containers.Count >= 2, "Expected the deployment and recordings containers.");
        Assert.All(containers, c => Assert.Equal("None", c.Text("properties.publicAccess")));
    }

    [Fact]
    public void Recordings_container_is_the_one_the_app_writes_to()
    {
        var setting = SettingResolved("Archive__RecordingsContainer");
        var containers = Arm.OfType("Microsoft.Storage/storageAccounts/blobServices/containers").Select(ResolveLastNameSegment);
        Assert.Contains(setting, containers);
    }

    [Fact]
    public void Recordings_queue_is_the_one_the_app_uses()
    {
        var setting = SettingResolved("RECORDINGS_QUEUE");
        var queue = Arm.Single("Microsoft.Storage/storageAccounts/queueServices/queues");
        Assert.Equal(setting, ResolveLastNameSegment(queue));
    }

    [Fact]
    public void Template_never_reads_account_keys_or_builds_sas()
    {
        Assert.DoesNotMatch(ListFunction(), Arm.Text);
        Assert.DoesNotContain("AccountKey", Arm.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Lifecycle_policy_tiers_recordings_to_cool_then_cold_or_archive()
    {
        var policy = Arm.Single("Microsoft.Storage/storageAccounts/managementPolicies");
        var rules = policy.Resolved("properties.policy.rules");
        var (variable, rule) = RuleVariable(policy, "recordings-tiering");

        // Present in both branches: whatever deleteAfterYears is, recordings are tiered.
        Assert.Equal(2, Regex.Count(rules, Regex.Escape($"variables('{variable}')")));
        Assert.Equal("true", rule.GetProperty("enabled").GetRawText());

        var filters = ArmTemplate.Resolve(policy, rule.GetProperty("definition").GetProperty("filters"));
        var prefix = Assert.Single(filters.GetProperty("prefixMatch").EnumerateArray()).GetString()!;
        Assert.Equal("recordingsContainerName", MainParameterBehind(policy, prefix));
        Assert.Contains("/'", prefix, StringComparison.Ordinal);

        var baseBlob = ArmTemplate.AsText(rule.GetProperty("definition").GetProperty("actions").GetProperty("baseBlob"));
        Assert.Contains("createObject('tierToCool', createObject('daysAfterModificationGreaterThan', ", baseBlob, StringComparison.Ordinal);
        Assert.Equal(["coolAfterDays"], MainParametersIn(policy, baseBlob));

        var coldVariable = Regex.Match(baseBlob, @"variables\('([^']+)'\)").Groups[1].Value;
        var coldAction = ArmTemplate.AsText(Variable(policy, coldVariable));
        Assert.Contains("createObject('tierToCold', createObject('daysAfterModificationGreaterThan', ", coldAction, StringComparison.Ordinal);
        Assert.Contains("createObject('tierToArchive', createObject('daysAfterModificationGreaterThan', ", coldAction, StringComparison.Ordinal);
        Assert.Equal(["coldTier", "coldAfterDays"], MainParametersIn(policy, coldAction));

        Assert.Equal(30, Arm.Parameter("coolAfterDays").GetProperty("defaultValue").GetInt32());
        Assert.Equal(180, Arm.Parameter("coldAfterDays").GetProperty("defaultValue").GetInt32());
        Assert.Equal("Cold", Arm.Parameter("coldTier").GetProperty("defaultValue").GetString());
        Assert.Equal(["Cold", "Archive"], Arm.Parameter("coldTier").GetProperty("allowedValues").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public void Lifecycle_policy_deletes_recordings_only_when_a_retention_is_set()
    {
        var policy = Arm.Single("Microsoft.Storage/storageAccounts/managementPolicies");
        var rules = policy.Resolved("properties.policy.rules");
        var (variable, rule) = RuleVariable(policy, "recordings-expiry");

        Assert.StartsWith("[if(greater(parameters('deleteAfterYears'), 0), ", rules, StringComparison.Ordinal);
        Assert.Equal(["deleteAfterYears"], MainParametersIn(policy, rules[..rules.IndexOf(", 0)", StringComparison.Ordinal)]));
        Assert.Equal(1, Regex.Count(rules, Regex.Escape($"variables('{variable}')")));
        var thenBranch = rules[..rules.IndexOf("createArray(", rules.IndexOf("createArray(", StringComparison.Ordinal) + 1, StringComparison.Ordinal)];
        Assert.Contains($"variables('{variable}')", thenBranch, StringComparison.Ordinal);

        var days = ArmTemplate.ResolveText(policy, rule.GetProperty("definition").GetProperty("actions").GetProperty("baseBlob").GetProperty("delete").GetProperty("daysAfterModificationGreaterThan"));
        Assert.Equal("[mul(parameters('deleteAfterYears'), 365)]", days);
        Assert.Equal(["deleteAfterYears"], MainParametersIn(policy, days));
        Assert.Equal(0, Arm.Parameter("deleteAfterYears").GetProperty("defaultValue").GetInt32());
    }

    /// <summary>The storage template variable that holds the lifecycle rule named <paramref name="ruleName"/>.</summary>
    private static (string Variable, JsonElement Rule) RuleVariable(ArmResource policy, string ruleName)
    {
        var match = policy.Template.GetProperty("variables").EnumerateObject()
            .Where(v => v.Value.ValueKind == JsonValueKind.Object
                        && v.Value.TryGetProperty("name", out var n)
                        && n.ValueKind == JsonValueKind.String
                        && n.GetString() == ruleName)
            .ToList();
        var variable = Assert.Single(match);
        return (variable.Name, variable.Value);
    }

    // listKeys, listAccountSas, listServiceSas, listSecrets, listConnectionStrings, ...
    [GeneratedRegex(@"\blist[A-Z][A-Za-z]*\(")]
    private static partial Regex ListFunction();
}
