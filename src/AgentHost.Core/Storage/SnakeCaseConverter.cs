using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentHost.Core.Storage;

/// <summary>JSON for a status enum: the same snake_case text the store holds (<see cref="SnakeCase"/>).</summary>
public sealed class SnakeCaseConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && SnakeCase.TryParse<TEnum>(reader.GetString(), out var value)
            ? value
            : throw new JsonException($"expected one of the {typeof(TEnum).Name} values as snake_case text");

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToText());
    }
}
