using System.Reflection;
using System.Text.Json;
using Microsoft.OpenApi;

namespace PortSipArchive.Api;

/// <summary>Schemas of the response records (from their properties, camelCase as serialized) and the query parameters.</summary>
internal static class OpenApiSchemas
{
    public static OpenApiSchema Of(Type type)
    {
        var properties = new Dictionary<string, IOpenApiSchema>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            properties[JsonNamingPolicy.CamelCase.ConvertName(property.Name)] = ForType(property.PropertyType);
        }

        return new OpenApiSchema { Type = JsonSchemaType.Object, Properties = properties };
    }

    public static OpenApiSchema Error() => new()
    {
        Type = JsonSchemaType.Object,
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["error"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["code"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    ["message"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    ["status"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A recording's archive status (content endpoint)" },
                },
            },
        },
    };

    private static OpenApiSchema ForType(Type type)
    {
        var nullable = Nullable.GetUnderlyingType(type);
        var core = nullable ?? type;
        if (core == typeof(string))
        {
            return new OpenApiSchema { Type = JsonSchemaType.String };
        }

        if (core == typeof(DateTimeOffset))
        {
            return new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" };
        }

        if (core == typeof(long) || core == typeof(int))
        {
            return new OpenApiSchema { Type = JsonSchemaType.Integer, Format = core == typeof(long) ? "int64" : "int32" };
        }

        if (core == typeof(double))
        {
            return new OpenApiSchema { Type = JsonSchemaType.Number };
        }

        if (core == typeof(bool))
        {
            return new OpenApiSchema { Type = JsonSchemaType.Boolean };
        }

        if (core.IsGenericType && typeof(System.Collections.IEnumerable).IsAssignableFrom(core))
        {
            return new OpenApiSchema { Type = JsonSchemaType.Array, Items = ForType(core.GetGenericArguments()[0]) };
        }

        return Of(core);
    }
}

/// <summary>The query parameters the operations share.</summary>
internal static class OpenApiParameters
{
    public static IEnumerable<IOpenApiParameter> Range() =>
    [
        new OpenApiParameter { Name = "from", In = ParameterLocation.Query, Description = "ISO 8601, UTC (inclusive). Default: to minus 1 day (stats: 30 days)", Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" } },
        new OpenApiParameter { Name = "to", In = ParameterLocation.Query, Description = "ISO 8601, UTC (exclusive). Default: now", Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" } },
        Text("source", "Source name (default: all configured sources)"),
    ];

    public static IEnumerable<IOpenApiParameter> Paging() =>
    [
        Int("pageSize", "Rows per page", 1, 1000),
        Choice("format", "json", "csv"),
        Text("continuation", "Opaque; taken from nextLink"),
    ];

    public static IOpenApiParameter Id() => new OpenApiParameter { Name = "id", In = ParameterLocation.Path, Required = true, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };

    public static IOpenApiParameter Text(string name, string description) =>
        new OpenApiParameter { Name = name, In = ParameterLocation.Query, Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };

    public static IOpenApiParameter Bool(string name) =>
        new OpenApiParameter { Name = name, In = ParameterLocation.Query, Schema = new OpenApiSchema { Type = JsonSchemaType.Boolean } };

    public static IOpenApiParameter Int(string name, string description, int min, int max) =>
        new OpenApiParameter
        {
            Name = name, In = ParameterLocation.Query, Description = description,
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = min.ToString(System.Globalization.CultureInfo.InvariantCulture), Maximum = max.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };

    public static IOpenApiParameter Choice(string name, params string[] values) =>
        new OpenApiParameter
        {
            Name = name, In = ParameterLocation.Query,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. values.Select(v => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(v))] },
        };
}
