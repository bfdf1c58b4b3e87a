using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AgentHost.Runs;

/// <summary>
/// How a run's chat history is persisted. A function call whose arguments did not parse carries the
/// parse exception, which has no JSON form; it is stored as null (the error already went to the model).
/// </summary>
public static class ChatHistoryJson
{
    private static readonly JsonSerializerOptions Options = new() { Converters = { new NullExceptionConverter() } };

    public static string Serialize(ChatHistory history) => JsonSerializer.Serialize(history, Options);

    public static ChatHistory? Deserialize(string json) => JsonSerializer.Deserialize<ChatHistory>(json, Options);

    private sealed class NullExceptionConverter : JsonConverter<Exception>
    {
        public override bool CanConvert(Type typeToConvert) => typeof(Exception).IsAssignableFrom(typeToConvert);

        public override Exception? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            reader.Skip();
            return null;
        }

        public override void Write(Utf8JsonWriter writer, Exception value, JsonSerializerOptions options) => writer.WriteNullValue();
    }
}
