using System.Text.Json.Nodes;
using AgentHost.Core.Storage;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AgentHost.Hosting;

/// <summary>
/// Statuses are enums written as snake_case words by their own converter, which the OpenAPI generator
/// cannot see through: it would describe them as an empty schema. This lists the words clients receive.
/// </summary>
internal static class SnakeCaseEnumSchemas
{
    public static Task DescribeAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        if (type.IsEnum && type.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonConverterAttribute), false) is [System.Text.Json.Serialization.JsonConverterAttribute { ConverterType: { IsGenericType: true } converter }]
            && converter.GetGenericTypeDefinition() == typeof(SnakeCaseConverter<>))
        {
            schema.Type = JsonSchemaType.String;
            schema.Enum = [.. Enum.GetNames(type).Select(name => (JsonNode)JsonValue.Create(AgentHost.Core.Storage.SnakeCase.Of(name))!)];
        }

        return Task.CompletedTask;
    }
}
