using static PortSipArchive.Infra.Tests.Wiring;

namespace PortSipArchive.Infra.Tests;

public class RoleAssignmentTests
{
    private static IEnumerable<ArmResource> Assignments => Arm.OfType("Microsoft.Authorization/roleAssignments");

    private static bool IsForAppIdentity(ArmResource assignment)
    {
        var principal = assignment.Resolved("properties.principalId");
        return principal.Contains($"'Microsoft.Resources/deployments', '{IdentityModule.Name}')", StringComparison.Ordinal)
               && principal.EndsWith(".outputs.principalId.value]", StringComparison.Ordinal);
    }

    private static bool HasRole(ArmResource assignment, string roleId) =>
        assignment.Resolved("properties.roleDefinitionId").Contains($"'{roleId}'", StringComparison.Ordinal);

    public static TheoryData<string, string> AppRoles => new()
    {
        { RoleIds.StorageBlobDataOwner, "Microsoft.Storage/storageAccounts" },
        { RoleIds.StorageQueueDataContributor, "Microsoft.Storage/storageAccounts" },
        { RoleIds.StorageTableDataContributor, "Microsoft.Storage/storageAccounts" },
        { RoleIds.MonitoringMetricsPublisher, "Microsoft.Insights/components" },
        { RoleIds.KeyVaultSecretsUser, "Microsoft.KeyVault/vaults" },
    };

    [Theory]
    [MemberData(nameof(AppRoles))]
    public void App_identity_has_role_on_exactly_that_resource(string roleId, string scopeType)
    {
        var assignment = Assert.Single(Assignments, a => IsForAppIdentity(a) && HasRole(a, roleId));
        Assert.Equal("ServicePrincipal", assignment.Text("properties.principalType"));
        Assert.False(assignment.TryAt("condition", out _), "The app's roles must not be conditional.");

        var scope = assignment.Text("scope");
        Assert.StartsWith($"[resourceId('{scopeType}', ", scope, StringComparison.Ordinal);

        // guid(scope.id, principalId, roleId): stable across redeployments, unique per scope/principal/role.
        var name = assignment.Text("name");
        Assert.StartsWith($"[guid({scope.Trim('[', ']')}, ", name, StringComparison.Ordinal);
        Assert.Contains(assignment.Text("properties.principalId").Trim('[', ']'), name, StringComparison.Ordinal);
    }

    [Fact]
    public void App_identity_has_no_other_roles()
    {
        var roles = Assignments.Where(IsForAppIdentity).ToList();
        Assert.Equal(AppRoles.Count, roles.Count);
    }

    [Fact]
    public void Every_role_assignment_is_scoped_to_a_single_resource()
    {
        var all = Assignments.ToList();
        Assert.NotEmpty(all);
        foreach (var assignment in all)
        {
            Assert.True(assignment.TryAt("scope", out var scope), $"{assignment} has no scope: it would apply to the whole resource group.");
            Assert.StartsWith("[resourceId('Microsoft.", ArmTemplate.AsText(scope), StringComparison.Ordinal);
            Assert.NotNull(assignment.Deployment);
        }
    }

    [Theory]
    [InlineData(RoleIds.StorageBlobDataOwner)]
    [InlineData(RoleIds.StorageQueueDataContributor)]
    [InlineData(RoleIds.StorageTableDataContributor)]
    public void Deployer_data_role_is_optional_and_on_the_storage_account(string roleId)
    {
        var assignment = Assert.Single(Assignments, a => !IsForAppIdentity(a) && HasRole(a, roleId));
        Assert.StartsWith("[resourceId('Microsoft.Storage/storageAccounts', ", assignment.Text("scope"), StringComparison.Ordinal);

        Assert.Equal("principalId", MainParameterBehind(assignment, assignment.Text("properties.principalId")));
        Assert.Equal("principalType", MainParameterBehind(assignment, assignment.Text("properties.principalType")));

        var condition = assignment.Resolved("condition");
        Assert.Contains("not(empty(", condition, StringComparison.Ordinal);
        Assert.Equal(["grantDeployerDataRoles", "principalId"], MainParametersIn(assignment, condition).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Deployer_principal_defaults_to_the_deployer_with_a_configurable_type()
    {
        Assert.Equal("[deployer().objectId]", Arm.Parameter("principalId").GetProperty("defaultValue").GetString());
        var type = Arm.Parameter("principalType");
        Assert.Equal("User", type.GetProperty("defaultValue").GetString());
        Assert.Equal(["User", "ServicePrincipal"], type.GetProperty("allowedValues").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("bool", Arm.Parameter("grantDeployerDataRoles").GetProperty("type").GetString());
    }

    [Fact]
    public void Only_the_expected_roles_are_granted_to_anyone()
    {
        var known = new[]
        {
            RoleIds.StorageBlobDataOwner, RoleIds.StorageQueueDataContributor, RoleIds.StorageTableDataContributor,
            RoleIds.MonitoringMetricsPublisher, RoleIds.KeyVaultSecretsUser,
        };
        Assert.All(Assignments, a => Assert.Contains(known, roleId => HasRole(a, roleId)));
        Assert.Equal(8, Assignments.Count());
    }
}
