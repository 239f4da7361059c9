using System.Text.Json;
using static PortSipArchive.Infra.Tests.Wiring;

namespace PortSipArchive.Infra.Tests;

public class MonitoringTests
{
    private static JsonElement Property(ArmResource resource, string name)
    {
        var match = resource.At("properties").EnumerateObject()
            .Where(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            .ToList();
        Assert.True(match.Count == 1, $"{resource} has no property {name}.");
        return match[0].Value;
    }

    [Fact]
    public void Application_insights_accepts_only_entra_id_telemetry()
    {
        var insights = Arm.Single("Microsoft.Insights/components");
        Assert.Equal(JsonValueKind.True, Property(insights, "DisableLocalAuth").ValueKind);
    }

    [Fact]
    public void Application_insights_is_workspace_based()
    {
        var insights = Arm.Single("Microsoft.Insights/components");
        Assert.Contains("'Microsoft.OperationalInsights/workspaces'", ArmTemplate.AsText(Property(insights, "WorkspaceResourceId")), StringComparison.Ordinal);
        var workspace = Arm.Single("Microsoft.OperationalInsights/workspaces");
        Assert.Equal("logRetentionDays", MainParameterBehind(workspace, workspace.Text("properties.retentionInDays")));
    }
}
